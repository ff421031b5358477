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
const P1H = 0x9e3779b1,
  P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d,
  P2L = 0x27d4eb4f;
const P3H = 0x165667b1,
  P3L = 0x9e3779f9;
const P4H = 0x85ebca77,
  P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f,
  P5L = 0x165667c5;

/*
 * Representation: inside this module every 64-bit quantity is two int32 locals (hi, lo),
 * normalised with `| 0`. int32 values are small integers to V8, so passing them to a
 * helper that is not inlined never boxes a heap number, which uint32 values above 2^31
 * would. The low word of a product is Math.imul; only the high word needs a helper.
 */

/**
 * High word of (x * c) mod 2^64, as int32. The 64-bit product of the low words is built
 * from 16-bit limbs (every partial product is below 2^32, so exact in a double).
 */
function mulHi(xH: number, xL: number, cH: number, cL: number): number {
  const a0 = xL & 0xffff;
  const a1 = xL >>> 16;
  const b0 = cL & 0xffff;
  const b1 = cL >>> 16;
  const p01 = a0 * b1; // each partial product < 2^32: exact doubles
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  // The cross terms only reach the high word, where wrap-around (the final | 0) is wanted.
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(xH, cL) + Math.imul(xL, cH)) | 0;
}

// Stripe accumulators v1..v4 as [hi, lo] pairs, and the running hash of the long path.
// Typed-array state keeps helpers allocation-free without returning pairs.
const V = new Int32Array(8);

/** V[i] = XXH64_round(V[i], lane) = rotl(V[i] + lane * P2, 31) * P1. */
function roundV(i: number, laneH: number, laneL: number): void {
  const tH = mulHi(laneH, laneL, P2H, P2L);
  const tL = Math.imul(laneL, P2L);
  const aL = V[i + 1];
  const sL = (aL + tL) | 0;
  const sH = (V[i] + tH + (sL >>> 0 < aL >>> 0 ? 1 : 0)) | 0;
  const rH = (sH << 31) | (sL >>> 1);
  const rL = (sL << 31) | (sH >>> 1);
  V[i] = mulHi(rH, rL, P1H, P1L);
  V[i + 1] = Math.imul(rL, P1L);
}

const H = new Int32Array(2);

/** XXH64_mergeRound on H: h = (h ^ round(0, v)) * P1 + P4. */
function mergeH(vH: number, vL: number): void {
  const tH = mulHi(vH, vL, P2H, P2L);
  const tL = Math.imul(vL, P2L);
  const rH = (tH << 31) | (tL >>> 1);
  const rL = (tL << 31) | (tH >>> 1);
  const hH = H[0] ^ mulHi(rH, rL, P1H, P1L);
  const hL = H[1] ^ Math.imul(rL, P1L);
  const mH = mulHi(hH, hL, P1H, P1L);
  const mL = Math.imul(hL, P1L);
  const sL = (mL + P4L) | 0;
  H[0] = (mH + P4H + (sL >>> 0 < mL >>> 0 ? 1 : 0)) | 0;
  H[1] = sL;
}

/** h += (cH, cL) on H. */
function addH(cH: number, cL: number): void {
  const aL = H[1];
  const sL = (aL + cL) | 0;
  H[0] = (H[0] + cH + (sL >>> 0 < aL >>> 0 ? 1 : 0)) | 0;
  H[1] = sL;
}

/** h += rotl(V[i], r), 0 < r < 32. */
function addRotatedV(i: number, r: number): void {
  const vH = V[i];
  const vL = V[i + 1];
  addH((vH << r) | (vL >>> (32 - r)), (vL << r) | (vH >>> (32 - r)));
}

/** h = rotl(h, r) on H, 0 < r < 32. */
function rotlH(r: number): void {
  const hH = H[0];
  const hL = H[1];
  H[0] = (hH << r) | (hL >>> (32 - r));
  H[1] = (hL << r) | (hH >>> (32 - r));
}

/** 8-byte tail step into H: h = rotl(h ^ round(0, lane), 27) * P1 + P4. */
function step8(hH: number, hL: number, laneH: number, laneL: number): void {
  let tH = mulHi(laneH, laneL, P2H, P2L);
  let tL = Math.imul(laneL, P2L);
  let rH = (tH << 31) | (tL >>> 1);
  let rL = (tL << 31) | (tH >>> 1);
  hH ^= mulHi(rH, rL, P1H, P1L);
  hL ^= Math.imul(rL, P1L);
  rH = (hH << 27) | (hL >>> 5);
  rL = (hL << 27) | (hH >>> 5);
  tH = mulHi(rH, rL, P1H, P1L);
  tL = Math.imul(rL, P1L);
  const sL = (tL + P4L) | 0;
  H[0] = (tH + P4H + (sL >>> 0 < tL >>> 0 ? 1 : 0)) | 0;
  H[1] = sL;
}

/** 4-byte tail step on H: h = rotl(h ^ (word * P1), 23) * P2 + P3. */
function step4(hH: number, hL: number, word: number): void {
  hH ^= mulHi(0, word, P1H, P1L);
  hL ^= Math.imul(word, P1L);
  const rH = (hH << 23) | (hL >>> 9);
  const rL = (hL << 23) | (hH >>> 9);
  const tH = mulHi(rH, rL, P2H, P2L);
  const tL = Math.imul(rL, P2L);
  const sL = (tL + P3L) | 0;
  H[0] = (tH + P3H + (sL >>> 0 < tL >>> 0 ? 1 : 0)) | 0;
  H[1] = sL;
}

/** 1-byte tail step on H: h = rotl(h ^ (byte * P5), 11) * P1. */
function step1(byte: number): void {
  const hH = H[0] ^ mulHi(0, byte, P5H, P5L);
  const hL = H[1] ^ Math.imul(byte, P5L);
  const rH = (hH << 11) | (hL >>> 21);
  const rL = (hL << 11) | (hH >>> 21);
  H[0] = mulHi(rH, rL, P1H, P1L);
  H[1] = Math.imul(rL, P1L);
}

/** XXH64_avalanche of H, written into `out` as uint32 halves. */
function avalanche(out: Hash64Parts): Hash64Parts {
  let hH = H[0];
  let hL = H[1] ^ (hH >>> 1); // h ^= h >> 33
  let tH = mulHi(hH, hL, P2H, P2L);
  let tL = Math.imul(hL, P2L);
  hL = tL ^ ((tL >>> 29) | (tH << 3)); // h ^= h >> 29
  hH = tH ^ (tH >>> 29);
  tH = mulHi(hH, hL, P3H, P3L);
  tL = Math.imul(hL, P3L);
  out.hi = tH >>> 0;
  out.lo = (tL ^ tH) >>> 0; // h ^= h >> 32
  return out;
}

function readI32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/** XXH64(bytes[start..end), seed 0) into `out`. */
export function xxhash64Bytes(bytes: Uint8Array, start: number, end: number, out: Hash64Parts = new Hash64()): Hash64Parts {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > bytes.length) {
    throw new RangeError(`xxhash64: range [${start}, ${end}) is outside [0, ${bytes.length})`);
  }
  const len = end - start;
  let p = start;
  if (len >= 32) {
    // Seed-0 start values: v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (mod 2^64).
    V[0] = 0x60ea27ee;
    V[1] = 0xadc0b5d6;
    V[2] = P2H;
    V[3] = P2L;
    V[4] = 0;
    V[5] = 0;
    V[6] = 0x61c8864e;
    V[7] = 0x7a143579;
    for (const limit = end - 32; p <= limit; p += 32) {
      roundV(0, readI32(bytes, p + 4), readI32(bytes, p));
      roundV(2, readI32(bytes, p + 12), readI32(bytes, p + 8));
      roundV(4, readI32(bytes, p + 20), readI32(bytes, p + 16));
      roundV(6, readI32(bytes, p + 28), readI32(bytes, p + 24));
    }
    // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18), then four merge rounds.
    H[0] = V[0];
    H[1] = V[1];
    rotlH(1);
    addRotatedV(2, 7);
    addRotatedV(4, 12);
    addRotatedV(6, 18);
    for (let k = 0; k < 8; k += 2) mergeH(V[k], V[k + 1]);
  } else {
    H[0] = P5H;
    H[1] = P5L;
  }
  // h += total length (a double below 2^53, split into halves).
  addH(Math.floor(len / 0x100000000) | 0, len | 0);
  for (; p + 8 <= end; p += 8) step8(H[0], H[1], readI32(bytes, p + 4), readI32(bytes, p));
  if (p + 4 <= end) {
    step4(H[0], H[1], readI32(bytes, p));
    p += 4;
  }
  for (; p < end; p++) step1(bytes[p]);
  return avalanche(out);
}

/** Convenience form returning a BigInt (allocates; not for per-value use). */
export function xxhash64(bytes: Uint8Array): bigint {
  const h = xxhash64Bytes(bytes, 0, bytes.length, new Hash64());
  return (BigInt(h.hi) << 32n) | BigInt(h.lo);
}

// h = P5 + len for the 4- and 8-byte fast paths (no carry: P5's low word + 8 < 2^32).
const L4L = (P5L + 4) | 0;
const L8L = (P5L + 8) | 0;

/** Hash of a 4-byte little-endian word, i.e. of a PLAIN INT32 (or FLOAT bit pattern). */
export function xxhash64Int32(value: number, out: Hash64Parts): Hash64Parts {
  step4(P5H, L4L, value | 0);
  return avalanche(out);
}

/** Hash of a PLAIN INT64 given as signed or unsigned 32-bit halves. */
export function xxhash64Int64(hi: number, lo: number, out: Hash64Parts): Hash64Parts {
  step8(P5H, L8L, hi | 0, lo | 0);
  return avalanche(out);
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
