import { test } from 'node:test';
import assert from 'node:assert/strict';
import snappyjs from 'snappyjs';
import { snappyUncompress } from 'hysnappy';
import fc from 'fast-check';
import { snappyCompress } from '../src/codecs/snappy-block.js';

/** Decoded by two independent Snappy decoders: snappyjs and hysnappy (WASM). */
function roundTrip(input: Uint8Array): void {
  const c = snappyCompress(input);
  assert.deepEqual(new Uint8Array(snappyjs.uncompress(c)), input, `snappyjs, ${input.length} bytes`);
  assert.deepEqual(new Uint8Array(snappyUncompress(c, input.length)), input, `hysnappy, ${input.length} bytes`);
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
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 255 })), { maxLength: 200 }),
    (ops) => {
      const bytes: number[] = [];
      for (const [distance, length, literal] of ops) {
        if (bytes.length > distance && distance > 0) for (let i = 0; i < length; i++) bytes.push(bytes[bytes.length - distance]!);
        else bytes.push(literal);
      }
      roundTrip(Uint8Array.from(bytes));
    }), { numRuns: 150, seed: 42 });
});
