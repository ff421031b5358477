/**
 * What each data file records about itself in its Parquet footer's key-value metadata, so
 * that a lake can be checked from the files alone (`cdp-parquet verify`, with ranged reads
 * of the footers): which table and partition it belongs to, which ledgers it holds and how
 * many rows of each, who wrote it, and, for a backfill, which shard.
 */
import { CREATED_BY } from 'cdp-parquet';

const META = {
  table: 'cdp.table',
  firstLedger: 'cdp.first_ledger',
  lastLedger: 'cdp.last_ledger',
  schemaVersion: 'cdp.schema_version',
  rows: 'cdp.rows',
  /** JSON `[[ledger, rows], ...]`, ascending, for the ledgers with rows in this file. */
  ledgerRows: 'cdp.ledger_rows',
  partition: 'cdp.partition',
  /** ISO-8601 close times of the first and last ledger, when the input had them. */
  firstCloseTime: 'cdp.first_close_time',
  lastCloseTime: 'cdp.last_close_time',
  writer: 'cdp.writer',
  /** The dataset profile a fixed table's file follows ("default", "hubble"). */
  profile: 'cdp.profile',
  /** `I/N` of the shard that wrote the file, and its plan `start-end/N/unit`. */
  shard: 'cdp.shard',
  shardPlan: 'cdp.shard_plan',
} as const;

/** What the writer knows about a file when it finishes it. */
export interface FileFacts {
  table: string;
  first: number;
  last: number;
  schemaVersion: string;
  partition: string;
  /** Rows per ledger, ascending by ledger; ledgers without rows may be left out. */
  ledgerRows: readonly (readonly [number, number])[];
  firstCloseTimeMs?: number;
  lastCloseTimeMs?: number;
  /** Run-wide facts: shard, profile. */
  lineage?: FileLineage;
}

/** What every file of a run shares (set by the consumer). */
export interface FileLineage {
  profile?: string;
  shard?: string;
  shardPlan?: string;
}

export function fileMetadata(f: FileFacts): Record<string, string> {
  const rows = f.ledgerRows.reduce((n, [, r]) => n + r, 0);
  const out: Record<string, string> = {
    [META.table]: f.table,
    [META.firstLedger]: String(f.first),
    [META.lastLedger]: String(f.last),
    [META.schemaVersion]: f.schemaVersion,
    [META.rows]: String(rows),
    [META.ledgerRows]: JSON.stringify(f.ledgerRows.filter(([, r]) => r > 0)),
    [META.partition]: f.partition,
    [META.writer]: CREATED_BY,
  };
  if (f.firstCloseTimeMs !== undefined) out[META.firstCloseTime] = new Date(f.firstCloseTimeMs).toISOString();
  if (f.lastCloseTimeMs !== undefined) out[META.lastCloseTime] = new Date(f.lastCloseTimeMs).toISOString();
  if (f.lineage?.profile !== undefined) out[META.profile] = f.lineage.profile;
  if (f.lineage?.shard !== undefined) out[META.shard] = f.lineage.shard;
  if (f.lineage?.shardPlan !== undefined) out[META.shardPlan] = f.lineage.shardPlan;
  return out;
}

/** A file's own account of itself, as read back from its footer. */
export interface FileAccount {
  table: string;
  first: number;
  last: number;
  rows: number;
  /** Rows per ledger (ledgers absent: none). */
  ledgerRows: Map<number, number>;
  partition: string | undefined;
  firstCloseTimeMs: number | undefined;
  lastCloseTimeMs: number | undefined;
  writer: string | undefined;
  profile: string | undefined;
  shard: string | undefined;
}

function int(kv: ReadonlyMap<string, string>, key: string): number {
  const v = kv.get(key);
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isSafeInteger(n))
    throw new Error(`${key} is ${v === undefined ? 'missing' : `not an integer: ${JSON.stringify(v)}`}`);
  return n;
}

function time(kv: ReadonlyMap<string, string>, key: string): number | undefined {
  const v = kv.get(key);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new Error(`${key} is not a time: ${JSON.stringify(v)}`);
  return t;
}

/**
 * Reads a file's account from its key-value metadata; throws naming the key that is
 * missing or wrong. Files written before per-ledger counts were recorded have only table and
 * range: `ledgerRows` is then undefined and the caller counts rows another way.
 */
export function readFileAccount(kv: ReadonlyMap<string, string>): FileAccount & { ledgerRowsKnown: boolean } {
  const table = kv.get(META.table);
  if (table === undefined) throw new Error(`${META.table} is missing`);
  const first = int(kv, META.firstLedger);
  const last = int(kv, META.lastLedger);
  const ledgerRows = new Map<number, number>();
  const raw = kv.get(META.ledgerRows);
  if (raw !== undefined) {
    let pairs: unknown;
    try {
      pairs = JSON.parse(raw);
    } catch {
      throw new Error(`${META.ledgerRows} is not JSON`);
    }
    if (!Array.isArray(pairs)) throw new Error(`${META.ledgerRows} is not a list of [ledger, rows] pairs`);
    for (const p of pairs) {
      if (!Array.isArray(p) || p.length !== 2 || !Number.isSafeInteger(p[0]) || !Number.isSafeInteger(p[1]) || p[1] < 0) {
        throw new Error(`${META.ledgerRows} has a bad entry ${JSON.stringify(p)}`);
      }
      ledgerRows.set(p[0] as number, (ledgerRows.get(p[0] as number) ?? 0) + (p[1] as number));
    }
  }
  return {
    table,
    first,
    last,
    rows: kv.has(META.rows) ? int(kv, META.rows) : [...ledgerRows.values()].reduce((a, b) => a + b, 0),
    ledgerRows,
    ledgerRowsKnown: raw !== undefined,
    partition: kv.get(META.partition),
    firstCloseTimeMs: time(kv, META.firstCloseTime),
    lastCloseTimeMs: time(kv, META.lastCloseTime),
    writer: kv.get(META.writer),
    profile: kv.get(META.profile),
    shard: kv.get(META.shard),
  };
}
