/**
 * What SaveToParquet keeps per table: the rows of the ledger not yet known complete
 * (`pending`), the open file they are sealed into, and the checkpoint bookkeeping the
 * Committer reads (TableCheckpointState).
 */
import type { TableCheckpointState } from './committer.js';
import type { OpenFile, PendingRow } from './table-writer.js';
import type { FixedTable } from './schema-registry.js';
import type { ParquetWriter } from 'cdp-parquet';
import { DictionaryMemory } from './dictionary-memory.js';
import type { FileMetaData } from 'cdp-parquet/footer';

export interface Pending {
  ledger: number;
  closeTimeMs: number | undefined;
  rows: PendingRow[];
  parts: number;
}

export class TableState implements TableCheckpointState {
  pending: Pending | undefined;
  open: OpenFile | undefined;
  durable: TableCheckpointState['durable'];
  pendingFiles: TableCheckpointState['pendingFiles'] = [];
  /**
   * First ledgers of files being finished (closed into their staged bytes): between leaving
   * `open` and joining the unsaved queue they are still uncommitted, and a checkpoint round
   * running in the background meanwhile must not pass them.
   */
  readonly finishing: number[] = [];
  /**
   * Files finishing in the background (their pages with encode threads, see
   * TableFiles.finishAndCommit), chained so that they reach the commit lane in order; never
   * rejects (a failure is reported through TableFilesDeps.lost).
   */
  finishQueue: Promise<void> = Promise.resolve();
  /** How many files are in finishQueue. */
  finishesInFlight = 0;
  /** The writer of the table's last finished file, for its next file to reset (built-in tables). */
  spareWriter: ParquetWriter | undefined;
  /** Which columns' dictionaries paid in the table's earlier files (built-in tables). */
  readonly dictionaries = new DictionaryMemory();
  /** Files opened so far, numbering them for `verdicts`. */
  filesOpened = 0;
  /** Footers of finished files not yet learnt by `dictionaries` (see TableFiles.columnsFor). */
  readonly verdicts: { file: number; footer: FileMetaData; judged: boolean }[] = [];
  /** Checkpoint found at create(): messages at or below it were stored by an earlier run. */
  startCheckpoint: number | undefined;

  /** The table's definition from the catalog (undefined: inferred); known once `bound`. */
  fixed: FixedTable | undefined;
  /**
   * Whether `fixed` is settled. A table's state may exist before its first message (recovery
   * reads its checkpoint); the first message's profile then chooses its definition.
   */
  bound = false;

  constructor(readonly name: string) {}

  bind(fixed: FixedTable | undefined): void {
    this.fixed = fixed;
    this.bound = true;
  }

  lowestUncommitted(): number | undefined {
    let min = this.pending?.ledger ?? Infinity;
    if (this.open !== undefined && this.open.firstOffered >= 0) min = Math.min(min, this.open.firstOffered);
    for (const f of this.finishing) min = Math.min(min, f);
    return min === Infinity ? undefined : min;
  }
}
