import type { Codec, CodecFactory } from './codec.js';

/**
 * UNCOMPRESSED. It returns a copy rather than its input: page assemblers typically pass a
 * view of a reused ByteWriter, and handing that view back would let the next page
 * overwrite this one's bytes only when compression is off, a bug that is easy to miss.
 */
export const createUncompressedCodec: CodecFactory = (): Codec => ({
  name: 'UNCOMPRESSED',
  compress: (input: Uint8Array): Uint8Array => input.slice(),
});
