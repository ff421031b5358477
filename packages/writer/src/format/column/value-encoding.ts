import type { ByteWriter } from '../../encoding/byte-writer.js';
import { encodeRleHybridWithLengthPrefix } from '../../encoding/rle-hybrid.js';
import { encodeDeltaBinaryPackedInt32, encodeDeltaBinaryPackedInt64 } from '../../encoding/delta-binary-packed.js';
import { encodeDeltaLengthByteArray } from '../../encoding/delta-length-byte-array.js';
import { encodeDeltaByteArray, encodeDeltaByteArrayFixedLen } from '../../encoding/delta-byte-array.js';
import {
  encodeByteStreamSplitDouble,
  encodeByteStreamSplitFixedLenByteArray,
  encodeByteStreamSplitFloat,
  encodeByteStreamSplitInt32,
  encodeByteStreamSplitInt64,
} from '../../encoding/byte-stream-split.js';
import { Encoding, Type } from '../thrift/parquet-metadata.js';
import { encodePlainValues } from './plain-values.js';
import type { ValueStore } from './value-store.js';
import type { PrimitiveMapping } from '../schema/primitive-mapping.js';

/** Value encodings a column may ask for (Encodings.md), besides dictionary encoding. */
export type ValueEncodingName = 'PLAIN' | 'RLE' | 'DELTA_BINARY_PACKED' | 'DELTA_LENGTH_BYTE_ARRAY' | 'DELTA_BYTE_ARRAY' | 'BYTE_STREAM_SPLIT';

/** Per-column choice: `auto` (dictionary while it pays, then a type-specific fallback), `dictionary` (PLAIN fallback), or one fixed encoding. */
export type EncodingChoice = 'auto' | 'dictionary' | ValueEncodingName;

export const ENCODING_CHOICES: readonly EncodingChoice[] = [
  'auto',
  'dictionary',
  'PLAIN',
  'RLE',
  'DELTA_BINARY_PACKED',
  'DELTA_LENGTH_BYTE_ARRAY',
  'DELTA_BYTE_ARRAY',
  'BYTE_STREAM_SPLIT',
];

/** Which encodings Encodings.md allows for each physical type. */
export function allowedEncodings(physicalType: Type): ValueEncodingName[] {
  switch (physicalType) {
    case Type.BOOLEAN:
      return ['PLAIN', 'RLE'];
    case Type.INT32:
    case Type.INT64:
      return ['PLAIN', 'DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT'];
    case Type.FLOAT:
    case Type.DOUBLE:
      return ['PLAIN', 'BYTE_STREAM_SPLIT'];
    case Type.BYTE_ARRAY:
      return ['PLAIN', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY'];
    case Type.FIXED_LEN_BYTE_ARRAY:
      return ['PLAIN', 'DELTA_BYTE_ARRAY', 'BYTE_STREAM_SPLIT'];
    default:
      return ['PLAIN']; // INT96
  }
}

const ENCODING_IDS: Record<ValueEncodingName, Encoding> = {
  PLAIN: Encoding.PLAIN,
  RLE: Encoding.RLE,
  DELTA_BINARY_PACKED: Encoding.DELTA_BINARY_PACKED,
  DELTA_LENGTH_BYTE_ARRAY: Encoding.DELTA_LENGTH_BYTE_ARRAY,
  DELTA_BYTE_ARRAY: Encoding.DELTA_BYTE_ARRAY,
  BYTE_STREAM_SPLIT: Encoding.BYTE_STREAM_SPLIT,
};

/** Encode every value of `store` with `encoding`; returns the Encoding id for the page header. */
export function encodeValues(store: ValueStore, encoding: ValueEncodingName, out: ByteWriter): Encoding {
  const n = store.count;
  switch (encoding) {
    case 'PLAIN':
      encodePlainValues(store, out);
      break;
    case 'RLE':
      // Encodings.md: RLE booleans carry the 4-byte length prefix.
      if (store.kind !== 'boolean') throw new Error('RLE value encoding is for booleans only');
      encodeRleHybridWithLengthPrefix(store.values, n, 1, out);
      break;
    case 'DELTA_BINARY_PACKED':
      if (store.kind === 'int32') encodeDeltaBinaryPackedInt32(store.values, 0, n, out);
      else if (store.kind === 'int64') encodeDeltaBinaryPackedInt64(store.values, 0, n, out);
      else throw new Error('DELTA_BINARY_PACKED is for INT32/INT64');
      break;
    case 'DELTA_LENGTH_BYTE_ARRAY':
      if (store.kind !== 'bytes') throw new Error('DELTA_LENGTH_BYTE_ARRAY is for BYTE_ARRAY');
      encodeDeltaLengthByteArray({ data: store.data.buffer, offsets: store.offsets }, 0, n, out);
      break;
    case 'DELTA_BYTE_ARRAY':
      if (store.kind === 'bytes') encodeDeltaByteArray({ data: store.data.buffer, offsets: store.offsets }, 0, n, out);
      else if (store.kind === 'fixed') encodeDeltaByteArrayFixedLen(fixedBytes(store), store.typeLength, 0, n, out);
      else throw new Error('DELTA_BYTE_ARRAY is for byte arrays');
      break;
    case 'BYTE_STREAM_SPLIT':
      switch (store.kind) {
        case 'float':
          encodeByteStreamSplitFloat(store.values, 0, n, out);
          break;
        case 'double':
          encodeByteStreamSplitDouble(store.values, 0, n, out);
          break;
        case 'int32':
          encodeByteStreamSplitInt32(store.values, 0, n, out);
          break;
        case 'int64':
          encodeByteStreamSplitInt64(store.values, 0, n, out);
          break;
        case 'fixed':
          encodeByteStreamSplitFixedLenByteArray(fixedBytes(store), store.typeLength, 0, n, out);
          break;
        default:
          throw new Error('BYTE_STREAM_SPLIT is for fixed-width types');
      }
      break;
  }
  return ENCODING_IDS[encoding];
}

function fixedBytes(store: Extract<ValueStore, { kind: 'fixed' }>): Uint8Array {
  return store.data.buffer.subarray(0, store.count * store.typeLength);
}

/**
 * What `auto` uses once the dictionary stops paying: deltas for integers (ledger
 * sequences and timestamps are near-monotonic), prefix deltas for byte arrays whose
 * neighbours share prefixes, split byte streams for floats when a codec follows (the split
 * lets the codec find the repeated exponent bytes), PLAIN otherwise.
 */
export function autoFallback(store: ValueStore, mapping: PrimitiveMapping, compressed: boolean, pageVersion: 1 | 2, nested: boolean): ValueEncodingName {
  // Columns inside a struct, list or map stay PLAIN: polars 1.44 panics on DELTA and
  // BYTE_STREAM_SPLIT pages of such columns when a page holds nulls of a parent (files
  // written by pyarrow too), and `auto` must produce files every reader takes.
  if (nested) return mapping.physicalType === Type.BOOLEAN && pageVersion === 2 ? 'RLE' : 'PLAIN';
  switch (mapping.physicalType) {
    case Type.BOOLEAN:
      return pageVersion === 2 ? 'RLE' : 'PLAIN';
    case Type.INT32:
    case Type.INT64:
      return 'DELTA_BINARY_PACKED';
    case Type.FLOAT:
    case Type.DOUBLE:
      return compressed ? 'BYTE_STREAM_SPLIT' : 'PLAIN';
    case Type.BYTE_ARRAY:
      // Only text and binary: DuckDB refuses the DELTA byte-array encodings on decimals.
      if (mapping.sortOrder !== 'bytes') return 'PLAIN';
      return store.kind === 'bytes' && sharesPrefixes(store) ? 'DELTA_BYTE_ARRAY' : 'DELTA_LENGTH_BYTE_ARRAY';
    default:
      return 'PLAIN';
  }
}

/** True when consecutive values share, on average, at least 4 leading bytes. */
function sharesPrefixes(store: Extract<ValueStore, { kind: 'bytes' }>): boolean {
  const n = Math.min(store.count, 1024);
  if (n < 2) return false;
  const buf = store.data.buffer;
  const off = store.offsets;
  let shared = 0;
  for (let i = 1; i < n; i++) {
    const a = off[i - 1]!;
    const b = off[i]!;
    const max = Math.min(off[i]! - a, off[i + 1]! - b);
    let k = 0;
    while (k < max && buf[a + k] === buf[b + k]) k++;
    shared += k;
  }
  return shared / (n - 1) >= 4;
}
