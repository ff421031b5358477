/**
 * Splitting a ledger range over N independent runs (shards) of the same pipeline.
 *
 * The range [start, end] is cut only at multiples of an alignment unit: the least common
 * multiple of the ledgers per source object (a galexie file holds whole batches, and a
 * shard that started inside one would fetch it twice) and of every consumer's partition
 * width with `partition_by: ledger_range` (so no partition is written by two shards). The
 * aligned units the range touches are dealt out contiguously, as evenly as possible: shard i
 * gets units [floor(i*U/N), floor((i+1)*U/N)). A shard's files then hold only its own
 * ledgers, and their names (which carry the ledger range) never collide with another
 * shard's.
 */

/** A `--shard I/N` as given: index I (from 0) of N shards. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** The plan every shard of a backfill shares; recorded in the lake so that all shards agree. */
export interface ShardPlan {
  start: number;
  end: number;
  count: number;
  unit: number;
}

/** One shard's part of a plan. */
export interface ShardAssignment {
  plan: ShardPlan;
  index: number;
  /** The shard's ledgers, inclusive. */
  start: number;
  end: number;
}

/** A shard plan that cannot work; the message names the values (the CLI adds the flag). */
export class ShardPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardPlanError';
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The least common multiple of the alignments (1 when there are none). */
export function alignmentUnit(alignments: readonly number[]): number {
  let unit = 1;
  for (const a of alignments) {
    if (!Number.isSafeInteger(a) || a < 1) throw new ShardPlanError(`an alignment must be a positive integer, got ${a}`);
    unit = (unit / gcd(unit, a)) * a;
    if (!Number.isSafeInteger(unit)) throw new ShardPlanError(`the alignments ${alignments.join(', ')} have no usable common multiple`);
  }
  return unit;
}

/** Checks a shard spec on its own (before any range is known). */
export function checkShardSpec(spec: ShardSpec): void {
  if (!Number.isSafeInteger(spec.count) || spec.count < 1) throw new ShardPlanError(`the shard count must be an integer >= 1, got ${spec.count}`);
  if (!Number.isSafeInteger(spec.index) || spec.index < 0 || spec.index >= spec.count) {
    throw new ShardPlanError(`the shard index must be an integer from 0 to ${spec.count - 1} (the count is ${spec.count}), got ${spec.index}`);
  }
}

/** How many aligned units [start, end] touches. */
function unitsIn(start: number, end: number, unit: number): number {
  return Math.floor(end / unit) - Math.floor(start / unit) + 1;
}

export function planShards(start: number, end: number | undefined, count: number, unit: number): ShardPlan {
  if (end === undefined) throw new ShardPlanError(`a sharded run needs an end ledger (the range starts at ${start} and has no end)`);
  if (!Number.isSafeInteger(start) || start < 1) throw new ShardPlanError(`the start ledger must be a positive integer, got ${start}`);
  if (!Number.isSafeInteger(end) || end < start) throw new ShardPlanError(`the end ledger ${end} is before the start ledger ${start}`);
  if (!Number.isSafeInteger(count) || count < 1) throw new ShardPlanError(`the shard count must be an integer >= 1, got ${count}`);
  const units = unitsIn(start, end, unit);
  if (units < count) {
    throw new ShardPlanError(
      `ledgers ${start}-${end} touch ${units} aligned unit(s) of ${unit} ledger(s), fewer than the ${count} shards: ` +
        `use at most ${units} shards or a longer range`,
    );
  }
  return { start, end, count, unit };
}

export function assignShard(plan: ShardPlan, index: number): ShardAssignment {
  checkShardSpec({ index, count: plan.count });
  const first = Math.floor(plan.start / plan.unit);
  const units = unitsIn(plan.start, plan.end, plan.unit);
  const from = first + Math.floor((index * units) / plan.count);
  const to = first + Math.floor(((index + 1) * units) / plan.count) - 1;
  return { plan, index, start: Math.max(plan.start, from * plan.unit), end: Math.min(plan.end, to * plan.unit + plan.unit - 1) };
}

/** Every shard of a plan, in order; together they cover [start, end] exactly once. */
export function allShards(plan: ShardPlan): ShardAssignment[] {
  return Array.from({ length: plan.count }, (_, i) => assignShard(plan, i));
}

/** `I/N` as people write it. */
export function shardLabel(a: Pick<ShardAssignment, 'index' | 'plan'>): string {
  return `${a.index}/${a.plan.count}`;
}
