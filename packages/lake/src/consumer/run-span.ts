/**
 * Which ledgers a table's checkpoint vouches for: from `since` to `ledger`. A run starts
 * where the source starts (or resumes); its first ledger becomes `since` unless it continues
 * an earlier run's stretch (it starts at or before that checkpoint + 1), which keeps the
 * earlier `since`. A run that starts past a gap begins a new stretch: the ledgers of the gap
 * were never processed, and `verify` must not count them as processed.
 */
import type { Checkpoint } from './checkpoint.js';

export class RunSpan {
  private first: number | undefined;

  /**
   * A ledger this run was given (a message's or a completed one's). Only the first counts:
   * input arrives in ledger order, and a stray earlier row later on is refused as out of
   * order, so it must not stretch the run back.
   */
  note(ledger: number): void {
    this.first ??= ledger;
  }

  /** The `since` to record with a checkpoint that was at `durable` before. */
  since(durable: Checkpoint | undefined): number | undefined {
    if (durable?.since !== undefined && this.first !== undefined && this.first <= durable.ledger + 1) return durable.since;
    return this.first;
  }
}
