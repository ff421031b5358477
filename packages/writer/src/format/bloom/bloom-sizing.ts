/**
 * Bloom filter sizing (BloomFilter.md, "Build a Bloom filter"): for a target false
 * positive probability p, a split-block filter needs
 *
 *   c = -8 / ln(1 - p^(1/8))    bits per distinct value
 *
 * (the spec's prose quotes "about 11.54 bits" at p = 0.5%; the formula itself gives 11.03,
 * and we follow the formula, as Arrow does). The bit count is floored, then rounded up to
 * a power of two and clamped to [32 bytes, maxBytes], exactly like Arrow's
 * OptimalNumOfBits, so the same ndv/fpp yields the same filter size as pyarrow.
 */

/** One 256-bit block: the smallest filter there is. */
const BLOOM_FILTER_MIN_BYTES = 32;
/** Default upper bound, the same 128 MiB cap parquet-java and Arrow use. */
export const BLOOM_FILTER_DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

export interface BloomSizingOptions {
  /**
   * Byte cap. Rounded down to a power of two (at least 32), so a cap of 1000 yields at
   * most 512 bytes. Default {@link BLOOM_FILTER_DEFAULT_MAX_BYTES}.
   */
  maxBytes?: number;
}

function checkFpp(fpp: number): void {
  if (!(fpp > 0 && fpp < 1)) throw new RangeError(`bloom filter: fpp must be in (0, 1), got ${fpp}`);
}

/** Bits per distinct value for false-positive probability `fpp` (the spec formula). */
export function bloomBitsPerValue(fpp: number): number {
  checkFpp(fpp);
  return -8 / Math.log(1 - Math.pow(fpp, 1 / 8));
}

/**
 * Effective cap: the largest power of two <= maxBytes, and at most 2^30 because
 * BloomFilterHeader.numBytes is a Thrift i32.
 */
function effectiveMax(maxBytes: number | undefined): number {
  const cap = maxBytes ?? BLOOM_FILTER_DEFAULT_MAX_BYTES;
  if (!(cap >= BLOOM_FILTER_MIN_BYTES) || !Number.isFinite(cap)) {
    throw new RangeError(`bloom filter: maxBytes must be a finite number >= 32, got ${maxBytes}`);
  }
  let size = BLOOM_FILTER_MIN_BYTES;
  while (size * 2 <= cap && size < 2 ** 30) size *= 2;
  return size;
}

/**
 * Filter size in bytes for `ndv` distinct values at false-positive probability `fpp`:
 * the spec's bits-per-value times ndv, rounded up to a power of two and clamped to
 * [32, maxBytes]. When the cap bites, the realised fpp is worse than asked for; see
 * {@link bloomExpectedFpp}.
 */
export function optimalNumBytes(ndv: number, fpp: number, options: BloomSizingOptions = {}): number {
  if (!(ndv >= 0) || !Number.isFinite(ndv)) throw new RangeError(`bloom filter: ndv must be >= 0, got ${ndv}`);
  const max = effectiveMax(options.maxBytes);
  // Whole bits first, then the next power of two: the same rounding as Arrow's
  // OptimalNumOfBits, so equal inputs give equal filter sizes across writers.
  const bits = Math.floor(ndv * bloomBitsPerValue(fpp));
  if (bits <= BLOOM_FILTER_MIN_BYTES * 8) return BLOOM_FILTER_MIN_BYTES;
  if (bits >= max * 8) return max;
  let size = BLOOM_FILTER_MIN_BYTES;
  while (size * 8 < bits) size *= 2;
  return size;
}

/**
 * Expected false-positive probability of a `numBytes` filter holding `ndv` distinct
 * values, inverting the spec formula: p = (1 - e^(-8 / c))^8 with c = bits per value.
 * It ignores the uneven spread of values over blocks, which makes real filters slightly
 * worse when nearly full; good enough for choosing sizes and for test tolerances.
 */
export function bloomExpectedFpp(numBytes: number, ndv: number): number {
  if (ndv <= 0) return 0;
  const bitsPerValue = (numBytes * 8) / ndv;
  return Math.pow(1 - Math.exp(-8 / bitsPerValue), 8);
}
