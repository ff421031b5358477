/**
 * The consumer hands the writer whole batches of rows (src/consumer/table-writer.ts,
 * writeKeepingGoodRows): bad rows anywhere in a batch (first, consecutive, last, all) are
 * reported with their own index and reason, and every other row is written once, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parquetReadObjects } from 'hyparquet';
import { MemorySink, ParquetWriter, type FieldSpec } from '../packages/writer/src/index.js';
import { writeKeepingGoodRows } from '../packages/lake/src/consumer/table-writer.js';

const fields: FieldSpec[] = [
  { name: 'id', type: 'int32' },
  { name: 'u', type: 'uint8', optional: true },
];

test('writeKeepingGoodRows skips exactly the bad rows of each batch and keeps the rest in order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(fc.boolean(), { maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (batches) => {
      const sink = new MemorySink();
      const writer = new ParquetWriter(fields, sink, { compression: 'none' });
      let id = 0;
      const expected: number[] = [];
      for (const badness of batches) {
        // A bad row: 300 does not fit uint8.
        const rows = badness.map((bad) => ({ id: id++, u: bad ? 300 : 7 }));
        const rejected: number[] = [];
        const accepted = await writeKeepingGoodRows(writer, rows, (i, err) => {
          assert.match(err.message, /column 'u'.*300/);
          rejected.push(i);
        });
        assert.deepEqual(
          rejected,
          badness.flatMap((bad, i) => (bad ? [i] : [])),
        );
        assert.equal(accepted, badness.length - rejected.length);
        for (const [i, bad] of badness.entries()) if (!bad) expected.push(rows[i]!.id);
      }
      await writer.close();
      const bytes = sink.bytes();
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const read = await parquetReadObjects({ file });
      assert.deepEqual(
        read,
        expected.map((i) => ({ id: i, u: 7 })),
      );
    }),
    { numRuns: 60, seed: 11 },
  );
});

test("a table's next file resets the last file's writer, and writes what a new writer would", async () => {
  const { StreamingFile } = await import('../packages/lake/src/consumer/table-writer.js');
  const schema: FieldSpec[] = [
    { name: 'id', type: 'int32' },
    { name: 'key', type: 'string' },
    { name: 'u', type: 'uint8', optional: true },
  ];
  const rowsOf = (f: number, n: number): { row: Record<string, unknown>; rec: never }[] =>
    Array.from({ length: n }, (_, i) => ({ row: { id: f * 1000 + i, key: `k${(i * 7 + f) % 50}`, u: i % 3 === 0 ? null : i % 200 }, rec: {} as never }));
  const staged = async (file: InstanceType<typeof StreamingFile>): Promise<Uint8Array> => (await file.finish()).staged.toBytes();
  const base = { compression: 'snappy', rowGroupBytes: 1 << 20, stagingMemory: 1 << 20 };
  let spare: ParquetWriter | undefined;
  // Per-column options change from file to file, as DictionaryMemory's do.
  for (const [f, columns] of [undefined, { key: { dictionary: false } }, undefined].entries()) {
    const rows = rowsOf(f, [900, 600, 40][f]!);
    const reused = new StreamingFile('t', 'p', undefined, 0, { ...base, columns }, schema, '1', spare);
    if (spare !== undefined) assert.equal(reused.spareWriter, undefined, 'an open file has no spare writer');
    await reused.add(rows, f + 1);
    const bytes = await staged(reused);
    const next = reused.spareWriter;
    assert.ok(next !== undefined && (spare === undefined || next === spare), `file ${f}: the same writer goes on to the next file`);
    spare = next;
    const fresh = new StreamingFile('t', 'p', undefined, 0, { ...base, columns }, schema, '1');
    await fresh.add(rows, f + 1);
    assert.deepEqual(bytes, await staged(fresh), `file ${f}`);
  }
});
