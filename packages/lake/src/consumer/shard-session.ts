/**
 * SaveToParquet running as one shard of a backfill: the checks before anything is written
 * (shard-preflight.ts), the lease that keeps a second copy of the shard out
 * (shard-lease.ts), renewed on a timer, and the progress manifest (shard-progress.ts).
 */
import type { ObjectStore } from '../storage/index.js';
import { loadCheckpointsIn } from './checkpoint.js';
import type { LogFn } from './consumer.js';
import { ShardLease, LeaseLostError } from './shard-lease.js';
import { shardLabel, type ShardAssignment } from './shard-plan.js';
import { checkFiles, checkPlans, recordedPlanRanges, recordPlan } from './shard-preflight.js';
import { progressOf, readProgress, writeProgress, type ShardProgress } from './shard-progress.js';
import { shardDir, shardScope, unshardedScope, type LakeScope } from './shard-scope.js';
import { LeaseGuardedStore } from './lease-guarded-store.js';
import type { FileLineage } from './file-metadata.js';

export interface ShardSessionOptions {
  /** Lease lifetime without renewal (default 60 s); renewed every third of it. */
  leaseTtlMs?: number;
  /** Wait up to this long for a live holder's lease to expire before refusing (default 0). */
  leaseWaitMs?: number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  dryRun: boolean;
  log: LogFn;
}

const DEFAULT_LEASE_TTL_MS = 60_000;

export class ShardSession {
  private timer: ReturnType<typeof setInterval> | undefined;
  private written: number;
  /** The store the shard writes through: every write checks the lease first. */
  readonly store: ObjectStore;

  private constructor(
    raw: ObjectStore,
    readonly scope: LakeScope,
    readonly assignment: ShardAssignment,
    private readonly dir: string,
    private readonly progress: ShardProgress | undefined,
    private readonly lease: ShardLease | undefined,
    private readonly opts: ShardSessionOptions,
  ) {
    this.written = progress?.done_through ?? assignment.start - 1;
    this.store = lease === undefined ? raw : new LeaseGuardedStore(raw, () => lease.check());
  }

  static async open(store: ObjectStore, prefix: string, a: ShardAssignment, opts: ShardSessionOptions): Promise<ShardSession> {
    const scope = shardScope(prefix, a);
    const dir = shardDir(prefix, a);
    await checkPlans(store, prefix, a);
    const progress = await readProgress(store, dir);
    const checkShardFiles = async (): Promise<void> => checkFiles(store, prefix, a, await loadCheckpointsIn(store, scope.checkpointDir));
    const what = `shard ${shardLabel(a)} (ledgers ${a.start}-${a.end}) of ${store.describe(prefix || '.')}`;
    if (progress?.complete === true) {
      await checkShardFiles();
      opts.log('info', `${what} is complete (${progress.updated_at}): nothing to do`);
      return new ShardSession(store, scope, a, dir, progress, undefined, opts);
    }
    if (opts.dryRun) {
      await checkShardFiles();
      return new ShardSession(store, scope, a, dir, progress, undefined, opts);
    }
    // The lease first: while another copy runs, its files and checkpoints change under any
    // check, and the answer is "it is being run", not what a half-written state looks like.
    // The lake is checked under the lease, before the plan or any data is written.
    const lease = await ShardLease.acquire(store, dir, {
      ttlMs: opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
      waitMs: opts.leaseWaitMs ?? 0,
      now: opts.now,
      sleep: opts.sleep,
      what,
    });
    try {
      await checkShardFiles();
      await recordPlan(store, prefix, a);
    } catch (err) {
      await lease.release().catch(() => undefined);
      throw err;
    }
    opts.log(
      'info',
      `${what}: lease ${lease.generation} taken by ${lease.holder}` + (progress === undefined ? '' : `; done through ledger ${progress.done_through}`),
    );
    return new ShardSession(store, scope, a, dir, progress, lease, opts);
  }

  /** What the shard's files record about it (file-metadata.ts). */
  get lineage(): FileLineage {
    const { plan } = this.assignment;
    return { shard: shardLabel(this.assignment), shardPlan: `${plan.start}-${plan.end}/${plan.count}/${plan.unit}` };
  }

  /** A finished shard: its progress says its whole range is stored. */
  get finished(): boolean {
    return this.progress?.complete === true;
  }

  /**
   * The ledger the shard resumes at: after its progress, and after its checkpoints when
   * every table has one (`fromCheckpoints`, SaveToParquet's unsharded rule), never before
   * its start.
   */
  resumeLedger(fromCheckpoints: number | undefined): number {
    return Math.max(this.assignment.start, this.written + 1, fromCheckpoints ?? -Infinity);
  }

  /** Records that every ledger through `doneThrough` is stored for every table (written when it moves). */
  async advance(doneThrough: number): Promise<void> {
    const done = Math.min(doneThrough, this.assignment.end);
    if (done <= this.written || this.opts.dryRun || this.finished) return;
    await writeProgress(this.store, this.dir, progressOf(this.assignment, done, this.opts.now()));
    this.written = done;
  }

  /** Renews the lease every third of its lifetime; `onLost` hears when it is gone. */
  startRenewing(onLost: (err: LeaseLostError) => void): void {
    const lease = this.lease;
    if (lease === undefined || this.timer !== undefined) return;
    const every = Math.max(10, Math.floor((this.opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS) / 3));
    let running = false;
    this.timer = setInterval(() => {
      if (running) return;
      running = true;
      lease
        .renew()
        .catch((err: unknown) => {
          if (err instanceof LeaseLostError) {
            this.stopRenewing();
            onLost(err);
          } else {
            this.opts.log('warn', `renewing the lease failed (retried in ${every} ms): ${(err as Error).message}`);
          }
        })
        .finally(() => {
          running = false;
        });
    }, every);
    this.timer.unref();
  }

  private stopRenewing(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Renews once now (tests drive the lease with their clock instead of the timer). */
  renew(): Promise<void> {
    return this.lease === undefined ? Promise.resolve() : this.lease.renew();
  }

  /** Throws (a LeaseLostError) once the shard must stop writing: its lease was lost or ran out. */
  check(): void {
    this.lease?.check();
  }

  /** Stops renewing and gives the lease up. */
  async close(): Promise<void> {
    this.stopRenewing();
    try {
      await this.lease?.release();
    } catch (err) {
      this.opts.log('warn', `releasing the lease failed (it expires by itself): ${(err as Error).message}`);
    }
  }
}

/**
 * The scope a consumer writes in: a shard's own (after its checks and lease), or the
 * unsharded layout, which stays clear of the ranges of shard plans recorded in the lake.
 */
export async function openLakeScope(
  store: ObjectStore,
  prefix: string,
  shard: ShardAssignment | undefined,
  opts: ShardSessionOptions,
): Promise<{ scope: LakeScope; session: ShardSession | undefined }> {
  if (shard === undefined) return { scope: unshardedScope(prefix, await recordedPlanRanges(store, prefix)), session: undefined };
  const session = await ShardSession.open(store, prefix, shard, opts);
  return { scope: session.scope, session };
}
