/**
 * DELTA_BINARY_PACKED encoder for INT32 and INT64 (Encodings.md, "Delta Encoding
 * (DELTA_BINARY_PACKED = 5)").
 *
 *   header := <block size> <miniblocks per block> <total value count> <first value>
 *             (ULEB128, ULEB128, ULEB128, zigzag ULEB128)
 *   block  := <min delta> <bit width of each miniblock, one byte each> <miniblocks>
 *             (zigzag ULEB128, bytes, bit-packed LSB first like the RLE hybrid)
 *
 * We always use 128-value blocks of 4 miniblocks of 32 values, like parquet-java and
 * Arrow, so readers with hard-coded expectations are never surprised.
 *
 * Arithmetic wraps (spec: "Overflow should be allowed and handled as wrapping around in
 * 2's complement notation"): INT32 deltas are taken modulo 2^32 and INT64 deltas modulo
 * 2^64. After subtracting the block's minimum delta every relative delta therefore fits
 * the physical width (the spec forbids packing INT32 data with more than 32 bits), even
 * for full-range input such as [INT32_MIN, INT32_MAX], whose delta wraps to -1.
 *
 * Neither path uses BigInt: INT32 runs on int32/uint32 Math, INT64 on two uint32 halves
 * read through a Uint32Array view of the BigInt64Array.
 */
import type { ByteWriter } from './byte-writer.js';
import { INT64_HI, INT64_LO } from './endian.js';
import { checkValueRange } from './value-range.js';

const DELTA_BLOCK_SIZE = 128;
const DELTA_MINIBLOCKS_PER_BLOCK = 4;
const VALUES_PER_MINIBLOCK = DELTA_BLOCK_SIZE / DELTA_MINIBLOCKS_PER_BLOCK; // 32

/**
 * Upper bound on the bytes one block can take: min delta (10-byte varint), 4 width
 * bytes, and 4 miniblocks of 32 values at up to 64 bits.
 */
const MAX_BLOCK_BYTES = 10 + DELTA_MINIBLOCKS_PER_BLOCK + DELTA_BLOCK_SIZE * 8;

// Per-block scratch, reused for every block of every call: the encoder allocates nothing
// per value (and nothing per block). Encoding is synchronous, so sharing is safe.
const deltas32 = new Int32Array(DELTA_BLOCK_SIZE);
const relLo = new Uint32Array(DELTA_BLOCK_SIZE);
const relHi = new Uint32Array(DELTA_BLOCK_SIZE);

function checkRange(start: number, end: number, length: number, what: string): void {
  checkValueRange(start, end, length, `DELTA_BINARY_PACKED ${what}`);
}

function writeHeader(count: number, out: ByteWriter): void {
  out.writeVarint(DELTA_BLOCK_SIZE);
  out.writeVarint(DELTA_MINIBLOCKS_PER_BLOCK);
  out.writeVarint(count);
}

/** Zigzag of a signed 32-bit value, then ULEB128 (at most 5 bytes). */
function writeZigzag32(value: number, out: ByteWriter): void {
  out.writeVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

/** Zigzag of a signed 64-bit value given as two uint32 halves, then ULEB128. */
function writeZigzag64(hi: number, lo: number, out: ByteWriter): void {
  const sign = hi >> 31; // 0 or -1: the (v >> 63) term, replicated into both halves
  let zHi = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
  let zLo = ((lo << 1) ^ sign) >>> 0;
  out.ensure(10);
  const buf = out.buffer;
  let pos = out.length;
  while (zHi !== 0 || zLo > 0x7f) {
    buf[pos++] = (zLo & 0x7f) | 0x80;
    zLo = ((zLo >>> 7) | (zHi << 25)) >>> 0;
    zHi >>>= 7;
  }
  buf[pos++] = zLo;
  out.length = pos;
}

/**
 * INT32: append values[start..end). An empty range still gets a header (count 0,
 * first value 0) because a page's value stream must always be decodable.
 */
export function encodeDeltaBinaryPackedInt32(values: Int32Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'INT32');
  const count = end - start;
  writeHeader(count, out);
  if (count === 0) {
    out.writeU8(0);
    return;
  }
  let prev = values[start];
  writeZigzag32(prev, out);
  for (let blockStart = start + 1; blockStart < end; blockStart += DELTA_BLOCK_SIZE) {
    const n = Math.min(DELTA_BLOCK_SIZE, end - blockStart);
    // Step 1: deltas modulo 2^32 (`| 0` wraps the exact double difference).
    let minDelta = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const v = values[blockStart + i];
      const d = (v - prev) | 0;
      deltas32[i] = d;
      if (d < minDelta) minDelta = d;
      prev = v;
    }
    // Step 2: both operands are int32, so d - minDelta lies in [0, 2^32): exact as uint32.
    for (let i = 0; i < n; i++) relLo[i] = (deltas32[i] - minDelta) >>> 0;
    writeBlock32(n, minDelta, out);
  }
}

/** Step 3 for a 32-bit block whose relative deltas sit in relLo[0..n). */
function writeBlock32(n: number, minDelta: number, out: ByteWriter): void {
  out.ensure(MAX_BLOCK_BYTES);
  writeZigzag32(minDelta, out);
  const miniblocks = Math.ceil(n / VALUES_PER_MINIBLOCK);
  // Padding values are zero so the last miniblock's padding bits are zero (spec: "should").
  relLo.fill(0, n, miniblocks * VALUES_PER_MINIBLOCK);
  const buf = out.buffer;
  let pos = out.length;
  const widthsAt = pos;
  // Unused miniblocks keep width 0 and get no body (spec: "as if their bit widths were 0").
  for (let m = 0; m < DELTA_MINIBLOCKS_PER_BLOCK; m++) buf[pos++] = 0;
  for (let m = 0; m < miniblocks; m++) {
    const from = m * VALUES_PER_MINIBLOCK;
    let or = 0;
    for (let i = from; i < from + VALUES_PER_MINIBLOCK; i++) or |= relLo[i];
    const width = 32 - Math.clz32(or);
    buf[widthsAt + m] = width;
    pos = packMiniblock32(relLo, from, width, buf, pos);
  }
  out.length = pos;
}

/**
 * Bit-pack 32 values of `width` (0..32) bits LSB first. 32 values fill exactly `width`
 * 32-bit words, so the accumulator is flushed a whole word at a time and ends empty.
 */
function packMiniblock32(src: Uint32Array, from: number, width: number, buf: Uint8Array, pos: number): number {
  if (width === 0) return pos;
  let acc = 0;
  let bits = 0;
  const to = from + VALUES_PER_MINIBLOCK;
  for (let i = from; i < to; i++) {
    const v = src[i];
    acc |= v << bits; // bits that overflow the word are picked up again below
    bits += width;
    if (bits >= 32) {
      buf[pos] = acc & 0xff;
      buf[pos + 1] = (acc >>> 8) & 0xff;
      buf[pos + 2] = (acc >>> 16) & 0xff;
      buf[pos + 3] = acc >>> 24;
      pos += 4;
      bits -= 32;
      // The top `bits` bits of v did not fit (JS shifts are mod 32, so 0 needs a guard).
      acc = bits === 0 ? 0 : v >>> (width - bits);
    }
  }
  return pos;
}

/** Same for widths 33..64: each value is its low word (32 bits) then `width - 32` high bits. */
function packMiniblock64(lo: Uint32Array, hi: Uint32Array, from: number, width: number, buf: Uint8Array, pos: number): number {
  const hiWidth = width - 32;
  let acc = 0;
  let bits = 0;
  const to = from + VALUES_PER_MINIBLOCK;
  for (let i = from; i < to; i++) {
    // Low word: always completes the pending word and leaves `bits` unchanged.
    const l = lo[i];
    acc |= l << bits;
    buf[pos] = acc & 0xff;
    buf[pos + 1] = (acc >>> 8) & 0xff;
    buf[pos + 2] = (acc >>> 16) & 0xff;
    buf[pos + 3] = acc >>> 24;
    pos += 4;
    acc = bits === 0 ? 0 : l >>> (32 - bits);
    // High part, hiWidth bits.
    const h = hi[i];
    acc |= h << bits;
    bits += hiWidth;
    if (bits >= 32) {
      buf[pos] = acc & 0xff;
      buf[pos + 1] = (acc >>> 8) & 0xff;
      buf[pos + 2] = (acc >>> 16) & 0xff;
      buf[pos + 3] = acc >>> 24;
      pos += 4;
      bits -= 32;
      acc = bits === 0 ? 0 : h >>> (hiWidth - bits);
    }
  }
  return pos;
}

/** INT64: append values[start..end), all in uint32 halves (no BigInt per value). */
export function encodeDeltaBinaryPackedInt64(values: BigInt64Array, start: number, end: number, out: ByteWriter): void {
  checkRange(start, end, values.length, 'INT64');
  const count = end - start;
  writeHeader(count, out);
  if (count === 0) {
    out.writeU8(0);
    return;
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let prevLo = words[2 * start + INT64_LO];
  let prevHi = words[2 * start + INT64_HI];
  writeZigzag64(prevHi, prevLo, out);
  for (let blockStart = start + 1; blockStart < end; blockStart += DELTA_BLOCK_SIZE) {
    const n = Math.min(DELTA_BLOCK_SIZE, end - blockStart);
    // Step 1: deltas modulo 2^64, with a borrow between the halves. Track the minimum as
    // a signed 64-bit value: signed compare on the high word, unsigned on the low word.
    let minHi = 0x7fffffff; // as int32
    let minLo = 0xffffffff;
    for (let i = 0; i < n; i++) {
      const k = 2 * (blockStart + i);
      const vLo = words[k + INT64_LO];
      const vHi = words[k + INT64_HI];
      const dLo = (vLo - prevLo) >>> 0;
      const dHi = (vHi - prevHi - (vLo < prevLo ? 1 : 0)) | 0;
      relLo[i] = dLo;
      relHi[i] = dHi;
      if (dHi < minHi || (dHi === minHi && dLo < minLo)) {
        minHi = dHi;
        minLo = dLo;
      }
      prevLo = vLo;
      prevHi = vHi;
    }
    // Step 2: subtract the minimum (again modulo 2^64; the result is non-negative).
    for (let i = 0; i < n; i++) {
      const dLo = relLo[i];
      relLo[i] = dLo - minLo; // Uint32Array stores modulo 2^32
      relHi[i] = relHi[i] - minHi - (dLo < minLo ? 1 : 0);
    }
    writeBlock64(n, minHi >>> 0, minLo, out);
  }
}

function writeBlock64(n: number, minHi: number, minLo: number, out: ByteWriter): void {
  out.ensure(MAX_BLOCK_BYTES);
  writeZigzag64(minHi, minLo, out);
  const miniblocks = Math.ceil(n / VALUES_PER_MINIBLOCK);
  const padTo = miniblocks * VALUES_PER_MINIBLOCK;
  relLo.fill(0, n, padTo);
  relHi.fill(0, n, padTo);
  const buf = out.buffer;
  let pos = out.length;
  const widthsAt = pos;
  for (let m = 0; m < DELTA_MINIBLOCKS_PER_BLOCK; m++) buf[pos++] = 0;
  for (let m = 0; m < miniblocks; m++) {
    const from = m * VALUES_PER_MINIBLOCK;
    let orLo = 0;
    let orHi = 0;
    for (let i = from; i < from + VALUES_PER_MINIBLOCK; i++) {
      orLo |= relLo[i];
      orHi |= relHi[i];
    }
    const width = orHi !== 0 ? 64 - Math.clz32(orHi) : 32 - Math.clz32(orLo);
    buf[widthsAt + m] = width;
    pos = width <= 32 ? packMiniblock32(relLo, from, width, buf, pos) : packMiniblock64(relLo, relHi, from, width, buf, pos);
  }
  out.length = pos;
}
