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
  // Negative "fast" levels exist but are rarely wanted; keep to the documented 1..22.
  const level = checkLevel('ZSTD', options.level ?? DEFAULT_ZSTD_LEVEL, 1, 22);

  const zlib = await loadNodeZlib();
  const nativeCompress = zlib?.zstdCompressSync;
  if (zlib && typeof nativeCompress === 'function') {
    const levelParam = zlib.constants.ZSTD_c_compressionLevel ?? ZSTD_C_COMPRESSION_LEVEL;
    return {
      name: 'ZSTD',
      compress: (input: Uint8Array): Uint8Array =>
        // pledgedSrcSize lets the frame header carry the content size, like ZSTD_compress
        // does; Node versions that do not know the option ignore it.
        nativeCompress(input, { params: { [levelParam]: level }, pledgedSrcSize: input.length }),
    };
  }

  const zstd = await loadZstdWasm();
  return {
    name: 'ZSTD',
    compress: (input: Uint8Array): Uint8Array => zstd.compress(input, level),
  };
};
