/**
 * Split-block bloom filter (BloomFilter.md, "Technical Approach" and "Algorithm").
 *
 * The bitset is a sequence of 256-bit blocks, each eight 32-bit lanes stored
 * little-endian. For a 64-bit xxhash h:
 *   - the block is ((h >>> 32) * numBlocks) >>> 32, i.e. the top 32 bits scaled to
 *     [0, numBlocks) by a multiply-shift (no modulo bias, no division);
 *   - lane i gets bit (lo32(h) * SALT[i]) >>> 27 (32-bit multiply), one bit per lane.
 * Insert sets the eight bits; check reports "maybe present" only if all eight are set.
 *
 * Hashes are passed as two uint32 halves so the per-value path needs no BigInt.
 */
import { IS_LITTLE_ENDIAN } from '../../encoding/endian.js';
import type { Hash64Parts } from './xxhash64.js';

/** The eight odd salt constants from the spec's `Mask` function. */
export const BLOOM_SALT: readonly number[] = Object.freeze([0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31]);
const S0 = 0x47b6137b,
  S1 = 0x44974d91,
  S2 = 0x8824ad5b,
  S3 = 0xa2b7289d;
const S4 = 0x705495c7,
  S5 = 0x2df1424b,
  S6 = 0x9efc4947,
  S7 = 0x5c6bfb31;

/** Bytes per block: 8 lanes of 32 bits. */
const BLOOM_BLOCK_BYTES = 32;

export class SplitBlockBloomFilter {
  readonly numBytes: number;
  readonly numBlocks: number;
  /** Lanes in native byte order; block b is words[8b .. 8b + 8). */
  readonly words: Uint32Array;

  /**
   * `numBytes` must be a positive multiple of 32. The spec's sizing (and most readers'
   * expectations) use powers of two; {@link optimalNumBytes} produces those.
   */
  constructor(numBytes: number) {
    if (!Number.isInteger(numBytes) || numBytes < BLOOM_BLOCK_BYTES || numBytes % BLOOM_BLOCK_BYTES !== 0) {
      throw new RangeError(`bloom filter: size must be a positive multiple of 32 bytes, got ${numBytes}`);
    }
    this.numBytes = numBytes;
    this.numBlocks = numBytes / BLOOM_BLOCK_BYTES;
    this.words = new Uint32Array(numBytes >>> 2);
  }

  /** Rebuild a filter from its serialized bitset (e.g. one read back from a file). */
  static fromBytes(bytes: Uint8Array): SplitBlockBloomFilter {
    const filter = new SplitBlockBloomFilter(bytes.length);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < filter.words.length; i++) filter.words[i] = view.getUint32(i * 4, true);
    return filter;
  }

  /**
   * Word offset of the block for hash high word `hi`: floor(hi * numBlocks / 2^32).
   * hi * numBlocks can exceed 2^53, so the product is taken in 16-bit pieces to stay exact
   * for any block count (not only powers of two).
   */
  private blockOffset(hi: number): number {
    const n = this.numBlocks;
    const low = (hi & 0xffff) * n; // < 2^48
    const high = (hi >>> 16) * n + Math.floor(low / 65536); // < 2^49
    return Math.floor(high / 65536) * 8;
  }

  /** Insert a hash given as uint32 halves (the hot path). */
  insertHashParts(hi: number, lo: number): void {
    const w = this.words;
    const o = this.blockOffset(hi >>> 0);
    w[o] |= 1 << (Math.imul(lo, S0) >>> 27);
    w[o + 1] |= 1 << (Math.imul(lo, S1) >>> 27);
    w[o + 2] |= 1 << (Math.imul(lo, S2) >>> 27);
    w[o + 3] |= 1 << (Math.imul(lo, S3) >>> 27);
    w[o + 4] |= 1 << (Math.imul(lo, S4) >>> 27);
    w[o + 5] |= 1 << (Math.imul(lo, S5) >>> 27);
    w[o + 6] |= 1 << (Math.imul(lo, S6) >>> 27);
    w[o + 7] |= 1 << (Math.imul(lo, S7) >>> 27);
  }

  /** True if the hash may have been inserted; false means it definitely was not. */
  checkHashParts(hi: number, lo: number): boolean {
    const w = this.words;
    const o = this.blockOffset(hi >>> 0);
    return (
      (w[o] & (1 << (Math.imul(lo, S0) >>> 27))) !== 0 &&
      (w[o + 1] & (1 << (Math.imul(lo, S1) >>> 27))) !== 0 &&
      (w[o + 2] & (1 << (Math.imul(lo, S2) >>> 27))) !== 0 &&
      (w[o + 3] & (1 << (Math.imul(lo, S3) >>> 27))) !== 0 &&
      (w[o + 4] & (1 << (Math.imul(lo, S4) >>> 27))) !== 0 &&
      (w[o + 5] & (1 << (Math.imul(lo, S5) >>> 27))) !== 0 &&
      (w[o + 6] & (1 << (Math.imul(lo, S6) >>> 27))) !== 0 &&
      (w[o + 7] & (1 << (Math.imul(lo, S7) >>> 27))) !== 0
    );
  }

  insertHash(hash: bigint | Hash64Parts): void {
    if (typeof hash === 'bigint') this.insertHashParts(Number((hash >> 32n) & 0xffffffffn), Number(hash & 0xffffffffn));
    else this.insertHashParts(hash.hi, hash.lo);
  }

  checkHash(hash: bigint | Hash64Parts): boolean {
    if (typeof hash === 'bigint') return this.checkHashParts(Number((hash >> 32n) & 0xffffffffn), Number(hash & 0xffffffffn));
    return this.checkHashParts(hash.hi, hash.lo);
  }

  /** Merge another filter of the same size into this one (bitwise OR). */
  union(other: SplitBlockBloomFilter): void {
    if (other.numBytes !== this.numBytes) {
      throw new RangeError(`bloom filter: cannot merge ${other.numBytes} bytes into ${this.numBytes}`);
    }
    for (let i = 0; i < this.words.length; i++) this.words[i] |= other.words[i];
  }

  /** Fraction of bits set: a cheap saturation signal. */
  fillRatio(): number {
    let set = 0;
    for (let i = 0; i < this.words.length; i++) {
      let x = this.words[i];
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      set += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    return set / (this.numBytes * 8);
  }

  /**
   * The bitset as written after the BloomFilterHeader: lanes little-endian. On
   * little-endian hosts this is a view of the live words (no copy); elsewhere a copy.
   */
  get bytes(): Uint8Array {
    if (IS_LITTLE_ENDIAN) return new Uint8Array(this.words.buffer, this.words.byteOffset, this.numBytes);
    const out = new Uint8Array(this.numBytes);
    const view = new DataView(out.buffer);
    for (let i = 0; i < this.words.length; i++) view.setUint32(i * 4, this.words[i], true);
    return out;
  }
}
