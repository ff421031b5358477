import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import { encodeRleHybrid, encodeRleHybridWithLengthPrefix } from '../packages/writer/src/encoding/rle-hybrid.js';
import { rng } from './support/rng.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function encode(values: ArrayLike<number>, bitWidth: number, count = values.length): Uint8Array {
  const out = new ByteWriter(16);
  encodeRleHybrid(values, count, bitWidth, out);
  return out.toBytes();
}

// ---------------------------------------------------------------------------------------
// Test-only decoder, written from the Encodings.md grammar and deliberately naive (one
// bit at a time), so it shares nothing with the encoder's packing code.
// ---------------------------------------------------------------------------------------

interface Decoded {
  values: number[];
  rleRuns: number;
  bitPackedRuns: number;
  /** Bytes consumed; must equal the input length (no trailing garbage). */
  consumed: number;
}

function decodeRleHybrid(bytes: Uint8Array, count: number, bitWidth: number): Decoded {
  const values: number[] = [];
  let pos = 0;
  let rleRuns = 0;
  let bitPackedRuns = 0;
  const readVarint = (): number => {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      assert.ok(pos < bytes.length, 'varint runs past the end');
      const byte = bytes[pos++];
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
  };
  while (values.length < count) {
    const header = readVarint();
    if (header % 2 === 1) {
      bitPackedRuns++;
      const groups = (header - 1) / 2;
      assert.ok(groups > 0, 'empty bit-packed run');
      const bitBase = pos * 8;
      const total = groups * 8;
      assert.ok(pos + groups * bitWidth <= bytes.length, 'bit-packed run past the end');
      for (let k = 0; k < total; k++) {
        let value = 0;
        for (let b = 0; b < bitWidth; b++) {
          const bit = bitBase + k * bitWidth + b;
          if ((bytes[bit >> 3] >> (bit & 7)) & 1) value += 2 ** b;
        }
        if (values.length < count) values.push(value);
        // Padding in the final group must be zeros.
        else assert.equal(value, 0, 'non-zero padding');
      }
      pos += groups * bitWidth;
    } else {
      rleRuns++;
      const runLength = header / 2;
      assert.ok(runLength > 0, 'empty RLE run');
      assert.ok(values.length + runLength <= count, 'RLE run longer than the remaining values');
      let value = 0;
      const width = Math.ceil(bitWidth / 8);
      for (let b = 0; b < width; b++) value += bytes[pos++] * 2 ** (8 * b);
      for (let k = 0; k < runLength; k++) values.push(value);
    }
  }
  return { values, rleRuns, bitPackedRuns, consumed: pos };
}

// ---------------------------------------------------------------------------------------
// Hand-computed vectors
// ---------------------------------------------------------------------------------------

test('spec bit-packing example: 0..7 at width 3', () => {
  // Encodings.md: "10001000 11000110 11111010" for values 0-7; header (1 group << 1) | 1.
  assert.equal(hex(encode([0, 1, 2, 3, 4, 5, 6, 7], 3)), '03' + '88c6fa');
  assert.deepEqual([0b10001000, 0b11000110, 0b11111010], [0x88, 0xc6, 0xfa]);
});

test('RLE run: header is run length << 1, value in ceil(width / 8) bytes', () => {
  assert.equal(hex(encode(new Array(10).fill(4), 3)), '1404'); // 10 << 1 = 0x14
  assert.equal(hex(encode(new Array(8).fill(300), 9)), '102c01'); // 300 = 0x012c, 2 bytes LE
  assert.equal(hex(encode(new Array(8).fill(0x12345678), 32)), '1078563412');
  // 300 << 1 = 600 = varint d8 04
  assert.equal(hex(encode(new Array(300).fill(1), 1)), 'd80401');
});

test('bit width 0: a single RLE run with no value bytes', () => {
  assert.equal(hex(encode([0, 0, 0, 0, 0], 0)), '0a');
  assert.equal(hex(encode(new Array(1000).fill(0), 0)), 'd00f'); // 2000 = d0 0f
  assert.equal(hex(encode([], 0)), '');
  assert.equal(hex(encode([], 5)), '');
});

test('short trailing stretch is one zero-padded bit-packed group', () => {
  // 1,0,1 at width 1: bits 0 and 2 set -> 0x05, one group.
  assert.equal(hex(encode([1, 0, 1], 1)), '0305');
});

test('a whole input that is one short run uses RLE', () => {
  assert.equal(hex(encode([1, 1, 1], 1)), '0601');
  assert.equal(hex(encode([2], 2)), '0202');
});

test('run after literals: borrow repeats to fill the group, then RLE the rest', () => {
  // [1,2,3] + 13 x 5 at width 3: the bit-packed group takes 1,2,3 and five 5s, then
  // an RLE run of the remaining eight 5s.
  //   bits: v0=1 -> bit0; v1=2 -> bit4; v2=3 -> bits 6,7; 5 = 0b101 at bits 9..23
  //   byte0 = 1+16+64+128 = 0xd1, byte1 = 0xda, byte2 = 0xb6
  const values = [1, 2, 3, ...new Array(13).fill(5)];
  assert.equal(hex(encode(values, 3)), '03d1dab6' + '1005');
  // With only 12 fives, 12 - 5 = 7 < 8 repeats remain, so everything is bit-packed:
  // 15 values -> 2 groups (header 0x05), 6 bytes.
  const shorter = [1, 2, 3, ...new Array(12).fill(5)];
  const bytes = encode(shorter, 3);
  assert.equal(bytes[0], 0x05);
  assert.equal(bytes.length, 1 + 6);
  assert.deepEqual(decodeRleHybrid(bytes, 15, 3).values, shorter);
});

test('bit-packed runs are capped at 63 groups (one-byte header)', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i & 1);
  const bytes = encode(values, 1);
  // 504 values: header (63 << 1) | 1 = 0x7f, 63 bytes of 0b10101010; then 496 values:
  // header (62 << 1) | 1 = 0x7d, 62 bytes.
  const expected = '7f' + 'aa'.repeat(63) + '7d' + 'aa'.repeat(62);
  assert.equal(hex(bytes), expected);
});

test('32-bit values, including negative Int32 bit patterns', () => {
  const expected = '03' + 'ffffffff' + '01000000' + '00000000'.repeat(6);
  assert.equal(hex(encode([0xffffffff, 1], 32)), expected);
  assert.equal(hex(encode(new Int32Array([-1, 1]), 32)), expected);
});

test('count limits the values read', () => {
  assert.equal(hex(encode([1, 1, 1, 9, 9], 1, 3)), '0601');
});

test('length prefix: 4-byte little-endian byte count, then the runs', () => {
  const out = new ByteWriter(16);
  out.writeU8(0xee); // existing content is preserved and not counted
  encodeRleHybridWithLengthPrefix(new Array(10).fill(4), 10, 3, out);
  assert.equal(hex(out.toBytes()), 'ee' + '02000000' + '1404');
});

test('length prefix stays correct when the writer reallocates mid-encode', () => {
  const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1000);
  const out = new ByteWriter(16);
  encodeRleHybridWithLengthPrefix(values, values.length, 10, out);
  const bytes = out.toBytes();
  const length = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(length, bytes.length - 4);
  assert.deepEqual(decodeRleHybrid(bytes.subarray(4), values.length, 10).values, values);
});

test('rejects bad arguments', () => {
  const out = new ByteWriter();
  assert.throws(() => encodeRleHybrid([1], 1, 33, out), RangeError);
  assert.throws(() => encodeRleHybrid([1], 1, -1, out), RangeError);
  assert.throws(() => encodeRleHybrid([1], 2, 1, out), RangeError);
});

// ---------------------------------------------------------------------------------------
// Random round trips
// ---------------------------------------------------------------------------------------

function randomValues(next: () => number, count: number, bitWidth: number): number[] {
  const max = 2 ** bitWidth; // exclusive
  const values: number[] = [];
  while (values.length < count) {
    const value = Math.floor(next() * max);
    // Mix isolated values, short repeats and long runs so both run kinds and the
    // borrowing logic get exercised.
    const shape = next();
    const repeat = shape < 0.5 ? 1 : shape < 0.8 ? 1 + Math.floor(next() * 10) : 8 + Math.floor(next() * 100);
    for (let k = 0; k < repeat && values.length < count; k++) values.push(value);
  }
  return values;
}

test('random round trips at every bit width 0..32', () => {
  const next = rng(0xc0ffee);
  for (let bitWidth = 0; bitWidth <= 32; bitWidth++) {
    for (let trial = 0; trial < 25; trial++) {
      const count = trial < 10 ? trial : Math.floor(next() * 3000);
      const values = randomValues(next, count, bitWidth);
      const typed = bitWidth <= 31 ? Int32Array.from(values) : Float64Array.from(values);
      const bytes = encode(typed, bitWidth);
      const decoded = decodeRleHybrid(bytes, count, bitWidth);
      assert.equal(decoded.consumed, bytes.length, `trailing bytes (width ${bitWidth}, count ${count})`);
      assert.deepEqual(decoded.values, values, `values (width ${bitWidth}, count ${count})`);
    }
  }
});

test('long runs become RLE runs and the output stays compact', () => {
  const next = rng(42);
  for (let bitWidth = 1; bitWidth <= 32; bitWidth += 3) {
    const values: number[] = [];
    let value = 0;
    for (let r = 0; r < 50; r++) {
      // Differ from the previous run's value so runs do not merge.
      value = (value + 1 + Math.floor(next() * (2 ** bitWidth - 1))) % 2 ** bitWidth;
      // Runs of at least 15 always keep >= 8 repeats after borrowing up to 7.
      const length = 15 + Math.floor(next() * 50);
      for (let k = 0; k < length; k++) values.push(value);
    }
    const bytes = encode(values, bitWidth);
    const decoded = decodeRleHybrid(bytes, values.length, bitWidth);
    assert.deepEqual(decoded.values, values);
    assert.ok(decoded.rleRuns >= 50, `expected an RLE run per run, got ${decoded.rleRuns}`);
    // Each run costs at most one bit-packed group plus one RLE run.
    const perRun = 1 + bitWidth + 5 + Math.ceil(bitWidth / 8);
    assert.ok(bytes.length <= 50 * perRun, `${bytes.length} bytes for 50 runs at width ${bitWidth}`);
  }
});

test('encoding a slice of a larger buffer only reads the first count values', () => {
  const values = new Int32Array([3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 2, 3]);
  const bytes = encode(values, 2, 9);
  assert.equal(hex(bytes), '1203'); // 9 << 1 = 0x12
});
