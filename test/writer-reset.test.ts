/**
 * ParquetWriter.reset: a closed writer starts its next file with the buffers it grew. Each
 * file must be byte for byte the one a new writer with the same options writes, whatever the
 * previous file left in those buffers (larger pages, other per-column options, metadata).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readObjects, writeRowsToBytes } from './support/write-read.js';
import {
  EncodeThreads,
  MemorySink,
  ParquetSchemaError,
  ParquetValueError,
  ParquetWriter,
  type FieldSpec,
  type Sink,
  type WriterOptions,
} from '../packages/writer/src/index.js';

const fields: FieldSpec[] = [
  { name: 'id', type: 'int64' },
  { name: 'key', type: 'string' },
  { name: 'hash', type: 'string', optional: true },
  { name: 'blob', type: 'binary', optional: true },
  { name: 'amount', type: 'decimal', precision: 38, scale: 0, optional: true },
  { name: 'score', type: 'double', optional: true },
  { name: 'flag', type: 'boolean' },
  { name: 'tags', type: 'list', element: { type: 'string' }, optional: true },
  {
    name: 'point',
    type: 'struct',
    optional: true,
    fields: [
      { name: 'x', type: 'int32' },
      { name: 'label', type: 'string', optional: true },
    ],
  },
];

/** File `f` of a sequence: sizes and value shapes differ from file to file, so stale buffer contents would show. */
function rowsOf(f: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: BigInt(f * 1_000_000 + i),
    key: `k${(i * (f + 3)) % (5 + f * 40)}`,
    hash: i % 7 === f % 7 ? null : `${f}-${i}-${'h'.repeat((i + f) % 23)}`,
    blob: i % 5 === 0 ? null : Uint8Array.from({ length: (i + f) % 13 }, (_, k) => (i + k * f) & 255),
    amount: i % 4 === 0 ? null : `${f % 2 === 0 ? '' : '-'}${i * 1000 + f}`,
    score: i % 9 === 0 ? null : (i * 0.5) / (f + 1),
    flag: (i + f) % 3 === 0,
    tags: i % 6 === 0 ? null : Array.from({ length: (i + f) % 4 }, (_, k) => `t${(k + f) % 3}`),
    point: i % 8 === 0 ? null : { x: i - f, label: i % 3 === 0 ? null : `p${i % 11}` },
  }));
}

const fresh = (rows: Record<string, unknown>[], options: WriterOptions): Promise<Uint8Array> => writeRowsToBytes(fields, rows, options);

// Row counts that shrink and grow again: a small file after a large one reuses buffers with stale values beyond its own.
const SIZES = [3000, 40, 0, 1200, 7, 2500];

for (const [name, options] of [
  ['defaults', {}],
  [
    'small pages and row groups, page v2, zstd, bloom filters',
    {
      dataPageRowLimit: 97,
      rowGroupSize: 450,
      pageVersion: 2,
      compression: 'zstd',
      columns: { key: { bloomFilter: true }, hash: { bloomFilter: { fpp: 0.05 } } },
    },
  ],
  ['dictionary off, forced DELTA encodings, no statistics', { dictionary: false, encoding: 'DELTA_BYTE_ARRAY', statistics: false, pageChecksum: false }],
] as [string, WriterOptions][]) {
  test(`reset: every file equals a new writer's (${name})`, async () => {
    let sink = new MemorySink();
    const writer = new ParquetWriter(fields, sink, options);
    for (const [f, n] of SIZES.entries()) {
      if (f > 0) writer.reset((sink = new MemorySink()));
      const rows = rowsOf(f, n);
      await writer.writeRows(rows);
      const summary = await writer.close();
      assert.equal(summary.rows, n);
      assert.deepEqual(sink.bytes(), await fresh(rows, options), `file ${f} (${n} rows)`);
    }
  });
}

test("reset: per-file columns, key-value metadata and sorting columns replace the constructor's, and a left-out key keeps it", async () => {
  const base: WriterOptions = { keyValueMetadata: { origin: 'ctor' }, columns: { key: { dictionary: false } }, dataPageRowLimit: 200 };
  let sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, base);
  await writer.writeRows(rowsOf(0, 900));
  writer.setMetadata('only', 'first file');
  await writer.close();

  const files: [WriterOptions, WriterOptions][] = [
    [
      { columns: { hash: { dictionary: false, bloomFilter: true }, blob: { encoding: 'PLAIN' } }, sortingColumns: [{ column: 'id' }] },
      { ...base, columns: { hash: { dictionary: false, bloomFilter: true }, blob: { encoding: 'PLAIN' } }, sortingColumns: [{ column: 'id' }] },
    ],
    [{ keyValueMetadata: { origin: 'reset', part: '2' } }, { ...base, keyValueMetadata: { origin: 'reset', part: '2' } }],
    // Mostly distinct values: `auto` would drop this dictionary, `dictionary` keeps it.
    [{ columns: { hash: { encoding: 'dictionary' } } }, { ...base, columns: { hash: { encoding: 'dictionary' } } }],
    [{ columns: undefined, keyValueMetadata: undefined }, { dataPageRowLimit: 200 }],
    [{}, base],
  ];
  for (const [f, [given, equivalent]] of files.entries()) {
    writer.reset((sink = new MemorySink()), given);
    const rows = rowsOf(f + 1, 700 + f * 300);
    await writer.writeRows(rows);
    await writer.close();
    assert.deepEqual(sink.bytes(), await fresh(rows, equivalent), `file ${f + 1}`);
  }
});

test('reset: refused on a writer that is open, failed or aborted, and for options that are not per file', async () => {
  const open = new ParquetWriter(fields, new MemorySink());
  await open.writeRows(rowsOf(0, 3));
  assert.throws(
    () => open.reset(new MemorySink()),
    (e: unknown) => e instanceof ParquetSchemaError && /after close\(\) succeeded; it is open/.test(e.message),
  );

  const aborted = new ParquetWriter(fields, new MemorySink());
  await aborted.abort();
  assert.throws(() => aborted.reset(new MemorySink()), /it is aborted/);

  const failing: Sink = {
    write: async () => {
      throw new Error('disk full');
    },
    close: async () => undefined,
    abort: async () => undefined,
  };
  const failed = new ParquetWriter(fields, failing);
  await failed.writeRows(rowsOf(0, 5));
  await assert.rejects(failed.close(), /disk full/);
  assert.throws(() => failed.reset(new MemorySink()), /it is failed/);

  const closed = new ParquetWriter(fields, new MemorySink(), { compression: 'gzip' });
  await closed.writeRows(rowsOf(0, 10));
  await closed.close();
  assert.throws(
    () => closed.reset(new MemorySink(), { compression: 'zstd' } as never),
    (e: unknown) =>
      e instanceof ParquetSchemaError && e.message.includes('options.compression') && e.message.includes('columns, keyValueMetadata, sortingColumns'),
  );
  assert.throws(() => closed.reset(new MemorySink(), { columns: { nope: { dictionary: false } } }), /options\.columns\.nope/);
  // A refused reset changes nothing: the writer is still closed, and a good reset still works.
  assert.equal(closed.status, 'closed');
  const sink = new MemorySink();
  closed.reset(sink);
  const rows = rowsOf(3, 50);
  await closed.writeRows(rows);
  await closed.close();
  assert.deepEqual(sink.bytes(), await fresh(rows, { compression: 'gzip' }));
});

test('reset: a bad row in the next file is named by its index in that file, and the good rows are kept', async () => {
  const writer = new ParquetWriter(fields, new MemorySink());
  await writer.writeRows(rowsOf(0, 100));
  await writer.close();
  const sink = new MemorySink();
  writer.reset(sink);
  const rows = rowsOf(1, 10);
  await assert.rejects(
    writer.writeRows([...rows.slice(0, 4), { ...rows[4], flag: 'yes' }, ...rows.slice(5)]),
    (e: unknown) => e instanceof ParquetValueError && e.columnPath === 'flag' && e.rowIndex === 4,
  );
  await writer.writeRows(rows.slice(5));
  await writer.close();
  const back = await readObjects(sink.bytes());
  assert.deepEqual(
    back.map((r) => r.id),
    [...rows.slice(0, 4), ...rows.slice(5)].map((r) => r.id),
  );
});

test("reset: with shared encode threads each file equals a new single-threaded writer's", async () => {
  const threads = await EncodeThreads.start(1);
  try {
    const options: WriterOptions = { compression: 'snappy', dataPageRowLimit: 150, columns: { key: { bloomFilter: true } } };
    let sink = new MemorySink();
    const writer = new ParquetWriter(fields, sink, { ...options, workers: threads });
    for (const [f, n] of [800, 30, 500].entries()) {
      if (f > 0) writer.reset((sink = new MemorySink()), f === 2 ? { columns: { hash: { dictionary: false } } } : {});
      const rows = rowsOf(f, n);
      await writer.writeRows(rows);
      await writer.close();
      const equivalent = f === 2 ? { ...options, columns: { hash: { dictionary: false } } } : options;
      assert.deepEqual(sink.bytes(), await fresh(rows, equivalent), `file ${f}`);
    }
  } finally {
    await threads.close();
  }
});
