/**
 * Argument checks shared by the value encoders (and the bloom filter inserts, which hash
 * the same layouts): each takes a column's values and encodes the slice [start, end) of
 * them, so a bad slice or a buffer that does not hold whole values is a RangeError naming
 * the encoding and physical type (`what`), before any byte is written.
 */
import type { ByteArrayValues } from './plain.js';

/** [start, end) must be a slice of `count` values, with integer bounds. */
export function checkValueRange(start: number, end: number, count: number, what: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > count) {
    throw new RangeError(`${what}: range [${start}, ${end}) is outside [0, ${count})`);
  }
}

/**
 * FIXED_LEN_BYTE_ARRAY values are `typeLength` bytes each, back to back: the type length
 * must be a positive integer, the buffer must hold whole values, and the slice must lie
 * within them. Returns the number of values in the buffer.
 */
export function checkFixedLenValues(values: Uint8Array, typeLength: number, start: number, end: number, what: string): number {
  if (!Number.isInteger(typeLength) || typeLength <= 0 || values.length % typeLength !== 0) {
    throw new RangeError(`${what}: byte length ${values.length} is not a multiple of type length ${typeLength}`);
  }
  const count = values.length / typeLength;
  checkValueRange(start, end, count, what);
  return count;
}

/** BYTE_ARRAY values: the slice must lie within the offsets, and its bytes within `data`. */
export function checkByteArrayRange(values: ByteArrayValues, start: number, end: number, what: string): void {
  const { data, offsets } = values;
  checkValueRange(start, end, offsets.length - 1, what);
  if (start === end) return;
  const first = offsets[start];
  const last = offsets[end];
  if (first < 0 || last > data.length || last < first) {
    throw new RangeError(`${what}: offsets [${first}, ${last}] do not fit data of ${data.length} bytes`);
  }
}
