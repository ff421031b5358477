/**
 * What SaveToParquet keeps per table: the rows of the ledger not yet known complete
 * (`pending`), the open file they are sealed into, and the checkpoint bookkeeping the
 * Committer reads (TableCheckpointState).
 */
import type { TableCheckpointState } from './committer.js';
import type { OpenFile, PendingRow } from './table-writer.js';
import type { TableDef } from './tables/table-def.js';

export interface Pending { ledger: number; closeTimeMs: number | undefined; rows: PendingRow[]; parts: number }

export class TableState implements TableCheckpointState {
  pending: Pending | undefined;
  open: OpenFile | undefined;
  durable: TableCheckpointState['durable'];
  pendingFiles: TableCheckpointState['pendingFiles'] = [];
  /** Checkpoint found at create(): messages at or below it were stored by an earlier run. */
  startCheckpoint: number | undefined;

  constructor(readonly name: string, readonly def: TableDef | undefined) {}

  lowestUncommitted(): number | undefined {
    const a = this.pending?.ledger;
    const b = this.open !== undefined && this.open.firstOffered >= 0 ? this.open.firstOffered : undefined;
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }
}
