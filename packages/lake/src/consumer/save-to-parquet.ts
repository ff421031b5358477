/**
 * SaveToParquet: pipeline messages in, a partitioned Parquet data lake out, every row exactly
 * once across crashes and restarts.
 *
 * Flow (row-intake.ts). Messages arrive in ledger order; each table keeps the rows of its
 * current ledger pending until the ledger is known complete, and only then seals them into
 * its open file. Open files therefore hold whole ledgers only and can end at any moment: on
 * buffer_size, max_file_size_mb, a partition boundary, the rotation timer, flush() or close().
 * A ledger with more rows than buffer_size is split into numbered parts of its own
 * (table-files.ts).
 *
 * Durability (see checkpoint.ts, committer.ts, commit-lane.ts, staging.ts). A finished file's
 * bytes stay staged until its upload commits; the checkpoint moves only after that. Commits
 * run in the background on the commit lane while the next files fill. A failed upload is
 * retried from the staged bytes; if storage stays down, `process` rejects (before accepting
 * its message) and keeps everything, and the next call retries first.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsumerMessage } from './message.js';
import { openStore, type ObjectStore } from '../storage/index.js';
import { Committer } from './committer.js';
import { CommitLane } from './commit-lane.js';
import { parseConfig, storeUrlOf, type SaveToParquetConfig } from './config.js';
import { BatchError, type Consumer, type LogFn } from './consumer.js';
import { emptyMetrics, prometheusText, type ConsumerMetrics } from './metrics.js';
import { RejectBuffer } from './rejects.js';
import { RejectIntake } from './reject-intake.js';
import { expired, RotationTimer, type RotationLimits } from './rotation.js';
import { SchemaRegistry } from './schema-registry.js';
import { recoverLake } from './recovery.js';
import type { FileOptions, OpenFile } from './table-writer.js';
import { TableFiles } from './table-files.js';
import { EMPTY_CATALOG, type TableCatalog } from './table-catalog.js';
import { RowIntake } from './row-intake.js';
import { EncodeThreads } from 'cdp-parquet';
import { resolveEncodeWorkers } from './encode-workers.js';
import type { ShardAssignment } from './shard-plan.js';
import { openLakeScope, type ShardSession } from './shard-session.js';
import type { LakeScope } from './shard-scope.js';
import { RunSpan } from './run-span.js';

export interface SaveToParquetDeps {
  /** A store to use instead of the one the config names (tests, shared clients). Not closed by close(). */
  store?: ObjectStore;
  log?: LogFn;
  /** Clock for rotation_interval_minutes and metrics (ms since epoch). */
  now?: () => number;
  /** Directory for staged files larger than the memory budget (default: the OS temp dir). */
  stagingDir?: string;
  /** Base delay of the consumer's upload retries in ms (default 500). */
  retryBaseDelayMs?: number;
  /**
   * Tables with fixed schemas (usually the datasets' catalog, `datasetCatalog()` from
   * cdp-parquet/datasets); any other table gets an inferred schema.
   */
  tables?: TableCatalog;
  /** Run as one shard of a backfill (`cdp-parquet run --shard`): its own state, lease and progress (shard-session.ts). */
  shard?: ShardAssignment;
  /** The shard's lease: lifetime, how long to wait for another holder's to expire, and the wait itself (tests). */
  lease?: { ttlMs?: number; waitMs?: number; sleep?: (ms: number) => Promise<void> };
}

export class SaveToParquet implements Consumer {
  readonly name = 'SaveToParquet';
  private readonly rowIntake: RowIntake;
  private readonly registry: SchemaRegistry;
  private readonly catalog: TableCatalog;
  private readonly rejects = new RejectBuffer();
  private readonly metrics: ConsumerMetrics = emptyMetrics();
  private readonly committer: Committer;
  private readonly limits: RotationLimits;
  private readonly fileOptions: FileOptions;
  private readonly timer: RotationTimer;
  private readonly log: LogFn;
  private readonly now: () => number;
  private readonly subscribers: Consumer[] = [];
  private readonly lane: CommitLane;
  private readonly rejectIntake: RejectIntake;
  private readonly files: TableFiles;
  private readonly span = new RunSpan();
  private chain: Promise<unknown> = Promise.resolve();
  private tickQueued = false;
  private state: 'open' | 'closed' = 'open';
  /**
   * The last ledger seen may be missing messages: the last process/processBatch call failed
   * and nothing was delivered since, or the caller said so (inputInterrupted). close() then
   * does not count it as complete.
   */
  private lastLedgerIncomplete = false;
  /** Set when rows were lost with a file that could not be finished: no more input is taken. */
  private failure: Error | undefined;

  private constructor(
    readonly config: SaveToParquetConfig,
    private readonly store: ObjectStore,
    private readonly ownsStore: boolean,
    deps: SaveToParquetDeps,
    private readonly threads: EncodeThreads | undefined,
    private readonly scope: LakeScope,
    private readonly session: ShardSession | undefined,
  ) {
    const log = deps.log ?? ((level, msg) => (level === 'error' || level === 'warn' ? console.error : console.log)(`[SaveToParquet] ${level}: ${msg}`));
    this.log = (level, msg) => {
      if (level !== 'debug' || config.debug) log(level, msg);
    };
    this.now = deps.now ?? Date.now;
    this.catalog = deps.tables ?? EMPTY_CATALOG;
    this.registry = new SchemaRegistry(this.catalog, config.schema_evolution, config.include_metadata);
    const maxBytes = Math.round(config.max_file_size_mb * 1024 * 1024);
    this.limits = { maxRows: config.buffer_size, maxBytes, intervalMs: config.rotation_interval_minutes * 60_000 };
    this.fileOptions = {
      compression: config.compression,
      // Row groups bound the writer's memory; 32 MiB keeps it flat whatever max_file_size_mb is.
      rowGroupBytes: Math.max(1024 * 1024, Math.min(maxBytes > 0 ? maxBytes : Infinity, 32 * 1024 * 1024)),
      stagingDir: deps.stagingDir ?? join(tmpdir(), 'cdp-parquet-staging'),
      threads,
      lineage: session?.lineage,
    };
    this.committer = new Committer({
      store,
      prefix: config.path_prefix,
      checkpointDir: scope.checkpointDir,
      schemaDir: scope.schemaDir,
      dryRun: config.dry_run,
      log: this.log,
      debug: config.debug,
      metrics: this.metrics,
      now: this.now,
      since: (t) => this.span.since(t.durable),
      uploadPolicy: { maxAttempts: config.upload_attempts, baseDelayMs: deps.retryBaseDelayMs ?? 500, maxDelayMs: 10_000 },
    });
    this.lane = new CommitLane(
      this.committer,
      this.rejects,
      {
        tables: () => this.rowIntake.tables.values(),
        table: (name) => this.rowIntake.table(name),
        completeLedger: () => this.rowIntake.completeLedger,
        checkpointsMoved: () => this.checkpointsMoved(),
      },
      this.log,
    );
    this.rejectIntake = new RejectIntake(
      this.rejects,
      {
        completeLedger: () => this.rowIntake.completeLedger,
        maxLedger: () => this.rowIntake.maxLedger,
        startCheckpoint: (table) => this.rowIntake.tables.get(table)?.startCheckpoint,
        startCheckpoints: () => [...this.rowIntake.tables.values()].flatMap((t) => (t.startCheckpoint === undefined ? [] : [t.startCheckpoint])),
      },
      this.metrics,
      this.log,
      this.now,
    );
    this.files = new TableFiles({
      config,
      limits: this.limits,
      fileOptions: this.fileOptions,
      registry: this.registry,
      now: this.now,
      log: this.log,
      rejected: (rec, reason) => this.rejectIntake.row(rec, reason),
      commit: (file, firstOffered) => this.lane.add(file, firstOffered),
      lost: (table, file, cause) => this.fail(table, file, cause),
    });
    this.rowIntake = new RowIntake({
      config,
      catalog: this.catalog,
      registry: this.registry,
      files: this.files,
      rejects: this.rejectIntake,
      metrics: this.metrics,
      span: this.span,
    });
    this.timer = new RotationTimer(this.limits.intervalMs, () => this.tick());
  }

  /** Validates the config, opens the store, reads checkpoints and cleans up after a crash. */
  static async create(config: Record<string, unknown>, deps: SaveToParquetDeps = {}): Promise<SaveToParquet> {
    const cfg = parseConfig(config);
    const store =
      deps.store ??
      (await openStore({
        url: storeUrlOf(cfg),
        region: cfg.region,
        endpoint: cfg.endpoint,
        force_path_style: cfg.force_path_style,
        max_attempts: cfg.max_attempts,
      }));
    let opened: Awaited<ReturnType<typeof openLakeScope>>;
    try {
      opened = await openLakeScope(store, cfg.path_prefix, deps.shard, {
        leaseTtlMs: deps.lease?.ttlMs,
        leaseWaitMs: deps.lease?.waitMs,
        sleep: deps.lease?.sleep,
        now: deps.now ?? Date.now,
        dryRun: cfg.dry_run,
        log: deps.log ?? (() => undefined),
      });
    } catch (err) {
      if (deps.store === undefined) await store.close?.();
      throw err;
    }
    const { scope, session } = opened;
    // One set of encode threads for the consumer's life: starting threads per file would cost
    // more than they save.
    const workers = resolveEncodeWorkers(cfg.encode_workers);
    const threads = workers > 0 ? await EncodeThreads.start(workers) : undefined;
    const self = new SaveToParquet(cfg, session?.store ?? store, deps.store === undefined, deps, threads, scope, session);
    try {
      await self.recover();
    } catch (err) {
      await threads?.close();
      await session?.close();
      throw err;
    }
    self.timer.start();
    session?.startRenewing((err) => {
      self.failure ??= err;
      self.log('error', err.message);
    });
    self.log(
      'info',
      `writing ${cfg.partition_by} partitions to ${store.describe(cfg.path_prefix || '.')}${cfg.dry_run ? ' (dry_run)' : ''}` +
        (cfg.encode_workers === 'auto' ? `; encode_workers auto: ${workers}` : ''),
    );
    return self;
  }

  private async recover(): Promise<void> {
    await recoverLake({
      store: this.store,
      scope: this.scope,
      dryRun: this.config.dry_run,
      log: this.log,
      registry: this.registry,
      table: (name) => this.rowIntake.table(name),
    });
    this.updateCheckpointMetric();
  }

  /** Last durably stored ledger per table. */
  checkpoints(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.rowIntake.tables.values()) if (t.durable !== undefined) out[t.name] = t.durable.ledger;
    return out;
  }

  /**
   * The ledger a source should resume at: the least advanced table's checkpoint + 1.
   * Undefined means "from your own start": no checkpoint yet, or a table whose checkpoint
   * holds only the intent of its first file (ledger -1: the last run stopped while that file
   * was being stored, and nothing tells where its rows began).
   */
  resumeLedger(): number | undefined {
    const values = Object.values(this.checkpoints());
    const fromCheckpoints = values.length === 0 || values.some((v) => v < 0) ? undefined : Math.min(...values) + 1;
    // A shard also knows where it stands from its progress, tables with rows or not.
    return this.session === undefined ? fromCheckpoints : this.session.resumeLedger(fromCheckpoints);
  }

  subscribe(next: Consumer): void {
    this.subscribers.push(next);
  }

  process(msg: ConsumerMessage | { payload: unknown; metadata?: unknown }): Promise<void> {
    return this.processBatch([msg]);
  }

  /**
   * The same as process() for each message in turn, in one hand-off: a ledger's thousands of
   * rows pass without a promise chain each. If storage fails part way, the messages before
   * the failing one stay accepted and a BatchError says how many were.
   */
  processBatch(msgs: readonly (ConsumerMessage | { payload: unknown; metadata?: unknown })[]): Promise<void> {
    return this.serial(async () => {
      this.assertOpen();
      // The first message whose reject must be written before it counts as accepted.
      let firstAtRisk = Infinity;
      let i = 0;
      try {
        for (; i < msgs.length; i++) {
          // After a failed upload, retry it before taking the next message: a rejected
          // process() has not accepted its message, so the caller may simply send it again.
          const retry = this.lane.retryIfFailed();
          if (retry !== undefined) await retry;
          const more = this.rowIntake.accept(msgs[i]);
          if (more !== undefined) await more;
          if (this.rejectIntake.mustWriteNow) firstAtRisk = Math.min(firstAtRisk, i);
          if (this.rejects.size >= 1000) {
            await this.settleLane();
            firstAtRisk = Infinity;
          }
        }
        if (this.rejectIntake.mustWriteNow) await this.settleLane();
        this.lastLedgerIncomplete = false;
      } catch (err) {
        this.lastLedgerIncomplete = true;
        const accepted = Math.min(i, firstAtRisk);
        throw msgs.length > 1 ? new BatchError(accepted, msgs.length, err) : err;
      }
    }).then(async () => {
      for (const s of this.subscribers) {
        if (s.processBatch !== undefined) await s.processBatch(msgs);
        else for (const m of msgs) await s.process(m);
      }
    });
  }

  /**
   * Declares `ledger` delivered whole (the pipeline host calls it after each ledger). Its rows
   * are sealed into their files now, while they are fresh in memory, instead of when the next
   * ledger's first row proves it complete; ledgers without rows advance current_ledger. A row
   * of this ledger or an earlier one arriving afterwards is rejected as out of order.
   */
  ledgerComplete(ledger: number): Promise<void> {
    return this.serial(async () => {
      this.assertOpen();
      if (!Number.isSafeInteger(ledger) || ledger < 0) throw new TypeError(`ledgerComplete: ledger must be a non-negative integer, got ${String(ledger)}`);
      this.span.note(ledger);
      if (ledger <= this.rowIntake.completeLedger) return;
      await this.lane.retryIfFailed();
      this.lastLedgerIncomplete = false;
      await this.rowIntake.complete(ledger);
    }).then(async () => {
      for (const s of this.subscribers) await s.ledgerComplete?.(ledger);
    });
  }

  /**
   * The input stopped part way through a ledger (the pipeline host calls it when a message
   * source fails or is stopped): close() leaves the last ledger seen out of the files and
   * below the checkpoint, for a restart to replay, instead of storing it as if it were whole.
   */
  inputInterrupted(): void {
    this.lastLedgerIncomplete = true;
  }

  /** Declares every ledger seen so far complete and makes all of it durable. */
  flush(): Promise<void> {
    return this.serial(() => this.flushAll(true));
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.timer.stop();
    // Closing ends the input, so every ledger seen counts as complete, except when the input
    // stopped part way (a failed delivery that nothing followed, inputInterrupted): that
    // ledger may be missing messages, so it stays out and a restart replays it.
    try {
      await this.serial(() => this.flushAll(!this.lastLedgerIncomplete));
    } catch (err) {
      // A failed close can be retried, unless a file was lost: then the consumer is done.
      if (this.failure === undefined) throw err;
    }
    // Only once every file is finished. Idle threads never keep the process alive.
    await this.threads?.close();
    this.state = 'closed';
    await this.session?.close();
    if (this.ownsStore) await this.store.close?.();
    const m = this.metrics;
    this.log('info', `closed: ${m.files_written} files, ${m.records_written} rows, ${m.bytes_written} bytes, ${m.rejected_records} rejected`);
    if (this.failure) throw this.failure;
  }

  getMetrics(): ConsumerMetrics {
    let buffered = 0;
    let open = 0;
    for (const t of this.rowIntake.tables.values()) {
      buffered += (t.pending?.rows.length ?? 0) + (t.open?.rows ?? 0);
      if (t.open !== undefined) open++;
    }
    let uploading = 0;
    for (const u of this.lane.waiting) {
      if (u.uploaded) continue;
      buffered += u.file.rows;
      uploading++;
    }
    this.metrics.files_uploading = uploading;
    this.metrics.records_buffered = buffered;
    this.metrics.open_files = open;
    this.metrics.current_ledger = Math.max(0, this.rowIntake.maxLedger);
    return { ...this.metrics };
  }

  prometheusMetrics(): string {
    this.getMetrics();
    return prometheusText(this.metrics, this.name);
  }

  /** Stores every complete ledger (with `declareAll`, every ledger seen counts as complete). */
  private async flushAll(declareAll: boolean): Promise<void> {
    await this.lane.drain();
    if (declareAll) this.rowIntake.completeLedger = Math.max(this.rowIntake.completeLedger, this.rowIntake.maxLedger);
    // Once a file is lost the consumer only closes: a table whose flush fails too does not
    // stop the others from being stored (less to replay), and the loss is thrown at the end.
    let lost: unknown;
    const step = async (work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (err) {
        if (this.failure === undefined) throw err;
        lost ??= err;
      }
    };
    for (const t of this.rowIntake.tables.values()) {
      const p = t.pending;
      if (p === undefined) continue;
      if (p.ledger <= this.rowIntake.completeLedger) await step(() => this.files.seal(t));
      else
        this.log(
          'warn',
          `${t.name}: ledger ${p.ledger} was not declared complete (ledgerComplete), so its ${p.rows.length} rows are not stored; a restart replays it`,
        );
    }
    for (const t of this.rowIntake.tables.values()) await step(() => this.files.rotate(t, 'flush'));
    // Files finishing in the background (encode threads) join the lane before its last round;
    // a loss among them was reported through fail().
    for (const t of this.rowIntake.tables.values()) await this.files.settled(t);
    if (this.failure !== undefined) lost ??= this.failure;
    await this.settleLane();
    if (lost !== undefined) throw lost;
  }

  private tick(): void {
    if (this.tickQueued || this.state !== 'open') return;
    this.tickQueued = true;
    this.serial(async () => {
      this.tickQueued = false;
      if (this.state !== 'open') return;
      await this.lane.retryIfFailed();
      const now = this.now();
      for (const t of this.rowIntake.tables.values()) {
        if (t.open !== undefined && expired(t.open, now, this.limits))
          await this.files.rotate(t, `rotation_interval_minutes ${this.config.rotation_interval_minutes}`);
      }
      if (this.rejects.size > 0) await this.settleLane();
    }).catch((err: unknown) => {
      // After a lost file (reported by fail()) nothing is retried; otherwise the next call retries.
      if (this.failure === undefined) this.log('error', `timed rotation failed (kept for retry): ${(err as Error).message}`);
    });
  }

  // ---- plumbing ----

  /** A checkpoint round on the lane; it writes every reject due, urgent ones included. */
  private async settleLane(): Promise<void> {
    await this.lane.settle();
    this.rejectIntake.written();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error('SaveToParquet is closed');
    if (this.failure) throw new Error(`SaveToParquet takes no more input after a failure: ${this.failure.message}`, { cause: this.failure });
    try {
      this.session?.check();
    } catch (err) {
      // The shard's lease is gone: another process may be running it. Nothing more is
      // written (LeaseGuardedStore); close() only lets go.
      this.failure ??= err as Error;
      throw err;
    }
  }

  /**
   * A file could not be finished (TableFiles.finishAndCommit): its rows are gone, and only a
   * replay brings them back. The table's checkpoints stay below the file's first ledger;
   * everything else already accepted is still stored by close(), which then throws, so the
   * host stops and a restart resumes at or before those ledgers.
   */
  private fail(table: string, file: OpenFile, cause: unknown): Error {
    const range = file.first >= 0 ? `ledgers ${file.first}-${file.last}` : `from ledger ${file.firstOffered}`;
    const err = new Error(
      `the ${table} file of ${range} (${file.rows} rows) could not be written: ${(cause as Error)?.message ?? String(cause)}; ` +
        `checkpoints stay below ledger ${file.firstOffered}, so a restart replays it`,
      { cause },
    );
    this.failure ??= err;
    this.log('error', err.message);
    return err;
  }

  /**
   * After a checkpoint round: the metric, and a shard's progress, which is the last ledger
   * stored for every table: complete, and at or below every table's checkpoint.
   */
  private async checkpointsMoved(): Promise<void> {
    this.updateCheckpointMetric();
    if (this.session === undefined) return;
    let done = this.rowIntake.completeLedger;
    for (const t of this.rowIntake.tables.values()) done = Math.min(done, t.durable?.ledger ?? -1);
    await this.session.advance(done);
  }

  private updateCheckpointMetric(): void {
    const r = this.resumeLedger();
    this.metrics.checkpoint_ledger = r === undefined ? 0 : r - 1;
  }
}
