import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkBytes } from '../packages/writer/src/format/page/chunk-bytes.js';
import { compressToScratch } from '../packages/writer/src/codecs/codec.js';
import { createCodec } from '../packages/writer/src/codecs/registry.js';

function joined(parts: readonly Uint8Array[]): number[] {
  return parts.flatMap((p) => [...p]);
}

test('ChunkBytes: take() returns exactly the appended bytes, in order, for any split into pieces and chunks', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 9000 }), { maxLength: 12 }), { minLength: 1, maxLength: 5 }), (chunks) => {
      const bytes = new ChunkBytes();
      for (const pieces of chunks) {
        for (const p of pieces) bytes.append(p);
        const expected = pieces.flatMap((p) => [...p]);
        assert.equal(bytes.length, expected.length);
        const parts = bytes.take();
        assert.deepEqual(joined(parts), expected);
        assert.equal(bytes.length, 0);
      }
    }),
    { numRuns: 60 },
  );
});

test('ChunkBytes: a taken chunk is never overwritten by later appends (its blocks are handed over, not reused)', () => {
  const bytes = new ChunkBytes();
  bytes.append(new Uint8Array(5000).fill(1));
  const first = bytes.take();
  const copy = joined(first);
  for (let i = 0; i < 20; i++) bytes.append(new Uint8Array(3000).fill(2));
  bytes.take();
  assert.deepEqual(joined(first), copy);
  const next = new Set(bytes.take().map((p) => p.buffer));
  for (const p of first) assert.ok(!next.has(p.buffer));
});

test('ChunkBytes: a chunk like the previous one fits the first block sized from it', () => {
  const bytes = new ChunkBytes();
  for (let i = 0; i < 10; i++) bytes.append(new Uint8Array(30_000));
  bytes.take();
  for (let i = 0; i < 10; i++) bytes.append(new Uint8Array(30_000));
  assert.equal(bytes.take().length, 1);
});

test('compressToScratch: same bytes as compress for every built-in codec, copied out before the next call', async () => {
  const a = new TextEncoder().encode('abcabcabcabc page one '.repeat(50));
  const b = new TextEncoder().encode('xyz page two, other bytes '.repeat(40));
  for (const name of ['none', 'snappy', 'gzip', 'zstd', 'lz4_raw', 'brotli']) {
    const codec = await createCodec(name);
    const first = compressToScratch(codec, a).slice();
    assert.deepEqual(first, codec.compress(a), name);
    assert.deepEqual(compressToScratch(codec, b).slice(), codec.compress(b), name);
  }
});

test('ChunkBytes: adopt keeps a whole buffer of its own as a part, copies anything else, and keeps the order', () => {
  const bytes = new ChunkBytes();
  const own = new Uint8Array(10_000).fill(7);
  const slab = new Uint8Array(20_000).fill(8).subarray(100, 9_100); // part of a larger buffer: copied
  bytes.append(new Uint8Array([1, 2, 3]));
  bytes.adopt(own);
  bytes.append(new Uint8Array([4, 5]));
  bytes.adopt(slab);
  bytes.adopt(new Uint8Array([6])); // smaller than a block: copied
  const parts = bytes.take();
  assert.deepEqual(joined(parts), [1, 2, 3, ...own, 4, 5, ...slab, 6]);
  assert.ok(parts.includes(own));
  assert.ok(!parts.some((p) => p.buffer === slab.buffer));
});
