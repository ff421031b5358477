/**
 * Where a run keeps its state in a lake, and which objects under `path_prefix` are its own.
 *
 * An unsharded run keeps the layout it always had (`_checkpoints/`, `_schemas/`). A shard of
 * a backfill keeps everything of its own under `_shards/<start>-<end>/shard-<i>-of-<n>/`
 * (checkpoints, schemas, lease, progress) next to the plan all shards share
 * (`_shards/<start>-<end>/plan.json`), while its data and reject files go to the same
 * partitions as any other run's. Recovery after a crash removes only what `owns` accepts: a
 * shard, keys whose ledger range lies inside its own; an unsharded run, anything but keys
 * inside a shard plan's range. So several runs can share one lake without one cleaning up
 * another's files or uploads in progress.
 */
import { joinKey, parseDataFileName, parseRejectFileName } from './file-naming.js';
import type { ShardAssignment, ShardPlan } from './shard-plan.js';

export interface LedgerSpan {
  start: number;
  end: number;
}

export interface LakeScope {
  readonly prefix: string;
  readonly checkpointDir: string;
  readonly schemaDir: string;
  readonly shard: ShardAssignment | undefined;
  /** Whether recovery may remove (or abort the upload of) the object under `key`. */
  owns(key: string): boolean;
}

export const SHARDS_DIR = '_shards';

export function plansDir(prefix: string): string {
  return joinKey(prefix, SHARDS_DIR);
}

function planDir(prefix: string, plan: Pick<ShardPlan, 'start' | 'end'>): string {
  return joinKey(prefix, SHARDS_DIR, `${plan.start}-${plan.end}`);
}

export function planKey(prefix: string, plan: Pick<ShardPlan, 'start' | 'end'>): string {
  return joinKey(planDir(prefix, plan), 'plan.json');
}

function shardDirName(index: number, count: number): string {
  return `shard-${index}-of-${count}`;
}

export function shardDir(prefix: string, a: Pick<ShardAssignment, 'plan' | 'index'>): string {
  return joinKey(planDir(prefix, a.plan), shardDirName(a.index, a.plan.count));
}

/** `_shards/<start>-<end>/plan.json` -> the plan's range. */
export function parsePlanKey(prefix: string, key: string): LedgerSpan | undefined {
  const base = plansDir(prefix) + '/';
  if (!key.startsWith(base)) return undefined;
  const m = /^(\d+)-(\d+)\/plan\.json$/.exec(key.slice(base.length));
  return m ? { start: Number(m[1]), end: Number(m[2]) } : undefined;
}

/** The ledgers a data or reject file holds, from its name. */
function ledgersOfKey(key: string): { table: string; first: number; last: number; kind: 'data' | 'rejects' } | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const data = parseDataFileName(name);
  if (data !== undefined) return { table: data.table, first: data.first, last: data.last, kind: 'data' };
  const rejects = parseRejectFileName(name);
  return rejects === undefined ? undefined : { ...rejects, kind: 'rejects' };
}

const inside = (first: number, last: number, span: LedgerSpan): boolean => first >= span.start && last <= span.end;

export function unshardedScope(prefix: string, plans: readonly LedgerSpan[] = []): LakeScope {
  return {
    prefix,
    checkpointDir: joinKey(prefix, '_checkpoints'),
    schemaDir: joinKey(prefix, '_schemas'),
    shard: undefined,
    owns(key) {
      if (key.startsWith(plansDir(prefix) + '/')) return false;
      const l = ledgersOfKey(key);
      return l === undefined || !plans.some((p) => inside(l.first, l.last, p));
    },
  };
}

export function shardScope(prefix: string, a: ShardAssignment): LakeScope {
  const dir = shardDir(prefix, a);
  return {
    prefix,
    checkpointDir: joinKey(dir, 'checkpoints'),
    schemaDir: joinKey(dir, 'schemas'),
    shard: a,
    owns(key) {
      if (key.startsWith(dir + '/')) return true;
      const l = ledgersOfKey(key);
      return l !== undefined && inside(l.first, l.last, a);
    },
  };
}
