/**
 * Encoder for the RLE / bit-packing hybrid (Encodings.md, "Run Length Encoding /
 * Bit-Packing Hybrid (RLE = 3)"). It is used for repetition and definition levels,
 * dictionary indices (RLE_DICTIONARY) and RLE booleans in v2 data pages.
 *
 * Grammar from the spec:
 *   encoded-data      := <run>*
 *   run               := <bit-packed-run> | <rle-run>
 *   bit-packed-header := varint-encode(<bit-pack-scaled-run-len> << 1 | 1)
 *                        (scaled run length = number of groups of 8 values)
 *   rle-header        := varint-encode((rle-run-len) << 1)
 *   repeated-value    := the value in round-up-to-next-byte(bit-width) bytes, little-endian
 *
 * Bit-packed values are packed from the least significant bit of each byte; only the
 * last group of the whole stream may be incomplete and it is padded with zero bits.
 *
 * This runs over every level and index of every column, so it works directly on the
 * caller's array (no per-value allocation) and writes straight into the ByteWriter.
 */
import type { ByteWriter } from './byte-writer.js';

/** Runs shorter than this are cheaper (or no worse) left inside a bit-packed run. */
const MIN_RLE_RUN = 8;

/**
 * Cap a bit-packed run at 63 groups (504 values) so its header is always one varint
 * byte. The spec allows longer runs, but this matches what parquet-mr and Arrow emit,
 * so readers with a hard-coded one-byte assumption are never surprised.
 */
const MAX_GROUPS_PER_BIT_PACKED_RUN = 63;
const MAX_VALUES_PER_BIT_PACKED_RUN = MAX_GROUPS_PER_BIT_PACKED_RUN * 8;

function checkArgs(values: ArrayLike<number>, count: number, bitWidth: number): void {
  if (!Number.isInteger(bitWidth) || bitWidth < 0 || bitWidth > 32) {
    throw new RangeError(`RLE hybrid: bit width must be an integer in 0..32, got ${bitWidth}`);
  }
  if (!Number.isInteger(count) || count < 0 || count > values.length) {
    throw new RangeError(`RLE hybrid: count ${count} is outside 0..${values.length}`);
  }
}

/**
 * Append the runs encoding `values[0..count)` at `bitWidth` bits per value. Writes no
 * length prefix: v1 level streams and v2 RLE booleans want a 4-byte length (see
 * {@link encodeRleHybridWithLengthPrefix}), dictionary indices want a 1-byte bit width,
 * and v2 levels want nothing (their length lives in the page header).
 *
 * Every value must fit in `bitWidth` bits (callers derive the width from the max).
 */
export function encodeRleHybrid(values: ArrayLike<number>, count: number, bitWidth: number, out: ByteWriter): void {
  checkArgs(values, count, bitWidth);
  const valueBytes = (bitWidth + 7) >>> 3;
  // Values in [literalStart, i) are waiting to go out as one bit-packed stretch.
  let literalStart = 0;
  let i = 0;
  while (i < count) {
    const value = values[i];
    let j = i + 1;
    while (j < count && values[j] === value) j++;
    const runLength = j - i;
    const pending = i - literalStart;
    if (pending === 0 && j === count) {
      // The whole remainder is one run: an RLE run is never larger than a bit-packed
      // group, even when it is shorter than MIN_RLE_RUN (e.g. a 3-row page of levels).
      writeRleRun(value, runLength, valueBytes, out);
      return;
    }
    if (runLength >= MIN_RLE_RUN) {
      // A bit-packed run must hold whole groups of 8 unless it ends the stream, so lend
      // the first few repeats of this run to the pending stretch to round it up.
      const borrow = (8 - (pending & 7)) & 7;
      if (runLength - borrow >= MIN_RLE_RUN) {
        if (pending + borrow > 0) {
          writeBitPacked(values, literalStart, i + borrow, bitWidth, out);
        }
        writeRleRun(value, runLength - borrow, valueBytes, out);
        literalStart = j;
      }
    }
    i = j;
  }
  if (literalStart < count) writeBitPacked(values, literalStart, count, bitWidth, out);
}

/**
 * The hybrid runs preceded by their byte length as a 4-byte little-endian integer
 * (Encodings.md: `rle-bit-packed-hybrid: <length> <encoded-data>`), as used for data
 * page v1 repetition/definition levels and for RLE-encoded booleans.
 */
export function encodeRleHybridWithLengthPrefix(values: ArrayLike<number>, count: number, bitWidth: number, out: ByteWriter): void {
  checkArgs(values, count, bitWidth);
  out.ensure(4);
  const lengthAt = out.length;
  out.length += 4;
  encodeRleHybrid(values, count, bitWidth, out);
  // `out.view` may have been replaced by a reallocation during encoding.
  out.view.setUint32(lengthAt, out.length - lengthAt - 4, true);
}

/** rle-run := varint(run-len << 1) then the value in ceil(bitWidth / 8) bytes, LE. */
function writeRleRun(value: number, runLength: number, valueBytes: number, out: ByteWriter): void {
  // Multiply rather than shift: run lengths can exceed 2^30 in principle.
  out.writeVarint(runLength * 2);
  out.ensure(valueBytes);
  const buf = out.buffer;
  let pos = out.length;
  for (let b = 0; b < valueBytes; b++) buf[pos++] = (value >>> (8 * b)) & 0xff;
  out.length = pos;
}

/**
 * Bit-pack values[from..to) as one or more bit-packed runs of at most 63 groups. Only
 * the final call of a stream may have a length that is not a multiple of 8; its last
 * group is padded with zero bits, as the spec requires.
 */
function writeBitPacked(values: ArrayLike<number>, from: number, to: number, bitWidth: number, out: ByteWriter): void {
  for (let start = from; start < to; start += MAX_VALUES_PER_BIT_PACKED_RUN) {
    const end = Math.min(to, start + MAX_VALUES_PER_BIT_PACKED_RUN);
    const groups = Math.ceil((end - start) / 8);
    out.ensure(1 + groups * bitWidth);
    const buf = out.buffer;
    let pos = out.length;
    buf[pos++] = (groups << 1) | 1;
    const padding = groups * 8 - (end - start);
    pos = bitWidth <= 24 ? packNarrow(values, start, end, padding, bitWidth, buf, pos) : packWide(values, start, end, padding, bitWidth, buf, pos);
    out.length = pos;
  }
}

/**
 * LSB-first packing with 32-bit integer arithmetic. With at most 7 leftover bits plus a
 * value of at most 24 bits the accumulator stays below 2^31, so `|` and `<<` are exact.
 */
function packNarrow(values: ArrayLike<number>, from: number, to: number, padding: number, bitWidth: number, buf: Uint8Array, pos: number): number {
  let acc = 0;
  let bits = 0;
  for (let k = from; k < to; k++) {
    acc |= values[k] << bits;
    bits += bitWidth;
    while (bits >= 8) {
      buf[pos++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  // Zero-valued padding just advances the bit cursor and flushes what is left.
  for (let k = 0; k < padding; k++) {
    bits += bitWidth;
    while (bits >= 8) {
      buf[pos++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  return pos;
}

/**
 * Same packing for 25..32-bit widths. Pending bits plus a value can reach 39 bits, more
 * than one 32-bit integer, so each step emits the low 3 or 4 bytes of
 * `pending | value << bits` and carries the value's top bits over, all in integer ops.
 */
function packWide(values: ArrayLike<number>, from: number, to: number, padding: number, bitWidth: number, buf: Uint8Array, pos: number): number {
  let acc = 0; // pending bits, fewer than 8
  let bits = 0;
  const end = to + padding;
  for (let k = from; k < end; k++) {
    const value = k < to ? values[k] >>> 0 : 0;
    const low = (acc | (value << bits)) >>> 0;
    const total = bits + bitWidth; // 25..39
    buf[pos++] = low & 0xff;
    buf[pos++] = (low >>> 8) & 0xff;
    buf[pos++] = (low >>> 16) & 0xff;
    if (total >= 32) {
      buf[pos++] = low >>> 24;
      // The value bits that did not fit below bit 32 (none when bits is 0).
      acc = bits === 0 ? 0 : value >>> (32 - bits);
      bits = total - 32;
    } else {
      acc = low >>> 24;
      bits = total - 24;
    }
  }
  return pos;
}
