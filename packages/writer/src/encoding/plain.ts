/**
 * PLAIN encoders (Encodings.md, "Plain: (PLAIN = 0)"). Each appends values[start..end)
 * of a (possibly much larger) column buffer to a ByteWriter, so a column writer can cut
 * pages out of one buffer without copying.
 *
 * Spec layouts:
 *   BOOLEAN               bit-packed, LSB first (1 bit per value, last byte zero-padded)
 *   INT32 / INT64         4 / 8 bytes little-endian
 *   INT96                 12 bytes little-endian (deprecated timestamps; passed through)
 *   FLOAT / DOUBLE        IEEE 754, little-endian
 *   BYTE_ARRAY            4-byte little-endian length, then the bytes
 *   FIXED_LEN_BYTE_ARRAY  just the bytes (the length lives in the schema)
 */
import type { ByteWriter } from './byte-writer.js';
import { IS_LITTLE_ENDIAN } from './endian.js';
import { checkByteArrayRange, checkFixedLenValues, checkValueRange } from './value-range.js';

/** Variable-length values stored back to back: value i is data[offsets[i]..offsets[i+1]). */
export interface ByteArrayValues {
  data: Uint8Array;
  /** n + 1 non-decreasing offsets into `data` for n values. */
  offsets: Int32Array;
}

function checkRange(start: number, end: number, length: number, what: string): void {
  checkValueRange(start, end, length, `PLAIN ${what}`);
}

/** BOOLEAN: values are 0 (false) or non-zero (true); bit i of the page is value start+i. */
export function encodePlainBoolean(values: Uint8Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'BOOLEAN');
  const count = end - start;
  out.ensure((count + 7) >>> 3);
  const buf = out.buffer;
  let pos = out.length;
  let k = start;
  const fullEnd = start + (count & ~7);
  // Whole bytes first, without a per-bit loop.
  for (; k < fullEnd; k += 8) {
    buf[pos++] =
      (values[k] !== 0 ? 1 : 0) |
      (values[k + 1] !== 0 ? 2 : 0) |
      (values[k + 2] !== 0 ? 4 : 0) |
      (values[k + 3] !== 0 ? 8 : 0) |
      (values[k + 4] !== 0 ? 16 : 0) |
      (values[k + 5] !== 0 ? 32 : 0) |
      (values[k + 6] !== 0 ? 64 : 0) |
      (values[k + 7] !== 0 ? 128 : 0);
  }
  if (k < end) {
    let byte = 0;
    for (let bit = 0; k < end; k++, bit++) if (values[k] !== 0) byte |= 1 << bit;
    buf[pos++] = byte;
  }
  out.length = pos;
}

type FixedWidthArray = Int32Array | BigInt64Array | Float32Array | Float64Array;

/** On little-endian hosts the typed array's memory already is the PLAIN encoding. */
function copyBytesOf(values: FixedWidthArray, start: number, end: number, out: ByteWriter): void {
  const width = values.BYTES_PER_ELEMENT;
  out.writeBytes(new Uint8Array(values.buffer, values.byteOffset + start * width, (end - start) * width));
}

export function encodePlainInt32(values: Int32Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'INT32');
  if (IS_LITTLE_ENDIAN) return copyBytesOf(values, start, end, out);
  out.ensure((end - start) * 4);
  const view = out.view;
  let pos = out.length;
  for (let k = start; k < end; k++, pos += 4) view.setInt32(pos, values[k], true);
  out.length = pos;
}

export function encodePlainInt64(values: BigInt64Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'INT64');
  if (IS_LITTLE_ENDIAN) return copyBytesOf(values, start, end, out);
  out.ensure((end - start) * 8);
  const view = out.view;
  let pos = out.length;
  for (let k = start; k < end; k++, pos += 8) view.setBigInt64(pos, values[k], true);
  out.length = pos;
}

export function encodePlainFloat(values: Float32Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'FLOAT');
  if (IS_LITTLE_ENDIAN) return copyBytesOf(values, start, end, out);
  out.ensure((end - start) * 4);
  const view = out.view;
  let pos = out.length;
  for (let k = start; k < end; k++, pos += 4) view.setFloat32(pos, values[k], true);
  out.length = pos;
}

export function encodePlainDouble(values: Float64Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'DOUBLE');
  if (IS_LITTLE_ENDIAN) return copyBytesOf(values, start, end, out);
  out.ensure((end - start) * 8);
  const view = out.view;
  let pos = out.length;
  for (let k = start; k < end; k++, pos += 8) view.setFloat64(pos, values[k], true);
  out.length = pos;
}

/**
 * INT96: `values` holds 12 bytes per value, already in file (little-endian) order, so
 * this is a straight byte copy on any host.
 */
export function encodePlainInt96(values: Uint8Array, start: number, end: number, out: ByteWriter): void {
  if (values.length % 12 !== 0) {
    throw new RangeError(`PLAIN INT96: byte length ${values.length} is not a multiple of 12`);
  }
  checkRange(start, end, values.length / 12, 'INT96');
  out.writeBytes(values.subarray(start * 12, end * 12));
}

/** FIXED_LEN_BYTE_ARRAY: `values` holds `typeLength` bytes per value, back to back. */
export function encodePlainFixedLenByteArray(values: Uint8Array, typeLength: number, start: number, end: number, out: ByteWriter): void {
  checkFixedLenValues(values, typeLength, start, end, 'PLAIN FIXED_LEN_BYTE_ARRAY');
  out.writeBytes(values.subarray(start * typeLength, end * typeLength));
}

/** Values at or below this length are copied byte by byte: cheaper than a subarray view. */
const SMALL_COPY = 32;

/** BYTE_ARRAY: each value as a 4-byte little-endian length followed by its bytes. */
export function encodePlainByteArray(values: ByteArrayValues, start: number, end: number, out: ByteWriter): void {
  const { data, offsets } = values;
  checkByteArrayRange(values, start, end, 'PLAIN BYTE_ARRAY');
  if (start === end) return;
  const first = offsets[start];
  const last = offsets[end];
  // One reservation for the whole slice; the loop below writes into the buffer directly.
  out.ensure((end - start) * 4 + (last - first));
  const buf = out.buffer;
  let pos = out.length;
  for (let i = start; i < end; i++) {
    const from = offsets[i];
    const to = offsets[i + 1];
    const len = to - from;
    if (len < 0) throw new RangeError(`PLAIN BYTE_ARRAY: offsets decrease at value ${i}`);
    buf[pos] = len & 0xff;
    buf[pos + 1] = (len >>> 8) & 0xff;
    buf[pos + 2] = (len >>> 16) & 0xff;
    buf[pos + 3] = len >>> 24;
    pos += 4;
    if (len <= SMALL_COPY) {
      for (let k = from; k < to; k++) buf[pos++] = data[k];
    } else {
      buf.set(data.subarray(from, to), pos);
      pos += len;
    }
  }
  out.length = pos;
}
