/**
 * Planning one pipeline's shard (`cdp-parquet run --shard I/N`): the range is the source's
 * (or --start-ledger/--end-ledger), cut at multiples of what its source objects and its
 * SaveToParquet partitions need (consumer/shard-plan.ts).
 */
import { alignmentUnit, assignShard, planShards, ShardPlanError, type ShardAssignment, type ShardSpec } from '../../consumer/shard-plan.js';
import type { PipelineSpec } from '../config/pipeline-config.js';
import type { Source } from './sources.js';

/** The ledgers_per_file of every SaveToParquet that partitions by ledger range. */
async function consumerAlignments(spec: PipelineSpec): Promise<number[]> {
  const { parseConfig } = await import('../../consumer/index.js');
  const out: number[] = [];
  for (const c of spec.consumers) {
    if (c.type !== 'SaveToParquet') continue;
    const cfg = parseConfig(c.config);
    if (cfg.partition_by === 'ledger_range') out.push(cfg.ledgers_per_file);
  }
  return out;
}

export async function planPipelineShard(
  spec: PipelineSpec,
  source: Source,
  shard: ShardSpec,
  range: { startLedger?: number; endLedger?: number },
): Promise<ShardAssignment> {
  if (source.kind !== 'ledgers')
    throw new ShardPlanError(`pipeline '${spec.name}': ${spec.source.type} delivers rows, not ledgers, so it cannot be split into shards`);
  const start = range.startLedger ?? source.range.start;
  const end = range.endLedger ?? source.range.end;
  const unit = alignmentUnit([(await source.ledgersPerObject?.()) ?? 1, ...(await consumerAlignments(spec))]);
  return assignShard(planShards(start, end, shard.count, unit), shard.index);
}
