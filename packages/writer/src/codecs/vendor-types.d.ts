// Minimal declarations for the two untyped CommonJS codec packages, covering only the
// functions this project calls.

declare module 'snappyjs' {
  /** Raw (unframed) Snappy block format, which is what Parquet's SNAPPY codec means. */
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}

declare module 'lz4js' {
  /** Worst-case compressed size of an n-byte input. */
  export function compressBound(n: number): number;
  /**
   * Compresses src[sIndex .. sIndex + sLength) into dst as one raw LZ4 block and returns
   * the compressed size, or 0 when it found nothing to compress.
   * `hashTable` must hold 65536 entries and be zeroed before each call.
   */
  export function compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  /** Decodes a raw LZ4 block into dst starting at dIndex; returns the end index. */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
}
