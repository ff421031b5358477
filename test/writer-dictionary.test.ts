import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParquetWriter, MemorySink } from '../src/index.js';
import { parquetReadObjects } from 'hyparquet';

async function write(values: (string | Uint8Array)[], type: 'string' | 'binary') {
  const sink = new MemorySink();
  const writer = new ParquetWriter([{ name: 's', type }], sink, { encoding: 'dictionary' });
  await writer.writeRows(values.map((s) => ({ s })));
  const summary = await writer.close();
  const chunk = summary.metadata.row_groups[0]!.columns[0]!.meta_data!;
  return { bytes: sink.bytes(), distinct: chunk.statistics?.distinct_count, chunk };
}

test('dictionary: strings and byte values that encode alike share one entry', async () => {
  // Lone surrogates both become U+FFFD in UTF-8: two JS strings, one byte value.
  const { distinct } = await write(['a\uD800', 'a\uDC00', 'a\uFFFD', 'b', 'b'], 'string');
  assert.equal(distinct, 2);
  // Binary columns take strings (as UTF-8) and bytes; equal bytes are one entry either way.
  const mixed = await write(['xy', new TextEncoder().encode('xy'), 'xy', new Uint8Array([0x78])], 'binary');
  assert.equal(mixed.distinct, 2);
  const rows = await parquetReadObjects({ file: mixed.bytes.buffer.slice(mixed.bytes.byteOffset, mixed.bytes.byteOffset + mixed.bytes.byteLength) as ArrayBuffer });
  assert.deepEqual(rows.map((r) => Buffer.from(r.s as Uint8Array).toString()), ['xy', 'xy', 'xy', 'x']);
});

test('dictionary: a rolled-back row leaves no trace in the page or the dictionary', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter([{ name: 's', type: 'string' }, { name: 'n', type: 'int32' }], sink, { encoding: 'dictionary' });
  await writer.writeRows([{ s: 'keep', n: 1 }]);
  await assert.rejects(writer.writeRows([{ s: 'ghost', n: 1.5 }]), /row 1, column 'n'/);
  await writer.writeRows([{ s: 'keep', n: 2 }]);
  const summary = await writer.close();
  assert.equal(summary.metadata.row_groups[0]!.columns[0]!.meta_data!.statistics?.distinct_count, 1);
  const b = sink.bytes();
  const rows = await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
  assert.deepEqual(rows, [{ s: 'keep', n: 1 }, { s: 'keep', n: 2 }]);
});
