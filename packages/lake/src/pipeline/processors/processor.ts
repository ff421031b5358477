import type { PipelineMessage } from '../message.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';

/**
 * A ledger extractor: sees every ledger and turns it into rows for one table. Synchronous
 * on purpose: extraction is pure CPU over an in-memory ledger, and a host can batch or
 * await consumers around it.
 */
export interface LedgerProcessor {
  /** Component type name as used in pipeline YAML, e.g. "ContractData". */
  readonly name: string;
  /** Table the rows belong to, e.g. "contract_data". */
  readonly table: string;
  process(ledger: LedgerRecord): PipelineMessage[];
  /** Optional counters for metrics (e.g. events skipped). */
  counters?(): Record<string, number>;
}
