import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bitWidth } from '../packages/writer/src/encoding/bit-width.js';

test('bitWidth of small maxima', () => {
  const cases: Array<[number, number]> = [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [7, 3],
    [8, 4],
    [255, 8],
    [256, 9],
    [0x7fffffff, 31],
    [0x80000000, 32],
    [0xffffffff, 32],
    [2 ** 32, 33],
    [2 ** 53 - 1, 53],
  ];
  for (const [max, width] of cases) assert.equal(bitWidth(max), width, `bitWidth(${max})`);
});

test('bitWidth agrees with the definition for every power-of-two boundary', () => {
  for (let w = 1; w <= 52; w++) {
    assert.equal(bitWidth(2 ** w - 1), w);
    assert.equal(bitWidth(2 ** w), w + 1);
  }
});

test('bitWidth rejects negatives and fractions', () => {
  assert.throws(() => bitWidth(-1), RangeError);
  assert.throws(() => bitWidth(1.5), RangeError);
  assert.throws(() => bitWidth(Number.NaN), RangeError);
});
