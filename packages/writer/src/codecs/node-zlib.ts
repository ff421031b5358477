/**
 * Lazy access to `node:zlib` for the codecs that use it (BROTLI, and ZSTD on Node
 * versions that ship it). The library must load in browsers too, so the module is only
 * imported on demand, and the specifier is kept out of sight of bundlers, which would
 * otherwise try (and fail) to resolve it at build time.
 */

/** The slice of node:zlib this project uses, including APIs newer than Node 20's types. */
export interface NodeZlibLike {
  brotliCompressSync?: (input: Uint8Array, options?: { params?: Record<number, number> }) => Uint8Array;
  /** Node >= 22.15 / 23.8 only; feature-checked at run time. */
  zstdCompressSync?: (input: Uint8Array, options?: { params?: Record<number, number>; pledgedSrcSize?: number; chunkSize?: number }) => Uint8Array;
  /** Node >= 20.15 / 22.2 only; feature-checked at run time. */
  crc32?: (data: Uint8Array, value?: number) => number;
  constants: Record<string, number | undefined>;
}

let loading: Promise<NodeZlibLike | undefined> | undefined;

/** Resolves to node:zlib, or undefined where it cannot be imported (browsers, workers). */
export function loadNodeZlib(): Promise<NodeZlibLike | undefined> {
  loading ??= (async () => {
    const specifier = 'node:zlib';
    try {
      const mod: unknown = await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
      return mod as NodeZlibLike;
    } catch {
      return undefined;
    }
  })();
  return loading;
}
