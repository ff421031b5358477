import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileSchema } from '../packages/writer/src/format/schema/schema.js';
import { PageBuffer } from '../packages/writer/src/format/column/page-buffer.js';
import { RowShredder } from '../packages/writer/src/format/shred.js';
import { createShredder } from '../packages/writer/src/format/shred-flat.js';
import type { FieldSpec } from '../packages/writer/src/format/schema/types.js';
import { primitiveSpecArb, rowArb } from './support/model.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 0x5f1a7);

function buffersFor(fields: FieldSpec[]): { schema: ReturnType<typeof compileSchema>; buffers: PageBuffer[] } {
  const schema = compileSchema(fields);
  const buffers = schema.columns.map((c) => new PageBuffer(c.mapping.makeStore(), c.maxDefinitionLevel, c.maxRepetitionLevel));
  return { schema, buffers };
}

/** Levels, counts and the stores' PLAIN-visible state of every column. */
function snapshot(buffers: PageBuffer[]): unknown[] {
  return buffers.map((b) => {
    const s = b.store;
    let values: unknown;
    if (s.kind === 'bytes') {
      s.materialize();
      values = [Buffer.from(s.data.buffer.subarray(0, s.data.length)).toString('hex'), [...s.offsets.subarray(0, s.count + 1)]];
    } else if (s.kind === 'fixed') values = Buffer.from(s.data.buffer.subarray(0, s.data.length)).toString('hex');
    else values = [...s.values.subarray(0, s.count)].map(String);
    return {
      def: [...b.defLevels.subarray(0, b.levelCount)],
      rep: [...b.repLevels.subarray(0, b.levelCount)],
      rows: b.rowCount,
      nulls: b.nullCount,
      count: s.count,
      size: s.byteSize(),
      values,
    };
  });
}

/** A value of the wrong kind for most columns, to compare the errors too. */
const oddValue = fc.constantFrom<unknown>(1.5, 'x', true, -1, 2 ** 40, new Uint8Array(3), {}, [], 10n ** 40n, Number.NaN);

test('the generated flat shredder stores exactly what the general one does, errors included', () => {
  // Top-level primitives and lists of primitives (what the generated shredder takes),
  // required or optional at both levels.
  const fieldArb = fc.oneof(
    fc.tuple(primitiveSpecArb, fc.boolean()).map(([s, optional]) => ({ ...s, optional })),
    fc
      .tuple(primitiveSpecArb, fc.boolean(), fc.boolean())
      .map(([s, optional, elementOptional]) => ({ type: 'list', optional, element: { ...s, optional: elementOptional } })),
  );
  const fieldsArb = fc
    .array(fieldArb, { minLength: 1, maxLength: 8 })
    .map((specs) => specs.map((s, i) => ({ ...s, name: i === 2 ? 'with "quote" \\ and space' : `c${i}` }) as FieldSpec));
  const caseArb = fieldsArb.chain((fields) =>
    fc.record({
      fields: fc.constant(fields),
      rows: fc.array(
        fc.oneof(
          { weight: 8, arbitrary: rowArb(fields) },
          // A row with one odd value or a missing field, and a non-object row.
          { weight: 1, arbitrary: fc.tuple(rowArb(fields), fc.nat(fields.length - 1), oddValue).map(([r, i, v]) => ({ ...r, [fields[i]!.name]: v })) },
          // An odd value or a null inside a list.
          {
            weight: 1,
            arbitrary: fc
              .tuple(rowArb(fields), fc.nat(fields.length - 1), fc.oneof(oddValue, fc.constant(null)))
              .map(([r, i, v]) => ({ ...r, [fields[i]!.name]: [v, ...(Array.isArray(r[fields[i]!.name]) ? (r[fields[i]!.name] as unknown[]) : [])] })),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(rowArb(fields), fc.nat(fields.length - 1)).map(([r, i]) => {
              const c = { ...r };
              delete c[fields[i]!.name];
              return c;
            }),
          },
          { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, ['a'], 'row') },
        ),
        { maxLength: 40 },
      ),
    }),
  );
  let compiled = 0;
  fc.assert(
    fc.property(caseArb, ({ fields, rows }) => {
      const a = buffersFor(fields);
      const b = buffersFor(fields);
      const flat = createShredder(a.schema.roots, a.buffers);
      if (!(flat instanceof RowShredder)) compiled++;
      const general = new RowShredder(b.schema.roots, b.buffers);
      rows.forEach((row, i) => {
        // A failing row leaves the columns before the bad one appended in both (the writer
        // rolls them back); errors must match, and the stores must agree after every row.
        let ea: unknown;
        let eb: unknown;
        try {
          flat.shred(row, i);
        } catch (e) {
          ea = e;
        }
        try {
          general.shred(row, i);
        } catch (e) {
          eb = e;
        }
        assert.equal(String(ea), String(eb), `row ${i}`);
        assert.equal((ea as Error | undefined)?.constructor, (eb as Error | undefined)?.constructor);
      });
      assert.deepEqual(snapshot(a.buffers), snapshot(b.buffers));
    }),
    { numRuns: 300, seed: SEED },
  );
  assert.ok(compiled > 250, `the generated shredder was used in only ${compiled} cases`);
});
