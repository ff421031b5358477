import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { crc32, crc32Tables, useNativeCrc32 } from '../packages/writer/src/format/page/crc32.js';

/** The CRC zlib stores in a gzip trailer: an implementation-independent reference. */
function gzipCrc(b: Uint8Array): number {
  const gz = zlib.gzipSync(b);
  return gz.readUInt32LE(gz.length - 8);
}

function checkAgainstGzip(impl: (b: Uint8Array, crc?: number) => number, label: string): void {
  assert.equal(impl(new TextEncoder().encode('123456789')), 0xcbf43926, `${label}: standard check value`);
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000, 65537]) {
    const b = randomBytes(n);
    const want = gzipCrc(b);
    assert.equal(impl(b), want, `${label}: ${n} bytes`);
    const split = Math.floor(n / 3);
    assert.equal(impl(b.subarray(split), impl(b.subarray(0, split))), want, `${label}: ${n} bytes in two calls`);
  }
}

test('crc32 tables equal the CRC in a gzip trailer (zlib), whole and continued', () => {
  checkAgainstGzip(crc32Tables, 'tables');
});

test('crc32 after useNativeCrc32 still equals the gzip trailer, and says whether it switched', async () => {
  const switched = await useNativeCrc32();
  // Node 20.15+ and 22.2+ have zlib.crc32; the switch must happen exactly when it exists.
  assert.equal(switched, typeof (zlib as { crc32?: unknown }).crc32 === 'function');
  checkAgainstGzip(crc32, switched ? 'native' : 'tables');
  // Unsigned results and a continued CRC across the two implementations agree.
  const b = randomBytes(4097);
  assert.equal(crc32(b.subarray(100), crc32Tables(b.subarray(0, 100))), crc32Tables(b));
});
