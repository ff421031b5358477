import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import { CompactType, CompactWriter } from '../packages/writer/src/format/thrift/compact-writer.js';
import { T, bool, bytes, dbl, decodeStruct, i16, i32, i64, i8, list, str, struct } from './thrift-helpers.js';

function build(body: (w: CompactWriter) => void): Uint8Array {
  const w = new CompactWriter();
  w.structBegin();
  body(w);
  w.structEnd();
  assert.equal(w.depth, 0);
  return w.out.toBytes();
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('hand-computed bytes for a tiny struct (Thrift compact protocol spec)', () => {
  const b = build((w) => {
    // id 1, i32 -25200: short header 0x15; zigzag(-25200) = 50399, the spec's varint
    // example, encoded 0xDF 0x89 0x03.
    w.fieldI32(1, -25200);
    // id 2, bool true: delta 1, type BOOLEAN_TRUE -> 0x11, no value bytes.
    w.fieldBool(2, true);
    // id 20, i64 1: delta 18 > 15 -> long form 0x06, zigzag i16 id 40 = 0x28, value zigzag(1) = 0x02.
    w.fieldI64(20, 1);
    // id 21, bool false: delta 1 -> 0x12.
    w.fieldBool(21, false);
    // id 22, i8 -2: 0x13 then one raw byte 0xFE.
    w.fieldI8(22, -2);
    // id 23, string "hé": 0x18, varint length 3, UTF-8 bytes 68 C3 A9.
    w.fieldString(23, 'hé');
    // id 24, list<i32> [1, -1]: 0x19, list header size 2 | I32 -> 0x25, then 0x02 0x01.
    w.fieldList(24, CompactType.I32, 2);
    w.writeI32(1);
    w.writeI32(-1);
    // id 25, double 1.0: 0x17, then little-endian IEEE 754 00 00 00 00 00 00 F0 3F.
    w.fieldDouble(25, 1);
  });
  assert.equal(hex(b), ['15df8903', '11', '062802', '12', '13fe', '180368c3a9', '19250201', '170000000000 00f03f'.replace(' ', ''), '00'].join(''));
});

test('PageLocation-shaped struct, byte for byte', () => {
  const b = build((w) => {
    w.fieldI64(1, 4); // 0x16 0x08
    w.fieldI32(2, 100); // 0x15, zigzag 200 = 0xC8 0x01
    w.fieldI64(3, 0); // 0x16 0x00
  });
  assert.equal(hex(b), '1608' + '15c801' + '1600' + '00');
});

test('decoded field types match the declared types', () => {
  const b = build((w) => {
    w.fieldI8(1, 64);
    w.fieldI16(2, -300);
    w.fieldI32(3, 7);
    w.fieldI64(4, 7);
    w.fieldDouble(5, -2.5);
    w.fieldBinary(6, new Uint8Array([0, 255, 1]));
    w.fieldString(7, '');
    w.fieldBool(8, true);
    w.fieldBool(9, false);
  });
  assert.deepEqual(decodeStruct(b), {
    1: i8(64),
    2: i16(-300),
    3: i32(7),
    4: i64(7),
    5: dbl(-2.5),
    6: { type: T.STRING, value: new Uint8Array([0, 255, 1]) },
    7: str(''),
    8: bool(true),
    9: bool(false),
  });
});

test('negative and extreme integers round-trip', () => {
  const big = 2n ** 53n + 1n;
  const b = build((w) => {
    w.fieldI8(1, -128);
    w.fieldI8(2, 127);
    w.fieldI16(3, -32768);
    w.fieldI16(4, 32767);
    w.fieldI32(5, -2147483648);
    w.fieldI32(6, 2147483647);
    w.fieldI32(7, -1);
    w.fieldI64(8, -1);
    w.fieldI64(9, Number.MAX_SAFE_INTEGER);
    w.fieldI64(10, Number.MIN_SAFE_INTEGER);
    w.fieldI64(11, 2 ** 52); // first number that takes the bigint path
    w.fieldI64(12, -(2 ** 52));
    w.fieldI64(13, big);
    w.fieldI64(14, -big);
    w.fieldI64(15, 2n ** 63n - 1n);
    w.fieldI64(16, -(2n ** 63n));
    w.fieldI64(17, 0n);
  });
  assert.deepEqual(decodeStruct(b), {
    1: i8(-128),
    2: i8(127),
    3: i16(-32768),
    4: i16(32767),
    5: i32(-2147483648),
    6: i32(2147483647),
    7: i32(-1),
    8: i64(-1),
    9: i64(Number.MAX_SAFE_INTEGER),
    10: i64(Number.MIN_SAFE_INTEGER),
    11: i64(2 ** 52),
    12: i64(-(2 ** 52)),
    13: i64(big),
    14: i64(-big),
    15: i64(2n ** 63n - 1n),
    16: i64(-(2n ** 63n)),
    17: i64(0),
  });
});

test('i64 number and bigint paths produce identical bytes', () => {
  for (const n of [0, 1, -1, 63, -64, 64, 2 ** 31, -(2 ** 31) - 1, 2 ** 52 - 1, -(2 ** 52) + 1, 2 ** 52, Number.MAX_SAFE_INTEGER]) {
    const a = build((w) => w.fieldI64(1, n));
    const b = build((w) => w.fieldI64(1, BigInt(n)));
    assert.equal(hex(a), hex(b), `value ${n}`);
  }
});

test('doubles: special values survive', () => {
  const b = build((w) => {
    w.fieldDouble(1, Number.NaN);
    w.fieldDouble(2, Number.POSITIVE_INFINITY);
    w.fieldDouble(3, -0);
    w.fieldDouble(4, 1e-300);
  });
  assert.deepEqual(decodeStruct(b), { 1: dbl(Number.NaN), 2: dbl(Infinity), 3: dbl(-0), 4: dbl(1e-300) });
});

test('field-id gaps: long form for deltas > 15, zero and backwards ids', () => {
  const b = build((w) => {
    w.fieldI32(15, 1); // delta 15: still short form
    w.fieldI32(31, 2); // delta 16: long form
    w.fieldBool(1000, true); // long form bool: type nibble still carries the value
    w.fieldBool(1001, false);
    w.fieldI32(32767, 3);
    w.fieldI32(5, 4); // backwards: long form
    w.fieldI32(6, 5);
  });
  assert.equal(b[0], 0xf5, 'delta 15 uses the short form');
  assert.equal(b[2], 0x05, 'delta 16 uses the long form');
  assert.deepEqual(decodeStruct(b), {
    15: i32(1),
    31: i32(2),
    1000: bool(true),
    1001: bool(false),
    32767: i32(3),
    5: i32(4),
    6: i32(5),
  });
});

test('nested structs restore the parent field-id position', () => {
  const b = build((w) => {
    w.fieldI32(2, 1);
    w.fieldStruct(3);
    w.structBegin();
    w.fieldI32(1, 10); // delta from 0 inside the nested struct
    w.fieldStruct(17);
    w.structBegin();
    w.fieldBool(1, true);
    w.structEnd();
    w.fieldI64(18, 5);
    w.structEnd();
    w.fieldI32(4, 2); // delta 1 from the parent's field 3
  });
  assert.deepEqual(decodeStruct(b), {
    2: i32(1),
    3: struct({ 1: i32(10), 17: struct({ 1: bool(true) }), 18: i64(5) }),
    4: i32(2),
  });
});

test('lists: empty, 14 (short form), 15 and 1000 (long form), bools, strings, structs', () => {
  const n14 = Array.from({ length: 14 }, (_, i) => i - 7);
  const n15 = Array.from({ length: 15 }, (_, i) => BigInt(i) * -(2n ** 40n));
  const n1000 = Array.from({ length: 1000 }, (_, i) => i * 1000);
  const bools = Array.from({ length: 17 }, (_, i) => i % 3 === 0);
  const strings = Array.from({ length: 16 }, (_, i) => `s${i}€`);
  const b = build((w) => {
    w.fieldList(1, CompactType.I32, 0);
    w.fieldList(2, CompactType.I32, n14.length);
    for (const v of n14) w.writeI32(v);
    w.fieldList(3, CompactType.I64, n15.length);
    for (const v of n15) w.writeI64(v);
    w.fieldList(4, CompactType.I32, n1000.length);
    for (const v of n1000) w.writeI32(v);
    w.fieldList(5, CompactType.BOOLEAN_FALSE, bools.length);
    for (const v of bools) w.writeBool(v);
    w.fieldList(6, CompactType.BINARY, strings.length);
    for (const v of strings) w.writeString(v);
    w.fieldList(7, CompactType.STRUCT, 2);
    for (const v of [1, 2]) {
      w.structBegin();
      w.fieldI16(v, v);
      w.structEnd();
    }
    w.fieldList(8, CompactType.I8, 2);
    w.writeI8(-1);
    w.writeI8(8);
  });
  assert.deepEqual(decodeStruct(b), {
    1: list(T.I32, []),
    2: list(T.I32, n14),
    3: list(T.I64, n15),
    4: list(T.I32, n1000),
    5: list(T.BOOL, bools),
    6: list(T.STRING, strings.map(bytes)),
    7: list(T.STRUCT, [{ 1: i16(1) }, { 2: i16(2) }]),
    8: list(T.BYTE, [-1, 8]),
  });
  // 14 elements: one header byte 0xE5; 15 elements: 0xF6 then varint 15.
  const i14 = b.indexOf(0xe5);
  assert.ok(i14 > 0);
  const i15 = b.indexOf(0xf6);
  assert.equal(b[i15 + 1], 15);
});

test('writes into a caller-owned ByteWriter after existing content', () => {
  const out = new ByteWriter(16);
  out.writeBytes(new Uint8Array([9, 9, 9]));
  const w = new CompactWriter(out);
  w.structBegin();
  w.fieldString(1, 'x'.repeat(100)); // forces the buffer to grow
  w.structEnd();
  const b = out.toBytes();
  assert.deepEqual([...b.subarray(0, 3)], [9, 9, 9]);
  assert.deepEqual(decodeStruct(b.subarray(3)), { 1: str('x'.repeat(100)) });
});

test('range and type checks reject values that would corrupt the output', () => {
  const attempt =
    (f: (w: CompactWriter) => void): (() => void) =>
    () =>
      build(f);
  assert.throws(
    attempt((w) => w.fieldI8(1, 128)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI8(1, 1.5)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI16(1, 32768)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI32(1, 2 ** 31)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI32(1, undefined as unknown as number)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI64(1, 2 ** 60)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI64(1, 2n ** 63n)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldI64(1, -(2n ** 63n) - 1n)),
    RangeError,
  );
  assert.throws(
    attempt((w) => w.fieldBool(1, 1 as unknown as boolean)),
    TypeError,
  );
  assert.throws(
    attempt((w) => w.fieldString(1, undefined as unknown as string)),
    TypeError,
  );
  assert.throws(() => new CompactWriter().fieldI32(1, 1), /outside a struct/);
  assert.throws(() => new CompactWriter().structEnd(), /without matching/);
});
