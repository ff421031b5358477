/**
 * `--shard I/N` or `--shard auto`: which shard of a backfill this process runs. With `auto`
 * the index (and, where the scheduler sets one, the count) comes from the environment the
 * batch schedulers give each copy of a container:
 *   Cloud Run Jobs            CLOUD_RUN_TASK_INDEX, CLOUD_RUN_TASK_COUNT
 *   Kubernetes Indexed Jobs   JOB_COMPLETION_INDEX (count: --shard-count or CDP_SHARD_COUNT)
 *   AWS Batch array jobs      AWS_BATCH_JOB_ARRAY_INDEX, AWS_BATCH_JOB_ARRAY_SIZE (or --shard-count / CDP_SHARD_COUNT)
 */
import { checkShardSpec, ShardPlanError, type ShardSpec } from '../consumer/shard-plan.js';
import { UsageError } from './args.js';

interface Scheduler {
  name: string;
  index: string;
  count?: string;
}

const SCHEDULERS: readonly Scheduler[] = [
  { name: 'Cloud Run Jobs', index: 'CLOUD_RUN_TASK_INDEX', count: 'CLOUD_RUN_TASK_COUNT' },
  { name: 'a Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX' },
  { name: 'an AWS Batch array job', index: 'AWS_BATCH_JOB_ARRAY_INDEX', count: 'AWS_BATCH_JOB_ARRAY_SIZE' },
];

/** The environment variable of an explicit shard count, for schedulers that set none. */
const SHARD_COUNT_ENV = 'CDP_SHARD_COUNT';

function integer(raw: string, what: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isSafeInteger(n)) throw new UsageError(`${what} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Parses the flag; `countFlag` is --shard-count, if given. Errors name the flag and the values. */
export function parseShardArg(raw: string, env: NodeJS.ProcessEnv, countFlag?: string): ShardSpec {
  let spec: ShardSpec;
  if (raw === 'auto') {
    const found = SCHEDULERS.filter((s) => env[s.index] !== undefined && env[s.index] !== '');
    if (found.length === 0) {
      throw new UsageError(
        `--shard auto: none of ${SCHEDULERS.map((s) => s.index).join(', ')} is set; ` +
          'run under Cloud Run Jobs, a Kubernetes Indexed Job or an AWS Batch array job, or give --shard I/N',
      );
    }
    const s = found[0]!;
    const index = integer(env[s.index]!, `--shard auto: ${s.index}`);
    const fromEnv = s.count !== undefined && env[s.count] ? { n: integer(env[s.count]!, `--shard auto: ${s.count}`), from: s.count } : undefined;
    const fromOwn = env[SHARD_COUNT_ENV] ? { n: integer(env[SHARD_COUNT_ENV]!, `--shard auto: ${SHARD_COUNT_ENV}`), from: SHARD_COUNT_ENV } : undefined;
    const fromFlag = countFlag !== undefined ? { n: integer(countFlag, '--shard-count'), from: '--shard-count' } : undefined;
    const counts = [fromFlag, fromEnv, fromOwn].filter((c) => c !== undefined);
    if (counts.length === 0) {
      throw new UsageError(
        `--shard auto: ${s.index}=${index} gives the index under ${s.name}, but nothing gives the count: ` +
          `pass --shard-count N or set ${SHARD_COUNT_ENV}${s.count !== undefined ? ` or ${s.count}` : ''}`,
      );
    }
    const disagree = counts.find((c) => c.n !== counts[0]!.n);
    if (disagree !== undefined)
      throw new UsageError(`--shard auto: the shard count is ${counts[0]!.n} by ${counts[0]!.from} but ${disagree.n} by ${disagree.from}`);
    spec = { index, count: counts[0]!.n };
  } else {
    const m = /^\s*(-?\d+)\s*\/\s*(-?\d+)\s*$/.exec(raw);
    if (m === null) throw new UsageError(`--shard ${JSON.stringify(raw)}: expected I/N (shard I of N, I from 0) or auto`);
    if (countFlag !== undefined) throw new UsageError(`--shard-count is only for --shard auto (--shard ${raw} gives the count)`);
    spec = { index: Number(m[1]), count: Number(m[2]) };
  }
  try {
    checkShardSpec(spec);
  } catch (err) {
    if (err instanceof ShardPlanError) throw new UsageError(`--shard ${raw === 'auto' ? `auto (${spec.index}/${spec.count})` : raw}: ${err.message}`);
    throw err;
  }
  return spec;
}
