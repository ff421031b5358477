/**
 * BYTE_ARRAY columns of a column batch given in Apache Arrow's variable-size binary layout
 * (Arrow Columnar Format, "Variable-size Binary Layout"): one byte buffer and numRows + 1
 * offsets, value i being data[offsets[i], offsets[i + 1]), with an optional validity bitmap.
 * apache-arrow's `Data` (valueOffsets, values, nullBitmap), DuckDB and pyarrow buffers have
 * this shape. A run of present values goes into the page in one copy of its bytes, where
 * arrays of strings or Uint8Arrays cost a UTF-8 encode or a scattered copy per value.
 */
import { ParquetSchemaError } from './errors.js';
import { RunColumnInput, type FillFailure } from './column-batch-runs.js';
import { isCharBoundary, isWellFormedUtf8 } from '../encoding/utf8-validate.js';
import type { ColumnDescriptor } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';
import { Type } from './thrift/parquet-metadata.js';

/** A string, enum, json, bson or binary column in Arrow layout (see ColumnBatch). */
export interface ByteColumnValues {
  /**
   * numRows + 1 offsets into `data`, non-decreasing: Int32Array as Arrow's utf8/binary,
   * BigInt64Array as large_utf8/large_binary (offsets must stay below 2^31).
   */
  offsets: Int32Array | BigInt64Array;
  data: Uint8Array;
  /** Arrow validity bitmap: bit i (least significant first) set = row i present. */
  nullBitmap?: Uint8Array;
  /** Or one entry per row, truthy = present. */
  validity?: ArrayLike<boolean | number>;
}

export function isByteColumnValues(x: unknown): x is ByteColumnValues {
  return typeof x === 'object' && x !== null && 'offsets' in x && 'data' in x;
}

/** A checked byte column, ready to fill pages slice by slice. */
export class ByteColumnInput extends RunColumnInput {
  private readonly offsets: Int32Array;
  private readonly data: Uint8Array;
  private readonly text: boolean;

  constructor(column: ColumnDescriptor, optional: boolean, raw: ByteColumnValues, numRows: number, present: (row: number) => boolean) {
    super(column, optional, present);
    const path = column.pathString;
    const mapping = column.mapping;
    if (mapping.physicalType !== Type.BYTE_ARRAY || mapping.sortOrder !== 'bytes') {
      // A decimal on BYTE_ARRAY has its own value conversion; bytes would bypass it.
      throw new ParquetSchemaError(path, 'offsets/data input is for string, enum, json, bson and binary columns');
    }
    if (!(raw.data instanceof Uint8Array)) throw new ParquetSchemaError(path, 'data must be a Uint8Array');
    this.data = raw.data;
    this.offsets = toInt32Offsets(raw.offsets, path, numRows);
    this.text = mapping.isText;
  }

  /** The run up to its first value that is not well formed, in one copy of its bytes. */
  protected storeRun(buffer: PageBuffer, from: number, to: number, firstRow: number): FillFailure | undefined {
    const { offsets, data } = this;
    const store = buffer.store;
    if (store.kind !== 'bytes') throw new Error('byte column input needs a byte-array store');
    let end = from;
    let bad: string | undefined;
    if (offsets[from]! < 0 || offsets[from]! > data.length) bad = outside(offsets[from]!, data.length);
    else {
      for (; end < to; end++) {
        const start = offsets[end]!;
        const stop = offsets[end + 1]!;
        if (stop < start || stop > data.length) {
          bad = stop < start && stop >= 0 ? `offsets decrease (${start} then ${stop})` : outside(stop, data.length);
          break;
        }
        if (this.text && start < stop && !isCharBoundary(data, start)) {
          bad = 'is not valid UTF-8 (starts inside a character)';
          break;
        }
      }
    }
    if (this.text && end > from && !isWellFormedUtf8(data, offsets[from]!, offsets[end]!)) {
      // Rare: find the first value that is not well formed, keep those before it.
      let k = from;
      while (k < end && isWellFormedUtf8(data, offsets[k]!, offsets[k + 1]!)) k++;
      end = k;
      bad = 'is not valid UTF-8';
    }
    if (end > from) {
      store.appendRun(data, offsets, from, end);
      buffer.pushPresent(end - from);
    }
    return bad === undefined ? undefined : this.failure(end, firstRow, bad);
  }
}

function outside(offset: number, dataLength: number): string {
  return offset < 0 ? 'offset is negative or past 2^31' : `offset ${offset} is past the end of data (${dataLength} bytes)`;
}

/**
 * Arrow's int32 offsets as they are; int64 (large_*) offsets narrowed, -1 where one is past
 * 2^31. The caller checked that there are numRows + 1 of them.
 */
function toInt32Offsets(offsets: Int32Array | BigInt64Array, path: string, numRows: number): Int32Array {
  if (!(offsets instanceof Int32Array) && !(offsets instanceof BigInt64Array)) {
    throw new ParquetSchemaError(path, 'offsets must be an Int32Array or a BigInt64Array');
  }
  if (offsets instanceof Int32Array) return offsets;
  // Read the words, not the BigInts: no allocation per offset (little-endian, as Arrow's buffers).
  const words = new Int32Array(offsets.buffer, offsets.byteOffset, (numRows + 1) * 2);
  const narrow = new Int32Array(numRows + 1);
  for (let i = 0; i <= numRows; i++) {
    const lo = words[2 * i]!;
    narrow[i] = words[2 * i + 1] === 0 && lo >= 0 ? lo : -1;
  }
  return narrow;
}
