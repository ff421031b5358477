import type { Codec, CodecFactory } from './codec.js';
import { checkLevel } from './levels.js';
import { loadNodeZlib } from './node-zlib.js';

/**
 * Brotli's own default (11) is very slow for bulk data; 8 is what Arrow C++ / PyArrow
 * default to for Parquet, a reasonable ratio at a tolerable speed.
 */
const DEFAULT_BROTLI_QUALITY = 8;

/** BROTLI_PARAM_QUALITY / BROTLI_PARAM_SIZE_HINT from brotli's encode.h. */
const BROTLI_PARAM_QUALITY = 1;
const BROTLI_PARAM_SIZE_HINT = 5;

/**
 * BROTLI via node:zlib. There is no bundled pure-JS brotli encoder, so in browsers this
 * factory fails with an explanation; users there can registerCodec('BROTLI', ...).
 */
export const createBrotliCodec: CodecFactory = async (options): Promise<Codec> => {
  const quality = checkLevel('BROTLI', options.level ?? DEFAULT_BROTLI_QUALITY, 0, 11);
  const zlib = await loadNodeZlib();
  const brotliCompressSync = zlib?.brotliCompressSync;
  if (!zlib || typeof brotliCompressSync !== 'function') {
    throw new Error(
      'BROTLI compression needs node:zlib, which is not available in this environment; ' +
        "use another codec or provide one with registerCodec('BROTLI', factory)",
    );
  }
  const qualityParam = zlib.constants.BROTLI_PARAM_QUALITY ?? BROTLI_PARAM_QUALITY;
  const sizeHintParam = zlib.constants.BROTLI_PARAM_SIZE_HINT ?? BROTLI_PARAM_SIZE_HINT;
  return {
    name: 'BROTLI',
    compress: (input: Uint8Array): Uint8Array => brotliCompressSync(input, { params: { [qualityParam]: quality, [sizeHintParam]: input.length } }),
  };
};
