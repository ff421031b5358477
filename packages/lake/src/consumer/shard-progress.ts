/**
 * A shard's progress manifest, `progress.json` in its directory: every ledger from the
 * shard's start through `done_through` is stored for every table, rows or not. Checkpoints
 * say that per table, but only for tables that had rows; a ledger range without a single
 * row of any table (pubnet before Soroban) leaves no checkpoint at all, and `verify` needs
 * proof that those ledgers were processed. `complete` is set once the shard's whole range is
 * done, which is also what makes a re-run of a finished shard write nothing.
 */
import { StorageError, type ObjectStore } from '../storage/index.js';
import { joinKey } from './file-naming.js';
import type { ShardAssignment, ShardPlan } from './shard-plan.js';
import { CREATED_BY } from 'cdp-parquet';

export interface ShardProgress {
  shard: string;
  plan: ShardPlan;
  start: number;
  end: number;
  /** Every ledger in [start, done_through] is stored for every table; start - 1 when none is. */
  done_through: number;
  complete: boolean;
  writer: string;
  updated_at: string;
}

const dec = new TextDecoder();
const enc = new TextEncoder();

function progressKey(shardDir: string): string {
  return joinKey(shardDir, 'progress.json');
}

export async function readProgress(store: ObjectStore, shardDir: string): Promise<ShardProgress | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(progressKey(shardDir));
  } catch (err) {
    if (err instanceof StorageError && err.code === 'not_found') return undefined;
    throw err;
  }
  const v = JSON.parse(dec.decode(bytes)) as Partial<ShardProgress>;
  if (typeof v.done_through !== 'number' || typeof v.start !== 'number' || typeof v.end !== 'number') {
    throw new Error(`${store.describe(progressKey(shardDir))} is malformed`);
  }
  return v as ShardProgress;
}

export function progressOf(a: ShardAssignment, doneThrough: number, now: number): ShardProgress {
  return {
    shard: `${a.index}/${a.plan.count}`,
    plan: a.plan,
    start: a.start,
    end: a.end,
    done_through: doneThrough,
    complete: doneThrough >= a.end,
    writer: CREATED_BY,
    updated_at: new Date(now).toISOString(),
  };
}

export async function writeProgress(store: ObjectStore, shardDir: string, p: ShardProgress): Promise<void> {
  await store.put(progressKey(shardDir), enc.encode(JSON.stringify(p, null, 1)), { contentType: 'application/json' });
}
