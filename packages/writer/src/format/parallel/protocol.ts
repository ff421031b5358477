/**
 * Messages between the ParquetWriter (main thread) and its encode workers. Everything here
 * is structured-cloneable; page contents travel in the transfer list: value bytes as the
 * page buffer's own allocation when it is well filled (see takeBytes), everything else as
 * copies of the used part, so the worker receives the arrays without a second copy.
 */
import type { FieldSpec } from '../schema/types.js';
import type { ColumnWriterOptions } from '../column/column-writer.js';
import type { ChunkSettings, ColumnChunkResult } from '../column-chunk.js';
import type { PageBuffer } from '../column/page-buffer.js';
import type { ValueStore } from '../column/value-store.js';
import { DistinctTable } from './distinct-table.js';
import { plainShape, type PageShape } from './size-bound.js';
import { takeBytes, type SpareBuffers } from './spare-buffers.js';

/**
 * What a worker needs to build the same ColumnChunkEncoders as the writer's own thread.
 * A worker serves several writers at once (EncodeThreads); each is a session, and every
 * message to and from a worker names its session.
 */
export interface WorkerInit {
  type: 'init';
  session: number;
  fields: FieldSpec[];
  /** Per column, in schema order. */
  columns: { writer: ColumnWriterOptions; chunk: ChunkSettings }[];
  compression: string;
  compressionLevel: number | undefined;
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
  /** BYTE_ARRAY only: count + 1 offsets into `values` (with `ids`: entries + 1). */
  offsets: Int32Array<ArrayBuffer> | undefined;
  /**
   * BYTE_ARRAY strings sent as a distinct-value table: `values`/`offsets` hold each distinct
   * value once, and ids[i] is value i's entry (see packDistinct).
   */
  ids: Int32Array<ArrayBuffer> | undefined;
  /** With `ids`: the sum of the values' lengths. */
  valueBytes: number;
  /** `values` is a whole allocation the main thread would like back (see releasePage). */
  recyclable: boolean;
}

interface PageMessage {
  type: 'page';
  session: number;
  id: number;
  column: number;
  page: PagePayload;
}
interface FinishMessage {
  type: 'finish';
  session: number;
  id: number;
  column: number;
  rowsInGroup: number;
}
/** The writer is done (closed, aborted or failed): the worker drops the session's state. No reply. */
interface EndMessage {
  type: 'end';
  session: number;
}
export type ToWorker = WorkerInit | PageMessage | FinishMessage | EndMessage;

/** The worker-side state after a page: pagesSize + dictionary bytes (ColumnChunkWriter.bufferedSize). */
interface PageDone {
  type: 'page';
  session: number;
  id: number;
  buffered: number;
  dictionaryGrowing: boolean;
  /** The page's value allocation, given back for reuse (see SpareBuffers). */
  spare: ArrayBuffer | undefined;
}

/** A finished column chunk (offsets from the chunk's start), its bytes in one part. */
export interface ChunkDone {
  type: 'finish';
  session: number;
  id: number;
  chunk: ColumnChunkResult;
}

interface ErrorReply {
  type: 'error';
  session: number;
  id: number;
  name: string;
  message: string;
  stack: string | undefined;
}
export type FromWorker = PageDone | ChunkDone | ErrorReply;

/**
 * Copy the open page out of `b` (which the caller then resets); returns the payload, its
 * transfer list and the page's shape (for pageSizeBound). With `table` (the column's, maybe
 * filled part way by EncoderPool.betweenCalls), a page whose values are all pending strings
 * goes as a distinct-value table; the table is empty afterwards either way.
 */
export function packPage(b: PageBuffer, table?: DistinctTable, spares?: SpareBuffers): { page: PagePayload; transfer: ArrayBuffer[]; shape: PageShape } {
  const n = b.levelCount;
  const store = b.store;
  const defLevels = b.maxDef > 0 ? b.defLevels.slice(0, n) : undefined;
  const repLevels = b.maxRep > 0 ? b.repLevels.slice(0, n) : undefined;
  let values: PagePayload['values'];
  let offsets: Int32Array<ArrayBuffer> | undefined;
  let ids: Int32Array<ArrayBuffer> | undefined;
  let valueBytes = 0;
  let recyclable = false;
  let shape: PageShape;
  if (store.kind === 'bytes' && table !== undefined && DistinctTable.fits(store)) {
    table.extend(store);
    const packed = table.take();
    ({ values, offsets, ids, valueBytes } = packed);
    shape = { plainBytes: valueBytes + 4 * store.count, longest: packed.longest };
  } else {
    // Values the table let go come back from it here (plainShape materializes the page).
    shape = plainShape(b);
    table?.clear();
    switch (store.kind) {
      case 'bytes':
      case 'fixed':
        ({ values, whole: recyclable } = takeBytes(store.data, spares));
        if (store.kind === 'bytes') offsets = store.offsets.slice(0, store.count + 1);
        break;
      default:
        values = store.values.slice(0, store.count);
    }
  }
  const transfer: ArrayBuffer[] = [values.buffer];
  if (offsets) transfer.push(offsets.buffer);
  if (ids) transfer.push(ids.buffer);
  if (defLevels) transfer.push(defLevels.buffer);
  if (repLevels) transfer.push(repLevels.buffer);
  return {
    page: {
      levelCount: n,
      rowCount: b.rowCount,
      nullCount: b.nullCount,
      defLevels,
      repLevels,
      valueCount: store.count,
      values,
      offsets,
      ids,
      valueBytes,
      recyclable,
    },
    transfer,
    shape,
  };
}

/**
 * After the worker encoded a page, the value allocation the main thread sent whole goes back
 * to it (its stores start later pages on it, see SpareBuffers). Nothing of the worker refers
 * to it by then: encoding, statistics and bloom filters copy what they keep.
 */
export function releasePage(p: PagePayload, b: PageBuffer): ArrayBuffer | undefined {
  if (!p.recyclable) return undefined;
  const store = b.store;
  if ((store.kind !== 'bytes' && store.kind !== 'fixed') || store.data.buffer.buffer !== p.values.buffer) return undefined;
  store.data.adopt(new Uint8Array(0));
  return p.values.buffer;
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
      if (p.ids !== undefined) {
        const entries = p.offsets!.length - 1;
        const dictionaryIndex = new Int32Array(entries).fill(-1);
        store.loadDistinct({ data: p.values as Uint8Array, offsets: p.offsets!, ids: p.ids, dictionaryIndex }, count, p.valueBytes);
      } else {
        store.load(p.values as Uint8Array<ArrayBuffer>, p.offsets!, count);
      }
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
