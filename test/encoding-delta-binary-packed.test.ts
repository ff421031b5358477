import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaBinaryUnpack } from 'hyparquet/src/delta.js';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import { rng } from './support/rng.js';
import { encodeDeltaBinaryPackedInt32, encodeDeltaBinaryPackedInt64 } from '../packages/writer/src/encoding/delta-binary-packed.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

// ---------------------------------------------------------------------------------------
// Test-only decoder written from the Encodings.md grammar: BigInt throughout, one bit at
// a time, so it shares nothing with the encoder. It also reports the miniblock widths
// and checks the structural "should"s of the spec (zero padding, zero unused widths).
// ---------------------------------------------------------------------------------------

interface Decoded {
  values: bigint[];
  blockSize: number;
  miniblocks: number;
  widths: number[];
  consumed: number;
}

function decodeDbp(bytes: Uint8Array, physicalBits: 32 | 64, at = 0): Decoded {
  let pos = at;
  const uleb = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      assert.ok(pos < bytes.length, 'varint runs past the end');
      const byte = bytes[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) return result;
    }
  };
  const zigzag = (): bigint => {
    const z = uleb();
    return (z >> 1n) ^ -(z & 1n);
  };
  const blockSize = Number(uleb());
  const miniblocks = Number(uleb());
  const total = Number(uleb());
  const perMini = blockSize / miniblocks;
  const wrap = (v: bigint): bigint => BigInt.asIntN(physicalBits, v);
  const values: bigint[] = [];
  const widths: number[] = [];
  let value = zigzag();
  if (total > 0) values.push(wrap(value));
  while (values.length < total) {
    const minDelta = zigzag();
    const blockWidths = Array.from(bytes.subarray(pos, pos + miniblocks));
    pos += miniblocks;
    for (let m = 0; m < miniblocks; m++) {
      if (values.length >= total) {
        assert.equal(blockWidths[m], 0, 'unused miniblock width must be 0');
        continue;
      }
      const width = blockWidths[m];
      widths.push(width);
      assert.ok(width <= physicalBits, `width ${width} exceeds the physical type`);
      let bitPos = pos * 8;
      for (let j = 0; j < perMini; j++) {
        let rel = 0n;
        for (let b = 0; b < width; b++, bitPos++) {
          const bit = (bytes[bitPos >> 3] >> (bitPos & 7)) & 1;
          rel |= BigInt(bit) << BigInt(b);
        }
        if (values.length < total) {
          value = wrap(value + minDelta + rel);
          values.push(value);
        } else {
          assert.equal(rel, 0n, 'padding bits should be zero');
        }
      }
      pos += (perMini * width) / 8;
    }
  }
  return { values, blockSize, miniblocks, widths, consumed: pos - at };
}

function enc32(values: number[] | Int32Array, start = 0, end = values.length): Uint8Array {
  const out = new ByteWriter(16);
  encodeDeltaBinaryPackedInt32(Int32Array.from(values), start, end, out);
  return out.toBytes();
}

function enc64(values: bigint[] | BigInt64Array, start = 0, end = values.length): Uint8Array {
  const out = new ByteWriter(16);
  encodeDeltaBinaryPackedInt64(BigInt64Array.from(values), start, end, out);
  return out.toBytes();
}

function hyparquet32(bytes: Uint8Array, count: number): number[] {
  const output = new Int32Array(count);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  if (count > 0) deltaBinaryUnpack(reader, count, output);
  return Array.from(output);
}

function hyparquet64(bytes: Uint8Array, count: number): bigint[] {
  const output = new BigInt64Array(count);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  if (count > 0) deltaBinaryUnpack(reader, count, output);
  return Array.from(output);
}

test('spec example 1 (1..5), with our 128/4 block layout', () => {
  // header: 128 (80 01), 4 miniblocks, 5 values, first value zigzag(1) = 2
  // block: min delta zigzag(1) = 2, widths 0 0 0 0, no miniblock bodies
  assert.equal(hex(enc32([1, 2, 3, 4, 5])), '8001040502' + '02' + '00000000');
  assert.equal(hex(enc64([1n, 2n, 3n, 4n, 5n])), '8001040502' + '02' + '00000000');
});

test('spec example 2 (7,5,3,1,2,3,4,5): min delta -2, width 2, padded miniblock', () => {
  // relative deltas 0,0,0,3,3,3,3 then 25 zero pads on 2 bits = 8 bytes:
  // byte0 = v3<<6 = 0xc0, byte1 = 3|3<<2|3<<4 = 0x3f
  const expected = '800104080e' + '03' + '02000000' + 'c03f000000000000';
  assert.equal(hex(enc32([7, 5, 3, 1, 2, 3, 4, 5])), expected);
  assert.equal(hex(enc64([7n, 5n, 3n, 1n, 2n, 3n, 4n, 5n])), expected);
});

test('empty and single-value ranges are a bare header', () => {
  assert.equal(hex(enc32([])), '8001040000');
  assert.equal(hex(enc32([-1])), '8001040101');
  assert.equal(hex(enc64([])), '8001040000');
  assert.equal(hex(enc64([-1n])), '8001040101');
  assert.deepEqual(decodeDbp(enc32([42]), 32).values, [42n]);
});

test('INT32 full range wraps modulo 2^32 and never needs more than 32 bits', () => {
  const cases: number[][] = [
    [INT32_MIN, INT32_MAX],
    [INT32_MAX, INT32_MIN],
    [INT32_MAX, INT32_MIN, INT32_MAX, 0, INT32_MIN, -1, 1, INT32_MIN],
    [0, INT32_MAX, INT32_MIN, INT32_MIN, INT32_MAX],
  ];
  for (const values of cases) {
    const bytes = enc32(values);
    const decoded = decodeDbp(bytes, 32);
    assert.deepEqual(decoded.values, values.map(BigInt));
    assert.equal(decoded.consumed, bytes.length);
    assert.deepEqual(hyparquet32(bytes, values.length), values);
  }
  // [MIN, MAX]: the only delta is 2^32 - 1, which wraps to -1: min delta -1, width 0.
  assert.equal(hex(enc32([INT32_MIN, INT32_MAX])), '80010402ffffffff0f' + '01' + '00000000');
});

test('INT64 full range wraps modulo 2^64 and never needs more than 64 bits', () => {
  const cases: bigint[][] = [
    [INT64_MIN, INT64_MAX],
    [INT64_MAX, INT64_MIN, INT64_MAX, 0n, INT64_MIN, -1n, 1n, INT64_MIN],
    [0n, INT64_MAX, INT64_MIN, INT64_MIN, INT64_MAX, 1n << 40n, -(1n << 40n)],
  ];
  for (const values of cases) {
    const bytes = enc64(values);
    const decoded = decodeDbp(bytes, 64);
    assert.deepEqual(decoded.values, values);
    assert.equal(decoded.consumed, bytes.length);
    assert.deepEqual(hyparquet64(bytes, values.length), values);
  }
  // The delta INT64_MIN -> INT64_MAX is 2^64 - 1, i.e. -1 after wrapping: width 0.
  assert.deepEqual(decodeDbp(enc64([INT64_MIN, INT64_MAX]), 64).widths, [0]);
  // Alternating extremes need exactly 64 bits somewhere.
  assert.ok(decodeDbp(enc64(cases[1]), 64).widths.includes(64));
});

type Gen32 = (r: () => number, i: number) => number;
const shapes32: Record<string, Gen32> = {
  small: (r) => Math.floor(r() * 16),
  full: (r) => Math.floor(r() * 4294967296) | 0,
  monotonic: (_r, i) => 1_000_000 + i * 3,
  timestamps: (r, i) => (1_700_000_000 + i * 5 + Math.floor(r() * 4)) | 0,
  extremes: (r) => (r() < 0.5 ? INT32_MIN : INT32_MAX),
  constant: () => -7,
};

test('INT32 round trips: our decoder and hyparquet agree with the input', () => {
  const r = rng(1);
  const lengths = [2, 3, 31, 32, 33, 64, 127, 128, 129, 130, 160, 255, 256, 257, 1000, 4097];
  for (const [name, gen] of Object.entries(shapes32)) {
    for (const n of lengths) {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = gen(r, i);
      const bytes = enc32(values);
      const decoded = decodeDbp(bytes, 32);
      assert.deepEqual(decoded.values, Array.from(values, BigInt), `${name} n=${n}`);
      assert.equal(decoded.consumed, bytes.length, `${name} n=${n}: trailing bytes`);
      assert.equal(decoded.blockSize, 128);
      assert.equal(decoded.miniblocks, 4);
      assert.deepEqual(hyparquet32(bytes, n), Array.from(values), `${name} n=${n} (hyparquet)`);
    }
  }
});

test('INT32 sub-ranges encode only their slice and restart at the slice start', () => {
  const r = rng(2);
  const values = Int32Array.from({ length: 700 }, () => Math.floor(r() * 2000) - 1000);
  for (const [start, end] of [
    [0, 0],
    [5, 6],
    [10, 139],
    [100, 700],
    [699, 700],
    [0, 700],
  ]) {
    const out = new ByteWriter(16);
    out.writeBytes(new Uint8Array([0xaa])); // appends after existing content
    encodeDeltaBinaryPackedInt32(values, start, end, out);
    const bytes = out.toBytes();
    assert.equal(bytes[0], 0xaa);
    const decoded = decodeDbp(bytes, 32, 1);
    assert.deepEqual(decoded.values, Array.from(values.subarray(start, end), BigInt));
    assert.equal(decoded.consumed, bytes.length - 1);
  }
  assert.throws(() => encodeDeltaBinaryPackedInt32(values, 5, 701, new ByteWriter()), RangeError);
  assert.throws(() => encodeDeltaBinaryPackedInt32(values, 6, 5, new ByteWriter()), RangeError);
});

type Gen64 = (r: () => number, i: number) => bigint;
const rand64 = (r: () => number): bigint => BigInt.asIntN(64, (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296)));
const shapes64: Record<string, Gen64> = {
  small: (r) => BigInt(Math.floor(r() * 16)) - 8n,
  full: (r) => rand64(r),
  monotonic: (_r, i) => 1_700_000_000_000_000n + BigInt(i) * 1000n,
  ledger: (r, i) => (BigInt(50_000_000 + i) << 32n) | BigInt(Math.floor(r() * 64)),
  around32: (r) => BigInt(Math.floor(r() * 2 ** 34)) - (1n << 33n),
  extremes: (r) => (r() < 0.5 ? INT64_MIN : INT64_MAX),
  negative: (r, i) => -BigInt(i) * 12345n - BigInt(Math.floor(r() * 100)),
};

test('INT64 round trips: our decoder and hyparquet agree with the input', () => {
  const r = rng(3);
  const lengths = [2, 3, 31, 33, 128, 129, 257, 1000];
  for (const [name, gen] of Object.entries(shapes64)) {
    for (const n of lengths) {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) values[i] = gen(r, i);
      const bytes = enc64(values);
      const decoded = decodeDbp(bytes, 64);
      assert.deepEqual(decoded.values, Array.from(values), `${name} n=${n}`);
      assert.equal(decoded.consumed, bytes.length, `${name} n=${n}: trailing bytes`);
      assert.deepEqual(hyparquet64(bytes, n), Array.from(values), `${name} n=${n} (hyparquet)`);
    }
  }
});

test('INT64 sub-ranges of a larger array (with a non-zero byteOffset view)', () => {
  const r = rng(4);
  const backing = BigInt64Array.from({ length: 600 }, () => rand64(r) >> 20n);
  const values = backing.subarray(50, 550);
  for (const [start, end] of [
    [0, 1],
    [3, 200],
    [128, 500],
  ]) {
    const out = new ByteWriter(16);
    encodeDeltaBinaryPackedInt64(values, start, end, out);
    assert.deepEqual(decodeDbp(out.toBytes(), 64).values, Array.from(values.subarray(start, end)));
  }
});

test('widths adapt per miniblock and a constant-delta block is header-only', () => {
  const values = new Int32Array(129);
  for (let i = 0; i < 129; i++) values[i] = i * 10; // constant delta 10
  values[128] = values[127] + 10;
  const bytes = enc32(values);
  // header (5 bytes: 80 01 04 81 01 00) then min delta 10 (zigzag 20) and 4 zero widths
  assert.equal(hex(bytes), '80010481010014' + '00000000');
  const mixed = new Int32Array(129);
  for (let i = 1; i < 129; i++) mixed[i] = i < 33 ? mixed[i - 1] + 1 : mixed[i - 1] + ((i * 7919) % 1000);
  assert.deepEqual(decodeDbp(enc32(mixed), 32).widths, [0, 10, 10, 10]);
});
