import { Type, type Statistics } from '../thrift/parquet-metadata.js';
import type { PrimitiveMapping } from '../schema/primitive-mapping.js';
import type { ValueStats } from './statistics.js';

/**
 * Turns ValueStats into parquet.thrift Statistics: min_value/max_value PLAIN-encoded
 * (no length prefix for byte arrays), null_count always, nan_count for floating types.
 * Byte values longer than `truncateLength` are truncated: the min to a prefix (still a
 * lower bound), the max to a prefix whose last byte (or, for text, last character) is
 * incremented (an upper bound); is_*_value_exact says whether that happened.
 */
export function encodeStatistics(stats: ValueStats, mapping: PrimitiveMapping, truncateLength: number, distinctCount?: number): Statistics {
  const out: Statistics = { null_count: stats.nullCount };
  if (distinctCount !== undefined) out.distinct_count = distinctCount;
  if (mapping.sortOrder === 'float' || mapping.sortOrder === 'double' || mapping.sortOrder === 'float16') {
    out.nan_count = stats.nanCount;
  }
  if (stats.min === undefined || stats.max === undefined) return out;
  const min = plainBytes(stats.min, mapping);
  const max = plainBytes(stats.max, mapping);
  // Only BYTE_ARRAY values are truncated: a FIXED_LEN_BYTE_ARRAY min/max shorter than the
  // type length makes readers (pyarrow) fail hard when they decode the statistics.
  const truncatable = mapping.sortOrder === 'bytes' && mapping.physicalType === Type.BYTE_ARRAY && truncateLength > 0;
  if (truncatable && min.length > truncateLength) {
    out.min_value = mapping.isText ? truncateTextMin(min, truncateLength) : min.slice(0, truncateLength);
    out.is_min_value_exact = false;
  } else {
    out.min_value = min;
    out.is_min_value_exact = true;
  }
  const upper =
    truncatable && max.length > truncateLength ? (mapping.isText ? truncateTextMax(max, truncateLength) : truncateBytesMax(max, truncateLength)) : undefined;
  out.max_value = upper ?? max;
  out.is_max_value_exact = upper === undefined;
  return out;
}

function plainBytes(v: number | bigint | Uint8Array, mapping: PrimitiveMapping): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const sort = mapping.sortOrder;
  if (sort === 'boolean') return Uint8Array.of(v ? 1 : 0);
  if (typeof v === 'bigint') {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, v, true);
    return b;
  }
  if (sort === 'double') {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return b;
  }
  const b = new Uint8Array(4);
  if (sort === 'float') new DataView(b.buffer).setFloat32(0, v, true);
  else new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** A prefix of at most `n` bytes that ends on a UTF-8 character boundary. */
function textPrefixLength(bytes: Uint8Array, n: number): number {
  let end = n;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // bytes[end] continues a character
  return end;
}

function truncateTextMin(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.slice(0, textPrefixLength(bytes, n));
}

/** Shortest prefix-based upper bound: drop trailing 0xFF bytes, increment the last. */
function truncateBytesMax(bytes: Uint8Array, n: number): Uint8Array | undefined {
  const out = bytes.slice(0, n);
  for (let i = n - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++;
      return out.slice(0, i + 1);
    }
  }
  return undefined; // all 0xFF: no shorter upper bound exists, keep the exact value
}

/** Length in bytes of the UTF-8 character whose lead byte is `b`. */
function utf8Length(b: number): number {
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/** The code point of the UTF-8 character of `len` bytes at bytes[at]. */
function decodeCodePoint(bytes: Uint8Array, at: number, len: number): number {
  if (len === 1) return bytes[at]!;
  let cp = bytes[at]! & (0xff >> (len + 1));
  for (let i = 1; i < len; i++) cp = (cp << 6) | (bytes[at + i]! & 0x3f);
  return cp;
}

const LEAD_BITS = [0, 0, 0xc0, 0xe0, 0xf0];

/** Writes code point `cp` as UTF-8 at out[at]; returns its length. */
function encodeCodePoint(cp: number, out: Uint8Array, at: number): number {
  if (cp < 0x80) {
    out[at] = cp;
    return 1;
  }
  const len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  for (let i = len - 1; i > 0; i--) {
    out[at + i] = 0x80 | (cp & 0x3f);
    cp >>= 6;
  }
  out[at] = LEAD_BITS[len]! | cp;
  return len;
}

/**
 * Like truncateBytesMax but increments whole code points, so the bound stays valid UTF-8
 * (parquet.thrift Statistics: a bound must be a valid value of the logical type). It works
 * on the bytes themselves: decoding to a JS string and back could change them (a default
 * TextDecoder drops a leading U+FEFF, and the bound would then sort below the value).
 */
function truncateTextMax(bytes: Uint8Array, n: number): Uint8Array | undefined {
  const end = textPrefixLength(bytes, n);
  const starts: number[] = [];
  for (let i = 0; i < end; i += utf8Length(bytes[i]!)) starts.push(i);
  const out = new Uint8Array(n + 4);
  out.set(bytes.subarray(0, end));
  while (starts.length > 0) {
    const at = starts.pop()!;
    let cp = decodeCodePoint(bytes, at, utf8Length(bytes[at]!)) + 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000; // skip the surrogate range
    if (cp > 0x10ffff) continue; // no larger character: drop this one and increment the one before
    const length = at + encodeCodePoint(cp, out, at);
    if (length <= n) return out.slice(0, length);
  }
  return undefined;
}
