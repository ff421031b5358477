// DictionaryMemory: a table's next file skips the dictionaries that did not pay in its last
// file, writes the bytes `auto` would have written anyway, and is judged afresh every
// REJUDGE_EVERY files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MemorySink, ParquetWriter, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import { DictionaryMemory, REJUDGE_EVERY } from '../packages/lake/src/consumer/dictionary-memory.js';

const fields: FieldSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'kind', type: 'string', optional: true },
  { name: 'n', type: 'int64' },
  { name: 'blob', type: 'binary', optional: true },
  { name: 'tags', type: 'list', optional: true, element: { type: 'string' } },
];

async function write(rows: Record<string, unknown>[], options: WriterOptions) {
  const sink = new MemorySink();
  const w = new ParquetWriter(fields, sink, { compression: 'snappy', ...options });
  for (let i = 0; i < rows.length; i += 500) await w.writeRows(rows.slice(i, i + 500));
  const summary = await w.close();
  return { bytes: sink.bytes(), footer: summary.metadata };
}

const rowArb = (distinctKinds: number) =>
  fc.record({
    id: fc.uuid(),
    kind: fc.option(
      fc.integer({ min: 0, max: distinctKinds - 1 }).map((k) => `kind-${k}`),
      { freq: 5 },
    ),
    n: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    blob: fc.option(fc.uint8Array({ minLength: 8, maxLength: 40 }), { freq: 4 }),
    tags: fc.option(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }), { freq: 4 }),
  });

test('a file written with what the last file taught has the bytes auto writes; every REJUDGE_EVERY-th file is judged afresh', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 40 }).chain((k) => fc.array(rowArb(k), { minLength: 1, maxLength: 3000 })),
      fc.record({ dataPageRowLimit: fc.constantFrom(20_000, 700), pageVersion: fc.constantFrom(1 as const, 2 as const) }),
      async (rows, options) => {
        const memory = new DictionaryMemory();
        assert.equal(memory.columnOptions(), undefined, 'nothing learnt yet');
        const first = await write(rows, options);
        memory.learn(first.footer, true);
        const columns = memory.columnOptions();
        const skipped = Object.keys(columns ?? {});
        // Unique uuids and random blobs never pay; a column whose dictionary paid is never skipped.
        if (rows.length > 2048) assert.ok(skipped.includes('id'), `id is skipped (${skipped})`);
        for (const path of skipped) {
          const chunk = first.footer.row_groups[0]!.columns.find((c) => c.meta_data!.path_in_schema.join('.') === path)!.meta_data!;
          assert.ok(!chunk.encodings.includes(8), `${path} used no dictionary in the file it was learnt from`);
        }
        const second = await write(rows, { ...options, columns });
        assert.ok(Buffer.from(second.bytes).equals(Buffer.from(first.bytes)), 'the same data skipping those dictionaries gives the same file');
        for (let i = 1; i < REJUDGE_EVERY; i++) {
          assert.deepEqual(memory.columnOptions(), columns);
          memory.learn(second.footer, false);
        }
        assert.equal(memory.columnOptions(), undefined, `file ${REJUDGE_EVERY} is judged afresh`);
      },
    ),
    { numRuns: 25, seed: 0x51c7 },
  );
});

test('a column whose values start repeating gets its dictionary back after the next judged file', async () => {
  const memory = new DictionaryMemory();
  const unique = Array.from({ length: 5000 }, (_, i) => ({ id: `id-${i}-${'x'.repeat(i % 17)}`, kind: null, n: BigInt(i), blob: null, tags: null }));
  memory.learn((await write(unique, {})).footer, true);
  assert.deepEqual(Object.keys(memory.columnOptions() ?? {}).sort(), ['id', 'n']);
  const repeating = unique.map((r, i) => ({ ...r, id: `id-${i % 10}`, n: BigInt(i % 3) }));
  memory.learn((await write(repeating, {})).footer, true);
  assert.equal(memory.columnOptions(), undefined);
});
