/**
 * Pipeline-only entry point: everything here may load @stellar/stellar-sdk (an optional
 * dependency), so the core Parquet library must not import this module.
 */
export type { MessageMetadata, PipelineMessage } from './message.js';
export { closeTimeToIso } from './message.js';
export type { ObjectInfo, ObjectReader } from './source/object-reader.js';
export { ObjectNotFoundError, isNotFoundError } from './source/object-reader.js';
export { FsObjectReader } from './source/fs-object-reader.js';
export type { DataLakeSchema } from './source/galexie-layout.js';
export { GalexieLayout, parseDataLakeSchema, readDataLakeSchema, parseObjectKey, DEFAULT_SCHEMA } from './source/galexie-layout.js';
export type { LedgerRecord, LedgerHeaderPeek } from '../stellar/ledger-record.js';
export { ledgerRecordFromBytes, ledgerRecordFromMeta, peekLedgerHeader } from '../stellar/ledger-record.js';
export type { DecodedBatch } from './source/batch-decode.js';
export { decodeLedgerBatch } from './source/batch-decode.js';
export { readLedgerStream, readXdrStreamRecords } from './source/xdr-stream.js';
export { zstdDecompress, scanZstdFrames, type ZstdFrame } from './source/zstd.js';
export type { DataLakeSourceOptions, DataLakeSourceStats } from './source/datalake-source.js';
export { DataLakeSource, LedgerMissingError } from './source/datalake-source.js';
export type { LedgerProcessor } from './processors/processor.js';
export { DatasetProcessor } from './processors/dataset-processor.js';
export type { JsonValue } from '../stellar/scval-json.js';
export { scValToJson, scValToJsonText, scAddressToString } from '../stellar/scval-json.js';
export { eventId, toid } from '../stellar/toid.js';
export type { DecodeMode } from '../stellar/extract.js';
export { extractLedger } from '../stellar/extract.js';
export type {
  ExtractedLedger,
  ExtractedTx,
  DataChange,
  DataEntryImage,
  EventItem,
  CodeChange,
  CodeCostInputs,
  TtlChange,
  DiagnosticItem,
} from '../stellar/extracted.js';
export { loadZstdWasm, type WasmZstd } from './source/zstd.js';
