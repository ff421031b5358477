/**
 * Per-table checkpoints under `<path_prefix>/_checkpoints/<table>.json` (a shard of a
 * backfill keeps its own in its directory, see shard-scope.ts).
 *
 * `ledger` is the last ledger whose rows of this table are all durably stored (in committed
 * data files or reject files). `pending` lists data files committed *after* that point: a
 * file is added here (an intent, written before its upload starts) and leaves when the
 * checkpoint moves past its last ledger. A crash between those two writes leaves files that
 * the replay from `ledger + 1` will write again, maybe cut differently (the rotation timer
 * is not deterministic); deleting the pending files on restart is what makes kill -9 at any
 * moment end with every row exactly once.
 */
import type { ObjectStore } from '../storage/index.js';
import { StorageError } from '../storage/index.js';
import { joinKey, stateKey } from './file-naming.js';

export interface Checkpoint {
  table: string;
  ledger: number;
  pending: PendingFile[];
  /**
   * The first ledger of the unbroken stretch of ledgers processed up to `ledger` (run-span.ts);
   * absent in checkpoints written before it was recorded.
   */
  since?: number;
  /**
   * Rows of this table in the committed files of [since, ledger]: `verify` compares it with
   * the files it finds, which shows a file that went missing. Absent when `since` is.
   */
  rows?: number;
  updated_at?: string;
}

export interface PendingFile {
  key: string;
  last: number;
  rows?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function parse(key: string, bytes: Uint8Array): Checkpoint {
  const v = JSON.parse(dec.decode(bytes)) as Partial<Checkpoint>;
  if (typeof v.table !== 'string' || typeof v.ledger !== 'number' || !Number.isInteger(v.ledger)) {
    throw new Error(`checkpoint ${key} is malformed`);
  }
  const pending = Array.isArray(v.pending) ? v.pending.filter((p): p is PendingFile => typeof p?.key === 'string' && typeof p.last === 'number') : [];
  return {
    table: v.table,
    ledger: v.ledger,
    pending,
    ...(Number.isSafeInteger(v.since) ? { since: v.since } : {}),
    ...(Number.isSafeInteger(v.rows) ? { rows: v.rows } : {}),
  };
}

/** The checkpoints of an unsharded run's lake. */
export function loadCheckpoints(store: ObjectStore, prefix: string): Promise<Checkpoint[]> {
  return loadCheckpointsIn(store, joinKey(prefix, '_checkpoints'));
}

/** The checkpoints in directory `dir` (a key prefix without the trailing slash). */
export async function loadCheckpointsIn(store: ObjectStore, dir: string): Promise<Checkpoint[]> {
  const out: Checkpoint[] = [];
  for await (const entry of store.list(dir + '/')) {
    if (!entry.key.endsWith('.json')) continue;
    try {
      out.push(parse(entry.key, await store.get(entry.key)));
    } catch (err) {
      if (err instanceof StorageError && err.code === 'not_found') continue;
      throw err;
    }
  }
  return out;
}

export async function writeCheckpoint(store: ObjectStore, dir: string, cp: Checkpoint): Promise<void> {
  const body = { table: cp.table, ledger: cp.ledger, pending: cp.pending, since: cp.since, rows: cp.rows, updated_at: new Date().toISOString() };
  await store.put(stateKey(dir, cp.table), enc.encode(JSON.stringify(body, null, 1)), { contentType: 'application/json' });
}
