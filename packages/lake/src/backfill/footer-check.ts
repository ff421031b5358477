/**
 * Reads one data file's footer with ranged reads (its last 64 KiB, more only for a larger
 * footer; its first 4 bytes only when the end is not Parquet's) and checks the file against
 * itself: whole (the footer's column chunks inside the file), named for what it holds
 * (table and ledgers in the name agree with the footer), rows adding up per ledger, and in
 * the partition its ledgers belong to.
 */
import type { ObjectStore } from '../storage/index.js';
import { checkExtents, FooterError, footerLength, parseFooter } from 'cdp-parquet/footer';
import { readFileAccount, type FileAccount } from '../consumer/file-metadata.js';
import { partitionOf } from '../consumer/partitioning.js';
import type { DataFile } from './lake-inventory.js';

const TAIL = 64 * 1024;

type FileProblemKind = 'unreadable' | 'truncated' | 'outside_partition' | 'inconsistent';

interface FileProblem {
  kind: FileProblemKind;
  detail: string;
}

export interface CheckedFile {
  file: DataFile;
  account: FileAccount | undefined;
  problems: FileProblem[];
  bytesRead: number;
}

/** Where the ledgers of a file belong, from the partition's own form, or why they do not. */
function partitionProblem(f: DataFile, a: FileAccount): string | undefined {
  if (a.partition !== undefined && a.partition !== f.partition) {
    return `it is in ${f.partition || '(no partition directory)'}, but its ledgers ${a.first}-${a.last} belong in ${a.partition} (the partition it was written for)`;
  }
  const range = /^ledgers\/(\d+)-(\d+)$/.exec(f.partition);
  if (range !== null) {
    const [lo, hi] = [Number(range[1]), Number(range[2])];
    if (a.first < lo || a.last > hi) return `ledgers ${a.first}-${a.last} lie outside partition ${f.partition}`;
    return undefined;
  }
  const time = /^year=\d{4}\/month=\d{2}\/day=\d{2}(\/hour=\d{2})?$/.exec(f.partition);
  if (time !== null) {
    const by = time[1] !== undefined ? 'hour' : 'ledger_day';
    for (const [what, t] of [
      ['first', a.firstCloseTimeMs],
      ['last', a.lastCloseTimeMs],
    ] as const) {
      if (t === undefined) continue;
      const p = partitionOf(by, 0, t, 1).path;
      if (p !== f.partition) return `its ${what} ledger closed at ${new Date(t).toISOString()}, which belongs in ${p}, not ${f.partition}`;
    }
    return undefined;
  }
  return `${f.partition || '(no partition directory)'} is not a partition of the lake's layout`;
}

export async function checkFile(store: ObjectStore, f: DataFile): Promise<CheckedFile> {
  const out: CheckedFile = { file: f, account: undefined, problems: [], bytesRead: 0 };
  const fail = (kind: FileProblemKind, detail: string): CheckedFile => {
    out.problems.push({ kind, detail });
    return out;
  };
  try {
    const tail = f.size === 0 ? new Uint8Array(0) : await store.get(f.key, { suffix: Math.min(TAIL, f.size) });
    out.bytesRead += tail.length;
    const ends = tail.length >= 8 && String.fromCharCode(...tail.subarray(tail.length - 4)) === 'PAR1';
    const head = ends ? undefined : f.size >= 4 ? await store.get(f.key, { offset: 0, length: 4 }) : undefined;
    out.bytesRead += head?.length ?? 0;
    const len = footerLength(tail.subarray(Math.max(0, tail.length - 8)), f.size, head);
    let footer: Uint8Array;
    if (len + 8 <= tail.length) footer = tail.subarray(tail.length - 8 - len, tail.length - 8);
    else {
      footer = await store.get(f.key, { offset: f.size - 8 - len, length: len });
      out.bytesRead += footer.length;
    }
    const summary = parseFooter(footer);
    checkExtents(summary, f.size, len);
    let account: FileAccount;
    try {
      account = readFileAccount(summary.keyValue);
    } catch (err) {
      return fail('unreadable', `no account of itself in its footer (not written by cdp-parquet?): ${(err as Error).message}`);
    }
    out.account = account;
    if (account.table !== f.table || f.tableDir !== f.table) {
      fail('outside_partition', `a ${account.table} file, named ${f.table}, in directory ${f.tableDir}`);
    }
    if (account.first !== f.first || account.last !== f.last) {
      fail('inconsistent', `its name says ledgers ${f.first}-${f.last}, its footer ${account.first}-${account.last}`);
    }
    if (account.rows !== summary.numRows) fail('inconsistent', `the footer counts ${summary.numRows} rows, the file's account ${account.rows}`);
    const perLedger = [...account.ledgerRows.values()].reduce((a, b) => a + b, 0);
    if (account.ledgerRows.size > 0 && perLedger !== summary.numRows)
      fail('inconsistent', `its rows per ledger add up to ${perLedger}, it holds ${summary.numRows}`);
    const stray = [...account.ledgerRows.keys()].find((l) => l < account.first || l > account.last);
    if (stray !== undefined) fail('inconsistent', `it counts rows of ledger ${stray}, outside its ledgers ${account.first}-${account.last}`);
    const where = partitionProblem(f, account);
    if (where !== undefined) fail('outside_partition', where);
    return out;
  } catch (err) {
    if (err instanceof FooterError) return fail(err.kind, err.message);
    return fail('unreadable', `cannot be read: ${(err as Error).message}`);
  }
}
