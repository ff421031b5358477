import type { Codec, CodecFactory } from './codec.js';
import { checkLevel } from './levels.js';
import { loadNodeZlib } from './node-zlib.js';
import { loadZstdWasm } from './zstd-wasm.js';

/** zstd's own default level. */
const DEFAULT_ZSTD_LEVEL = 3;

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
      // does; Node versions that do not know the option ignore it.
      nativeCompress(input, { params: { [levelParam]: level }, pledgedSrcSize: input.length }),
  };
}

/** The @bokuweb/zstd-wasm path, available everywhere. */
export async function createWasmZstdCodec(level: number): Promise<Codec> {
  const zstd = await loadZstdWasm();
  return {
    name: 'ZSTD',
    compress: (input: Uint8Array): Uint8Array => zstd.compress(input, level),
  };
}
