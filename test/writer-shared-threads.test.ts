/**
 * Encode threads shared by several writers (options.workers = an EncodeThreads): writers
 * running at the same time and one after another on one set of threads write the same
 * bytes as the single-threaded writer; a failure inside one writer's pages leaves the other
 * writers alone; a thread that dies fails the writers using it and is replaced for the next
 * writer; closing the threads fails writers still using them; a set of threads that is never
 * closed does not keep the process alive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EncodeThreads, MemorySink, ParquetSchemaError, ParquetWriter, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import { rowArb, typeSpecArb } from './support/model.js';
import { REPO_ROOT } from './support/python-readers.js';
import { killEncodeThread } from './support/encode-threads.js';

const RUNS = Number(process.env.SHARED_THREADS_RUNS ?? 12);

async function write(fields: FieldSpec[], chunks: Record<string, unknown>[][], options: WriterOptions): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ParquetWriter<Record<string, unknown>>(fields, sink, options);
  for (const rows of chunks) await writer.writeRows(rows);
  await writer.close();
  return sink.bytes();
}

const tableArb = fc
  .array(typeSpecArb(2), { minLength: 1, maxLength: 6 })
  .map((types) => types.map((t, i) => ({ ...t, name: `c${i}` }) as FieldSpec))
  .chain((fields) =>
    fc.tuple(
      fc.constant(fields),
      fc.array(fc.array(rowArb(fields, 2), { maxLength: 120 }), { minLength: 1, maxLength: 4 }),
      fc.record({
        compression: fc.constantFrom('snappy', 'zstd', 'gzip', 'none'),
        dataPageRowLimit: fc.integer({ min: 1, max: 60 }),
        rowGroupSize: fc.integer({ min: 5, max: 400 }),
      }),
    ),
  );

test(`writers interleaved on one EncodeThreads write the same bytes as workers: 0 (${RUNS} random sets of 2-4 writers)`, { timeout: 600_000 }, async () => {
  const threads = await EncodeThreads.start(2);
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(tableArb, { minLength: 2, maxLength: 4 }), async (tables) => {
        const expected = await Promise.all(tables.map(([fields, chunks, options]) => write(fields, chunks, { ...options, workers: 0 })));
        // All writers at once, their writeRows calls interleaved on the same threads.
        const actual = await Promise.all(tables.map(([fields, chunks, options]) => write(fields, chunks, { ...options, workers: threads })));
        tables.forEach((_, i) => assert.ok(Buffer.from(actual[i]!).equals(Buffer.from(expected[i]!)), `writer ${i} differs`));
      }),
      { numRuns: RUNS, seed: 0x5ead },
    );
  } finally {
    await threads.close();
  }
});

const fields: FieldSpec[] = [
  { name: 'a', type: 'int64' },
  { name: 's', type: 'string', optional: true },
  { name: 'd', type: 'double' },
];
const rows = (n: number, salt = 0): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => ({ a: BigInt(i * 7 + salt), s: i % 5 ? `v${(i + salt) % 300}` : null, d: i / 3 }));
const OPTIONS: WriterOptions = { dataPageRowLimit: 200, compression: 'snappy' };

test('one EncodeThreads serves 50 files one after another (as the consumer rotates), each identical to workers: 0', async () => {
  const threads = await EncodeThreads.start(2);
  try {
    for (let f = 0; f < 50; f++) {
      const data = rows(500 + f * 13, f);
      const expected = await write(fields, [data], OPTIONS);
      const actual = await write(fields, [data], { ...OPTIONS, workers: threads });
      assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), `file ${f} differs`);
    }
  } finally {
    await threads.close();
  }
});

interface Internals {
  pool: { session: { id: number }; slots: unknown[]; post(slot: unknown, msg: unknown, transfer: unknown[], req: unknown): void };
}
interface ThreadsInternals {
  slots: { thread: { native: unknown } }[];
  started: number;
}

test("a failure inside one writer's pages fails that writer only; others on the same threads finish", async () => {
  const threads = await EncodeThreads.start(2);
  try {
    const bad = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
    const goodSink = new MemorySink();
    const good = new ParquetWriter<Record<string, unknown>>(fields, goodSink, { ...OPTIONS, workers: threads });
    await bad.writeRows(rows(1000));
    await good.writeRows(rows(1000));
    const { pool } = bad as unknown as Internals;
    // A request the worker cannot serve: a chunk of a column that does not exist.
    pool.post(pool.slots[0], { type: 'finish', session: pool.session.id, id: -7, column: 999, rowsInGroup: 1 }, [], { column: 0, bound: 0, plain: 0 });
    await assert.rejects(bad.flush(), /encode worker: no column 999/);
    await bad.abort();
    await good.writeRows(rows(1000, 1000));
    await good.close();
    const expected = await write(fields, [rows(1000), rows(1000, 1000)], OPTIONS);
    assert.ok(Buffer.from(goodSink.bytes()).equals(Buffer.from(expected)));
    // And the threads still serve new writers.
    assert.ok(Buffer.from(await write(fields, [rows(300)], { ...OPTIONS, workers: threads })).equals(Buffer.from(await write(fields, [rows(300)], OPTIONS))));
  } finally {
    await threads.close();
  }
});

test('a thread that dies fails the writers using it; the next writer gets a new thread and writes the same bytes', async () => {
  const threads = await EncodeThreads.start(2);
  try {
    const writer = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
    await writer.writeRows(rows(2000));
    const dying = await killEncodeThread(threads);
    await assert.rejects(writer.close(), /encode worker exited unexpectedly/);
    // Three writers open at once: one replacement thread, and all three are served.
    const after = await Promise.all([0, 1, 2].map((k) => write(fields, [rows(2000, k)], { ...OPTIONS, workers: threads })));
    const slots = (threads as unknown as ThreadsInternals).slots;
    assert.equal(slots.length, 2);
    assert.equal((threads as unknown as ThreadsInternals).started, 3, 'two threads, then one replacement');
    assert.notEqual(slots[0]!.thread.native, dying, 'the dead thread was replaced');
    for (const k of [0, 1, 2]) assert.ok(Buffer.from(after[k]!).equals(Buffer.from(await write(fields, [rows(2000, k)], OPTIONS))), `writer ${k}`);
  } finally {
    await threads.close();
  }
});

test('closing the threads fails a writer still using them; a closed EncodeThreads refuses new writers', async () => {
  const threads = await EncodeThreads.start(1);
  const writer = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
  await writer.writeRows(rows(1000));
  await threads.close();
  await assert.rejects(writer.close(), /encode threads were closed/);
  const late = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
  await assert.rejects(late.writeRows(rows(10)), /EncodeThreads: closed/);
  await late.abort();
});

test('closing the threads while a dead one is being replaced: the writer waiting for it is refused, nothing hangs', { timeout: 300_000 }, async () => {
  const threads = await EncodeThreads.start(2);
  const first = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
  await first.writeRows(rows(500));
  await killEncodeThread(threads);
  await assert.rejects(first.close(), /encode worker exited unexpectedly/);
  const waiting = new ParquetWriter<Record<string, unknown>>(fields, new MemorySink(), { ...OPTIONS, workers: threads });
  // Its session opens first, which starts replacing thread 0; close() lands meanwhile.
  const refused = assert.rejects(waiting.writeRows(rows(10)), /EncodeThreads: closed/);
  await threads.close();
  await refused;
  await waiting.abort();
});

test('a writer closing does not stop shared threads; options.workers rejects other objects; EncodeThreads.start validates', async () => {
  const threads = await EncodeThreads.start(1);
  try {
    await write(fields, [rows(100)], { ...OPTIONS, workers: threads });
    await write(fields, [rows(100)], { ...OPTIONS, workers: threads });
  } finally {
    await threads.close();
  }
  assert.throws(
    () => new ParquetWriter(fields, new MemorySink(), { workers: {} as unknown as number }),
    (e: unknown) => e instanceof ParquetSchemaError && /options\.workers/.test(e.message) && /EncodeThreads/.test(e.message),
  );
  await assert.rejects(EncodeThreads.start(0), /count must be an integer from 1 to 64/);
  await assert.rejects(EncodeThreads.start(65), /count must be an integer from 1 to 64/);
});

test('threads that are never closed do not keep the process alive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-threads-'));
  try {
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { EncodeThreads, MemorySink, ParquetWriter } from ${JSON.stringify(join(REPO_ROOT, 'packages/writer/src/index.js'))};
const threads = await EncodeThreads.start(2);
const fields = [{ name: 'a', type: 'int64' }];
for (let f = 0; f < 3; f++) {
  const w = new ParquetWriter(fields, new MemorySink(), { workers: threads, dataPageRowLimit: 100 });
  await w.writeRows(Array.from({ length: 5000 }, (_, i) => ({ a: BigInt(i) })));
  await w.close();
}
console.log('done');
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `exit ${r.status} (null: it hung)\n${r.stderr}`);
    assert.match(r.stdout, /done/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
