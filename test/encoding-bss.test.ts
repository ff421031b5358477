import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import {
  encodeByteStreamSplitDouble,
  encodeByteStreamSplitFixedLenByteArray,
  encodeByteStreamSplitFloat,
  encodeByteStreamSplitInt32,
  encodeByteStreamSplitInt64,
} from '../packages/writer/src/encoding/byte-stream-split.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Test-only inverse of the spec transform: byte b of value i sits at b * n + i. */
function unsplit(bytes: Uint8Array, k: number): Uint8Array {
  const n = bytes.length / k;
  assert.ok(Number.isInteger(n), 'length must be a multiple of K');
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < k; b++) for (let i = 0; i < n; i++) out[i * k + b] = bytes[b * n + i];
  return out;
}

/** PLAIN bytes of a value range, via DataView little-endian writes (independent of the encoder). */
function plainLE(n: number, width: number, set: (view: DataView, at: number, i: number) => void): Uint8Array {
  const bytes = new Uint8Array(n * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) set(view, i * width, i);
  return bytes;
}

function run(body: (out: ByteWriter) => void): Uint8Array {
  const out = new ByteWriter(16);
  out.writeU8(0xee); // encoders append after whatever is there
  body(out);
  const bytes = out.toBytes();
  assert.equal(bytes[0], 0xee);
  return bytes.subarray(1);
}

function hyparquet(bytes: Uint8Array, count: number, type: 'FLOAT' | 'DOUBLE' | 'INT32' | 'INT64' | 'FIXED_LEN_BYTE_ARRAY', typeLength?: number) {
  return byteStreamSplit({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }, count, type, typeLength);
}

test('spec example: AA BB CC DD | 00 11 22 33 | A3 B4 C5 D6', () => {
  const words = new DataView(new ArrayBuffer(12));
  words.setUint32(0, 0xddccbbaa, true);
  words.setUint32(4, 0x33221100, true);
  words.setUint32(8, 0xd6c5b4a3, true);
  const asInt = new Int32Array(words.buffer);
  assert.equal(hex(run((o) => encodeByteStreamSplitInt32(asInt, 0, 3, o))), 'aa00a3bb11b4cc22c5dd33d6');
  const asFloat = new Float32Array(words.buffer);
  assert.equal(hex(run((o) => encodeByteStreamSplitFloat(asFloat, 0, 3, o))), 'aa00a3bb11b4cc22c5dd33d6');
  const asFlba = new Uint8Array(words.buffer);
  assert.equal(hex(run((o) => encodeByteStreamSplitFixedLenByteArray(asFlba, 4, 0, 3, o))), 'aa00a3bb11b4cc22c5dd33d6');
});

test('FLOAT / DOUBLE / INT32 / INT64 round trip over sub-ranges, and through hyparquet', () => {
  const n = 1001;
  const floats = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1000);
  floats[3] = NaN;
  floats[4] = -0;
  floats[5] = Infinity;
  const doubles = Float64Array.from({ length: n }, (_, i) => Math.cos(i) * 1e12 + i / 7);
  doubles[6] = -Number.MIN_VALUE;
  const ints = Int32Array.from({ length: n }, (_, i) => Math.imul(i, 0x9e3779b1));
  const longs = BigInt64Array.from({ length: n }, (_, i) => BigInt.asIntN(64, BigInt(i) * 0x9e3779b97f4a7c15n));
  for (const [start, end] of [
    [0, n],
    [1, 2],
    [7, 700],
    [n, n],
  ]) {
    const count = end - start;
    const f = run((o) => encodeByteStreamSplitFloat(floats, start, end, o));
    assert.deepEqual(
      unsplit(f, 4),
      plainLE(count, 4, (v, at, i) => v.setFloat32(at, floats[start + i], true)),
    );
    assert.deepEqual(hyparquet(f, count, 'FLOAT'), floats.slice(start, end));
    const d = run((o) => encodeByteStreamSplitDouble(doubles, start, end, o));
    assert.deepEqual(
      unsplit(d, 8),
      plainLE(count, 8, (v, at, i) => v.setFloat64(at, doubles[start + i], true)),
    );
    assert.deepEqual(hyparquet(d, count, 'DOUBLE'), doubles.slice(start, end));
    const i32 = run((o) => encodeByteStreamSplitInt32(ints, start, end, o));
    assert.deepEqual(
      unsplit(i32, 4),
      plainLE(count, 4, (v, at, i) => v.setInt32(at, ints[start + i], true)),
    );
    assert.deepEqual(hyparquet(i32, count, 'INT32'), ints.slice(start, end));
    const i64 = run((o) => encodeByteStreamSplitInt64(longs, start, end, o));
    assert.deepEqual(
      unsplit(i64, 8),
      plainLE(count, 8, (v, at, i) => v.setBigInt64(at, longs[start + i], true)),
    );
    assert.deepEqual(hyparquet(i64, count, 'INT64'), longs.slice(start, end));
  }
});

test('typed-array views with a byteOffset are read from the right place', () => {
  const backing = new Float64Array(64).map((_, i) => i + 0.5);
  const view = backing.subarray(10, 20);
  const bytes = run((o) => encodeByteStreamSplitDouble(view, 2, 5, o));
  assert.deepEqual(hyparquet(bytes, 3, 'DOUBLE'), Float64Array.from([12.5, 13.5, 14.5]));
  const ints = new Int32Array(backing.buffer, 8, 20);
  const b2 = run((o) => encodeByteStreamSplitInt32(ints, 3, 9, o));
  assert.deepEqual(hyparquet(b2, 6, 'INT32'), ints.slice(3, 9));
});

test('FIXED_LEN_BYTE_ARRAY of odd widths (K = 1, 3, 16)', () => {
  for (const k of [1, 3, 16]) {
    const n = 77;
    const flat = Uint8Array.from({ length: n * k }, (_, i) => (i * 31 + k) & 0xff);
    const bytes = run((o) => encodeByteStreamSplitFixedLenByteArray(flat, k, 5, 70, o));
    assert.deepEqual(unsplit(bytes, k), flat.subarray(5 * k, 70 * k));
    const decoded = hyparquet(bytes, 65, 'FIXED_LEN_BYTE_ARRAY', k) as Uint8Array[];
    assert.deepEqual(
      decoded.map((b) => Uint8Array.from(b)),
      Array.from({ length: 65 }, (_, i) => flat.slice((5 + i) * k, (6 + i) * k)),
    );
  }
  assert.throws(() => encodeByteStreamSplitFixedLenByteArray(new Uint8Array(10), 3, 0, 1, new ByteWriter()), RangeError);
  assert.throws(() => encodeByteStreamSplitFixedLenByteArray(new Uint8Array(9), 3, 0, 4, new ByteWriter()), RangeError);
  assert.throws(() => encodeByteStreamSplitFloat(new Float32Array(2), 1, 3, new ByteWriter()), RangeError);
});
