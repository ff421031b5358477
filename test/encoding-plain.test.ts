import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import {
  encodePlainBoolean,
  encodePlainByteArray,
  encodePlainDouble,
  encodePlainFixedLenByteArray,
  encodePlainFloat,
  encodePlainInt32,
  encodePlainInt64,
  encodePlainInt96,
} from '../packages/writer/src/encoding/plain.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function run(body: (out: ByteWriter) => void): string {
  const out = new ByteWriter(16);
  body(out);
  return hex(out.toBytes());
}

test('BOOLEAN: bit-packed, LSB first, last byte zero-padded', () => {
  const values = new Uint8Array([1, 0, 1, 1, 0, 0, 0, 1, 1, 1]);
  // byte0: bits 0,2,3,7 -> 0x8d; byte1: bits 0,1 -> 0x03
  assert.equal(
    run((o) => encodePlainBoolean(values, 0, 10, o)),
    '8d03',
  );
  // slice [2, 5): 1,1,0 -> 0x03
  assert.equal(
    run((o) => encodePlainBoolean(values, 2, 5, o)),
    '03',
  );
  // slice [1, 9): 0,1,1,0,0,0,1,1 -> bits 1,2,6,7 -> 0xc6
  assert.equal(
    run((o) => encodePlainBoolean(values, 1, 9, o)),
    'c6',
  );
  assert.equal(
    run((o) => encodePlainBoolean(values, 4, 4, o)),
    '',
  );
  // Any non-zero byte counts as true.
  assert.equal(
    run((o) => encodePlainBoolean(new Uint8Array([2, 255, 0]), 0, 3, o)),
    '03',
  );
});

test('BOOLEAN: long random input matches a bit-by-bit reference', () => {
  const values = new Uint8Array(1003);
  for (let i = 0; i < values.length; i++) values[i] = (i * 2654435761) % 7 < 3 ? 1 : 0;
  const out = new ByteWriter();
  encodePlainBoolean(values, 5, 1000, out);
  const bytes = out.toBytes();
  assert.equal(bytes.length, Math.ceil(995 / 8));
  for (let i = 0; i < 995; i++) assert.equal((bytes[i >> 3] >> (i & 7)) & 1, values[5 + i]);
});

test("INT32: 4-byte little-endian two's complement", () => {
  const values = new Int32Array([1, -1, 256, 0x7fffffff]);
  assert.equal(
    run((o) => encodePlainInt32(values, 0, 4, o)),
    '01000000' + 'ffffffff' + '00010000' + 'ffffff7f',
  );
  assert.equal(
    run((o) => encodePlainInt32(values, 1, 3, o)),
    'ffffffff' + '00010000',
  );
});

test('INT32 honours a typed array view with a byteOffset', () => {
  const backing = new Int32Array([9, 9, 5, 6, 9]);
  const view = backing.subarray(2, 4);
  assert.equal(
    run((o) => encodePlainInt32(view, 0, 2, o)),
    '05000000' + '06000000',
  );
  assert.equal(
    run((o) => encodePlainInt32(view, 1, 2, o)),
    '06000000',
  );
});

test('INT64: 8-byte little-endian', () => {
  const values = new BigInt64Array([1n, -2n, 0x0102030405060708n]);
  assert.equal(
    run((o) => encodePlainInt64(values, 0, 3, o)),
    '0100000000000000' + 'feffffffffffffff' + '0807060504030201',
  );
  assert.equal(
    run((o) => encodePlainInt64(values.subarray(1), 1, 2, o)),
    '0807060504030201',
  );
});

test('FLOAT and DOUBLE: IEEE 754 little-endian', () => {
  assert.equal(
    run((o) => encodePlainFloat(new Float32Array([1, -2]), 0, 2, o)),
    '0000803f' + '000000c0',
  );
  assert.equal(
    run((o) => encodePlainDouble(new Float64Array([1, -2.5]), 0, 2, o)),
    '000000000000f03f' + '00000000000004c0',
  );
  assert.equal(
    run((o) => encodePlainDouble(new Float64Array([1, -2.5]), 1, 2, o)),
    '00000000000004c0',
  );
});

test('INT96: 12 bytes per value copied as given', () => {
  const values = new Uint8Array(36).map((_, i) => i);
  const expected = hex(values.subarray(12, 36));
  assert.equal(
    run((o) => encodePlainInt96(values, 1, 3, o)),
    expected,
  );
  assert.throws(() => encodePlainInt96(new Uint8Array(13), 0, 1, new ByteWriter()), RangeError);
});

test('FIXED_LEN_BYTE_ARRAY: just the bytes', () => {
  const values = new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  assert.equal(
    run((o) => encodePlainFixedLenByteArray(values, 2, 1, 3, o)),
    'ccddeeff',
  );
  assert.throws(() => encodePlainFixedLenByteArray(values, 4, 0, 1, new ByteWriter()), RangeError);
});

test('BYTE_ARRAY: 4-byte LE length then the bytes', () => {
  const enc = new TextEncoder();
  const data = enc.encode('abxyz');
  const offsets = new Int32Array([0, 2, 2, 5]); // "ab", "", "xyz"
  assert.equal(
    run((o) => encodePlainByteArray({ data, offsets }, 0, 3, o)),
    '02000000' + '6162' + '00000000' + '03000000' + '78797a',
  );
  assert.equal(
    run((o) => encodePlainByteArray({ data, offsets }, 2, 3, o)),
    '03000000' + '78797a',
  );
  assert.equal(
    run((o) => encodePlainByteArray({ data, offsets }, 1, 1, o)),
    '',
  );
});

test('BYTE_ARRAY: long values (bulk copy path) and mixed lengths', () => {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 50; i++) parts.push(new Uint8Array((i * 37) % 300).fill(i));
  const offsets = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i] + parts[i].length;
  const data = new Uint8Array(offsets[parts.length]);
  parts.forEach((p, i) => data.set(p, offsets[i]));

  const out = new ByteWriter(16);
  encodePlainByteArray({ data, offsets }, 3, 47, out);
  const bytes = out.toBytes();
  const view = new DataView(bytes.buffer);
  let pos = 0;
  for (let i = 3; i < 47; i++) {
    const len = view.getUint32(pos, true);
    pos += 4;
    assert.equal(len, parts[i].length);
    assert.deepEqual(bytes.subarray(pos, pos + len), parts[i]);
    pos += len;
  }
  assert.equal(pos, bytes.length);
});

test('BYTE_ARRAY: rejects inconsistent offsets', () => {
  const data = new Uint8Array(4);
  assert.throws(() => encodePlainByteArray({ data, offsets: new Int32Array([0, 9]) }, 0, 1, new ByteWriter()), RangeError);
  assert.throws(() => encodePlainByteArray({ data, offsets: new Int32Array([0, 3, 1, 4]) }, 0, 3, new ByteWriter()), RangeError);
});

test('ranges are validated', () => {
  const out = new ByteWriter();
  assert.throws(() => encodePlainInt32(new Int32Array(2), 0, 3, out), RangeError);
  assert.throws(() => encodePlainInt32(new Int32Array(2), 2, 1, out), RangeError);
  assert.throws(() => encodePlainBoolean(new Uint8Array(2), -1, 1, out), RangeError);
});

test('encoders append after existing content', () => {
  const out = new ByteWriter(16);
  out.writeU8(0x99);
  encodePlainInt32(new Int32Array([2]), 0, 1, out);
  encodePlainBoolean(new Uint8Array([1]), 0, 1, out);
  assert.equal(hex(out.toBytes()), '99' + '02000000' + '01');
});
