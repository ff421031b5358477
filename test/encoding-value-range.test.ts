import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import { encodeByteStreamSplitFixedLenByteArray } from '../packages/writer/src/encoding/byte-stream-split.js';
import { encodeDeltaByteArrayFixedLen } from '../packages/writer/src/encoding/delta-byte-array.js';
import { encodePlainByteArray, encodePlainFixedLenByteArray } from '../packages/writer/src/encoding/plain.js';
import { checkByteArrayRange, checkFixedLenValues, checkValueRange } from '../packages/writer/src/encoding/value-range.js';
import { bloomInsertFixedLenByteArray } from '../packages/writer/src/format/bloom/bloom-values.js';
import { SplitBlockBloomFilter } from '../packages/writer/src/format/bloom/split-block-bloom-filter.js';

test('checkValueRange: integer [start, end) inside [0, count)', () => {
  checkValueRange(0, 0, 0, 'X');
  checkValueRange(2, 5, 5, 'X');
  assert.throws(() => checkValueRange(0, 6, 5, 'PLAIN INT32'), { name: 'RangeError', message: 'PLAIN INT32: range [0, 6) is outside [0, 5)' });
  assert.throws(() => checkValueRange(3, 2, 5, 'X'), RangeError);
  assert.throws(() => checkValueRange(-1, 2, 5, 'X'), RangeError);
  assert.throws(() => checkValueRange(0.5, 2, 5, 'X'), RangeError);
});

test('checkFixedLenValues: whole values of a positive type length, slice inside them', () => {
  assert.equal(checkFixedLenValues(new Uint8Array(12), 4, 0, 3, 'X'), 3);
  assert.equal(checkFixedLenValues(new Uint8Array(0), 16, 0, 0, 'X'), 0);
  assert.throws(() => checkFixedLenValues(new Uint8Array(10), 4, 0, 1, 'F'), { message: 'F: byte length 10 is not a multiple of type length 4' });
  assert.throws(() => checkFixedLenValues(new Uint8Array(8), 0, 0, 0, 'F'), { message: 'F: byte length 8 is not a multiple of type length 0' });
  assert.throws(() => checkFixedLenValues(new Uint8Array(8), 2.5, 0, 0, 'F'), RangeError);
  assert.throws(() => checkFixedLenValues(new Uint8Array(8), 4, 1, 3, 'F'), { message: 'F: range [1, 3) is outside [0, 2)' });
});

test('checkByteArrayRange: offsets of the slice must fit the data', () => {
  const data = new Uint8Array(4);
  checkByteArrayRange({ data, offsets: new Int32Array([0, 2, 4]) }, 0, 2, 'X');
  checkByteArrayRange({ data, offsets: new Int32Array([0, 2, 9]) }, 0, 1, 'X');
  assert.throws(() => checkByteArrayRange({ data, offsets: new Int32Array([0, 2, 9]) }, 0, 2, 'B'), {
    message: 'B: offsets [0, 9] do not fit data of 4 bytes',
  });
  assert.throws(() => checkByteArrayRange({ data, offsets: new Int32Array([0, 2]) }, 0, 2, 'B'), { message: 'B: range [0, 2) is outside [0, 1)' });
});

test('every FIXED_LEN_BYTE_ARRAY consumer rejects a partial value, naming itself, and writes nothing', () => {
  const values = new Uint8Array(10);
  const writers: Array<[string, (out: ByteWriter) => void]> = [
    ['PLAIN FIXED_LEN_BYTE_ARRAY', (out) => encodePlainFixedLenByteArray(values, 4, 0, 1, out)],
    ['DELTA_BYTE_ARRAY FIXED_LEN_BYTE_ARRAY', (out) => encodeDeltaByteArrayFixedLen(values, 4, 0, 1, out)],
    ['BYTE_STREAM_SPLIT FIXED_LEN_BYTE_ARRAY', (out) => encodeByteStreamSplitFixedLenByteArray(values, 4, 0, 1, out)],
    ['PLAIN BYTE_ARRAY', (out) => encodePlainByteArray({ data: values, offsets: new Int32Array([0, 11]) }, 0, 1, out)],
  ];
  for (const [what, write] of writers) {
    const out = new ByteWriter();
    assert.throws(
      () => write(out),
      (e: unknown) => e instanceof RangeError && e.message.startsWith(`${what}: `),
      what,
    );
    assert.equal(out.length, 0, `${what} wrote nothing`);
  }
  const filter = new SplitBlockBloomFilter(32);
  assert.throws(() => bloomInsertFixedLenByteArray(filter, values, 4, 0, 1), {
    message: 'bloom FIXED_LEN_BYTE_ARRAY: byte length 10 is not a multiple of type length 4',
  });
});
