/**
 * BytesMemo (src/pipeline/stellar/bytes-memo.ts): a memoised function of byte strings must
 * return exactly what the function returns, the same object for equal bytes while the entry
 * is held, and stay right across wholesale clears and over-long keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BytesMemo, clearBytesMemos } from '../packages/lake/src/stellar/bytes-memo.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('BytesMemo returns the function value, computed once per distinct key while held', () => {
  // Few distinct short keys (many repeats, prefixes of each other, the empty key), a capacity
  // small enough to be cleared mid-run, and a key-length cap that some keys pass.
  const key = fc.uint8Array({ minLength: 0, maxLength: 12 }).map((b) => b.map((x) => x & 3));
  fc.assert(
    fc.property(
      fc.array(key, { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 0, max: 12 }),
      (keys, maxEntries, maxKeyBytes) => {
        let calls = 0;
        const memo = new BytesMemo(
          (b) => {
            calls++;
            return { text: hex(b) };
          },
          maxEntries,
          maxKeyBytes,
        );
        const held = new Map<string, { text: string }>();
        for (const k of keys) {
          // A view into a larger buffer, as the processors pass slices of a ledger.
          const backing = new Uint8Array(k.length + 3);
          backing.set(k, 1);
          const view = backing.subarray(1, 1 + k.length);
          const before = calls;
          const got = memo.get(view);
          assert.equal(got.text, hex(k));
          const seen = held.get(got.text);
          if (k.length > maxKeyBytes) {
            assert.equal(calls, before + 1, 'an over-long key is computed every time');
            continue;
          }
          if (calls === before) assert.equal(got, seen, 'a hit returns the object computed for these bytes');
          else if (memo.size === 1)
            held.clear(); // cleared wholesale, then this entry added
          else assert.equal(seen, undefined, `computed again while held: ${got.text}`);
          held.set(got.text, got);
          assert.ok(memo.size <= maxEntries);
        }
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});

test('clearBytesMemos empties every memo', () => {
  let calls = 0;
  const memo = new BytesMemo((b) => (calls++, hex(b)));
  const k = Uint8Array.of(1, 2, 3);
  memo.get(k);
  memo.get(k);
  assert.equal(calls, 1);
  clearBytesMemos();
  assert.equal(memo.size, 0);
  assert.equal(memo.get(k), '010203');
  assert.equal(calls, 2);
});
