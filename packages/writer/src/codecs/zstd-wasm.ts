/**
 * The one loader of @bokuweb/zstd-wasm in this package. The module must be initialised
 * exactly once per process: a second init() swaps the WASM memory under wrappers bound to
 * the first instance and corrupts every later call. So the Parquet codec and the data-lake
 * source's decompressor both go through this singleton.
 */
export interface WasmZstd {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array, opts?: { defaultHeapSize?: number }): Uint8Array;
}

let ready: Promise<WasmZstd> | undefined;

export function loadZstdWasm(): Promise<WasmZstd> {
  ready ??= (async () => {
    const mod = (await import('@bokuweb/zstd-wasm')) as unknown as WasmZstd & { default?: WasmZstd };
    const api = typeof mod.init === 'function' ? mod : (mod.default as WasmZstd);
    await api.init();
    return api;
  })();
  // A failed load should not be cached forever (e.g. a transient fetch error in a browser).
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}
