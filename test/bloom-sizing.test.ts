import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOOM_FILTER_DEFAULT_MAX_BYTES, bloomBitsPerValue, bloomExpectedFpp, optimalNumBytes } from '../packages/writer/src/format/bloom/bloom-sizing.js';

test('spec figures: ~11 bits per value at 0.5%, ~1.2 MB per million values at 1%', () => {
  // BloomFilter.md's prose says "about 11.54 bits" at 0.5%, but its own formula gives
  // 11.03; we follow the formula (as Arrow does, see the pyarrow test in bloom-filter).
  assert.ok(Math.abs(bloomBitsPerValue(0.005) - 11.03) < 0.01, String(bloomBitsPerValue(0.005)));
  const mb = (1_000_000 * bloomBitsPerValue(0.01)) / 8 / 1e6;
  assert.ok(mb > 1.15 && mb < 1.25, `${mb} MB`);
  // ...which rounds up to the next power of two.
  assert.equal(optimalNumBytes(1_000_000, 0.01), 2 * 1024 * 1024);
});

test('power of two, never below 32 bytes, never above the cap', () => {
  for (const ndv of [0, 1, 10, 100, 1000, 12345, 1e5, 1e6, 1e7, 1e8, 1e10]) {
    for (const fpp of [0.5, 0.1, 0.05, 0.01, 0.001, 1e-6]) {
      const n = optimalNumBytes(ndv, fpp);
      assert.ok(n >= 32 && n <= BLOOM_FILTER_DEFAULT_MAX_BYTES, `${ndv}/${fpp}: ${n}`);
      assert.equal(n & (n - 1), 0, `${ndv}/${fpp}: ${n} is not a power of two`);
      // Big enough for the spec's bits per value unless the cap bites.
      if (n < BLOOM_FILTER_DEFAULT_MAX_BYTES) assert.ok(n * 8 >= Math.floor(ndv * bloomBitsPerValue(fpp)));
      // ...and not more than twice as big as needed (unless at the 32-byte floor).
      if (n > 32) assert.ok(n * 8 < 2 * ndv * bloomBitsPerValue(fpp));
    }
  }
  assert.equal(optimalNumBytes(0, 0.01), 32);
  assert.equal(optimalNumBytes(1e10, 0.01), 128 * 1024 * 1024);
});

test('byte cap: rounded down to a power of two, at least 32', () => {
  assert.equal(optimalNumBytes(1e6, 0.01, { maxBytes: 1000 }), 512);
  assert.equal(optimalNumBytes(1e6, 0.01, { maxBytes: 1024 }), 1024);
  assert.equal(optimalNumBytes(1e6, 0.01, { maxBytes: 32 }), 32);
  assert.equal(optimalNumBytes(10, 0.01, { maxBytes: 1 << 20 }), 32);
  assert.equal(optimalNumBytes(1e12, 0.01, { maxBytes: 2 ** 40 }), 2 ** 30); // Thrift i32 numBytes
  assert.throws(() => optimalNumBytes(10, 0.01, { maxBytes: 16 }), RangeError);
  assert.throws(() => optimalNumBytes(10, 0), RangeError);
  assert.throws(() => optimalNumBytes(10, 1), RangeError);
  assert.throws(() => optimalNumBytes(-1, 0.01), RangeError);
});

test('expected fpp inverts the sizing formula', () => {
  for (const fpp of [0.1, 0.01, 0.005, 0.001]) {
    const bits = bloomBitsPerValue(fpp);
    const ndv = 1000;
    assert.ok(Math.abs(bloomExpectedFpp((ndv * bits) / 8, ndv) - fpp) < fpp * 1e-9);
    // Rounding the size up can only help.
    assert.ok(bloomExpectedFpp(optimalNumBytes(ndv, fpp), ndv) <= fpp);
  }
  assert.equal(bloomExpectedFpp(1024, 0), 0);
});
