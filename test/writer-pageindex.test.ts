/**
 * Page index (PageIndex.md) of written files: pyarrow reports has_column_index /
 * has_offset_index; hyparquet's readColumnIndex / readOffsetIndex decode page boundaries,
 * min/max, null_pages, null_counts, level histograms and boundary_order equal to what is
 * computed from the rows and the page row boundaries (support/index-check.ts), on sorted,
 * reverse-sorted and shuffled data, and in a fast-check property.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readColumnIndex, readOffsetIndex } from 'hyparquet';
import { MemorySink, ParquetWriter, writeParquet, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import { PythonReaders, isReaderError, type PyarrowResult } from './support/python-readers.js';
import { checkPageIndex, fileMetadata } from './support/index-check.js';
import { rowArb, schemaArb } from './support/model.js';

let readers: PythonReaders;
let dir: string;
let n = 0;
before(() => {
  readers = new PythonReaders();
  dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-pageindex-'));
});
after(async () => {
  await readers.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pyarrowMeta(bytes: Uint8Array): Promise<PyarrowResult['metadata']> {
  const path = join(dir, `p${n++}.parquet`);
  writeFileSync(path, bytes);
  const [res] = await readers.read([path], ['pyarrow']);
  const pa = res!.pyarrow;
  if (!pa || isReaderError(pa)) assert.fail(`pyarrow: ${JSON.stringify(pa)}`);
  return pa.metadata;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS: FieldSpec[] = [
  { name: 'i32', type: 'int32', optional: true },
  { name: 'i64', type: 'int64' },
  { name: 'u32', type: 'uint32' },
  { name: 'd', type: 'double' },
  { name: 's', type: 'string', optional: true },
  { name: 'fx', type: 'fixed', length: 4 },
  { name: 'ts', type: 'timestamp', unit: 'us' },
];

/** Row k of an increasing sequence (every column increases with k; i32 null on rows 40..59: whole null pages). */
function sortedRow(k: number): Record<string, unknown> {
  const fx = new Uint8Array(4);
  new DataView(fx.buffer).setUint32(0, k * 1000);
  return {
    i32: k >= 40 && k < 60 ? null : k * 3 - 500,
    i64: BigInt(k) * 1_000_000_007n - 10n ** 12n,
    u32: k * 20_000_000, // crosses 2^31: unsigned order must stay ascending
    d: k * 0.5 - 30,
    s: k % 13 === 0 ? null : `key-${String(k).padStart(5, '0')}`,
    fx,
    ts: BigInt(k) * 3_600_000_000n,
  };
}

const ROWS = 200;
const LIMIT = 10;
const ORDERS = {
  sorted: Array.from({ length: ROWS }, (_, k) => sortedRow(k)),
  reverse: Array.from({ length: ROWS }, (_, k) => sortedRow(ROWS - 1 - k)),
  shuffled: (() => {
    const r = rng(7);
    const rows = Array.from({ length: ROWS }, (_, k) => sortedRow(k));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    return rows;
  })(),
};
const EXPECTED_ORDER = { sorted: 'ASCENDING', reverse: 'DESCENDING', shuffled: 'UNORDERED' } as const;

for (const [name, rows] of Object.entries(ORDERS) as [keyof typeof ORDERS, Record<string, unknown>[]][]) {
  for (const pageVersion of [1, 2] as const) {
    test(`page index on ${name} data, page v${pageVersion}: boundaries, min/max, nulls, boundary_order ${EXPECTED_ORDER[name]}`, async () => {
      const options: WriterOptions = { pageVersion, dataPageRowLimit: LIMIT, rowGroupSize: 120, compression: 'snappy' };
      const bytes = await writeParquet(FIELDS, rows, options);
      const meta = await pyarrowMeta(bytes);
      for (const rg of meta.row_groups) {
        for (const cc of rg.columns) {
          assert.equal(cc.has_offset_index, true, `${cc.path}: has_offset_index`);
          assert.equal(cc.has_column_index, true, `${cc.path}: has_column_index`);
        }
      }
      // The full comparison with the rows (pages located through the OffsetIndex).
      const res = checkPageIndex(FIELDS, rows, bytes, { options });
      // 200 rows in row groups of 120 and 80, pages of 10 rows: 12 + 8 pages per column.
      assert.equal(res.pages, 20 * FIELDS.length);
      assert.equal(res.columnIndexes, 2 * FIELDS.length);
      // And explicitly, the boundary order of every column and the exact page starts.
      const md = fileMetadata(bytes);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (const [g, rg] of md.row_groups.entries()) {
        for (const [k, cc] of rg.columns.entries()) {
          const where = `row group ${g} ${FIELDS[k]!.name}`;
          const oi = readOffsetIndex({ view, offset: Number(cc.offset_index_offset) });
          assert.deepEqual(
            oi.page_locations.map((p) => Number(p.first_row_index)),
            Array.from({ length: g === 0 ? 12 : 8 }, (_, i) => i * LIMIT),
            `${where}: first_row_index`,
          );
          const ci = readColumnIndex({ view, offset: Number(cc.column_index_offset) }, md.schema[k + 1]!);
          assert.equal(ci.boundary_order, EXPECTED_ORDER[name], `${where}: boundary_order`);
          const nullPages = ci.null_pages.filter(Boolean).length;
          // i32 is null on 20 consecutive rows: two whole pages when sorted (rows 40..59) or reversed (rows 140..159).
          if (FIELDS[k]!.name === 'i32' && name !== 'shuffled') assert.equal(nullPages, (g === 0) === (name === 'sorted') ? 2 : 0, `${where}: null pages`);
          else if (FIELDS[k]!.name !== 'i32') assert.equal(nullPages, 0, `${where}: null pages`);
        }
      }
    });
  }
}

test('pageIndex: false writes neither index; statistics: false keeps only the OffsetIndex', async () => {
  const rows = ORDERS.sorted.slice(0, 50);
  for (const [options, column, offset] of [
    [{ pageIndex: false }, false, false],
    [{ statistics: false }, false, true],
  ] as const) {
    const opts: WriterOptions = { ...options, dataPageRowLimit: 5 };
    const bytes = await writeParquet(FIELDS, rows, opts);
    const meta = await pyarrowMeta(bytes);
    for (const cc of meta.row_groups[0]!.columns) {
      assert.equal(cc.has_column_index, column, `${JSON.stringify(options)} ${cc.path}: has_column_index`);
      assert.equal(cc.has_offset_index, offset, `${JSON.stringify(options)} ${cc.path}: has_offset_index`);
    }
    checkPageIndex(FIELDS, rows, bytes, { options: opts });
  }
});

test('a chunk with an all-NaN page gets no ColumnIndex (no valid bounds), INT96 none either; OffsetIndex stays', async () => {
  const fields: FieldSpec[] = [
    { name: 'd', type: 'double' },
    { name: 'x', type: 'int96' },
    { name: 'i', type: 'int32' },
  ];
  const rows = [1, 2, NaN, NaN, 3, 4].map((d, i) => ({ d, x: BigInt(i) * 1_000_000_000n, i }));
  const options: WriterOptions = { dataPageRowLimit: 2 };
  const bytes = await writeParquet(fields, rows, options);
  const meta = await pyarrowMeta(bytes);
  assert.deepEqual(
    meta.row_groups[0]!.columns.map((c) => [c.has_column_index, c.has_offset_index]),
    [
      [false, true],
      [false, true],
      [true, true],
    ],
  );
  checkPageIndex(fields, rows, bytes, { options });
});

test('long strings: page min/max truncated like chunk statistics, max still an upper bound', async () => {
  const fields: FieldSpec[] = [{ name: 's', type: 'string' }];
  const rows = Array.from({ length: 40 }, (_, k) => ({ s: `${String.fromCharCode(97 + (k % 26))}${'\u{10ffff}'.repeat(30)}${k}` }));
  const options: WriterOptions = { dataPageRowLimit: 4, statisticsTruncateLength: 9 };
  const bytes = await writeParquet(fields, rows, options);
  checkPageIndex(fields, rows, bytes, { options });
  const md = fileMetadata(bytes);
  const cc = md.row_groups[0]!.columns[0]!;
  const ci = readColumnIndex(
    { view: new DataView(bytes.buffer, bytes.byteOffset), offset: Number(cc.column_index_offset) },
    { name: 's', type: 'FIXED_LEN_BYTE_ARRAY' },
  );
  for (const v of [...ci.min_values, ...ci.max_values]) assert.ok((v as Uint8Array).length <= 9, `truncated to ${(v as Uint8Array).length} bytes`);
});

test('the checker notices a wrong ColumnIndex (a tampered min byte) and a wrong page boundary', async () => {
  const options: WriterOptions = { dataPageRowLimit: 10, compression: 'none' };
  const rows = ORDERS.sorted.slice(0, 60);
  const bytes = await writeParquet(FIELDS, rows, options);
  checkPageIndex(FIELDS, rows, bytes, { options });
  // Claim fewer rows in the page: the same bytes do not describe these rows.
  assert.throws(() => checkPageIndex(FIELDS, rows.slice(1), bytes, { options }));
  // A ColumnIndex min of the i64 column (8-byte little-endian values, after the null_pages list).
  const md = fileMetadata(bytes);
  const cc = md.row_groups[0]!.columns[1]!;
  const start = Number(cc.column_index_offset);
  const region = bytes.subarray(start, start + cc.column_index_length!);
  const first = new Uint8Array(8);
  new DataView(first.buffer).setBigInt64(0, BigInt.asIntN(64, sortedRow(0).i64 as bigint), true);
  const at = region.findIndex((_, i) => first.every((b, j) => region[i + j] === b));
  assert.ok(at >= 0, 'min of page 0 found in the ColumnIndex bytes');
  const tampered = bytes.slice();
  tampered[start + at] ^= 0x01;
  assert.throws(() => checkPageIndex(FIELDS, rows, tampered, { options }), /min/);
});

// A property: random (nested) schemas and rows, sorted by a random leaf or not, small pages.
test('property: the page index equals what the rows and page boundaries give (150 runs)', async () => {
  const caseArb = schemaArb.chain((fields) =>
    fc.record({
      fields: fc.constant(fields),
      rows: fc.array(rowArb(fields, 3), { maxLength: 60 }),
      options: fc.record({
        pageVersion: fc.constantFrom(1 as const, 2 as const),
        dataPageRowLimit: fc.integer({ min: 1, max: 8 }),
        rowGroupSize: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 5, max: 40 })),
        dictionary: fc.boolean(),
        statisticsTruncateLength: fc.oneof(fc.constant(64), fc.integer({ min: 1, max: 12 })),
        compression: fc.constantFrom('none', 'snappy'),
      }),
    }),
  );
  let pages = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const bytes = await writeParquet(c.fields, c.rows, c.options);
      pages += checkPageIndex(c.fields, c.rows, bytes, { options: c.options }).pages;
    }),
    { numRuns: 150, seed: 0x9a6e },
  );
  assert.ok(pages > 1000, `only ${pages} pages checked`);
});

test('property: sorted single-column data gives ASCENDING / DESCENDING for every physical type', async () => {
  const specs: FieldSpec[] = [
    { name: 'v', type: 'int32' },
    { name: 'v', type: 'int64' },
    { name: 'v', type: 'uint64' },
    { name: 'v', type: 'float' },
    { name: 'v', type: 'double' },
    { name: 'v', type: 'string' },
    { name: 'v', type: 'binary' },
    { name: 'v', type: 'fixed', length: 3 },
    { name: 'v', type: 'decimal', precision: 30, scale: 2 },
    { name: 'v', type: 'boolean' },
    { name: 'v', type: 'float16' },
  ];
  for (const spec of specs) {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb([spec]), { minLength: 2, maxLength: 50 }), fc.boolean(), async (rows, desc) => {
        const fcmp = (a: unknown, b: unknown): number => cmp(spec, a, b);
        const sorted = rows.filter((r) => !(typeof r.v === 'number' && Number.isNaN(r.v))).sort((a, b) => (desc ? -fcmp(a.v, b.v) : fcmp(a.v, b.v)));
        if (sorted.length === 0) return;
        const options: WriterOptions = { dataPageRowLimit: 3 };
        const bytes = await writeParquet([spec], sorted, options);
        checkPageIndex([spec], sorted, bytes, { options });
        const md = fileMetadata(bytes);
        const cc = md.row_groups[0]!.columns[0]!;
        const ci = readColumnIndex(
          { view: new DataView(bytes.buffer, bytes.byteOffset), offset: Number(cc.column_index_offset) },
          { name: 'v', type: 'FIXED_LEN_BYTE_ARRAY' },
        );
        // Sorted data is at least monotone; ASCENDING wins ties (all pages equal).
        if (desc) assert.ok(['DESCENDING', 'ASCENDING'].includes(ci.boundary_order), `${spec.type} desc: ${ci.boundary_order}`);
        else assert.equal(ci.boundary_order, 'ASCENDING', `${spec.type} asc`);
      }),
      { numRuns: 15, seed: 0x50f7 },
    );
  }
});

function cmp(spec: FieldSpec, a: unknown, b: unknown): number {
  const bytes = (x: unknown): Uint8Array => (typeof x === 'string' ? new TextEncoder().encode(x) : (x as Uint8Array));
  switch (spec.type) {
    case 'string':
    case 'binary':
    case 'fixed': {
      const x = bytes(a);
      const y = bytes(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    }
    case 'boolean':
      return Number(a) - Number(b);
    case 'decimal': {
      const v = (x: unknown): bigint => (typeof x === 'bigint' ? x : BigInt(String(x).replace('.', '')));
      const d = v(a) - v(b);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    }
    default: {
      const x = typeof a === 'bigint' ? a : Number(a);
      const y = typeof b === 'bigint' ? b : Number(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

test('writeColumns honours rowGroupSize and dataPageRowLimit like writeRows', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter([{ name: 'a', type: 'int32' }], sink, { rowGroupSize: 7, dataPageRowLimit: 2 });
  await writer.writeColumns({ columns: { a: Int32Array.from({ length: 40 }, (_, i) => i) } });
  await writer.close();
  const md = fileMetadata(sink.bytes());
  assert.deepEqual(
    md.row_groups.map((g) => Number(g.num_rows)),
    [7, 7, 7, 7, 7, 5],
  );
});

test('pages are cut at the byte target, at most 8 rows late, and at the row limit exactly', async () => {
  // 8-byte PLAIN values, no levels: a 800-byte target is reached after 100 rows. The writer
  // looks at page sizes every 8 rows (arrow-rs: once per write batch), so a page holds 100..107.
  const fields: FieldSpec[] = [
    { name: 'v', type: 'int64' },
    { name: 'b', type: 'boolean' },
  ];
  const rows = Array.from({ length: 3000 }, (_, i) => ({ v: BigInt(i) * 7919n, b: i % 3 === 0 }));
  const options: WriterOptions = { compression: 'none', dataPageSize: 800, dataPageRowLimit: 250, columns: { v: { encoding: 'PLAIN' } } };
  const bytes = await writeParquet(fields, rows, options);
  const md = fileMetadata(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pageRows = (k: number): number[] => {
    const starts = readOffsetIndex({ view, offset: Number(md.row_groups[0]!.columns[k]!.offset_index_offset) }).page_locations.map((p) =>
      Number(p.first_row_index),
    );
    return starts.map((s, i) => (starts[i + 1] ?? rows.length) - s);
  };
  const v = pageRows(0);
  for (const n of v.slice(0, -1)) assert.ok(n >= 100 && n < 108, `int64 page of ${n} rows`);
  // The boolean column stays small (a bit per value): only its row limit, 250, cuts it.
  assert.deepEqual(
    pageRows(1),
    Array.from({ length: 12 }, () => 250),
  );
});
