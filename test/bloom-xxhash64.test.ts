import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xxhash64 as hyparquetXxhash64 } from 'hyparquet/src/xxhash.js';
import { rng } from './support/rng.js';
import {
  Hash64,
  xxhash64,
  xxhash64BigInt64,
  xxhash64Bytes,
  xxhash64Double,
  xxhash64Float,
  xxhash64Int32,
  xxhash64Int64,
} from '../packages/writer/src/format/bloom/xxhash64.js';

// ---------------------------------------------------------------------------------------
// Slow reference XXH64 (seed 0) in BigInt, written straight from the algorithm
// description: it shares no arithmetic tricks with the uint32-halves implementation.
// ---------------------------------------------------------------------------------------
const M = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const roundRef = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M, 31n) * P1) & M;
const mergeRef = (acc: bigint, v: bigint): bigint => ((acc ^ roundRef(0n, v)) * P1 + P4) & M;

function referenceXxh64(input: Uint8Array): bigint {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const len = input.length;
  let p = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & M;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & M;
    while (p + 32 <= len) {
      v1 = roundRef(v1, view.getBigUint64(p, true));
      v2 = roundRef(v2, view.getBigUint64(p + 8, true));
      v3 = roundRef(v3, view.getBigUint64(p + 16, true));
      v4 = roundRef(v4, view.getBigUint64(p + 24, true));
      p += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = mergeRef(mergeRef(mergeRef(mergeRef(h, v1), v2), v3), v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & M;
  for (; p + 8 <= len; p += 8) h = (rotl(h ^ roundRef(0n, view.getBigUint64(p, true)), 27n) * P1 + P4) & M;
  if (p + 4 <= len) {
    h = (rotl(h ^ ((BigInt(view.getUint32(p, true)) * P1) & M), 23n) * P2 + P3) & M;
    p += 4;
  }
  for (; p < len; p++) h = (rotl(h ^ ((BigInt(input[p]) * P5) & M), 11n) * P1) & M;
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('published XXH64 seed-0 vectors', () => {
  // Empty input: the value quoted in the xxHash documentation and sanity tests.
  assert.equal(xxhash64(new Uint8Array(0)), 0xef46db3751d8e999n);
  // Vectors quoted by the python-xxhash README / common test suites.
  assert.equal(xxhash64(utf8('a')), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxhash64(utf8('abc')), 0x44bc2cf5ad770999n);
  assert.equal(xxhash64(utf8('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
});

test('matches the BigInt reference and hyparquet on every length 0..300 and random inputs', () => {
  const r = rng(11);
  const lengths = [...Array.from({ length: 301 }, (_, i) => i), 1000, 4096, 65537];
  for (const len of lengths) {
    const bytes = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
    const expected = referenceXxh64(bytes);
    assert.equal(xxhash64(bytes), expected, `length ${len}`);
    assert.equal(hyparquetXxhash64(bytes), expected, `hyparquet, length ${len}`);
  }
  // All-0xff input stresses every carry in the halves arithmetic.
  for (const len of [4, 8, 31, 32, 33, 64, 99]) {
    const ff = new Uint8Array(len).fill(0xff);
    assert.equal(xxhash64(ff), referenceXxh64(ff), `0xff x ${len}`);
  }
});

test('sub-ranges hash only their bytes and reuse the output cell', () => {
  const r = rng(12);
  const big = Uint8Array.from({ length: 500 }, () => Math.floor(r() * 256));
  const cell = new Hash64();
  for (const [s, e] of [
    [0, 0],
    [3, 4],
    [7, 47],
    [100, 500],
    [499, 500],
  ]) {
    const got = xxhash64Bytes(big, s, e, cell);
    assert.equal(got, cell);
    assert.equal(cell.toBigInt(), referenceXxh64(big.slice(s, e)));
  }
  assert.throws(() => xxhash64Bytes(big, 10, 501, cell), RangeError);
});

test('fixed-width fast paths equal hashing the PLAIN bytes', () => {
  const r = rng(13);
  const cell = new Hash64();
  const buf = new DataView(new ArrayBuffer(8));
  const plain = (n: number): Uint8Array => new Uint8Array(buf.buffer, 0, n).slice();
  const ints = [0, 1, -1, 2147483647, -2147483648, 42, ...Array.from({ length: 200 }, () => Math.floor(r() * 2 ** 32) | 0)];
  for (const v of ints) {
    buf.setInt32(0, v, true);
    assert.equal(xxhash64Int32(v, cell), cell);
    assert.equal(cell.toBigInt(), referenceXxh64(plain(4)), `int32 ${v}`);
    buf.setFloat32(0, v, true);
    xxhash64Float(v, cell);
    assert.equal(cell.toBigInt(), referenceXxh64(plain(4)), `float ${v}`);
  }
  const longs = [
    0n,
    1n,
    -1n,
    (1n << 63n) - 1n,
    -(1n << 63n),
    ...Array.from({ length: 200 }, () => BigInt.asIntN(64, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)))),
  ];
  for (const v of longs) {
    buf.setBigInt64(0, v, true);
    const expected = referenceXxh64(plain(8));
    xxhash64BigInt64(v, cell);
    assert.equal(cell.toBigInt(), expected, `int64 ${v}`);
    // Signed halves are accepted too (they are taken modulo 2^32).
    xxhash64Int64(buf.getInt32(4, true), buf.getInt32(0, true), cell);
    assert.equal(cell.toBigInt(), expected, `int64 halves ${v}`);
  }
  for (const v of [0, -0, 1.5, -2.25, Math.PI, 1e300, -Number.MIN_VALUE, Infinity, NaN, ...Array.from({ length: 100 }, () => (r() - 0.5) * 1e6)]) {
    buf.setFloat64(0, v, true);
    xxhash64Double(v, cell);
    assert.equal(cell.toBigInt(), referenceXxh64(plain(8)), `double ${v}`);
  }
});
