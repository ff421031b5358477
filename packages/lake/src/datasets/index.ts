// Public API of the dataset definitions (loads @stellar/stellar-sdk).
export { col, defineColumns, type Column, type ColumnInfo, type Columns, type ColumnsSpec, type RowOf, type RowOfSpec } from './columns.js';
export {
  PROFILES,
  defineTable,
  closeTimeUs,
  optionsFrom,
  type Dataset,
  type DatasetOption,
  type Extractor,
  type ExtractorSettings,
  type OptionReader,
  type ProfileName,
  type TableDefinition,
  type AnyRow,
} from './dataset.js';
export { DATASETS, allTables, datasetCatalog, datasetOfProcessor, isProfile } from './registry.js';
export { contractData, contractDataDefault, type ContractDataRow } from './contract-data.js';
export { contractDataHubble, type HubbleContractDataRow } from './contract-data-hubble.js';
export { ttl, ttlDefault, ttlHubble, type TtlRow, type HubbleTtlRow } from './ttl.js';
export { contractCode, contractCodeDefault, contractCodeHubble, type ContractCodeRow, type HubbleContractCodeRow } from './contract-code.js';
export { contractEvents, contractEventsDefault, type ContractEventRow } from './contract-events.js';
export { contractEventsHubble, type HubbleContractEventRow } from './contract-events-hubble.js';
export { assetDetails } from './asset-details.js';
export { tokenTransfers, tokenTransfersDefault, tokenTransfersHubble, tokenTransferRow, type TokenTransferRow } from './token-transfers.js';
export { rowToJson, isoFromMicros } from './json-row.js';
export { datasetsReference, typeText } from './reference.js';
// Token transfer events without a table, for programs that want the events themselves.
export {
  tokenTransferEvents,
  verifyTokenTransfers,
  TokenTransferError,
  TokenTransferMismatchError,
  TOKEN_TRANSFER_KINDS,
  type MuxedInfo,
  type SkippedEvent,
  type TokenAsset,
  type TokenTransferEvent,
  type TokenTransferKind,
  type TokenTransferOptions,
  type TokenTransferResult,
  type TokenTransferMismatch,
} from '../stellar/token-transfer/index.js';
export { XdrDecodeError } from '../stellar/decode-error.js';
