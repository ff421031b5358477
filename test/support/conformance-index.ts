/**
 * Page index rules of the conformance check (PageIndex.md, parquet.thrift OffsetIndex and
 * ColumnIndex): where the index structs are, that the OffsetIndex names the pages actually in
 * the chunk, and that the ColumnIndex describes those pages and the values read back.
 */
import type { Findings } from './conformance-rules.js';
import type { ChunkFacts, PageFacts } from './conformance-chunk.js';
import { boundKeys, checkWithin } from './conformance-stats.js';
import { Boundary, PhysicalType, parseColumnIndex, parseOffsetIndex, type ColumnIndexMeta } from './footer-parse.js';
import { compareKeys, type SortKey } from './sort-order.js';

/** Parses the struct an offset/length pair points at, checking that it spans exactly that range. */
function located<T>(
  f: Findings,
  where: string,
  what: string,
  bytes: Uint8Array,
  footerStart: number,
  offset: bigint | undefined,
  length: number | undefined,
  parse: (bytes: Uint8Array, offset: number) => { index: T; length: number },
): T | undefined {
  if (offset === undefined && length === undefined) return undefined;
  if (
    !f.expect(
      offset !== undefined && length !== undefined && offset >= 4n && Number(offset) + length <= footerStart,
      'index-location',
      where,
      () => `${what} at ${String(offset)} (+${String(length)}) is not inside the file before the footer (${footerStart})`,
    )
  )
    return undefined;
  try {
    const r = parse(bytes, Number(offset));
    f.expect(r.length === length, 'index-location', where, () => `${what} spans ${r.length} bytes, ${String(length)} declared`);
    return r.index;
  } catch (err) {
    f.fail('index-location', where, `${what} does not decode: ${(err as Error).message}`);
    return undefined;
  }
}

function checkOffsetIndex(f: Findings, facts: ChunkFacts, bytes: Uint8Array, footerStart: number): void {
  const { where, pages, chunk } = facts;
  const oi = located(f, where, 'OffsetIndex', bytes, footerStart, chunk.offsetIndexOffset, chunk.offsetIndexLength, parseOffsetIndex);
  if (!oi) return;
  const locs = oi.pageLocations;
  if (!f.expect(locs.length === pages.length, 'offset-index', where, () => `${locs.length} page locations for ${pages.length} data pages`)) return;
  locs.forEach((l, i) => {
    const p = pages[i]!;
    const pw = `${where}, OffsetIndex page ${i}`;
    f.expect(l.offset === BigInt(p.offset), 'offset-index', pw, () => `offset ${l.offset}, the page is at ${p.offset}`);
    f.expect(
      l.compressedPageSize === p.headerLength + p.header.compressedPageSize,
      'offset-index',
      pw,
      () => `compressed_page_size ${l.compressedPageSize}, the page spans ${p.headerLength} + ${p.header.compressedPageSize}`,
    );
    if (i === 0) f.expect(l.firstRowIndex === 0n, 'offset-index', pw, () => `first_row_index ${l.firstRowIndex} of the first page`);
    else
      f.expect(
        l.firstRowIndex > locs[i - 1]!.firstRowIndex,
        'offset-index',
        pw,
        () => `first_row_index ${l.firstRowIndex} after ${locs[i - 1]!.firstRowIndex}`,
      );
    if (facts.values !== undefined) {
      f.expect(p.firstRow !== undefined && l.firstRowIndex === BigInt(p.firstRow), 'offset-index', pw, () =>
        p.firstRow === undefined ? 'the page does not begin at a row boundary' : `first_row_index ${l.firstRowIndex}, the page begins at row ${p.firstRow}`,
      );
    }
  });
  const unenc = oi.unencodedByteArrayDataBytes;
  if (unenc === undefined) return;
  f.expect(
    facts.leaf.element.type === PhysicalType.BYTE_ARRAY && unenc.length === pages.length,
    'size-statistics',
    where,
    () =>
      `OffsetIndex unencoded_byte_array_data_bytes (${unenc.length}) on ${facts.leaf.element.type === PhysicalType.BYTE_ARRAY ? `${pages.length} pages` : 'a non-BYTE_ARRAY column'}`,
  );
  const chunkTotal = chunk.meta?.sizeStatistics?.unencodedByteArrayDataBytes;
  if (chunkTotal !== undefined) {
    const sum = unenc.reduce((a, b) => a + b, 0n);
    f.expect(sum === chunkTotal, 'size-statistics', where, () => `OffsetIndex unencoded bytes sum to ${sum}, SizeStatistics says ${chunkTotal}`);
  }
  unenc.forEach((b, i) => {
    const known = pages[i]?.byteArrayBytes;
    if (known !== undefined)
      f.expect(b === BigInt(known), 'size-statistics', `${where}, OffsetIndex page ${i}`, () => `unencoded bytes ${b}, values hold ${known}`);
  });
}

/** True, false, or undefined (not known) for "the page holds no non-null value". */
function nullPage(p: PageFacts, ci: ColumnIndexMeta, i: number): boolean | undefined {
  if (p.nonNull !== undefined) return p.nonNull === 0;
  if (p.header.v2) return p.header.v2.numNulls === p.header.v2.numValues;
  const nulls = ci.nullCounts?.[i];
  return nulls === undefined ? undefined : nulls === BigInt(p.numValues);
}

function checkHistograms(f: Findings, facts: ChunkFacts, ci: ColumnIndexMeta): void {
  const { where, pages, leaf } = facts;
  const per = (h: readonly bigint[] | undefined, max: number, name: string): bigint[][] | undefined => {
    if (!h) return undefined;
    if (
      !f.expect(
        h.length === pages.length * (max + 1),
        'size-statistics',
        where,
        () => `${name} histograms hold ${h.length} counts for ${pages.length} pages of ${max + 1} buckets`,
      )
    )
      return undefined;
    return pages.map((_, i) => h.slice(i * (max + 1), (i + 1) * (max + 1)));
  };
  const def = per(ci.definitionLevelHistograms, leaf.maxDef, 'definition');
  const rep = per(ci.repetitionLevelHistograms, leaf.maxRep, 'repetition');
  const sum = (h: readonly bigint[]): bigint => h.reduce((a, b) => a + b, 0n);
  pages.forEach((p, i) => {
    const pw = `${where}, ColumnIndex page ${i}`;
    if (def) {
      f.expect(
        sum(def[i]!) === BigInt(p.numValues),
        'size-statistics',
        pw,
        () => `definition histogram sums to ${sum(def[i]!)}, the page holds ${p.numValues} values`,
      );
      if (p.nonNull !== undefined)
        f.expect(
          def[i]![leaf.maxDef] === BigInt(p.nonNull),
          'size-statistics',
          pw,
          () => `definition histogram holds ${String(def[i]![leaf.maxDef])} non-null values, ${p.nonNull} read back`,
        );
    }
    if (rep) {
      f.expect(
        sum(rep[i]!) === BigInt(p.numValues),
        'size-statistics',
        pw,
        () => `repetition histogram sums to ${sum(rep[i]!)}, the page holds ${p.numValues} values`,
      );
      if (p.rows !== undefined)
        f.expect(
          rep[i]![0] === BigInt(p.rows),
          'size-statistics',
          pw,
          () => `repetition histogram counts ${String(rep[i]![0])} row starts, the page has ${p.rows} rows`,
        );
    }
  });
}

function checkColumnIndex(f: Findings, facts: ChunkFacts, bytes: Uint8Array, footerStart: number): void {
  const { where, pages, chunk, order, leaf } = facts;
  const ci = located(f, where, 'ColumnIndex', bytes, footerStart, chunk.columnIndexOffset, chunk.columnIndexLength, parseColumnIndex);
  if (!ci) return;
  if (
    !f.expect(
      order.kind !== 'undefined',
      'stats-undefined-order',
      where,
      () => `a ColumnIndex for a column without a sort order (${order.kind === 'undefined' ? order.why : ''})`,
    )
  )
    return;
  const n = pages.length;
  if (
    !f.expect(
      ci.nullPages.length === n && ci.minValues.length === n && ci.maxValues.length === n && (ci.nullCounts?.length ?? n) === n,
      'column-index',
      where,
      () => `lists of ${ci.nullPages.length}/${ci.minValues.length}/${ci.maxValues.length}/${String(ci.nullCounts?.length)} entries for ${n} pages`,
    )
  )
    return;
  const floating = order.kind === 'float';
  f.expect(floating ? ci.nanCounts === undefined || ci.nanCounts.length === n : ci.nanCounts === undefined, 'nan-count', where, () =>
    floating ? `${String(ci.nanCounts?.length)} nan_counts for ${n} pages` : 'nan_counts on a non-floating column',
  );
  const bounds: ([SortKey, SortKey] | undefined)[] = [];
  pages.forEach((p, i) => {
    const pw = `${where}, ColumnIndex page ${i}`;
    const isNull = nullPage(p, ci, i);
    if (isNull !== undefined)
      f.expect(
        ci.nullPages[i] === isNull,
        'column-index',
        pw,
        () => `null_pages ${String(ci.nullPages[i])} for a page with ${isNull ? 'no' : 'some'} non-null values`,
      );
    const nulls = ci.nullCounts?.[i];
    if (nulls !== undefined && p.nulls !== undefined)
      f.expect(nulls === BigInt(p.nulls), 'null-count', pw, () => `null_counts ${nulls}, ${p.nulls} nulls read back`);
    if (nulls !== undefined && p.header.v2)
      f.expect(nulls === BigInt(p.header.v2.numNulls), 'null-count', pw, () => `null_counts ${nulls}, v2 num_nulls ${p.header.v2!.numNulls}`);
    const nans = p.values?.filter((v) => typeof v === 'number' && Number.isNaN(v)).length;
    if (floating && ci.nanCounts && nans !== undefined)
      f.expect(ci.nanCounts[i] === BigInt(nans), 'nan-count', pw, () => `nan_counts ${String(ci.nanCounts![i])} for ${nans} NaN values`);
    if (ci.nullPages[i]) {
      f.expect(ci.minValues[i]!.length === 0 && ci.maxValues[i]!.length === 0, 'column-index', pw, () => 'a null page with non-empty bounds');
      bounds.push(undefined);
      return;
    }
    if (floating && p.values && p.values.length > 0 && nans === p.values.length) {
      f.fail('float-minmax', pw, 'a ColumnIndex for a chunk with a page whose non-null values are all NaN');
    }
    const keys = boundKeys(f, pw, leaf.element, order, ci.minValues[i]!, ci.maxValues[i]!);
    bounds.push(keys);
    if (keys && p.values) checkWithin(f, pw, keys, p.values);
  });
  const chunkNulls = chunk.meta?.statistics?.nullCount;
  if (ci.nullCounts && chunkNulls !== undefined) {
    const sum = ci.nullCounts.reduce((a, b) => a + b, 0n);
    f.expect(sum === chunkNulls, 'null-count', where, () => `ColumnIndex null_counts sum to ${sum}, chunk null_count ${chunkNulls}`);
  }
  // boundary_order: ASCENDING/DESCENDING must hold for both lists over the non-null pages.
  const set = bounds.filter((b): b is [SortKey, SortKey] => b !== undefined);
  let asc = true;
  let desc = true;
  for (let i = 1; i < set.length; i++) {
    const dMin = compareKeys(set[i]![0], set[i - 1]![0]);
    const dMax = compareKeys(set[i]![1], set[i - 1]![1]);
    if (dMin < 0 || dMax < 0) asc = false;
    if (dMin > 0 || dMax > 0) desc = false;
  }
  if (ci.boundaryOrder === Boundary.ASCENDING) f.expect(asc, 'column-index', where, () => 'boundary_order ASCENDING, but the bounds are not');
  else if (ci.boundaryOrder === Boundary.DESCENDING) f.expect(desc, 'column-index', where, () => 'boundary_order DESCENDING, but the bounds are not');
  else f.expect(ci.boundaryOrder === Boundary.UNORDERED, 'column-index', where, () => `unknown boundary_order ${ci.boundaryOrder}`);
  checkHistograms(f, facts, ci);
}

export function checkPageIndex(f: Findings, facts: ChunkFacts, bytes: Uint8Array, footerStart: number): void {
  f.expect(
    facts.chunk.columnIndexOffset === undefined || facts.chunk.offsetIndexOffset !== undefined,
    'column-index',
    facts.where,
    () => 'a ColumnIndex without an OffsetIndex',
  );
  checkOffsetIndex(f, facts, bytes, footerStart);
  checkColumnIndex(f, facts, bytes, footerStart);
}
