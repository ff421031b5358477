import type { Codec, CodecFactory } from './codec.js';

/**
 * SNAPPY: Parquet uses the raw Snappy block format (no framing), which is what
 * snappyjs's `compress` produces. Pure JavaScript, so it works in browsers as well.
 */
export const createSnappyCodec: CodecFactory = async (): Promise<Codec> => {
  const snappy = await import('snappyjs');
  return {
    name: 'SNAPPY',
    compress: (input: Uint8Array): Uint8Array => snappy.compress(input),
  };
};
