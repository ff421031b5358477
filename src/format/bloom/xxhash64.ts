/**
 * XXH64 with seed 0, the hash of Parquet bloom filters (BloomFilter.md, "Hash Function":
 * xxHash, "the least-significant 64 bits version of the function on the x86-64
 * platform", i.e. classic XXH64 reading input as little-endian words).
 *
 * Implemented from the XXH64 algorithm description (stripes of 32 bytes over four
 * accumulators, then 8-, 4- and 1-byte tail steps, then the avalanche), with 64-bit
 * arithmetic done on two uint32 halves: the writer hashes every value of a bloom-enabled
 * column, and BigInt arithmetic would allocate on each step.
 *
 * Results are written into a caller-owned {@link Hash64Parts} so the hot path allocates
 * nothing; {@link xxhash64} is the convenient BigInt-returning form.
 *
 * Parquet hashes the PLAIN encoding of a value (without the 4-byte length prefix for
 * BYTE_ARRAY), so the fixed-width fast paths below hash exactly those 4 or 8 bytes.
 */
import { IS_LITTLE_ENDIAN } from '../../encoding/endian.js';

/** A 64-bit hash as two uint32 halves. */
export interface Hash64Parts {
  hi: number;
  lo: number;
}

/** Reusable output cell for the hash functions. */
export class Hash64 implements Hash64Parts {
  hi = 0;
  lo = 0;

  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

// XXH64 primes, as (hi, lo) uint32 halves.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// Result "register" of the 64-bit helpers below. Returning two numbers through module
// state keeps them allocation-free; every caller copies the pair out immediately.
let rh = 0;
let rl = 0;

/** (a * b) mod 2^64. The low words' full 64-bit product is built from 16-bit limbs. */
function mul(aH: number, aL: number, bH: number, bL: number): void {
  const a0 = aL & 0xffff;
  const a1 = aL >>> 16;
  const b0 = bL & 0xffff;
  const b1 = bL >>> 16;
  const p00 = a0 * b0; // each partial product < 2^32: exact doubles
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carryHi = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rl = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  // Cross terms only affect the high word, where 32-bit wrap-around is what we want.
  rh = (carryHi + Math.imul(aH, bL) + Math.imul(aL, bH)) >>> 0;
}

/** (a + b) mod 2^64. */
function add(aH: number, aL: number, bH: number, bL: number): void {
  const lo = aL + bL;
  rl = lo >>> 0;
  rh = (aH + bH + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotate left by 0 < r < 32 (every XXH64 rotation is below 32). */
function rotl(h: number, l: number, r: number): void {
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** XXH64_round: acc = rotl(acc + lane * P2, 31) * P1. */
function round(accH: number, accL: number, laneH: number, laneL: number): void {
  mul(laneH, laneL, P2H, P2L);
  add(accH, accL, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** XXH64_mergeRound: acc = (acc ^ round(0, v)) * P1 + P4. */
function mergeRound(accH: number, accL: number, vH: number, vL: number): void {
  round(0, 0, vH, vL);
  mul((accH ^ rh) >>> 0, (accL ^ rl) >>> 0, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

/** Tail step for 8 bytes: h = rotl(h ^ round(0, lane), 27) * P1 + P4. */
function step8(hH: number, hL: number, laneH: number, laneL: number): void {
  round(0, 0, laneH, laneL);
  rotl((hH ^ rh) >>> 0, (hL ^ rl) >>> 0, 27);
  mul(rh, rl, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

/** Tail step for 4 bytes: h = rotl(h ^ (word * P1), 23) * P2 + P3. */
function step4(hH: number, hL: number, word: number): void {
  mul(0, word, P1H, P1L);
  rotl((hH ^ rh) >>> 0, (hL ^ rl) >>> 0, 23);
  mul(rh, rl, P2H, P2L);
  add(rh, rl, P3H, P3L);
}

/** Tail step for 1 byte: h = rotl(h ^ (byte * P5), 11) * P1. */
function step1(hH: number, hL: number, byte: number): void {
  mul(0, byte, P5H, P5L);
  rotl((hH ^ rh) >>> 0, (hL ^ rl) >>> 0, 11);
  mul(rh, rl, P1H, P1L);
}

/** XXH64_avalanche, written into `out`. */
function avalanche(hH: number, hL: number, out: Hash64Parts): Hash64Parts {
  hL = (hL ^ (hH >>> 1)) >>> 0; // h ^= h >> 33
  mul(hH, hL, P2H, P2L);
  hH = rh;
  hL = (rl ^ ((rl >>> 29) | (rh << 3))) >>> 0; // h ^= h >> 29
  hH = (hH ^ (hH >>> 29)) >>> 0;
  mul(hH, hL, P3H, P3L);
  out.hi = rh;
  out.lo = (rl ^ rh) >>> 0; // h ^= h >> 32
  return out;
}

function readU32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

// Seed-0 accumulator start values: v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (mod 2^64).
add(P1H, P1L, P2H, P2L);
const V1H = rh;
const V1L = rl;
add(~P1H >>> 0, ~P1L >>> 0, 0, 1);
const V4H = rh;
const V4L = rl;

/** XXH64(bytes[start..end), seed 0) into `out`. */
export function xxhash64Bytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Hash64Parts = new Hash64(),
): Hash64Parts {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > bytes.length) {
    throw new RangeError(`xxhash64: range [${start}, ${end}) is outside [0, ${bytes.length})`);
  }
  const len = end - start;
  let p = start;
  let hH: number;
  let hL: number;
  if (len >= 32) {
    let v1H = V1H, v1L = V1L, v2H = P2H, v2L = P2L;
    let v3H = 0, v3L = 0, v4H = V4H, v4L = V4L;
    for (const limit = end - 32; p <= limit; p += 32) {
      round(v1H, v1L, readU32(bytes, p + 4), readU32(bytes, p));
      v1H = rh; v1L = rl;
      round(v2H, v2L, readU32(bytes, p + 12), readU32(bytes, p + 8));
      v2H = rh; v2L = rl;
      round(v3H, v3L, readU32(bytes, p + 20), readU32(bytes, p + 16));
      v3H = rh; v3L = rl;
      round(v4H, v4L, readU32(bytes, p + 28), readU32(bytes, p + 24));
      v4H = rh; v4L = rl;
    }
    // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
    rotl(v1H, v1L, 1);
    hH = rh; hL = rl;
    rotl(v2H, v2L, 7);
    add(hH, hL, rh, rl);
    hH = rh; hL = rl;
    rotl(v3H, v3L, 12);
    add(hH, hL, rh, rl);
    hH = rh; hL = rl;
    rotl(v4H, v4L, 18);
    add(hH, hL, rh, rl);
    hH = rh; hL = rl;
    mergeRound(hH, hL, v1H, v1L);
    mergeRound(rh, rl, v2H, v2L);
    mergeRound(rh, rl, v3H, v3L);
    mergeRound(rh, rl, v4H, v4L);
    hH = rh; hL = rl;
  } else {
    hH = P5H;
    hL = P5L;
  }
  // h += total length (a double below 2^53, split into halves).
  add(hH, hL, Math.floor(len / 0x100000000), len >>> 0);
  hH = rh; hL = rl;
  for (; p + 8 <= end; p += 8) {
    step8(hH, hL, readU32(bytes, p + 4), readU32(bytes, p));
    hH = rh; hL = rl;
  }
  if (p + 4 <= end) {
    step4(hH, hL, readU32(bytes, p));
    hH = rh; hL = rl;
    p += 4;
  }
  for (; p < end; p++) {
    step1(hH, hL, bytes[p]);
    hH = rh; hL = rl;
  }
  return avalanche(hH, hL, out);
}

/** Convenience form returning a BigInt (allocates; not for per-value use). */
export function xxhash64(bytes: Uint8Array): bigint {
  const h = xxhash64Bytes(bytes, 0, bytes.length, new Hash64());
  return (BigInt(h.hi) << 32n) | BigInt(h.lo);
}

// h after "h = P5 + len" for the 4- and 8-byte fast paths.
add(P5H, P5L, 0, 4);
const L4H = rh;
const L4L = rl;
add(P5H, P5L, 0, 8);
const L8H = rh;
const L8L = rl;

/** Hash of a 4-byte little-endian word, i.e. of a PLAIN INT32 (or FLOAT bit pattern). */
export function xxhash64Int32(value: number, out: Hash64Parts): Hash64Parts {
  step4(L4H, L4L, value >>> 0);
  return avalanche(rh, rl, out);
}

/** Hash of a PLAIN INT64 given as signed or unsigned 32-bit halves. */
export function xxhash64Int64(hi: number, lo: number, out: Hash64Parts): Hash64Parts {
  step8(L8H, L8L, hi >>> 0, lo >>> 0);
  return avalanche(rh, rl, out);
}

// Scratch for reinterpreting floats and bigints as words, allocated once.
const scratch = new ArrayBuffer(8);
const scratchView = new DataView(scratch);
const scratchI64 = new BigInt64Array(scratch);
const scratchU32 = new Uint32Array(scratch);
const LO = IS_LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** Hash of a PLAIN INT64 given as a bigint (any value; taken modulo 2^64). */
export function xxhash64BigInt64(value: bigint, out: Hash64Parts): Hash64Parts {
  scratchI64[0] = value;
  return xxhash64Int64(scratchU32[HI], scratchU32[LO], out);
}

/** Hash of a PLAIN FLOAT: the IEEE 754 single bit pattern (NaN payloads as stored). */
export function xxhash64Float(value: number, out: Hash64Parts): Hash64Parts {
  scratchView.setFloat32(0, value, true);
  return xxhash64Int32(scratchView.getUint32(0, true), out);
}

/** Hash of a PLAIN DOUBLE: the IEEE 754 double bit pattern. */
export function xxhash64Double(value: number, out: Hash64Parts): Hash64Parts {
  scratchView.setFloat64(0, value, true);
  return xxhash64Int64(scratchView.getUint32(4, true), scratchView.getUint32(0, true), out);
}
