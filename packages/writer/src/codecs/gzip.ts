import type { Codec, CodecFactory } from './codec.js';
import { checkLevel } from './levels.js';

/** fflate's (and zlib's) default trade-off. */
const DEFAULT_GZIP_LEVEL = 6;

/**
 * GZIP: Parquet requires a full gzip member (RFC 1952 header and trailer), not a bare
 * zlib or deflate stream, and fflate's gzipSync writes exactly that.
 */
export const createGzipCodec: CodecFactory = async (options): Promise<Codec> => {
  const level = checkLevel('GZIP', options.level ?? DEFAULT_GZIP_LEVEL, 0, 9);
  const { gzipSync } = await import('fflate');
  return {
    name: 'GZIP',
    compress: (input: Uint8Array): Uint8Array =>
      // mtime 0 means "no timestamp" (RFC 1952 MTIME); otherwise fflate stamps the
      // current time and identical pages would compress to different bytes.
      gzipSync(input, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9, mtime: 0 }),
  };
};
