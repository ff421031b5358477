/**
 * Checks, before a shard writes anything, that the lake agrees with its plan: no other plan
 * over an overlapping range (a different shard count or alignment would cut the range
 * elsewhere, and files would overlap), and no data file in the shard's range that the shard
 * itself did not write (a file across its boundaries, or one its checkpoints do not account
 * for: written by another plan or by an unsharded run). Then records the plan, once for all
 * shards (conditional create; a shard that loses the race compares).
 */
import { StorageError, type ObjectStore } from '../storage/index.js';
import type { Checkpoint } from './checkpoint.js';
import { parseDataFileName } from './file-naming.js';
import { ShardPlanError, shardLabel, type ShardAssignment, type ShardPlan } from './shard-plan.js';
import { parsePlanKey, planKey, plansDir, SHARDS_DIR, type LedgerSpan } from './shard-scope.js';

/** The lake contradicts the shard plan. */
export class ShardLakeError extends ShardPlanError {
  constructor(a: ShardAssignment, lake: string, detail: string) {
    super(
      `shard ${shardLabel(a)} (ledgers ${a.start}-${a.end} of a plan over ${a.plan.start}-${a.plan.end} in ${a.plan.count} shards, ` +
        `unit ${a.plan.unit}): the lake ${lake} contradicts the plan: ${detail}`,
    );
    this.name = 'ShardLakeError';
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function describePlan(p: ShardPlan): string {
  return `ledgers ${p.start}-${p.end} in ${p.count} shards, unit ${p.unit}`;
}

function samePlan(a: ShardPlan, b: ShardPlan): boolean {
  return a.start === b.start && a.end === b.end && a.count === b.count && a.unit === b.unit;
}

async function readPlan(store: ObjectStore, key: string): Promise<ShardPlan | undefined> {
  try {
    const v = JSON.parse(dec.decode(await store.get(key))) as Partial<ShardPlan>;
    if (![v.start, v.end, v.count, v.unit].every((n) => typeof n === 'number')) throw new Error(`${key} is malformed`);
    return { start: v.start!, end: v.end!, count: v.count!, unit: v.unit! };
  } catch (err) {
    if (err instanceof StorageError && err.code === 'not_found') return undefined;
    throw err;
  }
}

/** The ranges of every shard plan recorded in the lake. */
export async function recordedPlanRanges(store: ObjectStore, prefix: string): Promise<LedgerSpan[]> {
  const out: LedgerSpan[] = [];
  for await (const e of store.list(plansDir(prefix) + '/')) {
    const span = parsePlanKey(prefix, e.key);
    if (span !== undefined) out.push(span);
  }
  return out;
}

/** Every recorded plan must be this one, or over a range that does not overlap it. */
export async function checkPlans(store: ObjectStore, prefix: string, a: ShardAssignment): Promise<void> {
  const lake = store.describe(prefix || '.');
  for await (const e of store.list(plansDir(prefix) + '/')) {
    const span = parsePlanKey(prefix, e.key);
    if (span === undefined || span.end < a.plan.start || span.start > a.plan.end) continue;
    const other = await readPlan(store, e.key);
    if (other === undefined) continue;
    if (!samePlan(other, a.plan)) {
      throw new ShardLakeError(
        a,
        lake,
        `${e.key} records a plan over ${describePlan(other)}, and this run plans ${describePlan(a.plan)}; ` +
          'shards of one backfill must share start, end, shard count and alignment (use another path_prefix for a different plan)',
      );
    }
  }
}

/**
 * Every data file whose ledgers meet the shard's range must lie inside it and be accounted
 * for by the shard's checkpoints (at or below a checkpoint, or listed as pending).
 */
export async function checkFiles(store: ObjectStore, prefix: string, a: ShardAssignment, checkpoints: readonly Checkpoint[]): Promise<void> {
  const lake = store.describe(prefix || '.');
  const byTable = new Map(checkpoints.map((c) => [c.table, c]));
  const skip = [`${SHARDS_DIR}/`, '_checkpoints/', '_schemas/', '_rejected/'].map((d) => (prefix === '' ? d : `${prefix}/${d}`));
  for await (const e of store.list(prefix === '' ? '' : `${prefix}/`)) {
    if (skip.some((d) => e.key.startsWith(d))) continue;
    const f = parseDataFileName(e.key.slice(e.key.lastIndexOf('/') + 1));
    if (f === undefined || f.last < a.start || f.first > a.end) continue;
    if (f.first < a.start || f.last > a.end) {
      throw new ShardLakeError(
        a,
        lake,
        `${e.key} holds ledgers ${f.first}-${f.last}, across the shard's boundary: it was written by another plan or an unsharded run`,
      );
    }
    const cp = byTable.get(f.table);
    const accounted = cp !== undefined && (f.last <= cp.ledger || cp.pending.some((p) => p.key === e.key));
    if (!accounted) {
      throw new ShardLakeError(
        a,
        lake,
        `${e.key} holds ledgers ${f.first}-${f.last} of this shard, but the shard's checkpoints ` +
          `(${cp === undefined ? `none for ${f.table}` : `${f.table} at ${cp.ledger}`}) did not write it: another run (an unsharded one, or another plan) did`,
      );
    }
  }
}

/** Records the plan for every shard (once); a plan already there must be the same. */
export async function recordPlan(store: ObjectStore, prefix: string, a: ShardAssignment): Promise<void> {
  const key = planKey(prefix, a.plan);
  const body = enc.encode(JSON.stringify({ ...a.plan, created_at: new Date().toISOString() }, null, 1));
  if (await store.putIfAbsent(key, body, { contentType: 'application/json' })) return;
  const other = await readPlan(store, key);
  if (other !== undefined && !samePlan(other, a.plan)) {
    throw new ShardLakeError(a, store.describe(prefix || '.'), `${key} records ${describePlan(other)}, and this run plans ${describePlan(a.plan)}`);
  }
}
