/**
 * Every (physical type, encoding) pair Encodings.md allows, forced per column through
 * `columns: {path: {encoding}}`, on page v1 and v2, over several pages with nulls: pyarrow
 * must read every file exactly; DuckDB, polars and hyparquet must too, except where a
 * reader is known to lack the decoder, and there the reader must fail with exactly that
 * known message (so a reader upgrade, or a different failure, shows up here).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { writeParquet, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import type { PrimitiveTypeSpec } from '../packages/writer/src/format/schema/types.js';
import { PythonReaders, REPO_ROOT, isReaderError } from './support/python-readers.js';
import { rowArb } from './support/model.js';
import { checkCase, type Case } from './support/roundtrip-check.js';
import { allowedFor, physicalOf, readerLimitation, type ForcedEncoding } from './support/columns.js';
import { execFileSync } from 'node:child_process';

let readers: PythonReaders;
let dir: string;
before(() => {
  readers = new PythonReaders();
  dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-enc-'));
});
after(async () => {
  await readers.close();
  rmSync(dir, { recursive: true, force: true });
});

const TYPES: PrimitiveTypeSpec[] = [
  { type: 'boolean' },
  { type: 'int8' },
  { type: 'int32' },
  { type: 'uint32' },
  { type: 'date' },
  { type: 'time', unit: 'ms' },
  { type: 'decimal', precision: 9, scale: 2 },
  { type: 'int64' },
  { type: 'uint64' },
  { type: 'timestamp', unit: 'us' },
  { type: 'time', unit: 'ns', utc: false },
  { type: 'decimal', precision: 18, scale: 4 },
  { type: 'float' },
  { type: 'double' },
  { type: 'string' },
  { type: 'binary' },
  { type: 'json' },
  { type: 'enum' },
  { type: 'decimal', precision: 25, scale: 3, physical: 'binary' },
  { type: 'fixed', length: 5 },
  { type: 'uuid' },
  { type: 'float16' },
  { type: 'decimal', precision: 30, scale: 6 },
  { type: 'int96' },
];

interface EncCase {
  c: Case;
  spec: PrimitiveTypeSpec;
  encoding: ForcedEncoding;
  label: string;
}

function cases(pageVersion: 1 | 2): EncCase[] {
  const out: EncCase[] = [];
  TYPES.forEach((spec, t) => {
    for (const encoding of allowedFor(physicalOf(spec))) {
      const field = { ...spec, name: 'v', optional: t % 2 === 0 } as FieldSpec;
      const [rows] = fc.sample(fc.array(rowArb([field]), { minLength: 40, maxLength: 70 }), { seed: 1000 * t + pageVersion, numRuns: 1 });
      // At least one value: the forced encoding must really be used.
      const data = rows!.some((r) => r.v !== null)
        ? rows!
        : [...rows!, ...fc.sample(rowArb([{ ...field, optional: false } as FieldSpec]), { seed: t, numRuns: 1 })];
      const options: WriterOptions = { pageVersion, dataPageRowLimit: 16, compression: t % 3 === 0 ? 'none' : 'zstd', columns: { v: { encoding } } };
      out.push({
        c: { fields: [field], rows: data, options },
        spec,
        encoding,
        label: `${spec.type}${'unit' in spec ? `(${spec.unit})` : ''}${'physical' in spec && spec.physical ? `/${spec.physical}` : spec.type === 'decimal' ? `(${spec.precision})` : ''} ${encoding}`,
      });
    }
  });
  return out;
}

for (const pageVersion of [1, 2] as const) {
  test(`every allowed (type, encoding) pair forced per column, page v${pageVersion}: exact values, known reader limits by message`, async (t) => {
    const all = cases(pageVersion);
    const files = all.map((e, i) => join(dir, `v${pageVersion}-${i}.parquet`));
    const bytes = await Promise.all(all.map((e) => writeParquet(e.c.fields, e.c.rows, e.c.options)));
    bytes.forEach((b, i) => writeFileSync(files[i]!, b));
    const results = await readers.read(files);
    const limits: string[] = [];
    for (let i = 0; i < all.length; i++) {
      const { c, spec, encoding, label } = all[i]!;
      const res = results[i]!;
      const pa = res.pyarrow;
      if (!pa || isReaderError(pa)) assert.fail(`${label}: pyarrow failed: ${JSON.stringify(pa)}`);
      const encodings = pa.metadata.row_groups[0]!.columns[0]!.encodings;
      assert.ok(encodings.includes(encoding), `${label}: chunk encodings ${encodings.join(',')}`);
      assert.ok(!encodings.includes('RLE_DICTIONARY'), `${label}: dictionary used despite a forced encoding`);
      for (const name of ['duckdb', 'polars'] as const) {
        const limit = readerLimitation(spec, encoding, name);
        const r = res[name];
        if (limit) {
          assert.ok(r && isReaderError(r), `${label}: ${name} was expected to fail with ${limit} but read the file (reader upgraded? update columns.ts)`);
          assert.match(r.error, limit, `${label}: ${name} failed differently`);
          limits.push(`${name}: ${label}`);
        } else if (r && isReaderError(r)) {
          assert.fail(`${label}: ${name} failed: ${r.error}`);
        }
      }
      // Exact values from pyarrow, the readers without a limitation and hyparquet, plus metadata, statistics and page index.
      await checkCase(c, bytes[i]!, res);
    }
    t.diagnostic(`${all.length} files; known reader limitations asserted: ${limits.join('; ')}`);
    assert.equal(
      all.length,
      TYPES.reduce((n, s) => n + allowedFor(physicalOf(s)).length, 0),
    );
  });
}

test('forcing an encoding a column type does not allow is refused; a global one that does not fit leaves the column on auto', async () => {
  await assert.rejects(
    writeParquet([{ name: 'v', type: 'double' }], [{ v: 1 }], { columns: { v: { encoding: 'DELTA_BINARY_PACKED' } } }),
    /DELTA_BINARY_PACKED does not apply/,
  );
  await assert.rejects(writeParquet([{ name: 'v', type: 'string' }], [{ v: 'a' }], { columns: { v: { encoding: 'RLE' } } }), /RLE does not apply/);
  await assert.rejects(writeParquet([{ name: 'v', type: 'boolean' }], [{ v: true }], { columns: { v: { bloomFilter: true } } }), /BOOLEAN/);
  await assert.rejects(writeParquet([{ name: 'v', type: 'int32' }], [{ v: 1 }], { columns: { w: { encoding: 'PLAIN' } } }), /no such column/);
  const c: Case = {
    fields: [
      { name: 'd', type: 'double' },
      { name: 's', type: 'string' },
    ],
    rows: [
      { d: 1.5, s: 'x' },
      { d: 2, s: 'y' },
    ],
    options: { encoding: 'DELTA_BYTE_ARRAY', dictionary: false },
  };
  const bytes = await writeParquet(c.fields, c.rows, c.options);
  const path = join(dir, 'global.parquet');
  writeFileSync(path, bytes);
  const [res] = await readers.read([path]);
  await checkCase(c, bytes, res!);
  const pa = res!.pyarrow;
  if (!pa || isReaderError(pa)) assert.fail('pyarrow');
  assert.ok(pa.metadata.row_groups[0]!.columns[1]!.encodings.includes('DELTA_BYTE_ARRAY'));
  assert.ok(!pa.metadata.row_groups[0]!.columns[0]!.encodings.includes('DELTA_BYTE_ARRAY'));
});

test('polars 1.44 panics on nested DELTA byte-array pages with a null parent also on files pyarrow writes (reader bug, not ours)', () => {
  const py = join(REPO_ROOT, '.venv', 'bin', 'python');
  const path = join(dir, 'pyarrow-nested-delta.parquet');
  const out = execFileSync(
    py,
    [
      '-c',
      `
import sys, pyarrow as pa, pyarrow.parquet as pq, polars as pl
typ = pa.struct([pa.field('f2', pa.struct([pa.field('f0', pa.string(), nullable=False)]), nullable=False)])
t = pa.table({'f0': pa.array([{'f2': {'f0': ''}}, {'f2': {'f0': ''}}, {'f2': {'f0': 'x' * 60}}, None], typ)})
pq.write_table(t, sys.argv[1], use_dictionary=False, column_encoding={'f0.f2.f0': 'DELTA_LENGTH_BYTE_ARRAY'}, data_page_size=1, write_batch_size=2)
assert pq.read_table(sys.argv[1]).equals(t)
try:
    pl.read_parquet(sys.argv[1]); print('read')
except BaseException as e:
    print('error: %s' % e)
`,
      path,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const limit = readerLimitation({ type: 'string' }, 'DELTA_LENGTH_BYTE_ARRAY', 'polars', true);
  assert.ok(limit);
  assert.match(out, limit, `polars on the pyarrow file: ${out}`);
});

test('polars reads a nested DELTA_BINARY_PACKED / BYTE_STREAM_SPLIT chunk with a value-less page', async () => {
  const fields: FieldSpec[] = [
    { name: 'c0', type: 'list', element: { type: 'struct', optional: true, fields: [{ name: 'f0', type: 'time', unit: 'ms', utc: false }] } },
  ];
  const rows = [{ c0: [{ f0: 0 }, null] }, { c0: [null] }];
  for (const encoding of ['DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT'] as const) {
    const c: Case = { fields, rows, options: { compression: 'none', dataPageSize: 1, encoding } };
    const bytes = await writeParquet(fields, rows, c.options);
    const path = join(dir, `valueless-${encoding}.parquet`);
    writeFileSync(path, bytes);
    const [res] = await readers.read([path], ['polars']);
    const r = res!.polars;
    assert.ok(r && !isReaderError(r), `${encoding}: polars: ${r && isReaderError(r) ? r.error : ''}`);
  }
});
