/**
 * `encode_workers: auto` (the default): one encode thread when the process may use at least
 * two CPUs, none otherwise. One thread takes the page encoding, compression and dictionary
 * work off the pipeline's thread, which with a second CPU runs beside decoding (figures in
 * docs/benchmarks.md, "The consumer's encode threads"); with a single CPU it would only
 * compete with decoding. A container's CPU quota (cgroup v2
 * cpu.max, v1 cpu.cfs_quota_us) counts: Node 20's availableParallelism() sees the host's CPUs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export type EncodeWorkersSetting = number | 'auto';

/** Threads for a setting: a number as is; auto -> 1 with two or more usable CPUs. */
export function resolveEncodeWorkers(setting: EncodeWorkersSetting, cpus: number = usableCpus()): number {
  if (setting !== 'auto') return setting;
  return cpus >= 2 ? 1 : 0;
}

/** CPUs this process may keep busy: the scheduler's, capped by a cgroup CPU quota. */
export function usableCpus(readText: (path: string) => string | undefined = readOptional): number {
  const quota = cgroupCpuQuota(readText);
  return Math.max(1, Math.min(availableParallelism(), quota ?? Infinity));
}

/** Whole CPUs a cgroup quota allows (1.5 -> 1), or undefined without a quota. */
export function cgroupCpuQuota(readText: (path: string) => string | undefined): number | undefined {
  // cgroup v2: "<quota> <period>", quota "max" for none.
  const v2 = readText('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 !== undefined && v2.length === 2) {
    const [quota, period] = [Number(v2[0]), Number(v2[1])];
    return v2[0] === 'max' || !(quota > 0 && period > 0) ? undefined : Math.floor(quota / period);
  }
  // cgroup v1: quota -1 for none.
  const quota = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim());
  const period = Number(readText('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim());
  return quota > 0 && period > 0 ? Math.floor(quota / period) : undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
