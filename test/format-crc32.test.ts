import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { crc32 } from '../src/format/page/crc32.js';

test('crc32 equals the CRC in a gzip trailer (zlib), whole and continued', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926); // the standard check value
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000, 65537]) {
    const b = randomBytes(n);
    const gz = zlib.gzipSync(b);
    const want = gz.readUInt32LE(gz.length - 8);
    assert.equal(crc32(b), want, `${n} bytes`);
    const split = Math.floor(n / 3);
    assert.equal(crc32(b.subarray(split), crc32(b.subarray(0, split))), want, `${n} bytes in two calls`);
  }
});
