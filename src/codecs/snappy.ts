import type { Codec, CodecFactory } from './codec.js';
import { snappyCompress } from './snappy-block.js';

/**
 * SNAPPY: Parquet uses the raw Snappy block format (no framing). Our own block
 * compressor (snappy-block.ts) is pure JavaScript, so it works in browsers too, and is
 * several times faster than the snappyjs package it replaced.
 */
export const createSnappyCodec: CodecFactory = (): Codec => ({
  name: 'SNAPPY',
  compress: snappyCompress,
});
