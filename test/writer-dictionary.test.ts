import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParquetWriter, MemorySink } from '../packages/writer/src/index.js';
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
  const rows = await parquetReadObjects({
    file: mixed.bytes.buffer.slice(mixed.bytes.byteOffset, mixed.bytes.byteOffset + mixed.bytes.byteLength) as ArrayBuffer,
  });
  assert.deepEqual(
    rows.map((r) => Buffer.from(r.s as Uint8Array).toString()),
    ['xy', 'xy', 'xy', 'x'],
  );
});

test('dictionary: a rolled-back row leaves no trace in the page or the dictionary', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter(
    [
      { name: 's', type: 'string' },
      { name: 'n', type: 'int32' },
    ],
    sink,
    { encoding: 'dictionary' },
  );
  await writer.writeRows([{ s: 'keep', n: 1 }]);
  await assert.rejects(writer.writeRows([{ s: 'ghost', n: 1.5 }]), /row 1, column 'n'/);
  await writer.writeRows([{ s: 'keep', n: 2 }]);
  const summary = await writer.close();
  assert.equal(summary.metadata.row_groups[0]!.columns[0]!.meta_data!.statistics?.distinct_count, 1);
  const b = sink.bytes();
  const rows = await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
  assert.deepEqual(rows, [
    { s: 'keep', n: 1 },
    { s: 'keep', n: 2 },
  ]);
});

test('deferred strings: dictionary and fallback pages, rollbacks and size statistics agree with the UTF-8 bytes', async () => {
  // Non-ASCII strings (2-, 3- and 4-byte UTF-8) from a pool; the small dictionary limit
  // makes later pages fall back to DELTA/PLAIN, so both paths see strings never encoded.
  const pool = Array.from({ length: 300 }, (_, i) => `k${i}-${'é'.repeat(i % 5)}${'語'.repeat(i % 3)}${i % 7 === 0 ? '😀' : ''}`);
  const sink = new MemorySink();
  const writer = new ParquetWriter(
    [
      { name: 's', type: 'string' },
      { name: 'b', type: 'binary', optional: true },
      { name: 'n', type: 'int32' },
    ],
    sink,
    { dictionaryPageSizeLimit: 2048, dataPageRowLimit: 500 },
  );
  const want: { s: string; b: string | null; n: number }[] = [];
  for (let i = 0; i < 4000; i++) {
    const s = pool[(i * 7919) % Math.min(pool.length, 20 + Math.floor(i / 10))]!; // the pool grows: the dictionary overflows later
    // Binary takes strings (as UTF-8) and bytes mixed in one page.
    const b = i % 3 === 0 ? null : i % 3 === 1 ? s : new TextEncoder().encode(s);
    if (i % 997 === 5) {
      // A bad row after the string columns took their values: they must be undone.
      await assert.rejects(writer.writeRows([{ s: 'ghost', b: 'ghost', n: 0.5 }]), /column 'n'/);
    }
    await writer.writeRows([{ s, b, n: i }]);
    want.push({ s, b: b === null ? null : s, n: i });
  }
  const summary = await writer.close();
  const chunk = summary.metadata.row_groups[0]!.columns[0]!.meta_data!;
  const encodings = new Set(chunk.encoding_stats!.map((e) => e.encoding));
  assert.ok(encodings.has(8) && encodings.size >= 2, `dictionary and fallback pages expected, got ${[...encodings]}`);
  const utf8Bytes = want.reduce((n, r) => n + Buffer.byteLength(r.s), 0);
  assert.equal(Number(chunk.size_statistics!.unencoded_byte_array_data_bytes), utf8Bytes);
  const bytes = sink.bytes();
  const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  assert.deepEqual(
    rows.map((r) => ({ s: r.s, b: r.b === null ? null : Buffer.from(r.b as Uint8Array).toString(), n: r.n })),
    want,
  );
});
