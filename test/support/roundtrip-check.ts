/**
 * The round-trip property's checks: a file written from (fields, rows, options) read back
 * by pyarrow, DuckDB, polars and hyparquet must give exactly the expected values and
 * types, the row groups and statistics computed from the input, a footer that the
 * thrift package decodes with the statistics flags we expect, and no violation of the
 * spec's rules (conformance.ts; with the values pyarrow read when the read included
 * `leaves`).
 */
import assert from 'node:assert/strict';
import type { FieldSpec, WriterOptions } from '../../packages/writer/src/index.js';
import { isReaderError, type FileReadResult, type JsonValue, type ReadTable, type PythonReaderName, type RawStatistics } from './python-readers.js';
import { readWithHyparquet } from './hyparquet-reader.js';
import { rowExpected, typeString } from './expected.js';
import { containsType } from './model.js';
import { compareBytes, expectedStats, fromHex, isTruncatable, isFloating, leafColumns, leafSlots } from './stats.js';
import { decodeStruct, type DecodedStruct, type DecodedList } from '../thrift-helpers.js';
import { caseLimitations, effectiveEncoding, FORCED_ENCODINGS, type LimitedReader } from './columns.js';
import { checkBloomFilters, checkPageIndex, fileMetadata } from './index-check.js';
import { assertConformance, type RuleId, type Violation } from './conformance.js';
import type { WriteCase } from './options-model.js';

/** pyarrow's name for the chunk codec (it calls LZ4_RAW 'LZ4') and the parquet.thrift CompressionCodec id. */
export const CODECS: Record<string, { pyarrow: string; id: number }> = {
  none: { pyarrow: 'UNCOMPRESSED', id: 0 },
  snappy: { pyarrow: 'SNAPPY', id: 1 },
  gzip: { pyarrow: 'GZIP', id: 2 },
  brotli: { pyarrow: 'BROTLI', id: 4 },
  zstd: { pyarrow: 'ZSTD', id: 6 },
  lz4: { pyarrow: 'LZ4', id: 7 },
};

export interface Case extends WriteCase {
  fields: FieldSpec[];
  rows: Record<string, unknown>[];
  options: WriterOptions;
}

function describeCase(c: Case): string {
  const via =
    c.via === 'columns' ? ` via writeColumns batches ${JSON.stringify(c.batches)}${c.arrow ? ' in Arrow layout' : c.validity ? ' with validity' : ''}` : '';
  return `schema ${JSON.stringify(c.fields)} options ${JSON.stringify(c.options)} rows ${c.rows.length}${via}`;
}

/**
 * A reader that failed on a case using a forced encoding it is known not to decode must
 * fail with that known message; true when so (the values are then not compared).
 */
function knownLimitation(name: LimitedReader, c: Case, error: string): boolean {
  const limits = caseLimitations(c.fields, c.options, name);
  if (limits.length === 0) return false;
  assert.ok(
    limits.some((l) => l.error.test(error)),
    `${name} failed with an unexpected error (known limits here: ${limits.map((l) => `${l.path}: ${l.error}`).join('; ')}): ${error}`,
  );
  return true;
}

/** Counts of what the extended checks covered, for the suites' diagnostics. */
export interface CheckStats {
  pages: number;
  columnIndexes: number;
  bloomValues: number;
  limitations: number;
  /** Spec rules the conformance check applied. */
  conformanceChecks: number;
}

/**
 * Deliberate deviations from the spec, each with its reason. BSON columns carry no BSON
 * converted type (parquet.thrift pairs the BSON logical type with it): DuckDB 1.5 refuses
 * every file that has it ("Unsupported converted type (20)"); see primitive-mapping.ts.
 */
const ALLOWED_DEVIATIONS = new Map<RuleId, (v: Violation) => boolean>([
  ['converted-for-logical', (v) => v.detail === 'BSON needs converted_type BSON, found none'],
]);

function checkTable(name: string, c: Case, t: ReadTable): void {
  const r = name as PythonReaderName;
  assert.equal(t.num_rows, c.rows.length, `${name}: row count`);
  assert.deepEqual(
    t.columns.map((col) => col.name),
    c.fields.map((f) => f.name),
    `${name}: column names`,
  );
  for (let i = 0; i < c.fields.length; i++) {
    const f = c.fields[i]!;
    const col = t.columns[i]!;
    assert.equal(col.type, typeString(f, r), `${name}: type of ${f.name}`);
    const expected = c.rows.map((row) => rowExpected([f], row, r)[f.name]!);
    assert.deepStrictEqual(col.values, expected, `${name}: values of ${f.name}`);
  }
}

/** Statistics fields of every column chunk, decoded from the footer by the thrift package. */
function footerChunks(bytes: Uint8Array): { stats: DecodedStruct | undefined; codec: unknown }[][] {
  const len = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  const footer = bytes.subarray(bytes.length - 8 - len, bytes.length - 8);
  const fmd = decodeStruct(footer);
  const groups = (fmd[4]?.value as DecodedList | undefined)?.elements ?? [];
  return groups.map((g) =>
    ((g as DecodedStruct)[1]!.value as DecodedList).elements.map((cc) => {
      const meta = (cc as DecodedStruct)[3]?.value as DecodedStruct | undefined;
      return { stats: meta?.[12]?.value as DecodedStruct | undefined, codec: meta?.[4]?.value };
    }),
  );
}

function checkStats(
  where: string,
  c: Case,
  col: ReturnType<typeof leafColumns>[number],
  raw: RawStatistics | null,
  thriftStats: DecodedStruct | undefined,
  slots: Parameters<typeof expectedStats>[1],
): void {
  const exp = expectedStats(col.spec, slots);
  if (c.options.statistics === false) {
    assert.equal(raw, null, `${where}: statistics disabled`);
    return;
  }
  assert.ok(raw, `${where}: statistics missing`);
  assert.ok(thriftStats, `${where}: statistics missing in the thrift-decoded footer`);
  assert.equal(raw.null_count, exp.nullCount, `${where}: null_count`);
  if (raw.distinct_count !== null) assert.equal(raw.distinct_count, exp.distinct, `${where}: distinct_count`);
  const nan = thriftStats[9]?.value;
  if (isFloating(col.spec)) assert.equal(nan, BigInt(exp.nanCount), `${where}: nan_count`);
  else assert.equal(nan, undefined, `${where}: nan_count on a non-float column`);
  if (exp.min === undefined) {
    assert.equal(raw.has_min_max, false, `${where}: no min/max expected, got ${JSON.stringify(raw)}`);
    return;
  }
  assert.equal(raw.has_min_max, true, `${where}: min/max expected (${String(exp.min)}..${String(exp.max)})`);
  const minExact = thriftStats[8]?.value;
  const maxExact = thriftStats[7]?.value;
  const limit = c.options.statisticsTruncateLength ?? 64;
  if (isTruncatable(col.spec) && limit > 0 && exp.minBytes!.length > limit) {
    const min = fromHex(raw.min_raw as string);
    assert.equal(minExact, false, `${where}: is_min_value_exact for a truncated min`);
    assert.ok(min.length <= limit, `${where}: truncated min is ${min.length} bytes > ${limit}`);
    assert.deepEqual(min, exp.minBytes!.subarray(0, min.length), `${where}: truncated min must be a prefix of ${exp.min}`);
  } else {
    assert.equal(raw.min_raw, exp.min, `${where}: min`);
    assert.equal(minExact, true, `${where}: is_min_value_exact`);
  }
  if (isTruncatable(col.spec) && limit > 0 && exp.maxBytes!.length > limit && maxExact === false) {
    const max = fromHex(raw.max_raw as string);
    assert.ok(max.length <= limit, `${where}: truncated max is ${max.length} bytes > ${limit}`);
    assert.ok(compareBytes(max, exp.maxBytes!) > 0, `${where}: truncated max ${raw.max_raw as string} must exceed ${exp.max}`);
  } else {
    assert.equal(raw.max_raw, exp.max, `${where}: max`);
    assert.equal(maxExact, true, `${where}: is_max_value_exact`);
  }
}

export async function checkCase(c: Case, bytes: Uint8Array, read: FileReadResult): Promise<CheckStats> {
  const ctx = describeCase(c);
  const counts: CheckStats = { pages: 0, columnIndexes: 0, bloomValues: 0, limitations: 0, conformanceChecks: 0 };
  try {
    const hasBson = c.fields.some((f) => containsType(f, 'bson'));
    for (const name of ['pyarrow', 'duckdb', 'polars'] as const) {
      const res = read[name];
      assert.ok(res, `${name}: no result`);
      if (isReaderError(res)) {
        // DuckDB 1.5 rejects the BSON converted type (20) outright; see the suite report.
        if (name === 'duckdb' && hasBson && /Unsupported converted type \(20\)/.test(res.error)) continue;
        if (name !== 'pyarrow' && knownLimitation(name, c, res.error)) {
          counts.limitations++;
          continue;
        }
        assert.fail(`${name} failed: ${res.error}\n${res.trace ?? ''}`);
      }
      checkTable(name, c, res);
    }

    const hyp = await readWithHyparquet(bytes, c.fields);
    assert.equal(hyp.numRows, c.rows.length, 'hyparquet: row count');
    const hypFields = c.fields.filter((f) => !containsType(f, 'bson'));
    if (hypFields.length > 0) {
      assert.deepStrictEqual(
        hyp.rows,
        c.rows.map((row) => rowExpected(hypFields, row, 'hyparquet')),
        'hyparquet: values',
      );
    }

    // Metadata (pyarrow) and statistics.
    const pa = read.pyarrow;
    assert.ok(pa && !isReaderError(pa));
    const md = pa.metadata;
    assert.ok(md.created_by.startsWith('cdp-parquet version'), `created_by ${md.created_by}`);
    assert.equal(md.num_rows, c.rows.length);
    assert.deepEqual(md.key_value_metadata, c.options.keyValueMetadata ?? {}, 'key_value_metadata');
    const groupSize = c.options.rowGroupSize ?? 1_000_000;
    const groups: Record<string, unknown>[][] = [];
    for (let i = 0; i < c.rows.length; i += groupSize) groups.push(c.rows.slice(i, i + groupSize));
    assert.equal(md.num_row_groups, groups.length, 'row group count');
    const leaves = leafColumns(c.fields);
    const thrift = footerChunks(bytes);
    const codec = CODECS[c.options.compression ?? 'snappy']!;
    for (let g = 0; g < groups.length; g++) {
      const rg = md.row_groups[g]!;
      assert.equal(rg.num_rows, groups[g]!.length, `row group ${g}: num_rows`);
      assert.equal(rg.columns.length, leaves.length, `row group ${g}: column count`);
      const slots = leafSlots(c.fields, groups[g]!);
      for (let k = 0; k < leaves.length; k++) {
        const where = `row group ${g}, column ${leaves[k]!.path}`;
        const cc = rg.columns[k]!;
        assert.equal(cc.path, leaves[k]!.path, `${where}: path`);
        assert.equal(cc.compression, codec.pyarrow, `${where}: compression`);
        assert.equal(thrift[g]?.[k]?.codec, codec.id, `${where}: codec id in the footer`);
        assert.equal(cc.num_values, slots[k]!.length, `${where}: num_values`);
        const dictEncoded = cc.encodings.includes('RLE_DICTIONARY') || cc.encodings.includes('PLAIN_DICTIONARY');
        assert.equal(cc.has_dictionary_page, dictEncoded, `${where}: dictionary page iff dictionary encoding (${cc.encodings.join(',')})`);
        const colOpts = c.options.columns?.[leaves[k]!.path];
        if ((colOpts?.dictionary ?? c.options.dictionary) === false) assert.equal(cc.has_dictionary_page, false, `${where}: dictionary disabled`);
        const forced = effectiveEncoding(leaves[k]!.spec, leaves[k]!.path, c.options);
        if ((FORCED_ENCODINGS as readonly string[]).includes(forced)) {
          // A forced encoding: no dictionary; value pages use it (pages without values are PLAIN); levels are RLE.
          assert.equal(cc.has_dictionary_page, false, `${where}: dictionary page with forced ${forced}`);
          for (const e of cc.encodings) assert.ok([forced, 'RLE', 'PLAIN'].includes(e), `${where}: encoding ${e} with forced ${forced}`);
          if (slots[k]!.some((s) => s !== null)) assert.ok(cc.encodings.includes(forced), `${where}: ${forced} missing from ${cc.encodings.join(',')}`);
        }
        assert.equal(cc.has_offset_index, c.options.pageIndex !== false, `${where}: pyarrow has_offset_index`);
        if (c.options.pageIndex === false || c.options.statistics === false) assert.equal(cc.has_column_index, false, `${where}: pyarrow has_column_index`);
        const bloom = colOpts?.bloomFilter;
        assert.equal(
          cc.bloom_filter_offset !== null && cc.bloom_filter_length !== null,
          bloom !== undefined && bloom !== false,
          `${where}: pyarrow bloom_filter_offset/length ${cc.bloom_filter_offset}/${cc.bloom_filter_length}`,
        );
        checkStats(where, c, leaves[k]!, cc.statistics, thrift[g]?.[k]?.stats, slots[k]!);
      }
    }

    // Sorting columns as declared (leaf indexes), in every row group.
    const sorting = (c.options.sortingColumns ?? []).map((s) => ({
      column_index: leaves.findIndex((l) => l.path === s.column),
      descending: s.descending === true,
      nulls_first: s.nullsFirst === true,
    }));
    for (const rg of md.row_groups) assert.deepEqual(rg.sorting_columns, sorting, 'sorting_columns');

    // Page index, SizeStatistics and bloom filters against the rows (hyparquet's decoders).
    const hmd = fileMetadata(bytes);
    const pi = checkPageIndex(c.fields, c.rows, bytes, { options: c.options }, hmd);
    counts.pages += pi.pages;
    counts.columnIndexes += pi.columnIndexes;
    for (let g = 0; g < md.row_groups.length; g++) {
      md.row_groups[g]!.columns.forEach((cc, k) => {
        // pyarrow's has_column_index agrees with the ColumnIndex hyparquet decoded.
        assert.equal(cc.has_column_index, hmd.row_groups[g]!.columns[k]!.column_index_offset !== undefined, `row group ${g} column ${k}: has_column_index`);
      });
    }
    const bloomPaths = new Set(
      Object.entries(c.options.columns ?? {})
        .filter(([, o]) => o.bloomFilter !== undefined && o.bloomFilter !== false)
        .map(([p]) => p),
    );
    counts.bloomValues += checkBloomFilters(c.fields, c.rows, bytes, bloomPaths, hmd);

    // The spec's rules, on the footer, pages and page index as written and the values pyarrow read.
    const leafValues = read.leaves;
    if (leafValues !== undefined && isReaderError(leafValues)) assert.fail(`pyarrow could not read the leaf values: ${leafValues.error}`);
    const conformance = assertConformance(bytes, leafValues, ALLOWED_DEVIATIONS);
    counts.conformanceChecks += conformance.checks;
    // pageChecksum (default on) puts a CRC in every page header, dictionary pages included.
    assert.equal(
      conformance.pagesWithCrc,
      c.options.pageChecksum === false ? 0 : conformance.pages,
      `${conformance.pagesWithCrc} of ${conformance.pages} pages carry a CRC (pageChecksum ${String(c.options.pageChecksum)})`,
    );

    // DuckDB's own metadata view agrees with pyarrow's.
    const duck = read.duckdb;
    if (duck && !isReaderError(duck) && Array.isArray(duck.parquet_metadata)) {
      assert.equal(duck.parquet_metadata.length, groups.length * leaves.length, 'duckdb parquet_metadata rows');
      for (const row of duck.parquet_metadata) {
        const g = Number(row.row_group_id as string);
        const k = Number(row.column_id as string);
        const cc = md.row_groups[g]!.columns[k]!;
        assert.equal(row.num_values, String(cc.num_values), `duckdb num_values rg ${g} col ${k}`);
        assert.equal(row.row_group_num_rows, String(md.row_groups[g]!.num_rows));
        if (cc.statistics) assert.equal(row.stats_null_count, String(cc.statistics.null_count), `duckdb null_count rg ${g} col ${k}`);
      }
    }
  } catch (err) {
    if (err instanceof Error) err.message = `${err.message}\n-- case: ${ctx}`;
    throw err;
  }
  return counts;
}

export type { JsonValue };
