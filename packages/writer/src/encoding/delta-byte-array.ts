/**
 * DELTA_BYTE_ARRAY encoder, a.k.a. incremental / front coding (Encodings.md, "Delta
 * Strings: (DELTA_BYTE_ARRAY = 7)"):
 *
 *   <prefix lengths, DELTA_BINARY_PACKED> <suffixes, DELTA_LENGTH_BYTE_ARRAY>
 *
 * where value i shares `prefix[i]` leading bytes with value i - 1 and stores only the
 * rest. The first value of a range has prefix 0: each page is decoded on its own.
 * FIXED_LEN_BYTE_ARRAY uses the same layout; the spec notes that all lengths are encoded
 * "despite the redundancy", so the suffix lengths are written for it too.
 */
import type { ByteWriter } from './byte-writer.js';
import { encodeDeltaBinaryPackedInt32 } from './delta-binary-packed.js';
import type { ByteArrayValues } from './plain.js';
import { checkByteArrayRange, checkFixedLenValues } from './value-range.js';

// Per-page prefix and suffix lengths, reused across calls and grown on demand.
let prefixScratch = new Int32Array(1024);
let suffixScratch = new Int32Array(1024);

function ensureScratch(count: number): void {
  if (prefixScratch.length >= count) return;
  let size = prefixScratch.length * 2;
  while (size < count) size *= 2;
  prefixScratch = new Int32Array(size);
  suffixScratch = new Int32Array(size);
}

/** Values at or below this length are copied byte by byte: cheaper than a subarray view. */
const SMALL_COPY = 32;

/**
 * Shared core: value i is data[starts(i) .. starts(i) + len(i)). `offsets` gives starts
 * for BYTE_ARRAY; for FIXED_LEN_BYTE_ARRAY `offsets` is null and the stride is `fixed`.
 */
function encodeCore(data: Uint8Array, offsets: Int32Array | null, fixed: number, start: number, end: number, what: string, out: ByteWriter): void {
  const count = end - start;
  ensureScratch(count);
  const prefixes = prefixScratch;
  const suffixes = suffixScratch;
  let prevFrom = 0;
  let prevLen = 0;
  let suffixBytes = 0;
  for (let i = 0; i < count; i++) {
    const from = offsets === null ? (start + i) * fixed : offsets[start + i];
    const len = offsets === null ? fixed : offsets[start + i + 1] - from;
    if (len < 0) throw new RangeError(`${what}: offsets decrease at value ${start + i}`);
    const max = len < prevLen ? len : prevLen;
    let p = 0;
    while (p < max && data[prevFrom + p] === data[from + p]) p++;
    prefixes[i] = p;
    suffixes[i] = len - p;
    suffixBytes += len - p;
    prevFrom = from;
    prevLen = len;
  }
  encodeDeltaBinaryPackedInt32(prefixes, 0, count, out);
  // The suffixes are exactly a DELTA_LENGTH_BYTE_ARRAY stream: their lengths, then bytes.
  encodeDeltaBinaryPackedInt32(suffixes, 0, count, out);
  out.ensure(suffixBytes);
  const buf = out.buffer;
  let pos = out.length;
  for (let i = 0; i < count; i++) {
    const len = suffixes[i];
    if (len === 0) continue;
    const to = offsets === null ? (start + i + 1) * fixed : offsets[start + i + 1];
    const from = to - len;
    if (len <= SMALL_COPY) {
      for (let k = from; k < to; k++) buf[pos++] = data[k];
    } else {
      buf.set(data.subarray(from, to), pos);
      pos += len;
    }
  }
  out.length = pos;
}

/** BYTE_ARRAY: append values[start..end). */
export function encodeDeltaByteArray(values: ByteArrayValues, start: number, end: number, out: ByteWriter): void {
  checkByteArrayRange(values, start, end, 'DELTA_BYTE_ARRAY');
  encodeCore(values.data, values.offsets, 0, start, end, 'DELTA_BYTE_ARRAY', out);
}

/** FIXED_LEN_BYTE_ARRAY: `values` holds `typeLength` bytes per value, back to back. */
export function encodeDeltaByteArrayFixedLen(values: Uint8Array, typeLength: number, start: number, end: number, out: ByteWriter): void {
  checkFixedLenValues(values, typeLength, start, end, 'DELTA_BYTE_ARRAY FIXED_LEN_BYTE_ARRAY');
  encodeCore(values, null, typeLength, start, end, 'DELTA_BYTE_ARRAY FIXED_LEN_BYTE_ARRAY', out);
}
