/**
 * Parquet stores every fixed-width PLAIN value little-endian (Encodings.md, "Plain: (PLAIN = 0)").
 * When the platform is little-endian too, a typed array's bytes are already in file order
 * and can be bulk-copied; otherwise encoders fall back to DataView writes.
 */
export const IS_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Where an int64's low and high 32-bit halves sit in a 32-bit view of a BigInt64Array
 * (native word order): code that reads or writes int64 values as two words, without a
 * BigInt per value, indexes value i's halves as 2 * i + INT64_LO and 2 * i + INT64_HI.
 */
export const INT64_LO = IS_LITTLE_ENDIAN ? 0 : 1;
export const INT64_HI = 1 - INT64_LO;
