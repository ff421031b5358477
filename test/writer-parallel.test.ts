/**
 * Parallel encoding (issue 6, options.workers): the file must be byte-for-byte the one the
 * single-threaded writer produces (and so must rows written in several calls, between which
 * the single-threaded writer looks values up in its dictionaries), for random schemas (nested included) x options (every
 * codec, page v1/v2, dictionary fallback, forced encodings, bloom filters, page index,
 * tiny pages, row groups cut by rows and by bytes) x data, and the parallel files are read
 * back by pyarrow, DuckDB, polars and hyparquet. Also: worker failures reject the writer's
 * call, close/abort (and a forgotten writer) leave no thread keeping the process alive,
 * the compiled dist/ build finds its worker entry, and the option's validation.
 *
 *   PARALLEL_RUNS=200 node --import tsx --test test/writer-parallel.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MemorySink, ParquetSchemaError, ParquetWriter, registerCodec, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import { createSnappyCodec } from '../packages/writer/src/codecs/snappy.js';
import { createCodec } from '../packages/writer/src/codecs/registry.js';
import { compileSchema } from '../packages/writer/src/format/schema/schema.js';
import { RowShredder } from '../packages/writer/src/format/shred.js';
import { ColumnChunkWriter } from '../packages/writer/src/format/column/column-writer.js';
import { resolveWriterOptions } from '../packages/writer/src/format/writer-options.js';
import { resolveColumnOptions } from '../packages/writer/src/format/column-options.js';
import { pageSizeBound, plainShape } from '../packages/writer/src/format/parallel/size-bound.js';
import { packPage, unpackPage } from '../packages/writer/src/format/parallel/protocol.js';
import { DistinctTable } from '../packages/writer/src/format/parallel/distinct-table.js';
import { PageBuffer } from '../packages/writer/src/format/column/page-buffer.js';
import { ByteArrayStore } from '../packages/writer/src/format/column/value-store.js';
import { createDictionary } from '../packages/writer/src/format/column/dictionary.js';
import { SpareBuffers } from '../packages/writer/src/format/parallel/spare-buffers.js';
import { REPO_ROOT } from './support/python-readers.js';
import { readerSession } from './support/reader-session.js';
import { rowArb, typeSpecArb } from './support/model.js';
import { checkCase, type Case } from './support/roundtrip-check.js';
import { CODECS, writeCase, writeCaseArb } from './support/options-model.js';
import { killEncodeThread } from './support/encode-threads.js';

const RUNS = Number(process.env.PARALLEL_RUNS ?? 30);
const SEED = Number(process.env.PARALLEL_SEED ?? 0x9a7a);

const session = readerSession('cdp-parquet-par-');

const schemaArb: fc.Arbitrary<FieldSpec[]> = fc
  .oneof(
    { weight: 2, arbitrary: fc.array(typeSpecArb(0), { minLength: 1, maxLength: 8 }) },
    { weight: 2, arbitrary: fc.array(typeSpecArb(3), { minLength: 1, maxLength: 5 }) },
  )
  .map((types) => types.map((t, i) => ({ ...t, name: `c${i}` }) as FieldSpec));

const rowsArb = (fields: FieldSpec[]): fc.Arbitrary<Record<string, unknown>[]> => {
  const row = rowArb(fields, 3);
  return fc.oneof(
    { weight: 1, arbitrary: fc.array(row, { maxLength: 3 }) },
    { weight: 3, arbitrary: fc.array(row, { maxLength: 150 }) },
    // Few distinct rows repeated: the dictionary pays, then passes its limit and falls back.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(row, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 1500 }), fc.nat())
        .map(([distinct, n, s]) => Array.from({ length: n }, (_, i) => distinct[(i * 7 + s + (i >> 3)) % distinct.length]!)),
    },
  );
};

const optionsArb: fc.Arbitrary<WriterOptions> = fc.record(
  {
    compression: fc.constantFrom(...CODECS),
    compressionLevel: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined, freq: 4 }),
    pageVersion: fc.constantFrom(1 as const, 2 as const),
    rowGroupSize: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 700 })),
    // Small byte budgets make the writer decide row-group cuts on page sizes still being encoded.
    rowGroupBytes: fc.oneof(
      { weight: 2, arbitrary: fc.constant(128 * 1024 * 1024) },
      fc.integer({ min: 1, max: 2000 }),
      fc.integer({ min: 2000, max: 60_000 }),
    ),
    dataPageSize: fc.oneof(fc.constant(1024 * 1024), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 20_000 })),
    dataPageRowLimit: fc.oneof(fc.constant(20_000), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 7, max: 500 })),
    dictionary: fc.boolean(),
    encoding: fc.constantFrom('auto' as const, 'dictionary' as const),
    dictionaryPageSizeLimit: fc.oneof(fc.constant(1024 * 1024), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 4096 })),
    pageChecksum: fc.boolean(),
    statisticsTruncateLength: fc.oneof(fc.constant(64), fc.integer({ min: 0, max: 24 })),
  },
  { requiredKeys: ['compression', 'pageVersion'] },
);

const caseArb: fc.Arbitrary<Case> = writeCaseArb(schemaArb, rowsArb, optionsArb);

function sameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  if (Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0) return;
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  assert.fail(`${what}: files differ (lengths ${a.length} and ${b.length}, first difference at byte ${i})`);
}

async function readBack(c: Case, bytes: Uint8Array): Promise<void> {
  await checkCase(c, bytes, await session.read(bytes));
}

test(`workers 1, 2 and 3 write the same bytes as workers 0, read back by 4 readers (${RUNS} random cases)`, { timeout: 1_200_000 }, async () => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, fc.constantFrom(1, 2, 3), async (c, extra) => {
      const reference = await writeCase(c);
      // Each case compares one worker count against workers 0 (all three would triple the run time).
      const parallel: Case = { ...c, options: { ...c.options, workers: extra } };
      const bytes = await writeCase(parallel);
      sameBytes(reference, bytes, `workers ${extra}`);
      // checkCase predicts row groups from rowGroupSize alone; byte-cut files are compared above.
      if ((c.options.rowGroupBytes ?? 128 * 1024 * 1024) === 128 * 1024 * 1024) await readBack(parallel, bytes);
      compared++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.equal(compared, RUNS);
});

test(
  `rows in several writeRows calls write the same bytes as one call, read back by 4 readers: dictionary lookups between calls change nothing (${RUNS} random cases)`,
  { timeout: 600_000 },
  async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        caseArb.filter((c) => c.via !== 'columns'),
        fc.integer({ min: 1, max: 60 }),
        async (c, slice) => {
          const reference = await writeCase(c);
          const sink = new MemorySink();
          const writer = new ParquetWriter(c.fields, sink, c.options);
          for (let i = 0; i < c.rows.length; i += slice) await writer.writeRows(c.rows.slice(i, i + slice));
          await writer.close();
          const bytes = sink.bytes();
          sameBytes(reference, bytes, `writeRows in slices of ${slice}`);
          if ((c.options.rowGroupBytes ?? 128 * 1024 * 1024) === 128 * 1024 * 1024) await readBack(c, bytes);
          compared++;
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    assert.equal(compared, RUNS);
  },
);

test("pageSizeBound bounds every page's growth of bufferedSize (what keeps byte-cut row groups identical)", async () => {
  let pages = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const options = resolveWriterOptions(c.options);
      const schema = compileSchema(c.fields);
      const { columns } = resolveColumnOptions(schema, options);
      const codec = await createCodec(options.compression, { level: options.compressionLevel });
      const writers = schema.columns.map(
        (d, i) =>
          new ColumnChunkWriter(
            d,
            {
              ...options,
              encoding: columns[i]!.encoding,
              dictionary: columns[i]!.dictionary,
            },
            codec,
          ),
      );
      const shredder = new RowShredder(
        schema.roots,
        writers.map((w) => w.buffer),
      );
      const flush = (w: ColumnChunkWriter): void => {
        if (w.buffer.levelCount === 0) return;
        const bound = pageSizeBound(w.buffer, plainShape(w.buffer), codec.name, w.dictionaryGrowing);
        const before = w.bufferedSize() - w.buffer.estimatedSize();
        w.flushPage();
        const growth = w.bufferedSize() - before;
        assert.ok(growth <= bound, `page grew bufferedSize by ${growth} > bound ${bound}`);
        pages++;
      };
      c.rows.forEach((row, i) => {
        shredder.shred(row, i);
        for (const w of writers) if (w.pageIsFull()) flush(w);
      });
      for (const w of writers) flush(w);
    }),
    { numRuns: RUNS * 4, seed: SEED + 1 },
  );
  assert.ok(pages > RUNS, `only ${pages} pages checked`);
});

test('a page of strings sent as a distinct-value table arrives as the same values, with the shape of the plain page', () => {
  const utf8 = (v: unknown, data: { writeUtf8(s: string): void }): void => data.writeUtf8(v as string);
  const stringArb = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', 'é', '\u{1F600}x'));
  fc.assert(
    fc.property(fc.array(stringArb, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 300 }), (pool, picks) => {
      const fill = (): PageBuffer => {
        const b = new PageBuffer(new ByteArrayStore(utf8, true), 0, 0);
        for (const k of picks) b.appendValue(pool[k % pool.length], 0);
        return b;
      };
      const sent = fill();
      const { page, shape } = packPage(sent, new DistinctTable());
      assert.ok(page.ids !== undefined, 'sent as a table');
      // Built a call at a time (EncoderPool.packAhead), the page's strings let go after each
      // call, the table is the same; and the released values' bytes come back from it.
      const cuts = [...new Set(picks.map((k) => k % (picks.length + 1)))].sort((x, y) => x - y);
      const stepped = new PageBuffer(new ByteArrayStore(utf8, true), 0, 0);
      const released = new PageBuffer(new ByteArrayStore(utf8, true), 0, 0);
      const table = new DistinctTable();
      const other = new DistinctTable();
      let done = 0;
      for (const cut of [...cuts, picks.length]) {
        for (; done < cut; done++) {
          stepped.appendValue(pool[picks[done]! % pool.length], 0);
          released.appendValue(pool[picks[done]! % pool.length], 0);
        }
        for (const [buffer, t] of [
          [stepped, table],
          [released, other],
        ] as const) {
          if (!DistinctTable.fits(buffer.store as ByteArrayStore)) continue;
          t.extend(buffer.store as ByteArrayStore);
          (buffer.store as ByteArrayStore).release(buffer.store.count, t.resolve);
          assert.ok(
            (buffer.store as ByteArrayStore).strings.slice(0, buffer.store.count).every((x) => x === undefined),
            'strings let go',
          );
        }
      }
      assert.deepEqual(packPage(stepped, table).page, page);
      assert.equal(table.count, 0, 'empty for the next page');
      const again = fill();
      assert.deepEqual(plainShape(released), plainShape(again), 'let-go values materialize (plainShape) to the same bytes');
      assert.deepEqual((released.store as ByteArrayStore).data.written(), (again.store as ByteArrayStore).data.written());
      assert.equal(page.offsets!.length - 1, new Set(picks.map((k) => pool[k % pool.length])).size, 'each distinct string once');
      const plain = fill();
      assert.deepEqual(shape, plainShape(plain));
      // The worker's side: the same bytes, and the dictionary (looking entries up by id) the same indices.
      const received = new PageBuffer(new ByteArrayStore(utf8, true), 0, 0);
      unpackPage(page, received);
      const dictA = createDictionary('bytes', 0)!;
      const dictB = createDictionary('bytes', 0)!;
      const a = new Int32Array(picks.length);
      const b = new Int32Array(picks.length);
      dictA.indexPage(received.store, a, 0, picks.length);
      dictB.indexPage(plain.store, b, 0, picks.length);
      assert.deepEqual(a, b);
      const [entriesA, entriesB] = [dictA.values as ByteArrayStore, dictB.values as ByteArrayStore];
      assert.equal(entriesA.count, entriesB.count);
      assert.deepEqual(entriesA.data.written(), entriesB.data.written());
      const store = received.store as ByteArrayStore;
      const reference = plain.store as ByteArrayStore;
      store.materialize();
      assert.equal(store.distinct, undefined);
      assert.equal(store.byteSize(), shape.plainBytes, 'as a page received as bytes reports (UTF-8 lengths)');
      assert.deepEqual(store.data.written(), reference.data.written());
      assert.deepEqual(store.offsets.subarray(0, picks.length + 1), reference.offsets.subarray(0, picks.length + 1));
    }),
    { numRuns: 300, seed: SEED + 2 },
  );
});

test('SpareBuffers hands out the smallest spare that fits and keeps at most its byte budget', () => {
  const spares = new SpareBuffers(100);
  spares.give(new ArrayBuffer(40));
  spares.give(new ArrayBuffer(20));
  spares.give(new ArrayBuffer(50)); // over the budget: dropped
  spares.give(new ArrayBuffer(30));
  assert.equal(spares.take(25)?.length, 30);
  assert.equal(spares.take(41), undefined);
  assert.equal(spares.take(1)?.length, 20);
  assert.equal(spares.take(1)?.length, 40);
  assert.equal(spares.take(1), undefined);
});

test('value buffers come back from the workers and later pages reuse them, with the same bytes', async () => {
  const fields: FieldSpec[] = [
    { name: 'blob', type: 'binary' },
    { name: 'fixed', type: 'fixed', length: 24 },
  ];
  // ~19 MB of values: more than the pool lets be in flight, so the writer waits for replies part way.
  const rows = Array.from({ length: 48_000 }, (_, i) => ({
    blob: Uint8Array.from({ length: 200 + (i % 300) }, (_, k) => (i * 31 + k * 7) & 0xff),
    fixed: Uint8Array.from({ length: 24 }, (_, k) => (i + k * 13) & 0xff),
  }));
  const options: WriterOptions = { dataPageSize: 64 * 1024, compression: 'snappy' };
  const reference = await writeCase({ fields, rows, options });
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, { ...options, workers: 2 });
  const spares = writer as unknown as { pool: { spares: SpareBuffers } | undefined };
  let taken = 0;
  for (let i = 0; i < rows.length; i += 500) {
    await writer.writeRows(rows.slice(i, i + 500));
    const pool = spares.pool;
    if (pool && !('counted' in pool.spares)) {
      const take = pool.spares.take.bind(pool.spares);
      Object.assign(pool.spares, {
        counted: true,
        take: (n: number) => {
          const b = take(n);
          if (b) taken++;
          return b;
        },
      });
    }
  }
  await writer.close();
  sameBytes(reference, sink.bytes(), 'workers 2 with recycled buffers');
  assert.ok(taken > 10, `only ${taken} pages started on a returned buffer`);
});

/** Nested and flat columns of every kind, with bloom filters on the byte-array and integer columns. */
const wideFields: FieldSpec[] = [
  { name: 'id', type: 'int64' },
  { name: 'seq', type: 'int32', optional: true },
  { name: 'name', type: 'string', optional: true },
  { name: 'price', type: 'double', optional: true },
  { name: 'flag', type: 'boolean' },
  { name: 'hash', type: 'fixed', length: 8, optional: true },
  { name: 'tags', type: 'list', element: { type: 'string', optional: true }, optional: true },
  { name: 'attrs', type: 'map', key: { type: 'string' }, value: { type: 'float', optional: true }, optional: true },
  {
    name: 'nested',
    type: 'struct',
    optional: true,
    fields: [
      { name: 'a', type: 'int32' },
      { name: 'b', type: 'list', element: { type: 'double' } },
    ],
  },
];

function wideRows(n: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let x = 12345;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    rows.push({
      id: BigInt(i) * 1000n + BigInt(Math.floor(rnd() * 1000)),
      seq: i % 11 === 0 ? null : i,
      // Low cardinality at first (dictionary), then unique strings (fallback past the limit).
      name: i % 7 === 0 ? null : i < n / 2 ? `name-${i % 50}` : `unique-${i}-${rnd().toString(36)}`,
      price: i % 13 === 0 ? null : Math.round(rnd() * 1e6) / 100,
      flag: rnd() < 0.3,
      hash: i % 5 === 0 ? null : Uint8Array.from({ length: 8 }, () => Math.floor(rnd() * 256)),
      tags: i % 9 === 0 ? null : Array.from({ length: i % 4 }, (_, k) => (k === 1 ? null : `t${(i + k) % 30}`)),
      attrs: i % 6 === 0 ? null : new Map(Array.from({ length: i % 3 }, (_, k) => [`k${k}`, k === 2 ? null : rnd()])),
      nested: i % 8 === 0 ? null : { a: i, b: Array.from({ length: i % 5 }, (_, k) => k * 0.5) },
    });
  }
  return rows;
}

const WIDE_OPTIONS: WriterOptions = {
  dataPageRowLimit: 700,
  dictionaryPageSizeLimit: 16 * 1024,
  columns: { id: { bloomFilter: true }, name: { bloomFilter: { fpp: 0.05 } }, hash: { bloomFilter: true }, 'tags.list.element': { bloomFilter: true } },
};

for (const compression of CODECS) {
  for (const pageVersion of [1, 2] as const) {
    test(`${compression}, page v${pageVersion}: nested columns, dictionary fallback, blooms, page index: workers 0 = 1 = 2 = 3`, async () => {
      const rows = wideRows(12_000);
      const base: Case = { fields: wideFields, rows, options: { ...WIDE_OPTIONS, compression, pageVersion, rowGroupSize: 5000 } };
      const reference = await writeCase(base);
      for (const workers of [1, 2, 3]) {
        const c: Case = { ...base, options: { ...base.options, workers } };
        const bytes = await writeCase(c);
        sameBytes(reference, bytes, `workers ${workers}`);
        if (workers === 2) await readBack(c, bytes);
      }
    });
  }
}

test('row groups cut by bytes while pages are in flight, with many pages queued per worker, stay identical', async () => {
  const rows = wideRows(30_000);
  const groups = new Set<number>();
  for (const rowGroupBytes of [50_000, 300_000, 2_000_000]) {
    const base: Case = { fields: wideFields, rows, options: { ...WIDE_OPTIONS, dataPageRowLimit: 40, rowGroupBytes, compression: 'snappy' } };
    const reference = await writeCase(base);
    const c: Case = { ...base, options: { ...base.options, workers: 2 } };
    const bytes = await writeCase(c);
    sameBytes(reference, bytes, `rowGroupBytes ${rowGroupBytes}`);
    groups.add(await rowGroupCount(bytes));
  }
  assert.equal(groups.size, 3, `the byte limits should give different row-group counts, got ${[...groups].join(', ')}`);
});

/** Row groups as pyarrow sees them. */
async function rowGroupCount(bytes: Uint8Array): Promise<number> {
  const path = session.scratchPath();
  writeFileSync(path, bytes);
  const r = spawnSync(
    join(REPO_ROOT, '.venv/bin/python'),
    ['-c', 'import sys, pyarrow.parquet as pq; f = pq.ParquetFile(sys.argv[1]); t = f.read(); print(f.metadata.num_row_groups, t.num_rows)', path],
    { encoding: 'utf8' },
  );
  rmSync(path, { force: true });
  assert.equal(r.status, 0, r.stderr);
  const [groups, rows] = r.stdout.trim().split(' ').map(Number);
  assert.equal(rows, 30_000);
  return groups!;
}

test('writeColumns with workers writes the same bytes', async () => {
  const fields: FieldSpec[] = [
    { name: 'a', type: 'double' },
    { name: 'b', type: 'int32', optional: true },
    { name: 's', type: 'string' },
  ];
  const n = 50_000;
  const batch = {
    numRows: n,
    columns: {
      a: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
      b: { values: Int32Array.from({ length: n }, (_, i) => i % 1000), validity: Uint8Array.from({ length: n }, (_, i) => (i % 3 ? 1 : 0)) },
      s: Array.from({ length: n }, (_, i) => `v${i % 777}`),
    },
  };
  const write = async (workers: number): Promise<Uint8Array> => {
    const sink = new MemorySink();
    const w = new ParquetWriter(fields, sink, { workers, dataPageRowLimit: 1000, rowGroupBytes: 200_000 });
    await w.writeColumns(batch);
    await w.writeColumns(batch);
    await w.close();
    return sink.bytes();
  };
  const reference = await write(0);
  sameBytes(reference, await write(2), 'writeColumns workers 2');
});

interface PoolInternals {
  pool: { session: { id: number }; slots: unknown[]; post(slot: unknown, msg: unknown, transfer: unknown[], req: unknown): void; ownThreads: unknown };
}

test('an error inside a worker rejects the writer call with that error; the writer is then failed', async () => {
  const writer = new ParquetWriter(wideFields, new MemorySink(), { ...WIDE_OPTIONS, workers: 2 });
  await writer.writeRows(wideRows(100));
  const { pool } = writer as unknown as PoolInternals;
  // A request the worker cannot serve: a page for a column that does not exist.
  pool.post(pool.slots[0], { type: 'finish', session: pool.session.id, id: -7, column: 999, rowsInGroup: 1 }, [], { column: 0, bound: 0, plain: 0 });
  await assert.rejects(writer.flush(), /encode worker: no column 999/);
  await assert.rejects(writer.writeRows(wideRows(1)), /is failed/);
  await writer.abort();
});

test('a worker that dies rejects the pending call', async () => {
  const writer = new ParquetWriter(wideFields, new MemorySink(), { ...WIDE_OPTIONS, workers: 2 });
  await writer.writeRows(wideRows(100));
  const { ownThreads } = (writer as unknown as PoolInternals).pool;
  // Stop the thread behind the pool's back, as a crash would (an orderly close() reports
  // nothing).
  await killEncodeThread(ownThreads, 1);
  await assert.rejects(writer.close(), /encode worker exited unexpectedly/);
});

let childNo = 0;

/** Run a script in a fresh Node (as the test runner does, through tsx) and require it to exit by itself. */
function runChild(body: string, timeoutMs = 300_000): { status: number | null; stdout: string; stderr: string } {
  const script = join(session.scratchDir(), `child-${childNo++}.mts`);
  writeFileSync(script, `import { MemorySink, ParquetWriter } from ${JSON.stringify(join(REPO_ROOT, 'packages/writer/src/index.js'))};\n${body}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CHILD_ROWS = `const fields = [{ name: 'a', type: 'int64' }, { name: 's', type: 'string' }];
const rows = Array.from({ length: 30000 }, (_, i) => ({ a: BigInt(i), s: 'x' + (i % 99) }));
const options = { workers: 2, dataPageRowLimit: 1000 };`;

test('no thread outlives close(), abort() or a writer that is never closed: the process exits', () => {
  const cases = {
    close: `const w = new ParquetWriter(fields, new MemorySink(), options); await w.writeRows(rows); await w.close(); console.log('done');`,
    abort: `const w = new ParquetWriter(fields, new MemorySink(), options); await w.writeRows(rows); await w.abort(); console.log('done');`,
    abortEarly: `const w = new ParquetWriter(fields, new MemorySink(), options); await w.abort(); console.log('done');`,
    forgotten: `const w = new ParquetWriter(fields, new MemorySink(), options); await w.writeRows(rows); console.log('done');`,
  };
  for (const [name, body] of Object.entries(cases)) {
    const r = runChild(`${CHILD_ROWS}\n${body}`);
    assert.equal(r.status, 0, `${name}: exit ${r.status} (a null status means it hung)\n${r.stderr}`);
    assert.match(r.stdout, /done/, name);
  }
});

test('compiled JavaScript (dist layout) finds encode-worker.js and writes the same bytes', { timeout: 300_000 }, () => {
  const out = join(session.scratchDir(), 'dist');
  const tsc = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(REPO_ROOT, 'packages/writer/tsconfig.json'),
      '--outDir',
      out,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const script = join(out, 'check.mjs');
  writeFileSync(
    script,
    `import { writeParquet } from './index.js';
const fields = [{ name: 'a', type: 'int64' }, { name: 's', type: 'string', optional: true }];
const rows = Array.from({ length: 20000 }, (_, i) => ({ a: BigInt(i * 3), s: i % 4 ? 's' + (i % 500) : null }));
const a = await writeParquet(fields, rows, { dataPageRowLimit: 900 });
const b = await writeParquet(fields, rows, { dataPageRowLimit: 900, workers: 2 });
console.log(Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0 ? 'same' : 'different', a.length);
`,
  );
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^same \d+/);
});

test('options.workers is validated; custom codecs are refused with workers', async () => {
  for (const bad of [-1, 1.5, 65, '2' as unknown as number]) {
    assert.throws(
      () => new ParquetWriter(wideFields, new MemorySink(), { workers: bad }),
      (e: unknown) => e instanceof ParquetSchemaError && /options\.workers/.test(e.message),
    );
  }
  registerCodec('SNAPPY', (o) => createSnappyCodec(o));
  try {
    assert.throws(() => new ParquetWriter(wideFields, new MemorySink(), { workers: 1 }), /registered in this thread only/);
    const w = new ParquetWriter(wideFields, new MemorySink(), { workers: 0 });
    await w.writeRows(wideRows(10));
    await w.close();
  } finally {
    registerCodec('SNAPPY', createSnappyCodec);
  }
  const w = new ParquetWriter(wideFields, new MemorySink(), { workers: 1 });
  await w.abort();
});
