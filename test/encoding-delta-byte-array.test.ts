import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import { encodeDeltaBinaryPackedInt32 } from '../packages/writer/src/encoding/delta-binary-packed.js';
import { encodeDeltaByteArray, encodeDeltaByteArrayFixedLen } from '../packages/writer/src/encoding/delta-byte-array.js';
import { encodeDeltaLengthByteArray } from '../packages/writer/src/encoding/delta-length-byte-array.js';
import type { ByteArrayValues } from '../packages/writer/src/encoding/plain.js';
import { rng } from './support/rng.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = new TextEncoder();
const text = new TextDecoder();

function byteArrays(items: (string | Uint8Array)[]): ByteArrayValues {
  const parts = items.map((s) => (typeof s === 'string' ? utf8.encode(s) : s));
  const offsets = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i] + parts[i].length;
  const data = new Uint8Array(offsets[parts.length]);
  parts.forEach((p, i) => data.set(p, offsets[i]));
  return { data, offsets };
}

function dbp(values: number[]): string {
  const out = new ByteWriter(16);
  encodeDeltaBinaryPackedInt32(Int32Array.from(values), 0, values.length, out);
  return hex(out.toBytes());
}

// ---------------------------------------------------------------------------------------
// Test-only decoders from the Encodings.md layouts. The lengths come from a tiny
// DELTA_BINARY_PACKED reader (plain numbers, one bit at a time, INT32 wrap-around).
// ---------------------------------------------------------------------------------------

function readDbp(bytes: Uint8Array, at: number): { values: number[]; next: number } {
  let pos = at;
  const uleb = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      const byte = bytes[pos++];
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  };
  const zz = (): number => {
    const z = uleb();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  };
  const blockSize = uleb();
  const minis = uleb();
  const total = uleb();
  let value = zz();
  const values: number[] = total > 0 ? [value] : [];
  while (values.length < total) {
    const minDelta = zz();
    const widths = bytes.subarray(pos, pos + minis);
    pos += minis;
    for (let m = 0; m < minis && values.length < total; m++) {
      let bit = pos * 8;
      for (let j = 0; j < blockSize / minis; j++) {
        let rel = 0;
        for (let b = 0; b < widths[m]; b++, bit++) rel += ((bytes[bit >> 3] >> (bit & 7)) & 1) * 2 ** b;
        if (values.length < total) values.push((value = (value + minDelta + rel) | 0));
      }
      pos += (widths[m] * blockSize) / minis / 8;
    }
  }
  return { values, next: pos };
}

function decodeDlba(bytes: Uint8Array): Uint8Array[] {
  const { values: lengths, next } = readDbp(bytes, 0);
  let pos = next;
  const out = lengths.map((len) => bytes.slice(pos, (pos += len)));
  assert.equal(pos, bytes.length, 'trailing bytes');
  return out;
}

function decodeDba(bytes: Uint8Array): Uint8Array[] {
  const prefixes = readDbp(bytes, 0);
  const suffixes = readDbp(bytes, prefixes.next);
  let pos = suffixes.next;
  const out: Uint8Array[] = [];
  prefixes.values.forEach((p, i) => {
    const suffix = bytes.subarray(pos, (pos += suffixes.values[i]));
    const value = new Uint8Array(p + suffix.length);
    if (p > 0) value.set(out[i - 1].subarray(0, p));
    value.set(suffix, p);
    out.push(value);
  });
  assert.equal(pos, bytes.length, 'trailing bytes');
  return out;
}

function viaHyparquet(fn: typeof deltaByteArray, bytes: Uint8Array, count: number): Uint8Array[] {
  const output: Uint8Array[] = new Array(count);
  if (count > 0) fn({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }, count, output);
  return output.map((b) => Uint8Array.from(b));
}

function randomCorpus(r: () => number, n: number): Uint8Array[] {
  const items: Uint8Array[] = [];
  let prev: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < n; i++) {
    const roll = r();
    let v: Uint8Array;
    if (roll < 0.1) v = new Uint8Array(0);
    else if (roll < 0.6 && prev.length > 0) {
      // share a prefix with the previous value, then a random tail
      const keep = Math.floor(r() * (prev.length + 1));
      const tail = Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      v = new Uint8Array(keep + tail.length);
      v.set(prev.subarray(0, keep));
      v.set(tail, keep);
    } else if (roll < 0.65)
      v = prev.slice(); // exact repeat
    else v = Uint8Array.from({ length: Math.floor(r() * 100) }, () => Math.floor(r() * 256));
    items.push(v);
    prev = v;
  }
  return items;
}

test('DELTA_LENGTH_BYTE_ARRAY: spec example Hello, World, Foobar, ABCDEF', () => {
  const out = new ByteWriter(16);
  encodeDeltaLengthByteArray(byteArrays(['Hello', 'World', 'Foobar', 'ABCDEF']), 0, 4, out);
  const bytes = out.toBytes();
  assert.equal(hex(bytes), dbp([5, 5, 6, 6]) + hex(utf8.encode('HelloWorldFoobarABCDEF')));
  assert.deepEqual(
    decodeDlba(bytes).map((b) => text.decode(b)),
    ['Hello', 'World', 'Foobar', 'ABCDEF'],
  );
});

test('DELTA_BYTE_ARRAY: spec example axis, axle, babble, babyhood', () => {
  const out = new ByteWriter(16);
  encodeDeltaByteArray(byteArrays(['axis', 'axle', 'babble', 'babyhood']), 0, 4, out);
  const bytes = out.toBytes();
  assert.equal(hex(bytes), dbp([0, 2, 0, 3]) + dbp([4, 2, 6, 5]) + hex(utf8.encode('axislebabbleyhood')));
  assert.deepEqual(
    decodeDba(bytes).map((b) => text.decode(b)),
    ['axis', 'axle', 'babble', 'babyhood'],
  );
});

test('empty ranges are two (or one) empty DELTA_BINARY_PACKED headers', () => {
  const values = byteArrays(['a', 'b']);
  const a = new ByteWriter();
  encodeDeltaLengthByteArray(values, 1, 1, a);
  assert.equal(hex(a.toBytes()), dbp([]));
  const b = new ByteWriter();
  encodeDeltaByteArray(values, 2, 2, b);
  assert.equal(hex(b.toBytes()), dbp([]) + dbp([]));
});

test('random corpora round trip through our decoders and hyparquet', () => {
  const r = rng(7);
  for (const n of [1, 2, 5, 127, 128, 129, 300, 2000]) {
    const items = randomCorpus(r, n);
    const values = byteArrays(items);
    for (const [start, end] of [
      [0, n],
      [Math.floor(n / 3), n],
      [0, Math.ceil(n / 2)],
    ]) {
      const expected = items.slice(start, end);
      const dl = new ByteWriter(16);
      encodeDeltaLengthByteArray(values, start, end, dl);
      assert.deepEqual(decodeDlba(dl.toBytes()), expected, `DLBA n=${n} [${start},${end})`);
      assert.deepEqual(viaHyparquet(deltaLengthByteArray, dl.toBytes(), end - start), expected);
      const d = new ByteWriter(16);
      encodeDeltaByteArray(values, start, end, d);
      assert.deepEqual(decodeDba(d.toBytes()), expected, `DBA n=${n} [${start},${end})`);
      assert.deepEqual(viaHyparquet(deltaByteArray, d.toBytes(), end - start), expected);
    }
  }
});

test('DELTA_BYTE_ARRAY shrinks sorted keys with long shared prefixes', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `GABCDEFGHIJKLMNOPQRSTUVWXYZ234567-${String(i).padStart(6, '0')}`);
  const values = byteArrays(keys);
  const d = new ByteWriter();
  encodeDeltaByteArray(values, 0, keys.length, d);
  assert.ok(d.length < values.data.length / 5, `${d.length} bytes for ${values.data.length} input bytes`);
  assert.deepEqual(
    decodeDba(d.toBytes()).map((b) => text.decode(b)),
    keys,
  );
});

test('DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY: all lengths written, round trips', () => {
  const r = rng(9);
  const typeLength = 16;
  const n = 300;
  const flat = new Uint8Array(n * typeLength);
  for (let i = 0; i < n; i++) {
    // sorted-ish 16-byte ids: common high bytes, random low bytes
    for (let b = 0; b < typeLength; b++) flat[i * typeLength + b] = b < 10 ? b : Math.floor(r() * 256);
  }
  const expected = Array.from({ length: n }, (_, i) => flat.slice(i * typeLength, (i + 1) * typeLength));
  for (const [start, end] of [
    [0, n],
    [17, 290],
    [5, 5],
  ]) {
    const out = new ByteWriter(16);
    encodeDeltaByteArrayFixedLen(flat, typeLength, start, end, out);
    const bytes = out.toBytes();
    assert.deepEqual(decodeDba(bytes), expected.slice(start, end));
    assert.deepEqual(viaHyparquet(deltaByteArray, bytes, end - start), expected.slice(start, end));
    // Same bytes as the BYTE_ARRAY path over equivalent offsets.
    const asVar = { data: flat, offsets: Int32Array.from({ length: n + 1 }, (_, i) => i * typeLength) };
    const other = new ByteWriter(16);
    encodeDeltaByteArray(asVar, start, end, other);
    assert.equal(hex(bytes), hex(other.toBytes()));
  }
  // Identical values: prefix = typeLength, suffix length 0.
  const same = new Uint8Array(3 * 4).fill(7);
  const out = new ByteWriter();
  encodeDeltaByteArrayFixedLen(same, 4, 0, 3, out);
  assert.equal(hex(out.toBytes()), dbp([0, 4, 4]) + dbp([4, 0, 0]) + '07070707');
  assert.throws(() => encodeDeltaByteArrayFixedLen(same, 5, 0, 1, new ByteWriter()), RangeError);
  assert.throws(() => encodeDeltaByteArrayFixedLen(same, 4, 0, 4, new ByteWriter()), RangeError);
});

test('invalid offsets are rejected', () => {
  const bad: ByteArrayValues = { data: new Uint8Array(4), offsets: Int32Array.from([0, 3, 2, 4]) };
  assert.throws(() => encodeDeltaLengthByteArray(bad, 0, 3, new ByteWriter()), RangeError);
  assert.throws(() => encodeDeltaByteArray(bad, 0, 3, new ByteWriter()), RangeError);
  const short: ByteArrayValues = { data: new Uint8Array(2), offsets: Int32Array.from([0, 3]) };
  assert.throws(() => encodeDeltaLengthByteArray(short, 0, 1, new ByteWriter()), RangeError);
  assert.throws(() => encodeDeltaByteArray(short, 0, 2, new ByteWriter()), RangeError);
});
