import type { CodecFactory, ScratchCodec } from './codec.js';

/**
 * UNCOMPRESSED. `compress` returns a copy rather than its input: page assemblers typically
 * pass a view of a reused ByteWriter, and handing that view back would let the next page
 * overwrite this one's bytes only when compression is off, a bug that is easy to miss.
 * `compressView` returns the input itself, for a caller that copies it at once
 * (compressToScratch), so the page is copied once rather than twice.
 */
export const createUncompressedCodec: CodecFactory = (): ScratchCodec => ({
  name: 'UNCOMPRESSED',
  compress: (input: Uint8Array): Uint8Array => input.slice(),
  compressView: (input: Uint8Array): Uint8Array => input,
});
