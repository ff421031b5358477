// The process's one @bokuweb/zstd-wasm instance. A second init() of that module corrupts the
// first one's calls, so code beside the writer that needs zstd (decompressing a data lake's
// objects, say) loads it through here and shares the instance the ZSTD codec uses.
export { loadZstdWasm, type WasmZstd } from './codecs/zstd-wasm.js';
