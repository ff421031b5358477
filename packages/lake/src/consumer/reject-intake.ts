/**
 * How the message flow files rejects (rows or messages that cannot be stored) into the
 * RejectBuffer, with the ledger each is filed under, and which of them must be written
 * before the message that brought it counts as accepted.
 */
import type { LogFn } from './consumer.js';
import type { RejectError, InputRecord } from './message-input.js';
import type { ConsumerMetrics } from './metrics.js';
import type { RejectBuffer } from './rejects.js';

/** What the intake reads of the consumer's state. */
export interface RejectFlowState {
  /** Every ledger at or below it has been seen whole. */
  completeLedger(): number;
  /** The newest ledger seen. */
  maxLedger(): number;
  /** The checkpoint `table` started from, if it has one; else undefined. */
  startCheckpoint(table: string): number | undefined;
  /** The start checkpoints of every table that has one. */
  startCheckpoints(): number[];
}

export class RejectIntake {
  /**
   * A reject was filed at or below the complete ledger: a checkpoint may already be at (or
   * on its way to) its ledger, so nothing holds the checkpoint back for it.
   */
  private urgent = false;

  constructor(
    private readonly buffer: RejectBuffer,
    private readonly flow: RejectFlowState,
    private readonly metrics: ConsumerMetrics,
    private readonly log: LogFn,
    private readonly now: () => number,
  ) {}

  /** True while a reject waits that must be written before its message counts as accepted. */
  get mustWriteNow(): boolean {
    return this.urgent;
  }

  /** The rejects due were written (a checkpoint round ran). */
  written(): void {
    this.urgent = false;
  }

  /** A row of a known table and ledger; filed under `fileLedger` (its own ledger by default). */
  row(rec: InputRecord, reason: string, fileLedger = rec.ledger): void {
    this.file(rec.table, rec.ledger, fileLedger, reason, rec, `rejected ${rec.table} row of ledger ${rec.ledger}: ${reason}`);
  }

  /** A message that could not be read as a row (no table, no ledger, bad payload). */
  unrouted(msg: unknown, err: RejectError): void {
    const table = err.table ?? '_unknown';
    // Dropped on replay like the rows of its table; with no table, below every table's checkpoint.
    const starts = this.flow.startCheckpoints();
    const floor = this.flow.startCheckpoint(table) ?? (starts.length > 0 ? Math.min(...starts) : -1);
    if (err.ledger !== undefined && err.ledger <= floor) {
      this.metrics.duplicate_records_dropped++;
      return;
    }
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { payload?: unknown; metadata?: unknown };
    const fileLedger = Math.max(err.ledger ?? -1, this.flow.maxLedger(), 0);
    this.file(table, err.ledger, fileLedger, err.reason, m, `rejected message: ${err.reason}`);
  }

  private file(
    table: string,
    ledger: number | undefined,
    fileLedger: number,
    reason: string,
    msg: { payload?: unknown; metadata?: unknown },
    logLine: string,
  ): void {
    this.note(fileLedger);
    this.buffer.add({ table, ledger, fileLedger, reason, payload: msg.payload, metadata: msg.metadata, rejected_at: this.timestamp() });
    this.metrics.rejected_records++;
    this.log('debug', logLine);
  }

  /**
   * Checkpoints never pass the complete ledger, and one below a reject's ledger waits for it
   * (Committer.safeLedger), but one at or above it may have been computed already: an out
   * of order row, or a bad message after ledgerComplete. Such a reject is written at once.
   */
  private note(fileLedger: number): void {
    if (fileLedger <= this.flow.completeLedger()) this.urgent = true;
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }
}
