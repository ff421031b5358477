import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import snappyjs from 'snappyjs';
import { snappyUncompress } from 'hysnappy';
import fc from 'fast-check';
import { snappyCompress } from '../packages/writer/src/codecs/snappy-block.js';
import { snappyCompressWasm } from '../packages/writer/src/codecs/snappy-wasm.js';
import { createCodec } from '../packages/writer/src/codecs/registry.js';

/** The WebAssembly build; in Node it must be available (a fallback here would hide a broken module). */
function wasm(input: Uint8Array): Uint8Array {
  const out = snappyCompressWasm(input);
  assert.ok(out, 'the WebAssembly Snappy module loads in Node');
  return out;
}

/**
 * Decoded by two independent Snappy decoders, snappyjs and hysnappy (WASM), for both of our
 * compressors; and the two compressors write the same bytes (files must not depend on
 * whether the engine runs WebAssembly).
 */
function roundTrip(input: Uint8Array): void {
  const js = snappyCompress(input);
  const w = wasm(input);
  assert.deepEqual(w, js, `WebAssembly and JavaScript write the same bytes, ${input.length} bytes`);
  assert.deepEqual(new Uint8Array(snappyjs.uncompress(js)), input, `snappyjs, ${input.length} bytes`);
  assert.deepEqual(new Uint8Array(snappyUncompress(js, input.length)), input, `hysnappy, ${input.length} bytes`);
}

test('snappy: edge sizes, long runs, several 64 KiB blocks, incompressible data', () => {
  for (const n of [0, 1, 2, 14, 15, 16, 17, 64, 65535, 65536, 65537, 200_000]) {
    roundTrip(new Uint8Array(n).map((_, i) => i % 7));
    roundTrip(new Uint8Array(n).fill(0xab));
    roundTrip(new Uint8Array(n).map(() => Math.floor(Math.random() * 256)));
  }
  const text = new TextEncoder().encode(Array.from({ length: 40_000 }, (_, i) => `ledger-${i % 997};`).join(''));
  roundTrip(text);
  assert.ok(snappyCompress(text).length < text.length / 3, 'repetitive text compresses');
});

test('snappy: random inputs with back-references at every distance (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 255 })), { maxLength: 200 }),
      (ops) => {
        const bytes: number[] = [];
        for (const [distance, length, literal] of ops) {
          if (bytes.length > distance && distance > 0) for (let i = 0; i < length; i++) bytes.push(bytes[bytes.length - distance]!);
          else bytes.push(literal);
        }
        roundTrip(Uint8Array.from(bytes));
      },
    ),
    { numRuns: 150, seed: 42 },
  );
});

test('snappy: literals of every length class and long matches straddling block ends (WebAssembly = JavaScript)', () => {
  // Literal lengths around the 1-, 2- and 3-byte length tags and the module's 64-byte
  // word-copy limit, each followed by a repeat so the literal ends where a copy starts.
  const random = (n: number, seed: number): Uint8Array => {
    let x = seed;
    return new Uint8Array(n).map(() => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
  };
  for (const len of [1, 7, 8, 9, 15, 16, 17, 59, 60, 61, 63, 64, 65, 255, 256, 257, 65535]) {
    const lit = random(len, len);
    const input = new Uint8Array(len * 3 + 100);
    input.set(lit, 0);
    input.set(lit, len);
    input.set(lit, 2 * len);
    roundTrip(input);
  }
  // A match running into a 64 KiB block's end, and inputs ending 1..20 bytes after one.
  for (let tail = 0; tail <= 20; tail++) roundTrip(new Uint8Array(65536 + tail).map((_, i) => (i % 251) & 0xff));
  // Large output: more than the module's initial memory, which must grow (and stay usable).
  const big = random(3 << 20, 7);
  big.copyWithin(1 << 20, 0, 1 << 20);
  roundTrip(big);
  roundTrip(random(1000, 3));
});

test("snappy: inputs over 16 MiB go to JavaScript (the module's memory never shrinks), same format", async () => {
  const input = new Uint8Array((16 << 20) + 1).map((_, i) => (i >> 4) & 0xff);
  assert.equal(snappyCompressWasm(input), undefined);
  const out = await (await createCodec('SNAPPY')).compress(input);
  assert.deepEqual(out, snappyCompress(input));
  assert.deepEqual(new Uint8Array(snappyUncompress(out, input.length)), input);
  // The module still serves ordinary pages afterwards.
  roundTrip(new Uint8Array(100_000).map((_, i) => i % 13));
});

test('snappy: where WebAssembly is refused the SNAPPY codec falls back to JavaScript, same bytes', async () => {
  // A child where compiling WebAssembly is refused, as under a Content-Security-Policy
  // without 'wasm-unsafe-eval' (the engine throws a CompileError).
  const script = `
    WebAssembly.Module = function () { throw new WebAssembly.CompileError('refused by the content security policy'); };
    const { snappyCompressWasm } = await import('./packages/writer/src/codecs/snappy-wasm.ts');
    const { createCodec } = await import('./packages/writer/src/codecs/registry.ts');
    const input = new Uint8Array(50000).map((_, i) => (i * 2654435761) >>> 27);
    const out = await (await createCodec('SNAPPY')).compress(input);
    console.log(JSON.stringify({ wasm: snappyCompressWasm(input) === undefined ? 'unavailable' : 'used', out: Buffer.from(out).toString('base64') }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const child = JSON.parse(r.stdout) as { wasm: string; out: string };
  assert.equal(child.wasm, 'unavailable');
  const input = new Uint8Array(50_000).map((_, i) => (i * 2654435761) >>> 27);
  assert.equal(child.out, Buffer.from(wasm(input)).toString('base64'));
  assert.deepEqual(await (await createCodec('SNAPPY')).compress(input), wasm(input));
});

test('snappy: the committed WebAssembly module is what its AssemblyScript source compiles to', () => {
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
