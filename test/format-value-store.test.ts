import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteArrayStore, Int32Store, Int64Store } from '../packages/writer/src/format/column/value-store.js';
import { WordDictionary } from '../packages/writer/src/format/column/word-dictionary.js';
import type { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';

const writeText = (v: unknown, data: ByteWriter): void => {
  if (v instanceof Uint8Array) data.writeBytes(v);
  else data.writeUtf8(v as string);
};

function values(store: ByteArrayStore): string[] {
  store.materialize();
  const out: string[] = [];
  for (let i = 0; i < store.count; i++) out.push(Buffer.from(store.data.buffer.subarray(store.offsets[i], store.offsets[i + 1])).toString());
  return out;
}

test('ByteArrayStore with deferred strings: order kept across strings and bytes, size estimate fixed at append', () => {
  const store = new ByteArrayStore(writeText, true);
  store.append('ab');
  store.append('語');
  assert.equal(store.encoded, 0, 'strings wait');
  assert.equal(store.byteSize(), 2 + 1 + 4 * 2, 'UTF-16 length while pending');
  store.append(new Uint8Array([0x78, 0x79, 0x7a])); // bytes force the strings before them out
  assert.equal(store.encoded, 3);
  assert.equal(store.byteSize(), 2 + 1 + 3 + 4 * 3, 'the estimate does not move when strings get encoded');
  store.append('é');
  assert.deepEqual(values(store), ['ab', '語', 'xyz', 'é']);
  assert.equal(store.byteSize(), 2 + 1 + 3 + 1 + 4 * 4);
});

test('ByteArrayStore truncate: pending and encoded values, then appends continue where it left off', () => {
  const store = new ByteArrayStore(writeText, true);
  for (const s of ['one', 'two', 'three']) store.append(s);
  store.truncate(1); // all pending
  assert.equal(store.byteSize(), 3 + 4);
  store.append('zwei');
  store.materialize();
  store.append('drei');
  store.truncate(2); // cut inside the pending part, after encoded values
  assert.deepEqual(values(store), ['one', 'zwei']);
  store.truncate(1); // cut inside the encoded part
  assert.equal(store.data.length, 3);
  store.append(new Uint8Array([0x21]));
  assert.deepEqual(values(store), ['one', '!']);
  assert.equal(store.byteSize(), 3 + 1 + 4 * 2);
  store.truncate(0);
  assert.equal(store.byteSize(), 0);
  assert.deepEqual(values(store), []);
});

test('ByteArrayStore without deferral encodes at once (decimal-on-binary writers are not UTF-8)', () => {
  const store = new ByteArrayStore(writeText, false);
  store.append('語');
  assert.equal(store.encoded, 1);
  assert.equal(store.byteSize(), 3 + 4, 'exact bytes');
});

test('Int64Store: numbers written as two halves read back as the same BigInts as bigints do', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          fc.maxSafeInteger(),
          fc.constantFrom(0, -0, -1, 1, 2 ** 32, -(2 ** 32), 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
        ),
        { maxLength: 3000 },
      ),
      (input) => {
        const store = new Int64Store((v) => v as bigint | number);
        for (const v of input) store.append(v);
        assert.equal(store.count, input.length);
        assert.deepEqual(
          [...store.values.subarray(0, store.count)],
          input.map((v) => BigInt(v)),
        );
      },
    ),
    { numRuns: 200, seed: 64 },
  );
});

test('WordDictionary (INT32, INT64) gives first-seen indices, as a Map of the values would', () => {
  const int64 = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.bigInt({ min: -3n, max: 3n }),
    fc.constantFrom(2n ** 32n, -(2n ** 32n), 1n << 62n),
  );
  const int32 = fc.oneof(fc.integer(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(-(2 ** 31), 2 ** 31 - 1));
  const check = (kind: 'int32' | 'int64', input: (number | bigint)[], cuts: number[]): void => {
    const page = kind === 'int32' ? new Int32Store((v) => v as number) : new Int64Store((v) => v as bigint);
    for (const v of input) page.append(v);
    const dict = new WordDictionary(kind);
    const indices = new Int32Array(input.length);
    // Indexed in several calls, as the writer does between writeRows calls.
    let from = 0;
    for (const cut of [...cuts.map((c) => c % (input.length + 1)).sort((a, b) => a - b), input.length]) {
      dict.indexPage(page, indices, from, Math.max(from, cut));
      from = Math.max(from, cut);
    }
    const seen = new Map<number | bigint, number>();
    input.forEach((v, i) => {
      if (!seen.has(v)) seen.set(v, seen.size);
      assert.equal(indices[i], seen.get(v), `value ${i}`);
    });
    assert.deepEqual(
      [...dict.values.values.subarray(0, dict.values.count)],
      [...seen.keys()].map((v) => (kind === 'int32' ? v : BigInt(v))),
    );
  };
  fc.assert(
    fc.property(fc.array(int32, { maxLength: 5000 }), fc.array(fc.nat(), { maxLength: 3 }), (input, cuts) => check('int32', input, cuts)),
    { numRuns: 100, seed: 32 },
  );
  fc.assert(
    fc.property(fc.array(int64, { maxLength: 5000 }), fc.array(fc.nat(), { maxLength: 3 }), (input, cuts) => check('int64', input, cuts)),
    { numRuns: 100, seed: 64 },
  );
});
