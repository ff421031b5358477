// The dataset processors as the tests build them: the pipeline's DatasetProcessor with plain options.
import { DatasetProcessor } from '../../src/pipeline/processors/dataset-processor.js';
import { contractData, type ContractDataRow } from '../../src/datasets/contract-data.js';
import { contractEvents, type ContractEventRow } from '../../src/datasets/contract-events.js';
import { optionsFrom, type ProfileName } from '../../src/datasets/dataset.js';
import type { DecodeMode } from '../../src/stellar/extract.js';

export interface ProcessorOptions {
  networkPassphrase?: string;
  includeEvictions?: boolean;
  decode?: DecodeMode;
  profile?: ProfileName;
}

export function contractDataProcessor(o: ProcessorOptions = {}): DatasetProcessor<ContractDataRow> {
  return new DatasetProcessor<ContractDataRow>(contractData, { profile: o.profile ?? 'default', networkPassphrase: o.networkPassphrase, options: optionsFrom({ include_evictions: o.includeEvictions }), decode: o.decode });
}

export function contractEventsProcessor(o: ProcessorOptions = {}): DatasetProcessor<ContractEventRow> {
  return new DatasetProcessor<ContractEventRow>(contractEvents, { profile: o.profile ?? 'default', networkPassphrase: o.networkPassphrase, options: optionsFrom({}), decode: o.decode });
}
