/**
 * Footer-level checks: a 0-row file is readable by all four readers; key-value metadata
 * round-trips; and the footer, decoded by the `thrift` package's compact protocol, holds
 * exactly the FileMetaData that close() returns in WriteSummary.metadata.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink, ParquetWriter, writeParquet, type FieldSpec } from '../packages/writer/src/index.js';
import type { ColumnChunk, FileMetaData, SchemaElement, Statistics } from '../packages/writer/src/format/thrift/parquet-metadata.js';
import { PythonReaders, isReaderError } from './support/python-readers.js';
import { readWithHyparquet } from './support/hyparquet-reader.js';
import { typeString } from './support/expected.js';
import { decodeStruct, type DecodedList, type DecodedStruct, type Value } from './thrift-helpers.js';

let readers: PythonReaders;
let dir: string;
before(() => {
  readers = new PythonReaders();
  dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-footer-'));
});
after(async () => {
  await readers.close();
  rmSync(dir, { recursive: true, force: true });
});

const fields: FieldSpec[] = [
  { name: 'id', type: 'int64' },
  { name: 'name', type: 'string', optional: true },
  { name: 'tags', type: 'list', optional: true, element: { type: 'string', optional: true } },
  { name: 'ts', type: 'timestamp', unit: 'us', utc: true },
  { name: 'd', type: 'decimal', precision: 38, scale: 0, optional: true },
  { name: 's', type: 'struct', optional: true, fields: [{ name: 'a', type: 'uint32' }] },
  { name: 'm', type: 'map', optional: true, key: { type: 'string' }, value: { type: 'int32', optional: true } },
];

test('a 0-row file is readable by pyarrow, DuckDB, polars and hyparquet with the declared types', async () => {
  const bytes = await writeParquet(fields, [], { keyValueMetadata: { origin: 'empty' } });
  const path = join(dir, 'empty.parquet');
  writeFileSync(path, bytes);
  const [res] = await readers.read([path]);
  for (const name of ['pyarrow', 'duckdb', 'polars'] as const) {
    const r = res![name];
    assert.ok(r && !isReaderError(r), `${name}: ${JSON.stringify(r)}`);
    assert.equal(r.num_rows, 0);
    assert.deepEqual(
      r.columns.map((c) => [c.name, c.type]),
      fields.map((f) => [f.name, typeString(f, name)]),
      name,
    );
  }
  const pa = res!.pyarrow;
  assert.ok(pa && !isReaderError(pa));
  assert.equal(pa.metadata.num_row_groups, 0);
  assert.deepEqual(pa.metadata.key_value_metadata, { origin: 'empty' });
  const hyp = await readWithHyparquet(bytes, fields);
  assert.equal(hyp.numRows, 0);
  assert.deepEqual(hyp.rows, []);
});

test('key-value metadata round-trips (options and setMetadata, unicode, empty values, replacement)', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, { keyValueMetadata: { a: '1', 'ünï😀': 'välue😀', empty: '' } });
  writer.setMetadata('a', 'replaced');
  writer.setMetadata('later', '{"json":true}');
  await writer.writeRows([{ id: 1n, ts: 0n }]);
  await writer.close();
  const path = join(dir, 'kv.parquet');
  writeFileSync(path, sink.bytes());
  const [res] = await readers.read([path], ['pyarrow', 'duckdb']);
  const pa = res!.pyarrow;
  assert.ok(pa && !isReaderError(pa));
  assert.deepEqual(pa.metadata.key_value_metadata, { a: 'replaced', 'ünï😀': 'välue😀', empty: '', later: '{"json":true}' });
  const duck = res!.duckdb;
  assert.ok(duck && !isReaderError(duck), JSON.stringify(duck));
});

// ---- footer vs WriteSummary.metadata ------------------------------------------------------

const utf8 = new TextEncoder();
const f = (s: DecodedStruct, id: number): Value | undefined => s[id]?.value;
const list = (s: DecodedStruct, id: number): Value[] => (f(s, id) as DecodedList | undefined)?.elements ?? [];
const num = (v: Value | undefined): number | undefined => (v === undefined ? undefined : Number(v as number | bigint));

function schemaElement(s: DecodedStruct): Partial<SchemaElement> {
  return {
    type: num(f(s, 1)),
    type_length: num(f(s, 2)),
    repetition_type: num(f(s, 3)),
    name: new TextDecoder().decode(f(s, 4) as Uint8Array),
    num_children: num(f(s, 5)),
    converted_type: num(f(s, 6)),
    scale: num(f(s, 7)),
    precision: num(f(s, 8)),
  } as Partial<SchemaElement>;
}

function expectedElement(e: SchemaElement): Partial<SchemaElement> {
  return {
    type: e.type,
    type_length: e.type_length,
    repetition_type: e.repetition_type,
    name: e.name,
    num_children: e.num_children,
    converted_type: e.converted_type,
    scale: e.scale,
    precision: e.precision,
  } as Partial<SchemaElement>;
}

function stats(s: DecodedStruct | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  return {
    null_count: f(s, 3),
    distinct_count: f(s, 4),
    max_value: f(s, 5),
    min_value: f(s, 6),
    is_max_value_exact: f(s, 7),
    is_min_value_exact: f(s, 8),
    nan_count: f(s, 9),
  };
}

function expectedStats(s: Statistics | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  const big = (v: unknown) => (v === undefined ? undefined : BigInt(v as number | bigint));
  return {
    null_count: big(s.null_count),
    distinct_count: big(s.distinct_count),
    max_value: s.max_value,
    min_value: s.min_value,
    is_max_value_exact: s.is_max_value_exact,
    is_min_value_exact: s.is_min_value_exact,
    nan_count: big(s.nan_count),
  };
}

function chunk(s: DecodedStruct): Record<string, unknown> {
  const m = f(s, 3) as DecodedStruct;
  return {
    file_offset: num(f(s, 2)),
    type: num(f(m, 1)),
    encodings: list(m, 2).map((x) => num(x)),
    path: list(m, 3).map((x) => new TextDecoder().decode(x as Uint8Array)),
    codec: num(f(m, 4)),
    num_values: num(f(m, 5)),
    total_uncompressed_size: num(f(m, 6)),
    total_compressed_size: num(f(m, 7)),
    data_page_offset: num(f(m, 9)),
    dictionary_page_offset: num(f(m, 11)),
    statistics: stats(f(m, 12) as DecodedStruct | undefined),
  };
}

function expectedChunk(c: ColumnChunk): Record<string, unknown> {
  const m = c.meta_data!;
  return {
    file_offset: Number(c.file_offset),
    type: m.type,
    encodings: [...m.encodings],
    path: [...m.path_in_schema],
    codec: m.codec,
    num_values: Number(m.num_values),
    total_uncompressed_size: Number(m.total_uncompressed_size),
    total_compressed_size: Number(m.total_compressed_size),
    data_page_offset: Number(m.data_page_offset),
    dictionary_page_offset: m.dictionary_page_offset === undefined ? undefined : Number(m.dictionary_page_offset),
    statistics: expectedStats(m.statistics),
  };
}

test('the footer decoded by the thrift package equals WriteSummary.metadata', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, { rowGroupSize: 3, dataPageRowLimit: 2, keyValueMetadata: { k: 'v' } });
  const rows = Array.from({ length: 8 }, (_, i) => ({
    id: BigInt(i) - 4n,
    name: i % 3 ? `n${i}` : null,
    tags: i % 2 ? ['a', null] : [],
    ts: BigInt(i) * 1000n,
    d: i % 4 ? 10n ** 37n * BigInt(i % 2 ? 1 : -1) : null,
    s: i % 5 ? { a: 4294967295 - i } : null,
    m:
      i % 3
        ? new Map([
            ['k', i],
            ['z', null],
          ])
        : null,
  }));
  await writer.writeRows(rows);
  const summary = await writer.close();
  const md: FileMetaData = summary.metadata;
  const bytes = sink.bytes();
  assert.equal(summary.bytes, bytes.length);
  assert.deepEqual(bytes.subarray(0, 4), utf8.encode('PAR1'));
  assert.deepEqual(bytes.subarray(bytes.length - 4), utf8.encode('PAR1'));
  const len = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  const decoded = decodeStruct(bytes.subarray(bytes.length - 8 - len, bytes.length - 8));

  assert.equal(num(f(decoded, 1)), md.version);
  assert.deepEqual(
    list(decoded, 2).map((e) => schemaElement(e as DecodedStruct)),
    md.schema.map(expectedElement),
  );
  assert.equal(num(f(decoded, 3)), Number(md.num_rows));
  assert.equal(num(f(decoded, 3)), rows.length);
  const groups = list(decoded, 4) as DecodedStruct[];
  assert.equal(groups.length, md.row_groups.length);
  assert.equal(groups.length, 3);
  for (let g = 0; g < groups.length; g++) {
    const rg = md.row_groups[g]!;
    assert.equal(num(f(groups[g]!, 2)), Number(rg.total_byte_size), `rg ${g} total_byte_size`);
    assert.equal(num(f(groups[g]!, 3)), Number(rg.num_rows), `rg ${g} num_rows`);
    assert.deepEqual((list(groups[g]!, 1) as DecodedStruct[]).map(chunk), rg.columns.map(expectedChunk), `rg ${g} columns`);
  }
  const kv = (list(decoded, 5) as DecodedStruct[]).map((s) => [
    new TextDecoder().decode(f(s, 1) as Uint8Array),
    new TextDecoder().decode(f(s, 2) as Uint8Array),
  ]);
  assert.deepEqual(
    kv,
    (md.key_value_metadata ?? []).map((e) => [e.key, e.value]),
  );
  assert.deepEqual(kv, [['k', 'v']]);
  const createdBy = new TextDecoder().decode(f(decoded, 6) as Uint8Array);
  assert.equal(createdBy, md.created_by);
  assert.match(createdBy, /^cdp-parquet version \d+\.\d+\.\d+/);
  assert.equal(list(decoded, 7).length, md.column_orders?.length);
  // Every column chunk's offsets point inside the file, in order, without overlap.
  let previousEnd = 4;
  for (const rg of md.row_groups) {
    for (const c of rg.columns) {
      const m = c.meta_data!;
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      assert.ok(start >= previousEnd, `chunk ${m.path_in_schema.join('.')} starts at ${start} before ${previousEnd}`);
      previousEnd = start + Number(m.total_compressed_size);
    }
  }
  assert.ok(previousEnd <= bytes.length - 8 - len);
});

test("VERSION (and so created_by) matches both packages' package.json, and the lake depends on that writer", async () => {
  const { VERSION } = await import('../packages/writer/src/version.js');
  const read = (dir: string) =>
    JSON.parse(readFileSync(new URL(`../packages/${dir}/package.json`, import.meta.url), 'utf8')) as { version: string; dependencies: Record<string, string> };
  assert.equal(read('writer').version, VERSION);
  assert.equal(read('lake').version, VERSION);
  assert.equal(read('lake').dependencies['cdp-parquet'], VERSION);
});
