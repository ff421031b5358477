import type { CodecFactory, ScratchCodec } from './codec.js';
import { snappyCompress } from './snappy-block.js';
import { snappyCompressWasm, snappyCompressWasmView } from './snappy-wasm.js';

/**
 * SNAPPY: Parquet uses the raw Snappy block format (no framing). Our own block compressor,
 * run as WebAssembly where the engine allows it (snappy-wasm.ts) and as JavaScript
 * (snappy-block.ts) otherwise; both write the same bytes, so a file does not depend on
 * where it was written.
 */
export const createSnappyCodec: CodecFactory = (): ScratchCodec => ({
  name: 'SNAPPY',
  compress: (input) => snappyCompressWasm(input) ?? snappyCompress(input),
  compressView: (input) => snappyCompressWasmView(input) ?? snappyCompress(input),
});
