/**
 * Contract code: changes of CONTRACT_CODE ledger entries (uploaded Wasm), with the cost
 * inputs core stores in the entry's v1 extension (protocol 21 on). The Wasm itself is not
 * kept, as stellar-etl does not keep it.
 *
 * default profile (table contract_code): one row per change, as the default contract_data;
 * cost inputs are null without the v1 extension; a removal shows the STATE image before it.
 * hubble profile (table contract_code): stellar-etl's ContractCodeOutput, compacted per
 * ledger (see change-compactor.ts); cost inputs are 0 without the v1 extension.
 */
import type { DecodeMode } from '../stellar/extract.js';
import type { CodeChange, ExtractedTx } from '../stellar/extracted.js';
import type { ListedChange } from '../stellar/change-pairs.js';
import { codeKeying, codeLedgerKey } from '../stellar/ledger-keys.js';
import { toHex } from '../stellar/buffer-view.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { defineTable, type Dataset, type Extractor } from './dataset.js';
import { compactedExtractor, perChangeExtractor } from './entry-change-extractors.js';
import { changeColumns, hubbleChangeColumns } from './entry-change-columns.js';

const cost = (what: string) => col.nullable(col.uint32(`${what} (v1 extension's cost inputs; null without it)`));

const defaultColumns = defineColumns({
  contract_code_hash: col.string('Hex SHA-256 of the Wasm'),
  contract_code_ext_v: col.nullable(col.int32('ContractCodeEntry extension: 0, or 1 with cost inputs (null for a removal without its STATE image)')),
  n_instructions: cost('Wasm instructions'),
  n_functions: cost('Functions'),
  n_globals: cost('Globals'),
  n_table_entries: cost('Table entries'),
  n_types: cost('Types'),
  n_data_segments: cost('Data segments'),
  n_elem_segments: cost('Element segments'),
  n_imports: cost('Imports'),
  n_exports: cost('Exports'),
  n_data_segment_bytes: cost('Bytes in data segments'),
  ...changeColumns,
  ledger_key_hash: col.string("Hex SHA-256 of the LedgerKey XDR (the key_hash of the entry's TTL)"),
  ledger_entry_change: col.int32('LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored'),
});
export type ContractCodeRow = RowOf<typeof defaultColumns>;

export const contractCodeDefault = defineTable({
  name: 'contract_code',
  version: '1',
  profile: 'default',
  rowMeaning: 'One change of a contract-code entry in a transaction.',
  columns: defaultColumns,
});

const hubbleCost = (what: string) => col.int64(`${what} (v1 extension's cost inputs; 0 without it)`);

const hubbleColumns = defineColumns({
  contract_code_hash: col.string('Hex SHA-256 of the Wasm'),
  contract_code_ext_v: col.int64('ContractCodeEntry extension: 0, or 1 with cost inputs'),
  ...hubbleChangeColumns,
  ledger_key_hash: col.string("Hex SHA-256 of the LedgerKey XDR (the key_hash of the entry's TTL)"),
  n_instructions: hubbleCost('Wasm instructions'),
  n_functions: hubbleCost('Functions'),
  n_globals: hubbleCost('Globals'),
  n_table_entries: hubbleCost('Table entries'),
  n_types: hubbleCost('Types'),
  n_data_segments: hubbleCost('Data segments'),
  n_elem_segments: hubbleCost('Element segments'),
  n_imports: hubbleCost('Imports'),
  n_exports: hubbleCost('Exports'),
  n_data_segment_bytes: hubbleCost('Bytes in data segments'),
  ledger_key_hash_base_64: col.string('The LedgerKey as base64 XDR (not a hash, despite the name)'),
});
export type HubbleContractCodeRow = RowOf<typeof hubbleColumns>;

export const contractCodeHubble = defineTable({
  name: 'contract_code',
  version: '1',
  profile: 'hubble',
  rowMeaning: 'One contract-code entry changed in a ledger, in its final state in that ledger.',
  columns: hubbleColumns,
});

/** The cost-input columns in ContractCodeCostInputs field order (CodeChange.costInputs). */
const COST_COLUMNS = [
  'n_instructions',
  'n_functions',
  'n_globals',
  'n_table_entries',
  'n_types',
  'n_data_segments',
  'n_elem_segments',
  'n_imports',
  'n_exports',
  'n_data_segment_bytes',
] as const;
type CostColumns = Record<(typeof COST_COLUMNS)[number], number>;

function costColumns(inputs: readonly number[] | null, absent: number): CostColumns;
function costColumns(inputs: readonly number[] | null, absent: null): Record<keyof CostColumns, number | null>;
function costColumns(inputs: readonly number[] | null, absent: number | null): Record<keyof CostColumns, number | null> {
  const out = {} as Record<keyof CostColumns, number | null>;
  COST_COLUMNS.forEach((name, i) => {
    out[name] = inputs ? inputs[i]! : absent;
  });
  return out;
}

const listed = (tx: ExtractedTx): readonly ListedChange<CodeChange>[] => tx.codeChanges.map((c) => ({ change: c.change, entry: c }));

const defaultContractCode = (decode: DecodeMode | undefined): Extractor<ContractCodeRow> =>
  perChangeExtractor(contractCodeDefault, decode, { listed, keying: codeKeying }, (c, deleted, at) => ({
    contract_code_hash: toHex(c.listed.hash),
    contract_code_ext_v: c.entry?.extV ?? null,
    ...costColumns(c.entry?.costInputs ?? null, null),
    last_modified_ledger: c.entry?.lastModified ?? null,
    deleted,
    ledger_sequence: at.sequence,
    closed_at: at.closedAt,
    ledger_key_hash: c.listed.keyHash,
    ledger_entry_change: c.type,
  }));

const hubbleContractCode = (decode: DecodeMode | undefined): Extractor<HubbleContractCodeRow> =>
  compactedExtractor(contractCodeHubble, decode, { listed, rules: codeKeying }, (entry, change, deleted, at) => ({
    contract_code_hash: toHex(entry.hash),
    contract_code_ext_v: entry.extV!,
    last_modified_ledger: entry.lastModified!,
    ledger_entry_change: change,
    deleted,
    closed_at: at.closedAt,
    ledger_sequence: at.sequence,
    ledger_key_hash: entry.keyHash,
    ...costColumns(entry.costInputs, 0),
    ledger_key_hash_base_64: codeLedgerKey(entry).toString('base64'),
  }));

export const contractCode: Dataset = {
  processor: 'ContractCode',
  processorAliases: ['ContractCodeProcessor'],
  description: 'Changes of contract-code entries: uploaded Wasm and its cost inputs.',
  options: [],
  tables: { default: contractCodeDefault, hubble: contractCodeHubble },
  open: (s) => (s.profile === 'hubble' ? hubbleContractCode(s.decode) : defaultContractCode(s.decode)),
};
