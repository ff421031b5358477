// The dataset processors as the tests build them: the pipeline's DatasetProcessor with plain options.
import { DatasetProcessor } from '../../packages/lake/src/pipeline/processors/dataset-processor.js';
import { contractData, type ContractDataRow } from '../../packages/lake/src/datasets/contract-data.js';
import { contractEvents, type ContractEventRow } from '../../packages/lake/src/datasets/contract-events.js';
import { ttl, type TtlRow } from '../../packages/lake/src/datasets/ttl.js';
import { contractCode, type ContractCodeRow } from '../../packages/lake/src/datasets/contract-code.js';
import { optionsFrom, type AnyRow, type ProfileName } from '../../packages/lake/src/datasets/dataset.js';
import type { DecodeMode } from '../../packages/lake/src/stellar/extract.js';

export interface ProcessorOptions {
  networkPassphrase?: string;
  includeEvictions?: boolean;
  decode?: DecodeMode;
  profile?: ProfileName;
}

/** Rows are ContractDataRow, or HubbleContractDataRow with profile 'hubble' (the type argument). */
export function contractDataProcessor<R extends AnyRow = ContractDataRow>(o: ProcessorOptions = {}): DatasetProcessor<R> {
  return new DatasetProcessor<R>(contractData, {
    profile: o.profile ?? 'default',
    networkPassphrase: o.networkPassphrase,
    options: optionsFrom({ include_evictions: o.includeEvictions }),
    decode: o.decode,
  });
}

export function contractEventsProcessor(o: ProcessorOptions = {}): DatasetProcessor<ContractEventRow> {
  return new DatasetProcessor<ContractEventRow>(contractEvents, {
    profile: o.profile ?? 'default',
    networkPassphrase: o.networkPassphrase,
    options: optionsFrom({}),
    decode: o.decode,
  });
}

/** Rows are TtlRow, or HubbleTtlRow with profile 'hubble' (the type argument). */
export function ttlProcessor<R extends AnyRow = TtlRow>(o: ProcessorOptions = {}): DatasetProcessor<R> {
  return new DatasetProcessor<R>(ttl, { profile: o.profile ?? 'default', networkPassphrase: o.networkPassphrase, options: optionsFrom({}), decode: o.decode });
}

/** Rows are ContractCodeRow, or HubbleContractCodeRow with profile 'hubble' (the type argument). */
export function contractCodeProcessor<R extends AnyRow = ContractCodeRow>(o: ProcessorOptions = {}): DatasetProcessor<R> {
  return new DatasetProcessor<R>(contractCode, {
    profile: o.profile ?? 'default',
    networkPassphrase: o.networkPassphrase,
    options: optionsFrom({}),
    decode: o.decode,
  });
}
