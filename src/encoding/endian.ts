/**
 * Parquet stores every fixed-width PLAIN value little-endian (Encodings.md, "Plain: (PLAIN = 0)").
 * When the platform is little-endian too, a typed array's bytes are already in file order
 * and can be bulk-copied; otherwise encoders fall back to DataView writes.
 */
export const IS_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
