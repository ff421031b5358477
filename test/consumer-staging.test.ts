// StagingSink: bytes staged in memory (or spilled to a temporary file) replay exactly; in
// memory, the writer's many small pieces reach the target coalesced into few blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { coalesce, StagingSink } from '../packages/lake/src/consumer/staging.js';
import type { Sink } from '../packages/writer/src/format/sink.js';

const chunksArb = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 400 }) },
  ),
  { maxLength: 120 },
);

const concat = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts.map((p) => Buffer.from(p)));

test('coalesce keeps the bytes and their order, in blocks of at most the block size (larger chunks alone), packed greedily', () => {
  fc.assert(
    fc.property(chunksArb, fc.integer({ min: 1, max: 200 }), (chunks, block) => {
      const out = [...coalesce(chunks, block)];
      assert.ok(concat(out).equals(concat(chunks)));
      for (const [i, b] of out.entries()) {
        const big = (chunks as readonly Uint8Array[]).includes(b) && b.length > block;
        assert.ok(b.length <= block || big, `block ${i} of ${b.length} bytes exceeds ${block} without being one large chunk`);
      }
      // Greedy packing: two consecutive blocks hold more than one block's worth together.
      const total = chunks.reduce((n, c) => n + c.length, 0);
      assert.ok(
        out.length <= Math.max(1, 2 * Math.ceil(total / block)) + chunks.filter((c) => c.length > block).length,
        `${out.length} blocks for ${total} bytes`,
      );
    }),
    { numRuns: 300, seed: 0x57a9 },
  );
});

test('a staged file replays byte for byte, in memory and spilled to disk, and in memory as few writes', async () => {
  await fc.assert(
    fc.asyncProperty(chunksArb, fc.constantFrom(16 * 1024 * 1024, 500), async (chunks, memoryLimit) => {
      const staging = new StagingSink(undefined, memoryLimit);
      for (const c of chunks) await staging.write(c);
      await staging.close();
      const got: Uint8Array[] = [];
      let closed = false;
      const target: Sink = {
        write: (c) => {
          got.push(c.slice());
        },
        close: async () => {
          closed = true;
        },
        abort: async () => undefined,
      };
      await staging.replayInto(target);
      assert.ok(closed);
      assert.ok(concat(got).equals(concat(chunks)));
      if (!staging.spilled) assert.ok(got.length <= 1, `${chunks.length} staged pieces reached the target as ${got.length} writes`);
      await staging.dispose();
    }),
    { numRuns: 60, seed: 0x57aa },
  );
});
