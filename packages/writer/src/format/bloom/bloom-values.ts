/**
 * Insert ranges of column values into a split-block bloom filter. BloomFilter.md hashes
 * "the plain encoding" of each value, so these mirror the PLAIN layouts (plain.ts):
 * 4/8 little-endian bytes for INT32/INT64/FLOAT/DOUBLE, raw bytes (no length prefix)
 * for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY. One Hash64 cell is reused: no per-value
 * allocation. Null handling is the caller's: pass only the non-null values.
 *
 * Float note: the hash is of the bit pattern, so 0.0 and -0.0 (and distinct NaN
 * payloads) are different values to the filter, exactly as they are to other writers.
 */
import { INT64_HI, INT64_LO } from '../../encoding/endian.js';
import type { ByteArrayValues } from '../../encoding/plain.js';
import { checkFixedLenValues, checkValueRange } from '../../encoding/value-range.js';
import type { SplitBlockBloomFilter } from './split-block-bloom-filter.js';
import { Hash64, xxhash64Bytes, xxhash64Double, xxhash64Float, xxhash64Int32, xxhash64Int64 } from './xxhash64.js';

const cell = new Hash64();

function checkRange(start: number, end: number, length: number, what: string): void {
  checkValueRange(start, end, length, `bloom ${what}`);
}

export function bloomInsertInt32(filter: SplitBlockBloomFilter, values: Int32Array, start: number, end: number): void {
  checkRange(start, end, values.length, 'INT32');
  for (let i = start; i < end; i++) {
    xxhash64Int32(values[i], cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}

export function bloomInsertInt64(filter: SplitBlockBloomFilter, values: BigInt64Array, start: number, end: number): void {
  checkRange(start, end, values.length, 'INT64');
  // Read the halves through a word view: no BigInt per value.
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = start; i < end; i++) {
    xxhash64Int64(words[2 * i + INT64_HI], words[2 * i + INT64_LO], cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}

export function bloomInsertFloat(filter: SplitBlockBloomFilter, values: Float32Array, start: number, end: number): void {
  checkRange(start, end, values.length, 'FLOAT');
  for (let i = start; i < end; i++) {
    xxhash64Float(values[i], cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}

export function bloomInsertDouble(filter: SplitBlockBloomFilter, values: Float64Array, start: number, end: number): void {
  checkRange(start, end, values.length, 'DOUBLE');
  for (let i = start; i < end; i++) {
    xxhash64Double(values[i], cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}

export function bloomInsertByteArray(filter: SplitBlockBloomFilter, values: ByteArrayValues, start: number, end: number): void {
  const { data, offsets } = values;
  checkRange(start, end, offsets.length - 1, 'BYTE_ARRAY');
  for (let i = start; i < end; i++) {
    xxhash64Bytes(data, offsets[i], offsets[i + 1], cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}

export function bloomInsertFixedLenByteArray(filter: SplitBlockBloomFilter, values: Uint8Array, typeLength: number, start: number, end: number): void {
  checkFixedLenValues(values, typeLength, start, end, 'bloom FIXED_LEN_BYTE_ARRAY');
  for (let i = start; i < end; i++) {
    xxhash64Bytes(values, i * typeLength, (i + 1) * typeLength, cell);
    filter.insertHashParts(cell.hi, cell.lo);
  }
}
