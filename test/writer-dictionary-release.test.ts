/**
 * Between writeRows calls the writer looks the open pages' strings up in their dictionaries
 * and lets the strings go (ByteArrayStore.release); the page is then written from indices,
 * or, when the dictionary is dropped or a bloom filter wants the values, from the
 * dictionary's entries. Whatever the calls, the file must be the one a single call writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readObjects } from './support/write-read.js';
import { MemorySink, ParquetValueError, ParquetWriter, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';

const fields: FieldSpec[] = [
  { name: 'few', type: 'string' },
  { name: 'many', type: 'string', optional: true },
  { name: 'mixed', type: 'string', optional: true },
  { name: 'n', type: 'int32' },
];

type Row = { few: string; many: string | null; mixed: string | null; n: number };

/** `distinct` decides whether `many`'s dictionary pays (few repeats) or is dropped at the page's judgement. */
function rowsOf(count: number, distinct: number, seed: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    few: `f${(i * 7 + seed) % 5}`,
    many: i % 11 === 0 ? null : `value-${(i * 31 + seed) % distinct}-é${'x'.repeat(i % 9)}`,
    mixed: i % 3 === 0 ? null : i % 2 === 0 ? `m${i % 4}` : `ünïcødé-${(i + seed) % 700}`,
    n: i,
  }));
}

async function write(rows: Row[], callSizes: number[], options: WriterOptions): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, options);
  let at = 0;
  for (let k = 0; at < rows.length; k++) {
    const size = Math.max(1, callSizes[k % callSizes.length]!);
    await writer.writeRows(rows.slice(at, at + size));
    at += size;
  }
  await writer.close();
  return sink.bytes();
}

const optionSets: WriterOptions[] = [
  {},
  { columns: { many: { bloomFilter: true }, mixed: { bloomFilter: true } } },
  { encoding: 'dictionary', dictionaryPageSizeLimit: 2000 },
  { dataPageRowLimit: 300, pageVersion: 2, compression: 'none' },
  { dataPageSize: 4096, rowGroupSize: 900 },
];

test('a file written in many calls is byte for byte the one written in one call', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3000 }),
      fc.constantFrom(3, 40, 400, 5000),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 0, max: optionSets.length - 1 }),
      fc.integer({ min: 0, max: 99 }),
      async (count, distinct, callSizes, o, seed) => {
        const rows = rowsOf(count, distinct, seed);
        const options = optionSets[o]!;
        assert.deepEqual(await write(rows, callSizes, options), await write(rows, [count], options));
      },
    ),
    { numRuns: 120, seed: 2026 },
  );
});

test('a row refused after released strings leaves the page whole, and the rows read back', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, { columns: { many: { bloomFilter: true } } });
  const rows = rowsOf(1500, 5000, 1);
  await writer.writeRows(rows.slice(0, 700)); // looked up and released here
  await assert.rejects(
    writer.writeRows([rows[700]!, { ...rows[701]!, n: 'x' as unknown as number }]),
    (e: unknown) => e instanceof ParquetValueError && e.columnPath === 'n' && e.rowIndex === 701,
  );
  await writer.writeRows(rows.slice(702));
  await writer.close();
  const bytes = sink.bytes();
  const back = await readObjects(bytes);
  const expected = [...rows.slice(0, 701), ...rows.slice(702)];
  assert.equal(back.length, expected.length);
  assert.deepEqual(
    back.map((r) => [r.few, r.many, r.mixed, r.n]),
    expected.map((r) => [r.few, r.many, r.mixed, r.n]),
  );
});
