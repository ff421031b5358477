/**
 * Bad values throw ParquetValueError naming the column path and the row index; the rows
 * accepted before it stay written and the writer stays usable (read back by hyparquet).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parquetReadObjects } from 'hyparquet';
import fc from 'fast-check';
import { MemorySink, ParquetValueError, ParquetWriter, type FieldSpec } from '../packages/writer/src/index.js';
import { rowArb, schemaArb } from './support/model.js';

const fields: FieldSpec[] = [
  { name: 'id', type: 'int32' },
  { name: 'u', type: 'uint32', optional: true },
  { name: 'i', type: 'int32', optional: true },
  { name: 'fx', type: 'fixed', length: 2, optional: true },
  { name: 'l', type: 'list', optional: true, element: { type: 'int64' } },
  { name: 's', type: 'struct', optional: true, fields: [{ name: 'a', type: 'string' }] },
  { name: 'm', type: 'map', optional: true, key: { type: 'string' }, value: { type: 'int32' } },
  { name: 'req', type: 'string' },
];

const good = (id: number): Record<string, unknown> => ({
  id,
  u: 4294967295,
  i: -1,
  fx: Uint8Array.of(1, 2),
  l: [1n, 2],
  s: { a: 'x' },
  m: { k: 1 },
  req: `r${id}`,
});

const BAD: { what: string; patch: Record<string, unknown>; path: string }[] = [
  { what: '2^32 into uint32', patch: { u: 2 ** 32 }, path: 'u' },
  { what: '-1 into uint32', patch: { u: -1 }, path: 'u' },
  { what: '1.5 into int32', patch: { i: 1.5 }, path: 'i' },
  { what: '2^31 into int32', patch: { i: 2 ** 31 }, path: 'i' },
  { what: '3 bytes into fixed(2)', patch: { fx: Uint8Array.of(1, 2, 3) }, path: 'fx' },
  { what: 'missing required field', patch: { req: undefined }, path: 'req' },
  { what: 'null required field', patch: { req: null }, path: 'req' },
  { what: 'string for a list', patch: { l: 'abc' }, path: 'l' },
  { what: 'unsafe number in a list of int64', patch: { l: [1, 2 ** 53 + 2] }, path: 'l.list.element' },
  { what: 'missing required struct member', patch: { s: {} }, path: 's.a' },
  { what: 'number for a struct', patch: { s: 5 }, path: 's' },
  { what: 'number for a map', patch: { m: 5 }, path: 'm' },
  { what: 'bad map entry shape', patch: { m: [['k']] }, path: 'm' },
  { what: 'string for a map value int32', patch: { m: { k: 'x' } }, path: 'm.key_value.value' },
];

for (const { what, patch, path } of BAD) {
  test(`bad value: ${what} -> ParquetValueError at ${path}, row 3; earlier and later rows survive`, async () => {
    const sink = new MemorySink();
    const writer = new ParquetWriter(fields, sink, { rowGroupSize: 2 });
    const rows = [good(0), good(1), good(2), { ...good(3), ...patch }, good(4)];
    await assert.rejects(writer.writeRows(rows), (err: unknown) => {
      assert.ok(err instanceof ParquetValueError, `expected ParquetValueError, got ${String(err)}`);
      assert.equal(err.columnPath, path);
      assert.equal(err.rowIndex, 3);
      assert.match(err.message, /row 3/);
      return true;
    });
    // The writer stays usable: row indices keep counting offered rows.
    await writer.writeRows([good(5)]);
    await assert.rejects(
      writer.writeRows([{ ...good(6), ...patch }]),
      (err: unknown) => err instanceof ParquetValueError && err.rowIndex === 5 && err.columnPath === path,
    );
    const summary = await writer.close();
    assert.equal(summary.rows, 4);
    const bytes = sink.bytes();
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const read = await parquetReadObjects({ file: buffer, columns: ['id', 'req', 'u', 's'] });
    assert.deepEqual(
      read,
      [0, 1, 2, 5].map((id) => ({ id, req: `r${id}`, u: 4294967295, s: { a: 'x' } })),
    );
  });
}

test('a non-object row names <row> and its index', async () => {
  const writer = new ParquetWriter(fields, new MemorySink());
  await assert.rejects(
    writer.writeRows([good(0), 42 as unknown as Record<string, unknown>]),
    (err: unknown) => err instanceof ParquetValueError && err.rowIndex === 1 && err.columnPath === '<row>',
  );
  await writer.abort();
});

/**
 * A bad value deep in a row (the last element of a list, the last member of a struct or
 * map): the row's earlier columns and elements were already shredded and must be undone.
 */
function corrupt(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? Symbol('bad') : [...value.slice(0, -1), corrupt(value[value.length - 1])];
  if (value instanceof Map) {
    const entries = [...value.entries()];
    if (entries.length === 0) return Symbol('bad');
    const [k, v] = entries[entries.length - 1]!;
    return new Map([...entries.slice(0, -1), [k, corrupt(v)]]);
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return Symbol('bad');
    const last = keys[keys.length - 1]!;
    return { ...value, [last]: corrupt((value as Record<string, unknown>)[last]) };
  }
  return Symbol('bad');
}

test('rows rejected half-way leave no trace: the file is byte-identical to one written without them (random schemas, nested included)', async () => {
  const caseArb = fc.tuple(schemaArb, fc.integer({ min: 1, max: 40 }), fc.constantFrom(1 as const, 2 as const)).chain(([fields, n, pageVersion]) =>
    fc.record({
      fields: fc.constant(fields),
      rows: fc.array(rowArb(fields, 3), { minLength: 1, maxLength: n }),
      // Which rows get a bad twin right after them, and in which field it goes bad.
      bad: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
      options: fc.record({
        pageVersion: fc.constant(pageVersion),
        dataPageRowLimit: fc.integer({ min: 1, max: 7 }),
        rowGroupSize: fc.integer({ min: 2, max: 30 }),
      }),
    }),
  );
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ fields, rows, bad, options }) => {
      const reference = new MemorySink();
      const ref = new ParquetWriter(fields, reference, options);
      await ref.writeRows(rows);
      await ref.close();

      const sink = new MemorySink();
      const writer = new ParquetWriter(fields, sink, options);
      const badAfter = new Map(bad.map(([row, field]) => [row % rows.length, field]));
      for (let i = 0; i < rows.length; i++) {
        await writer.writeRows([rows[i]!]);
        const field = badAfter.get(i);
        if (field === undefined) continue;
        // The bad field is the last one that has a value, so every column before it was written.
        const names = fields.map((f) => f.name).filter((name) => rows[i]![name] !== undefined && rows[i]![name] !== null);
        const name = names.length > 0 ? names[field % names.length]! : fields[fields.length - 1]!.name;
        const badRow = { ...rows[i]!, [name]: corrupt(rows[i]![name]) };
        await assert.rejects(writer.writeRows([badRow]), ParquetValueError);
        rejected++;
      }
      await writer.close();
      assert.deepEqual(sink.bytes(), reference.bytes());
    }),
    { numRuns: 150, seed: 0xbad },
  );
  assert.ok(rejected > 150);
});
