import type { AnyRow, Dataset, Extractor, ExtractorSettings, ProfileName } from '../../datasets/dataset.js';
import type { PipelineMessage } from '../message.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import type { LedgerProcessor } from './processor.js';

/**
 * A dataset's extractor as a pipeline processor: each ledger's rows become messages for the
 * dataset's table in the chosen profile, with the ledger and its close time in the metadata.
 */
export class DatasetProcessor<Row extends AnyRow = AnyRow> implements LedgerProcessor {
  readonly name: string;
  readonly table: string;
  readonly profile: ProfileName;
  private readonly extractor: Extractor<Row>;

  constructor(dataset: Dataset, settings: ExtractorSettings) {
    if (dataset.open === undefined) throw new Error(`${dataset.processor} has no ledger extractor`);
    this.extractor = dataset.open(settings) as Extractor<Row>;
    this.name = dataset.processor;
    this.table = this.extractor.table.name;
    this.profile = settings.profile;
  }

  /** The extractor's counters (e.g. events it skipped), for metrics. */
  counters(): Record<string, number> {
    return this.extractor.counters?.() ?? {};
  }

  /** The ledger's rows, in the writer's value types. */
  rows(ledger: LedgerRecord): Row[] {
    return this.extractor.extract(ledger);
  }

  process(ledger: LedgerRecord): PipelineMessage[] {
    const rows = this.extractor.extract(ledger);
    const metadata = {
      table: this.table,
      processor: this.name,
      ...(this.profile !== 'default' ? { profile: this.profile } : {}),
      ledger_sequence: ledger.sequence,
      ledger_close_time: ledger.closeTime,
    };
    // Rows of one ledger share one metadata object: consumers only read it.
    return rows.map((payload) => ({ payload, metadata }));
  }
}
