import type { Codec, CodecFactory } from './codec.js';
import { checkLevel } from './levels.js';
import { loadNodeZlib } from './node-zlib.js';
import { loadZstdWasm } from './zstd-wasm.js';

/**
 * Level 1, the default of the Parquet writers users compare with: Arrow C++ (pyarrow,
 * kZSTDDefaultCompressionLevel) and arrow-rs (parquet-wasm, ZstdLevel::default). zstd's own
 * default, 3, writes smaller pages at a much lower speed; `compressionLevel` picks any level
 * from 1 to 22.
 */
const DEFAULT_ZSTD_LEVEL = 1;

/** ZSTD_c_compressionLevel in zstd.h, for Node builds whose constants lack it. */
const ZSTD_C_COMPRESSION_LEVEL = 100;

/**
 * ZSTD: one zstd frame per page. Uses Node's built-in binding when this Node has it
 * (`zlib.zstdCompressSync`, Node >= 22.15 / 23.8), otherwise the @bokuweb/zstd-wasm build
 * (Node 20, browsers). Both produce standard frames any Parquet reader can decode.
 */
export const createZstdCodec: CodecFactory = async (options): Promise<Codec> => {
  const level = zstdLevel(options.level);
  return (await createNativeZstdCodec(level)) ?? createWasmZstdCodec(level);
};

/** Negative "fast" levels exist but are rarely wanted; keep to the documented 1..22. */
function zstdLevel(level: number | undefined): number {
  return checkLevel('ZSTD', level ?? DEFAULT_ZSTD_LEVEL, 1, 22);
}

/**
 * The node:zlib path, or undefined where this runtime has no `zstdCompressSync`.
 * Exported so the tests can run each path on a Node that has both.
 */
export async function createNativeZstdCodec(level: number): Promise<Codec | undefined> {
  const zlib = await loadNodeZlib();
  const nativeCompress = zlib?.zstdCompressSync;
  if (!zlib || typeof nativeCompress !== 'function') return undefined;
  const levelParam = zlib.constants.ZSTD_c_compressionLevel ?? ZSTD_C_COMPRESSION_LEVEL;
  return {
    name: 'ZSTD',
    compress: (input: Uint8Array): Uint8Array =>
      // pledgedSrcSize lets the frame header carry the content size, like ZSTD_compress
      // does; Node versions that do not know the option ignore it. An output buffer of
      // ZSTD_COMPRESSBOUND lets zstd finish the frame in one call, as ZSTD_compress does,
      // instead of flushing into and joining 16 KiB chunks.
      nativeCompress(input, { params: { [levelParam]: level }, pledgedSrcSize: input.length, chunkSize: compressBound(input.length) }),
  };
}

/** ZSTD_COMPRESSBOUND of zstd.h: the largest frame `n` bytes can compress to. */
function compressBound(n: number): number {
  const small = n < 128 << 10 ? ((128 << 10) - n) >> 11 : 0;
  return n + (n >> 8) + small;
}

/** The @bokuweb/zstd-wasm path, available everywhere. */
export async function createWasmZstdCodec(level: number): Promise<Codec> {
  const zstd = await loadZstdWasm();
  return {
    name: 'ZSTD',
    compress: (input: Uint8Array): Uint8Array => zstd.compress(input, level),
  };
}
