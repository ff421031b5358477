/**
 * BYTE_STREAM_SPLIT encoder (Encodings.md, "Byte Stream Split: (BYTE_STREAM_SPLIT = 9)")
 * for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
 *
 * N values of K bytes become K streams of N bytes: stream b holds byte b (of the PLAIN,
 * little-endian representation) of every value, and the streams are concatenated in
 * order 0..K-1 with no padding or metadata. The size is unchanged; the gain is that a
 * following codec sees similar bytes (exponents, high bytes) next to each other.
 *
 * For the 4- and 8-byte types we read whole uint32 words and scatter their bytes to the
 * K write cursors in one pass, instead of K strided passes over the input.
 */
import type { ByteWriter } from './byte-writer.js';
import { IS_LITTLE_ENDIAN } from './endian.js';
import { checkFixedLenValues, checkValueRange } from './value-range.js';

function checkRange(start: number, end: number, length: number, what: string): void {
  checkValueRange(start, end, length, `BYTE_STREAM_SPLIT ${what}`);
}

/**
 * Scatter `n` groups of `wordsPerValue` uint32 words (starting at word index `first`)
 * into 4 * wordsPerValue streams. Little-endian hosts only: word w's low byte is the
 * value's byte 4w in file order.
 */
function splitWords(words: Uint32Array, first: number, n: number, wordsPerValue: number, out: ByteWriter): void {
  const k = 4 * wordsPerValue;
  out.ensure(n * k);
  const buf = out.buffer;
  const base = out.length;
  for (let w = 0; w < wordsPerValue; w++) {
    let p0 = base + 4 * w * n;
    let p1 = p0 + n;
    let p2 = p1 + n;
    let p3 = p2 + n;
    const end = first + n * wordsPerValue;
    for (let i = first + w; i < end; i += wordsPerValue) {
      const x = words[i];
      buf[p0++] = x & 0xff;
      buf[p1++] = (x >>> 8) & 0xff;
      buf[p2++] = (x >>> 16) & 0xff;
      buf[p3++] = x >>> 24;
    }
  }
  out.length = base + n * k;
}

/**
 * Generic byte scatter. `reverse` maps native big-endian element bytes to file order
 * (file byte b is native byte k - 1 - b); FIXED_LEN_BYTE_ARRAY bytes are never reversed.
 */
function splitBytes(bytes: Uint8Array, first: number, n: number, k: number, reverse: boolean, out: ByteWriter): void {
  out.ensure(n * k);
  const buf = out.buffer;
  let pos = out.length;
  for (let b = 0; b < k; b++) {
    let src = first * k + (reverse ? k - 1 - b : b);
    for (let i = 0; i < n; i++, src += k) buf[pos++] = bytes[src];
  }
  out.length = pos;
}

type NumericArray = Float32Array | Float64Array | Int32Array | BigInt64Array;

function encodeNumeric(values: NumericArray, start: number, end: number, what: string, out: ByteWriter): void {
  checkRange(start, end, values.length, what);
  const n = end - start;
  if (n === 0) return;
  const width = values.BYTES_PER_ELEMENT;
  if (IS_LITTLE_ENDIAN) {
    // Typed arrays of 4- and 8-byte elements are always 4-byte aligned, so this view is legal.
    const words = new Uint32Array(values.buffer, values.byteOffset, (values.length * width) >>> 2);
    splitWords(words, (start * width) >>> 2, n, width >>> 2, out);
  } else {
    splitBytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), start, n, width, true, out);
  }
}

export function encodeByteStreamSplitFloat(values: Float32Array, start: number, end: number, out: ByteWriter): void {
  encodeNumeric(values, start, end, 'FLOAT', out);
}

export function encodeByteStreamSplitDouble(values: Float64Array, start: number, end: number, out: ByteWriter): void {
  encodeNumeric(values, start, end, 'DOUBLE', out);
}

export function encodeByteStreamSplitInt32(values: Int32Array, start: number, end: number, out: ByteWriter): void {
  encodeNumeric(values, start, end, 'INT32', out);
}

export function encodeByteStreamSplitInt64(values: BigInt64Array, start: number, end: number, out: ByteWriter): void {
  encodeNumeric(values, start, end, 'INT64', out);
}

/** FIXED_LEN_BYTE_ARRAY: `values` holds `typeLength` bytes per value; K = typeLength. */
export function encodeByteStreamSplitFixedLenByteArray(values: Uint8Array, typeLength: number, start: number, end: number, out: ByteWriter): void {
  checkFixedLenValues(values, typeLength, start, end, 'BYTE_STREAM_SPLIT FIXED_LEN_BYTE_ARRAY');
  splitBytes(values, start, end - start, typeLength, false, out);
}
