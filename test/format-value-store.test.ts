import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteArrayStore } from '../src/format/column/value-store.js';
import type { ByteWriter } from '../src/encoding/byte-writer.js';

const writeText = (v: unknown, data: ByteWriter): void => {
  if (v instanceof Uint8Array) data.writeBytes(v);
  else data.writeUtf8(v as string);
};

function values(store: ByteArrayStore): string[] {
  store.materialize();
  const out: string[] = [];
  for (let i = 0; i < store.count; i++) out.push(Buffer.from(store.data.buffer.subarray(store.offsets[i], store.offsets[i + 1])).toString());
  return out;
}

test('ByteArrayStore with deferred strings: order kept across strings and bytes, size estimate fixed at append', () => {
  const store = new ByteArrayStore(writeText, true);
  store.append('ab');
  store.append('語');
  assert.equal(store.encoded, 0, 'strings wait');
  assert.equal(store.byteSize(), 2 + 1 + 4 * 2, 'UTF-16 length while pending');
  store.append(new Uint8Array([0x78, 0x79, 0x7a])); // bytes force the strings before them out
  assert.equal(store.encoded, 3);
  assert.equal(store.byteSize(), 2 + 1 + 3 + 4 * 3, 'the estimate does not move when strings get encoded');
  store.append('é');
  assert.deepEqual(values(store), ['ab', '語', 'xyz', 'é']);
  assert.equal(store.byteSize(), 2 + 1 + 3 + 1 + 4 * 4);
});

test('ByteArrayStore truncate: pending and encoded values, then appends continue where it left off', () => {
  const store = new ByteArrayStore(writeText, true);
  for (const s of ['one', 'two', 'three']) store.append(s);
  store.truncate(1); // all pending
  assert.equal(store.byteSize(), 3 + 4);
  store.append('zwei');
  store.materialize();
  store.append('drei');
  store.truncate(2); // cut inside the pending part, after encoded values
  assert.deepEqual(values(store), ['one', 'zwei']);
  store.truncate(1); // cut inside the encoded part
  assert.equal(store.data.length, 3);
  store.append(new Uint8Array([0x21]));
  assert.deepEqual(values(store), ['one', '!']);
  assert.equal(store.byteSize(), 3 + 1 + 4 * 2);
  store.truncate(0);
  assert.equal(store.byteSize(), 0);
  assert.deepEqual(values(store), []);
});

test('ByteArrayStore without deferral encodes at once (decimal-on-binary writers are not UTF-8)', () => {
  const store = new ByteArrayStore(writeText, false);
  store.append('語');
  assert.equal(store.encoded, 1);
  assert.equal(store.byteSize(), 3 + 4, 'exact bytes');
});
