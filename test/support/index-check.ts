/**
 * Checks of the page index (PageIndex.md), SizeStatistics and bloom filters of a written
 * file against the input rows, decoded with hyparquet (readColumnIndex, readOffsetIndex,
 * readBloomFilter and its xxhash64) and the page headers themselves. Page boundaries are
 * taken from the OffsetIndex and validated on their own (contiguous, inside the chunk,
 * each location parses as a data page header whose counts match the rows it claims);
 * everything else per page (null_pages, null_counts, min/max with truncation, the
 * boundary order, level histograms, unencoded byte-array bytes) is recomputed from the
 * rows of those boundaries.
 */
import assert from 'node:assert/strict';
import { parquetMetadata, readColumnIndex, readOffsetIndex } from 'hyparquet';
import type { ColumnChunk, ColumnIndex, FileMetaData, OffsetIndex, SchemaElement } from 'hyparquet';
import { readBloomFilter, sbbfContains } from 'hyparquet/src/bloom.js';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { xxhash64 } from 'hyparquet/src/xxhash.js';
import type { FieldSpec, WriterOptions } from '../../packages/writer/src/index.js';
import type { PrimitiveTypeSpec } from '../../packages/writer/src/format/schema/types.js';
import type { Canon } from './model.js';
import { encFloat, hex } from './model.js';
import { compareBytes, decimalByteLength, decimalPhysical, expectedStats, isTruncatable, leafSlots } from './stats.js';
import { histogram, leafLevelInfo, physicalOf, rowLevels, type Levels, type Physical } from './columns.js';

const RAW: SchemaElement = { name: 'raw', type: 'FIXED_LEN_BYTE_ARRAY' };

export interface PageIndexExpectations {
  /** Options the file was written with (pageIndex, statistics, truncation, page row limit, page version). */
  options: WriterOptions;
}

function reader(bytes: Uint8Array, offset: bigint | number): { view: DataView; offset: number } {
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: Number(offset) };
}

export function fileMetadata(bytes: Uint8Array): FileMetaData {
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/** Compare two canonical values in the column's sort order (parquet.thrift ColumnOrder). */
export function compareCanon(a: Canon, b: Canon): number {
  switch (a.k) {
    case 'bool':
      return Number(a.v) - Number(b.v as boolean);
    case 'int':
    case 'decimal': {
      const x = a.v;
      const y = b.v as bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'float':
    case 'half':
      return a.v - (b.v as number);
    case 'text':
      return compareBytes(a.bytes, (b as Extract<Canon, { k: 'text' }>).bytes);
    case 'bytes':
      return compareBytes(a.v, b.v as Uint8Array);
  }
}

/** A min/max statistic value in pyarrow's min_raw encoding (see stats.ts), from its PLAIN bytes. */
function rawStat(p: Physical, b: Uint8Array): string | boolean {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (p) {
    case 'BOOLEAN':
      return b[0] === 1;
    case 'INT32':
      return String(dv.getInt32(0, true));
    case 'INT64':
      return String(dv.getBigInt64(0, true));
    case 'FLOAT':
      return encFloat(dv.getFloat32(0, true));
    case 'DOUBLE':
      return encFloat(dv.getFloat64(0, true));
    default:
      return hex(b);
  }
}

const isNaNCanon = (c: Canon): boolean => (c.k === 'float' || c.k === 'half') && Number.isNaN(c.v);

interface PageRows {
  first: number;
  end: number;
}

function pageHeaderAt(bytes: Uint8Array, offset: number): { header: Record<string, unknown>; length: number } {
  const r = reader(bytes, offset);
  const header = deserializeTCompactProtocol(r) as Record<string, unknown>;
  return { header, length: r.offset - offset };
}

/** Check the page index, SizeStatistics of every chunk against the rows. */
export function checkPageIndex(
  fields: readonly FieldSpec[],
  rows: readonly Record<string, unknown>[],
  bytes: Uint8Array,
  exp: PageIndexExpectations,
  md: FileMetaData = fileMetadata(bytes),
): { pages: number; columnIndexes: number } {
  const { options } = exp;
  const infos = leafLevelInfo(fields);
  const rowSlots = rows.map((row) => leafSlots(fields, [row]));
  const rowLv = rows.map((row) => rowLevels(fields, row));
  // The level model and the slot model of stats.ts must agree on every row.
  for (let i = 0; i < rows.length; i++) {
    for (let k = 0; k < infos.length; k++) {
      const slots = rowSlots[i]![k]!;
      const lv = rowLv[i]![k]!;
      assert.equal(lv.def.length, slots.length, `level model vs slot model, row ${i} column ${infos[k]!.path}`);
      lv.def.forEach((d, j) => assert.equal(d === infos[k]!.maxDef, slots[j] !== null, `level model: row ${i} ${infos[k]!.path} slot ${j}`));
    }
  }
  const limit = options.statisticsTruncateLength ?? 64;
  const wantIndex = options.pageIndex !== false;
  let pagesSeen = 0;
  let columnIndexes = 0;
  let rowBase = 0;
  for (let g = 0; g < md.row_groups.length; g++) {
    const rg = md.row_groups[g]!;
    const groupRows = Number(rg.num_rows);
    for (let k = 0; k < infos.length; k++) {
      const info = infos[k]!;
      const where = `row group ${g}, column ${info.path}`;
      const chunk: ColumnChunk = rg.columns[k]!;
      const meta = chunk.meta_data!;
      const p = physicalOf(info.spec);
      const levels = (from: number, to: number): Levels => {
        const out: Levels = { def: [], rep: [] };
        for (let i = from; i < to; i++) {
          out.def.push(...rowLv[rowBase + i]![k]!.def);
          out.rep.push(...rowLv[rowBase + i]![k]!.rep);
        }
        return out;
      };
      const slots = (from: number, to: number): (Canon | null)[] => {
        const out: (Canon | null)[] = [];
        for (let i = from; i < to; i++) out.push(...rowSlots[rowBase + i]![k]!);
        return out;
      };
      const byteArrayBytes = (s: (Canon | null)[]): number => s.reduce((n, c) => n + (c === null ? 0 : plainBytes(info.spec, c).length), 0);

      // SizeStatistics in ColumnMetaData (whole chunk).
      const all = levels(0, groupRows);
      const size = meta.size_statistics;
      if (p === 'BYTE_ARRAY' || info.maxDef > 0 || info.maxRep > 0) {
        if (!size) assert.fail(`${where}: size_statistics missing`);
        if (p === 'BYTE_ARRAY') {
          assert.equal(Number(size.unencoded_byte_array_data_bytes), byteArrayBytes(slots(0, groupRows)), `${where}: unencoded_byte_array_data_bytes`);
        } else assert.equal(size.unencoded_byte_array_data_bytes, undefined, `${where}: unencoded bytes on a non-BYTE_ARRAY column`);
        assert.deepEqual(
          size.definition_level_histogram?.map(Number),
          info.maxDef > 0 ? histogram(all.def, info.maxDef) : undefined,
          `${where}: chunk definition_level_histogram`,
        );
        assert.deepEqual(
          size.repetition_level_histogram?.map(Number),
          info.maxRep > 0 ? histogram(all.rep, info.maxRep) : undefined,
          `${where}: chunk repetition_level_histogram`,
        );
      }

      if (!wantIndex) {
        assert.equal(chunk.offset_index_offset, undefined, `${where}: offset index written with pageIndex: false`);
        assert.equal(chunk.column_index_offset, undefined, `${where}: column index written with pageIndex: false`);
        continue;
      }
      // ---- OffsetIndex
      if (chunk.offset_index_offset === undefined || !chunk.offset_index_length) assert.fail(`${where}: no offset index`);
      const oiReader = reader(bytes, chunk.offset_index_offset);
      const oi: OffsetIndex = readOffsetIndex(oiReader);
      assert.equal(oiReader.offset - Number(chunk.offset_index_offset), chunk.offset_index_length, `${where}: offset_index_length`);
      const locs = oi.page_locations;
      assert.ok(locs.length >= 1, `${where}: no pages`);
      assert.equal(Number(locs[0]!.offset), Number(meta.data_page_offset), `${where}: first page at data_page_offset`);
      const chunkStart = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const last = locs[locs.length - 1]!;
      assert.equal(Number(last.offset) + last.compressed_page_size, chunkStart + Number(meta.total_compressed_size), `${where}: pages end at the chunk end`);
      const pages: PageRows[] = locs.map((l, i) => ({
        first: Number(l.first_row_index),
        end: i + 1 < locs.length ? Number(locs[i + 1]!.first_row_index) : groupRows,
      }));
      assert.equal(pages[0]!.first, 0, `${where}: first_row_index of page 0`);
      for (let i = 0; i < locs.length; i++) {
        const l = locs[i]!;
        const pr = pages[i]!;
        assert.ok(pr.end > pr.first, `${where}: page ${i} has no rows (${pr.first}..${pr.end})`);
        assert.ok(pr.end - pr.first <= (options.dataPageRowLimit ?? 20_000), `${where}: page ${i} has ${pr.end - pr.first} rows`);
        if (i + 1 < locs.length) assert.equal(Number(l.offset) + l.compressed_page_size, Number(locs[i + 1]!.offset), `${where}: page ${i} contiguous`);
        const { header, length } = pageHeaderAt(bytes, Number(l.offset));
        assert.equal(length + (header.field_3 as number), l.compressed_page_size, `${where}: page ${i} size = header + compressed_page_size`);
        const lv = levels(pr.first, pr.end);
        const nulls = lv.def.filter((d) => d < info.maxDef).length;
        if ((options.pageVersion ?? 1) === 2) {
          assert.equal(header.field_1, 3, `${where}: page ${i} is DATA_PAGE_V2`);
          const h2 = header.field_8 as Record<string, number>;
          assert.equal(h2.field_1, lv.def.length, `${where}: page ${i} v2 num_values`);
          assert.equal(h2.field_2, nulls, `${where}: page ${i} v2 num_nulls`);
          assert.equal(h2.field_3, pr.end - pr.first, `${where}: page ${i} v2 num_rows`);
        } else {
          assert.equal(header.field_1, 0, `${where}: page ${i} is DATA_PAGE`);
          assert.equal((header.field_5 as Record<string, number>).field_1, lv.def.length, `${where}: page ${i} num_values`);
        }
      }
      pagesSeen += locs.length;
      const pageSlots = pages.map((pr) => slots(pr.first, pr.end));
      if (p === 'BYTE_ARRAY') {
        assert.deepEqual(oi.unencoded_byte_array_data_bytes?.map(Number), pageSlots.map(byteArrayBytes), `${where}: OffsetIndex unencoded bytes`);
      } else assert.equal(oi.unencoded_byte_array_data_bytes, undefined, `${where}: OffsetIndex unencoded bytes on ${p}`);

      // ---- ColumnIndex
      const values = pageSlots.map((s) => s.filter((c): c is Canon => c !== null));
      const allNaNPage = values.some((v) => v.length > 0 && v.every(isNaNCanon));
      const wantColumnIndex = options.statistics !== false && p !== 'INT96' && !allNaNPage;
      if (!wantColumnIndex) {
        assert.equal(chunk.column_index_offset, undefined, `${where}: unexpected column index`);
        continue;
      }
      if (chunk.column_index_offset === undefined || !chunk.column_index_length) assert.fail(`${where}: no column index`);
      const ciReader = reader(bytes, chunk.column_index_offset);
      const ci: ColumnIndex = readColumnIndex(ciReader, RAW, { stringFromBytes: (b: Uint8Array) => b } as never);
      assert.equal(ciReader.offset - Number(chunk.column_index_offset), chunk.column_index_length, `${where}: column_index_length`);
      columnIndexes++;
      assert.deepEqual(
        ci.null_pages,
        values.map((v) => v.length === 0),
        `${where}: null_pages`,
      );
      assert.deepEqual(
        ci.null_counts?.map(Number),
        pageSlots.map((s) => s.filter((c) => c === null).length),
        `${where}: null_counts`,
      );
      const defH = info.maxDef > 0 ? pages.flatMap((pr) => histogram(levels(pr.first, pr.end).def, info.maxDef)) : undefined;
      const repH = info.maxRep > 0 ? pages.flatMap((pr) => histogram(levels(pr.first, pr.end).rep, info.maxRep)) : undefined;
      assert.deepEqual(ci.definition_level_histograms?.map(Number), defH, `${where}: definition_level_histograms`);
      assert.deepEqual(ci.repetition_level_histograms?.map(Number), repH, `${where}: repetition_level_histograms`);
      for (let i = 0; i < pages.length; i++) {
        const pw = `${where}, page ${i}`;
        const min = ci.min_values[i] as Uint8Array;
        const max = ci.max_values[i] as Uint8Array;
        if (values[i]!.length === 0) {
          assert.equal(min.length, 0, `${pw}: null page min`);
          assert.equal(max.length, 0, `${pw}: null page max`);
          continue;
        }
        const e = expectedStats(info.spec, pageSlots[i]!);
        if (isTruncatable(info.spec) && limit > 0 && e.minBytes!.length > limit) {
          assert.ok(min.length <= limit, `${pw}: truncated min is ${min.length} bytes > ${limit}`);
          assert.deepEqual(min, e.minBytes!.subarray(0, min.length), `${pw}: truncated min must be a prefix of ${String(e.min)}`);
        } else assert.equal(rawStat(p, min), e.min, `${pw}: min`);
        if (isTruncatable(info.spec) && limit > 0 && e.maxBytes!.length > limit && hex(max) !== e.max) {
          assert.ok(max.length <= limit, `${pw}: truncated max is ${max.length} bytes > ${limit}`);
          assert.ok(compareBytes(max, e.maxBytes!) > 0, `${pw}: truncated max ${hex(max)} must exceed ${String(e.max)}`);
        } else assert.equal(rawStat(p, max), e.max, `${pw}: max`);
      }
      // Truncated text and binary bounds are ordered as written (truncation can reorder them).
      const written =
        isTruncatable(info.spec) && limit > 0
          ? expectedBoundaryOrderOfBytes(pages.map((_, i) => (ci.null_pages[i] ? undefined : [ci.min_values[i] as Uint8Array, ci.max_values[i] as Uint8Array])))
          : expectedBoundaryOrder(values);
      assert.equal(ci.boundary_order, written, `${where}: boundary_order`);
    }
    rowBase += groupRows;
  }
  assert.equal(rowBase, rows.length, 'rows in row groups');
  return { pages: pagesSeen, columnIndexes };
}

/** ASCENDING when page mins and maxes never decrease, DESCENDING when they never increase (null pages skipped). */
export function expectedBoundaryOrder(pageValues: readonly Canon[][]): 'ASCENDING' | 'DESCENDING' | 'UNORDERED' {
  const bounds = pageValues
    .filter((v) => v.length > 0)
    .map((v) => {
      const finite = v.filter((c) => !isNaNCanon(c));
      return {
        min: finite.reduce((a, b) => (compareCanon(b, a) < 0 ? b : a)),
        max: finite.reduce((a, b) => (compareCanon(b, a) > 0 ? b : a)),
      };
    });
  return orderOf(bounds, compareCanon);
}

/** expectedBoundaryOrder over byte bounds as written ([min, max] per page, undefined for a null page). */
export function expectedBoundaryOrderOfBytes(pageBounds: readonly ([Uint8Array, Uint8Array] | undefined)[]): 'ASCENDING' | 'DESCENDING' | 'UNORDERED' {
  return orderOf(
    pageBounds.filter((b) => b !== undefined).map(([min, max]) => ({ min, max })),
    compareBytes,
  );
}

function orderOf<T>(bounds: readonly { min: T; max: T }[], compare: (a: T, b: T) => number): 'ASCENDING' | 'DESCENDING' | 'UNORDERED' {
  let asc = true;
  let desc = true;
  for (let i = 1; i < bounds.length; i++) {
    const dMin = compare(bounds[i]!.min, bounds[i - 1]!.min);
    const dMax = compare(bounds[i]!.max, bounds[i - 1]!.max);
    if (dMin < 0 || dMax < 0) asc = false;
    if (dMin > 0 || dMax > 0) desc = false;
  }
  return asc ? 'ASCENDING' : desc ? 'DESCENDING' : 'UNORDERED';
}

// ---- PLAIN encoding of canonical values (what BloomFilter.md hashes) -------------------

function twos(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let u = BigInt.asUintN(8 * length, v);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

function minimalTwos(v: bigint): Uint8Array {
  let n = 1;
  while (v >= 2n ** BigInt(8 * n - 1) || v < -(2n ** BigInt(8 * n - 1))) n++;
  return twos(v, n);
}

/** The PLAIN bytes of one value (byte arrays without their length prefix). */
export function plainBytes(spec: PrimitiveTypeSpec, c: Canon): Uint8Array {
  const p = physicalOf(spec);
  const out = (n: number): [Uint8Array, DataView] => {
    const b = new Uint8Array(n);
    return [b, new DataView(b.buffer)];
  };
  if (spec.type === 'decimal') {
    const v = c.v as bigint;
    const phys = decimalPhysical(spec);
    if (phys === 'fixed') return twos(v, decimalByteLength(spec.precision));
    if (phys === 'binary') return minimalTwos(v);
  }
  switch (p) {
    case 'BOOLEAN':
      return Uint8Array.of(c.v ? 1 : 0);
    case 'INT32': {
      const [b, dv] = out(4);
      dv.setInt32(0, Number(BigInt.asIntN(32, c.v as bigint)), true);
      return b;
    }
    case 'INT64': {
      const [b, dv] = out(8);
      dv.setBigInt64(0, BigInt.asIntN(64, c.v as bigint), true);
      return b;
    }
    case 'FLOAT': {
      const [b, dv] = out(4);
      dv.setFloat32(0, c.v as number, true);
      return b;
    }
    case 'DOUBLE': {
      const [b, dv] = out(8);
      dv.setFloat64(0, c.v as number, true);
      return b;
    }
    case 'INT96': {
      const ns = c.v as bigint;
      const perDay = 86_400_000_000_000n;
      let day = ns / perDay;
      if (ns % perDay !== 0n && ns < 0n) day -= 1n;
      const [b, dv] = out(12);
      dv.setBigInt64(0, ns - day * perDay, true);
      dv.setInt32(8, Number(day + 2_440_588n), true);
      return b;
    }
    default:
      if (c.k === 'half') return Uint8Array.of(c.bits & 0xff, c.bits >> 8);
      if (c.k === 'text') return c.bytes;
      return c.v as Uint8Array;
  }
}

/** Columns with a bloom filter: each one's filter holds every value of its row group (hyparquet's decoder and xxhash64). */
export function checkBloomFilters(
  fields: readonly FieldSpec[],
  rows: readonly Record<string, unknown>[],
  bytes: Uint8Array,
  bloomPaths: ReadonlySet<string>,
  md: FileMetaData = fileMetadata(bytes),
): number {
  const infos = leafLevelInfo(fields);
  let checked = 0;
  let rowBase = 0;
  for (let g = 0; g < md.row_groups.length; g++) {
    const rg = md.row_groups[g]!;
    const groupRows = Number(rg.num_rows);
    const slots = leafSlots(fields, rows.slice(rowBase, rowBase + groupRows));
    for (let k = 0; k < infos.length; k++) {
      const info = infos[k]!;
      const meta = rg.columns[k]!.meta_data!;
      const where = `row group ${g}, column ${info.path}`;
      if (!bloomPaths.has(info.path)) {
        assert.equal(meta.bloom_filter_offset, undefined, `${where}: unexpected bloom filter`);
        continue;
      }
      if (meta.bloom_filter_offset === undefined || !meta.bloom_filter_length) assert.fail(`${where}: bloom filter missing`);
      const r = reader(bytes, meta.bloom_filter_offset);
      const filter = readBloomFilter(r);
      if (!filter) assert.fail(`${where}: hyparquet cannot use the bloom filter header`);
      assert.equal(r.offset - Number(meta.bloom_filter_offset), meta.bloom_filter_length, `${where}: bloom_filter_length`);
      for (const c of slots[k]!) {
        if (c === null) continue;
        const h = xxhash64(plainBytes(info.spec, c));
        assert.ok(sbbfContains(filter.blocks, h), `${where}: value ${hex(plainBytes(info.spec, c))} not in the bloom filter`);
        checked++;
      }
    }
    rowBase += groupRows;
  }
  return checked;
}
