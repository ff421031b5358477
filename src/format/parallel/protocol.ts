/**
 * Messages between the ParquetWriter (main thread) and its encode workers. Everything here
 * is structured-cloneable; page contents travel in the transfer list: value bytes as the
 * page buffer's own allocation when it is well filled (see takeBytes), everything else as
 * copies of the used part, so the worker receives the arrays without a second copy.
 */
import type { ByteWriter } from '../../encoding/byte-writer.js';
import type { ColumnMetaData, ColumnIndex, OffsetIndex } from '../thrift/parquet-metadata.js';
import type { FieldSpec } from '../schema/types.js';
import type { ColumnWriterOptions } from '../column/column-writer.js';
import type { BloomFilterSettings } from '../bloom/bloom-filter-builder.js';
import type { PageBuffer } from '../column/page-buffer.js';
import type { ValueStore } from '../column/value-store.js';

/** What a worker needs to build the same ColumnChunkWriters as the single-threaded path. */
export interface WorkerInit {
  type: 'init';
  fields: FieldSpec[];
  /** Per column, in schema order. */
  columns: { writer: ColumnWriterOptions; bloom: BloomFilterSettings | undefined }[];
  compression: string;
  compressionLevel: number | undefined;
  pageIndex: boolean;
  statistics: boolean;
  statisticsTruncateLength: number;
}

/** One full page of one column: levels and the used part of its value store. */
export interface PagePayload {
  levelCount: number;
  rowCount: number;
  nullCount: number;
  /** Undefined when the column's max level is 0 (the levels are all zero then). */
  defLevels: Uint8Array<ArrayBuffer> | undefined;
  repLevels: Uint8Array<ArrayBuffer> | undefined;
  valueCount: number;
  /** Typed array of the store's kind (bytes/fixed: the concatenated value bytes). */
  values: Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer> | BigInt64Array<ArrayBuffer> | Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
  /** BYTE_ARRAY only: count + 1 offsets into `values`. */
  offsets: Int32Array<ArrayBuffer> | undefined;
}

export interface PageMessage { type: 'page'; id: number; column: number; page: PagePayload }
export interface FinishMessage { type: 'finish'; id: number; column: number; rowsInGroup: number }
export type ToWorker = WorkerInit | PageMessage | FinishMessage;

/** The worker-side state after a page: pagesSize + dictionary bytes (ColumnChunkWriter.bufferedSize). */
export interface PageDone { type: 'page'; id: number; buffered: number; dictionaryGrowing: boolean }

/** A finished column chunk, with offsets relative to the chunk's start (patched by the main thread). */
export interface ChunkDone {
  type: 'finish';
  id: number;
  /** The chunk's bytes (dictionary page, then data pages) in one array. */
  bytes: Uint8Array;
  metadata: ColumnMetaData;
  /** With options.pageIndex only; page offsets relative to the chunk. */
  offsetIndex: OffsetIndex | undefined;
  columnIndex: ColumnIndex | undefined;
  bloom: Uint8Array | undefined;
}

export interface ErrorReply { type: 'error'; id: number; name: string; message: string; stack: string | undefined }
export type FromWorker = PageDone | ChunkDone | ErrorReply;

/** Copy the open page out of `b` (which the caller then resets); returns the payload and its transfer list. */
export function packPage(b: PageBuffer): { page: PagePayload; transfer: ArrayBuffer[] } {
  const n = b.levelCount;
  const store = b.store;
  const defLevels = b.maxDef > 0 ? b.defLevels.slice(0, n) : undefined;
  const repLevels = b.maxRep > 0 ? b.repLevels.slice(0, n) : undefined;
  let values: PagePayload['values'];
  let offsets: Int32Array<ArrayBuffer> | undefined;
  switch (store.kind) {
    case 'bytes':
      store.materialize();
      values = takeBytes(store.data);
      offsets = store.offsets.slice(0, store.count + 1);
      break;
    case 'fixed':
      values = takeBytes(store.data);
      break;
    default:
      values = store.values.slice(0, store.count);
  }
  const transfer: ArrayBuffer[] = [values.buffer];
  if (offsets) transfer.push(offsets.buffer);
  if (defLevels) transfer.push(defLevels.buffer);
  if (repLevels) transfer.push(repLevels.buffer);
  return {
    page: { levelCount: n, rowCount: b.rowCount, nullCount: b.nullCount, defLevels, repLevels, valueCount: store.count, values, offsets },
    transfer,
  };
}

/**
 * A page's value bytes for transfer: a full-enough buffer is handed over whole (the writer
 * continues on a fresh one) rather than copied; a mostly empty one is copied, so a small
 * page does not ship (and re-allocate) a large buffer.
 */
function takeBytes(data: ByteWriter): Uint8Array<ArrayBuffer> {
  if (data.length >= data.buffer.length / 2 && data.buffer.byteOffset === 0) return data.detach();
  return data.buffer.slice(0, data.length);
}

/**
 * Load a received page into a worker-side PageBuffer (empty, as flushPage leaves it), so
 * that ColumnChunkWriter.flushPage encodes it exactly as it would have on the main thread.
 */
export function unpackPage(p: PagePayload, b: PageBuffer): void {
  const n = p.levelCount;
  b.defLevels = p.defLevels ?? zeroLevels(b.defLevels, n);
  b.repLevels = p.repLevels ?? zeroLevels(b.repLevels, n);
  b.levelCount = n;
  b.rowCount = p.rowCount;
  b.nullCount = p.nullCount;
  loadStore(b.store, p);
}

/** All-zero levels of at least `n` slots (the worker's own arrays stay zero: nothing writes them). */
function zeroLevels(current: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  return current.length >= n ? current : new Uint8Array(n);
}

function loadStore(store: ValueStore, p: PagePayload): void {
  const count = p.valueCount;
  switch (store.kind) {
    case 'bytes':
      store.load(p.values as Uint8Array<ArrayBuffer>, p.offsets!, count);
      break;
    case 'fixed':
      store.data.adopt(p.values as Uint8Array<ArrayBuffer>);
      break;
    case 'boolean':
      store.values = p.values as Uint8Array<ArrayBuffer>;
      break;
    case 'int32':
      store.values = p.values as Int32Array<ArrayBuffer>;
      break;
    case 'int64':
      store.values = p.values as BigInt64Array<ArrayBuffer>;
      break;
    case 'float':
      store.values = p.values as Float32Array<ArrayBuffer>;
      break;
    case 'double':
      store.values = p.values as Float64Array<ArrayBuffer>;
      break;
  }
  store.count = count;
}

/**
 * Move a chunk finished at offset 0 to where it is written: ColumnChunkWriter.finish puts
 * the offset only into these fields (and the OffsetIndex page locations).
 */
export function placeChunk(done: ChunkDone, chunkStart: number): void {
  const m = done.metadata;
  m.data_page_offset = Number(m.data_page_offset) + chunkStart;
  if (m.dictionary_page_offset !== undefined) m.dictionary_page_offset = Number(m.dictionary_page_offset) + chunkStart;
  for (const loc of done.offsetIndex?.page_locations ?? []) loc.offset = Number(loc.offset) + chunkStart;
}
