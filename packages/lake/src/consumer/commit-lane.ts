/**
 * The commit lane: finished files wait here for their commit (committer.ts), which runs in
 * the background while the message flow fills the next files; uploads mostly wait on an
 * fsync or the network, so the two overlap. Files commit in order, in groups of those
 * waiting together, each group followed by a checkpoint round.
 *
 * Every checkpoint round runs on the lane, never beside it: two rounds at once could
 * checkpoint past rejects the other has taken but not yet written. The message flow only
 * waits for the lane when more than MAX_UNSAVED_FILES (or MAX_UNSAVED_BYTES) are waiting
 * (backpressure), when the last run failed (the next message retries it first, so a
 * storage outage stops the flow before a message is accepted), and on flush and close.
 */
import { settleAll, type Committer, type UnsavedFile } from './committer.js';
import type { LogFn } from './consumer.js';
import type { RejectBuffer } from './rejects.js';
import type { FinishedFile } from './table-writer.js';
import type { TableState } from './table-state.js';

/**
 * Finished files, and their bytes, that may wait for their commit before the message flow
 * waits for them. Enough files that a busy flow does not stall on a store's latency: even on
 * local FS each step of a commit waits for a turn of a busy event loop, so a short queue fills
 * while a commit is under way and the flow stops. The byte bound keeps large files
 * (staged in memory up to 16 MiB each) from piling up.
 */
export const MAX_UNSAVED_FILES = 16;
export const MAX_UNSAVED_BYTES = 64 * 1024 * 1024;

/** What the lane reads of the consumer's state, at the moment it computes a checkpoint. */
export interface LaneState {
  tables(): Iterable<TableState>;
  table(name: string): TableState;
  /** Every ledger at or below it has been seen whole. */
  completeLedger(): number;
  /** After each checkpoint round (metrics, a shard's progress). */
  checkpointsMoved(): void | Promise<void>;
}

export class CommitLane {
  private readonly unsaved: UnsavedFile[] = [];
  /** The current run, if one is going; callers arriving during it share it. */
  private running: Promise<void> | undefined;
  private lastRunFailed = false;

  constructor(
    private readonly committer: Committer,
    private readonly rejects: RejectBuffer,
    private readonly state: LaneState,
    private readonly log: LogFn,
  ) {}

  /** Files finished and not yet uploaded (buffered rows for the metrics). */
  get waiting(): readonly UnsavedFile[] {
    return this.unsaved;
  }

  /**
   * Queues a finished file. The caller must not await between taking the file out of the
   * table (TableState.finishing) and this call, so the file is always counted somewhere.
   */
  async add(file: FinishedFile, firstOffered: number): Promise<void> {
    this.unsaved.push({ file, firstOffered, uploaded: false, rejectsTaken: false, schemaWritten: false });
    const run = this.drain().catch((err: unknown) => this.log('debug', `background commit failed, retried before the next message: ${(err as Error).message}`));
    // Backpressure, without failing the message that finished this file: its rows are safe
    // in the queue, and a failed run is retried (and reported) before the next message.
    if (this.full) await run;
  }

  /** More files (or bytes) wait than the flow lets wait: add() then waits for the lane. */
  get full(): boolean {
    return this.unsaved.length > MAX_UNSAVED_FILES || this.unsavedBytes() > MAX_UNSAVED_BYTES;
  }

  private unsavedBytes(): number {
    let bytes = 0;
    for (const u of this.unsaved) if (!u.uploaded) bytes += u.file.bytes;
    return bytes;
  }

  /** Commits everything waiting; rejects (keeping the files) while storage fails. */
  drain(): Promise<void> {
    if (this.running === undefined && this.unsaved.length > 0) this.running = this.run();
    return this.running ?? Promise.resolve();
  }

  /**
   * After a failed run, runs again (rejecting while storage still fails); otherwise
   * undefined, so the message flow awaits nothing (and allocates nothing) per message.
   */
  retryIfFailed(): Promise<void> | undefined {
    return this.lastRunFailed ? this.drain() : undefined;
  }

  /** Waits for the lane, then runs a checkpoint round (rejects due, checkpoints that can move). */
  async settle(): Promise<void> {
    await this.drain();
    await this.checkpointRound();
  }

  private async run(): Promise<void> {
    try {
      while (this.unsaved.length > 0) {
        const group = this.unsaved.slice();
        await this.committer.commitGroup(group, (name) => this.state.table(name), this.rejects);
        await this.checkpointRound();
        this.unsaved.splice(0, group.length);
      }
      this.lastRunFailed = false;
    } catch (err) {
      this.lastRunFailed = true;
      throw err;
    } finally {
      // Reached with no await after the loop's last check: a file queued from now on starts a new run.
      this.running = undefined;
    }
  }

  private async checkpointRound(): Promise<void> {
    const complete = this.state.completeLedger();
    await this.committer.writeRejects(this.rejects, complete);
    // A table without a checkpoint does not count in resumeLedger, so tables get their first
    // checkpoint before any other table's moves past their rows; within each phase the
    // writes go side by side.
    const tables = [...this.state.tables()];
    const notUploaded = this.unsaved.filter((u) => !u.uploaded);
    for (const first of [true, false]) {
      const writes: Promise<void>[] = [];
      for (const t of tables) {
        if ((t.durable === undefined) !== first) continue;
        const safe = this.committer.safeLedger(t, complete, notUploaded, this.rejects);
        if (safe < 0) continue;
        const stale = t.durable === undefined || safe > t.durable.ledger || t.pendingFiles.some((p) => p.last <= safe);
        if (stale) writes.push(this.committer.writeCheckpoint(t, safe));
      }
      await settleAll(writes);
    }
    await this.state.checkpointsMoved();
  }
}
