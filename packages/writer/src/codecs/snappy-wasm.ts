import { maxCompressedLength } from './snappy-block.js';
import { SNAPPY_BLOCK_WASM } from './wasm/snappy-block.wasm.js';

/**
 * Runs the WebAssembly build of our Snappy block compressor (wasm/snappy-block.as.ts),
 * faster than the JavaScript one (unchecked memory access, word loads) and byte-for-byte the
 * same output.
 * `snappyCompressWasm` returns undefined where WebAssembly cannot be used (no WebAssembly,
 * a Content-Security-Policy without 'wasm-unsafe-eval', memory that cannot grow) and for
 * inputs over 16 MiB; the caller then falls back to JavaScript.
 */
interface SnappyModule {
  readonly memory: WebAssembly.Memory;
  compress(input: number, length: number, output: number): number;
}

// The module's hash table ends at 80 KiB; the page and its compressed form go above it.
const INPUT_AT = 80 * 1024;
const SLACK = 64; // the module's word copies may touch up to 7 bytes past either buffer
// A module's memory never shrinks: inputs above this (pages of huge values or a huge
// configured page size) go to JavaScript instead of growing it for good; up to this, the
// memory stays under 40 MiB per thread.
const MAX_INPUT = 16 << 20;

let module: SnappyModule | null | undefined; // undefined: not tried yet; null: unavailable

function instantiate(): SnappyModule | null {
  try {
    const bytes = Uint8Array.from(atob(SNAPPY_BLOCK_WASM), (c) => c.charCodeAt(0));
    // Synchronous compilation: the module is 1 KiB, under the 4 KiB that browsers allow
    // on their main thread.
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as SnappyModule;
  } catch {
    return null;
  }
}

export function snappyCompressWasm(input: Uint8Array): Uint8Array | undefined {
  return snappyCompressWasmView(input)?.slice();
}

/** Like snappyCompressWasm, but the result is a view of the module's memory, valid until its next call. */
export function snappyCompressWasmView(input: Uint8Array): Uint8Array | undefined {
  if (module === undefined) module = instantiate();
  const n = input.length;
  if (module === null || n > MAX_INPUT) return undefined;
  const outputAt = INPUT_AT + n + SLACK;
  const needed = outputAt + maxCompressedLength(n) + SLACK;
  const memory = module.memory;
  if (memory.buffer.byteLength < needed) {
    try {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    } catch {
      return undefined; // the engine refused more memory
    }
  }
  // memory.buffer is a new ArrayBuffer after grow, so views are made after it.
  new Uint8Array(memory.buffer, INPUT_AT, n).set(input);
  const length = module.compress(INPUT_AT, n, outputAt);
  return new Uint8Array(memory.buffer, outputAt, length);
}
