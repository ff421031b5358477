/**
 * Column chunk rules of the conformance check: the pages found by walking the chunk's bytes
 * (layout offsets and sizes, CRCs, encodings), the counts they state against the chunk's
 * metadata and the values a reader returned, and the chunk and page-header statistics.
 */
import type { Findings } from './conformance-rules.js';
import { crc32 } from './crc32.js';
import { PageKind, PhysicalType, parsePageHeader, type Chunk, type LeafInfo, type PageHeaderMeta, type RowGroupMeta } from './footer-parse.js';
import type { LeafColumnRead } from './python-readers.js';
import { checkStatistics } from './conformance-stats.js';
import { readerKey, sortOrderOf, type SortKey, type SortOrder } from './sort-order.js';

/** parquet.thrift `enum Encoding`: RLE. */
const RLE = 3;

/** One data page as found in the file, with what the reader's values say about it. */
export interface PageFacts {
  offset: number;
  headerLength: number;
  header: PageHeaderMeta;
  numValues: number;
  /** Level entries of the chunk before this page. */
  levelStart: number;
  /** Set when the page starts and ends at row boundaries of the values read back. */
  firstRow?: number;
  rows?: number;
  /** Non-null values of the page (keys in the column order; empty keys when it has none). */
  values?: SortKey[];
  nonNull?: number;
  nulls?: number;
  /** Bytes of the page's BYTE_ARRAY values, lengths excluded. */
  byteArrayBytes?: number;
}

export interface ChunkFacts {
  where: string;
  /** Pages of the chunk (dictionary page included), and how many of them carry a CRC. */
  allPages: number;
  pagesWithCrc: number;
  leaf: LeafInfo;
  order: SortOrder;
  chunk: Chunk;
  rowGroupRows: number;
  pages: PageFacts[];
  /** Set when a reader's values are known: all non-null values of the chunk. */
  values?: SortKey[];
  nonNull?: number;
  byteArrayBytes?: number;
}

const dataPageValues = (h: PageHeaderMeta): number | undefined => h.v1?.numValues ?? h.v2?.numValues;

interface FoundPage {
  offset: number;
  headerLength: number;
  header: PageHeaderMeta;
}

/** Walks the chunk's pages (dictionary page included) from its first byte to total_compressed_size, checking layout and CRCs. */
function walkPages(f: Findings, where: string, bytes: Uint8Array, footerStart: number, c: Chunk, leaf: LeafInfo): FoundPage[] {
  const m = c.meta!;
  const start = Number(m.dictionaryPageOffset ?? m.dataPageOffset);
  const end = start + Number(m.totalCompressedSize);
  const pages: FoundPage[] = [];
  if (!f.expect(start >= 4 && end <= footerStart, 'chunk-layout', where, () => `chunk bytes ${start}..${end} outside the data (4..${footerStart})`))
    return pages;
  let at = start;
  let uncompressed = 0;
  const encodings = new Set(m.encodings);
  while (at < end) {
    let parsed: ReturnType<typeof parsePageHeader>;
    try {
      parsed = parsePageHeader(bytes, at);
    } catch (err) {
      f.fail('chunk-layout', where, `no page header at ${at}: ${(err as Error).message}`);
      return pages;
    }
    const { header, length } = parsed;
    const bodyEnd = at + length + header.compressedPageSize;
    if (!f.expect(bodyEnd <= end, 'chunk-layout', where, () => `page at ${at} ends at ${bodyEnd}, past the chunk end ${end}`)) return pages;
    if (header.crc !== undefined) {
      const body = bytes.subarray(at + length, bodyEnd);
      f.expect((crc32(body) | 0) === header.crc, 'page-crc', `${where}, page at ${at}`, () => `crc ${header.crc} but the page's CRC32 is ${crc32(body) | 0}`);
    }
    if (header.type === PageKind.DICTIONARY_PAGE) {
      f.expect(
        pages.length === 0 && m.dictionaryPageOffset !== undefined && Number(m.dictionaryPageOffset) === at,
        'chunk-layout',
        where,
        () => `dictionary page at ${at} (dictionary_page_offset ${String(m.dictionaryPageOffset)}, ${pages.length} pages before it)`,
      );
      if (header.dictionary)
        f.expect(
          encodings.has(header.dictionary.encoding),
          'chunk-encodings',
          where,
          () => `dictionary page encoding ${header.dictionary!.encoding} not in ${[...encodings].join(',')}`,
        );
    } else {
      f.expect(
        header.type === PageKind.DATA_PAGE ? header.v1 !== undefined : header.type === PageKind.DATA_PAGE_V2 ? header.v2 !== undefined : true,
        'chunk-layout',
        where,
        () => `page at ${at} of type ${header.type} without its header`,
      );
      const encoding = header.v1?.encoding ?? header.v2?.encoding;
      if (encoding !== undefined)
        f.expect(encodings.has(encoding), 'chunk-encodings', where, () => `data page encoding ${encoding} not in ${[...encodings].join(',')}`);
      if (header.v1 && leaf.maxDef > 0)
        f.expect(encodings.has(header.v1.defEncoding), 'chunk-encodings', where, () => `definition level encoding ${header.v1!.defEncoding} not listed`);
      if (header.v1 && leaf.maxRep > 0)
        f.expect(encodings.has(header.v1.repEncoding), 'chunk-encodings', where, () => `repetition level encoding ${header.v1!.repEncoding} not listed`);
      if (header.v2 && (leaf.maxDef > 0 || leaf.maxRep > 0))
        f.expect(encodings.has(RLE), 'chunk-encodings', where, () => 'v2 levels are RLE, which is not listed');
    }
    pages.push({ offset: at, headerLength: length, header });
    uncompressed += length + header.uncompressedPageSize;
    at = bodyEnd;
  }
  const data = pages.filter((p) => p.header.type !== PageKind.DICTIONARY_PAGE);
  f.expect(
    m.dictionaryPageOffset === undefined || pages[0]?.header.type === PageKind.DICTIONARY_PAGE,
    'chunk-layout',
    where,
    () => `dictionary_page_offset ${String(m.dictionaryPageOffset)} but no dictionary page there`,
  );
  f.expect(
    data.length > 0 && data[0]!.offset === Number(m.dataPageOffset),
    'chunk-layout',
    where,
    () => `data_page_offset ${m.dataPageOffset}, first data page at ${String(data[0]?.offset)}`,
  );
  f.expect(
    BigInt(uncompressed) === m.totalUncompressedSize,
    'chunk-layout',
    where,
    () => `total_uncompressed_size ${m.totalUncompressedSize}, pages and headers hold ${uncompressed}`,
  );
  return pages;
}

/** Keys of a reader's values, or undefined when the column has no order to compare them in. */
function keysOf(order: SortOrder, vs: readonly unknown[]): SortKey[] {
  return order.kind === 'undefined' ? vs.map(() => 0n) : vs.map((v) => readerKey(order, v));
}

/** Ties pages to rows through the reader's level counts; row boundaries are where the prefix sums land. */
function attachReader(f: Findings, facts: ChunkFacts, read: LeafColumnRead): void {
  const { where, order, pages } = facts;
  const meta = facts.chunk.meta!;
  f.expect(read.levels.length === facts.rowGroupRows, 'row-counts', where, () => `num_rows ${facts.rowGroupRows}, ${read.levels.length} rows read back`);
  const rowAt = new Map<number, number>();
  let total = 0;
  for (let r = 0; r < read.levels.length; r++) {
    rowAt.set(total, r);
    total += read.levels[r]!;
  }
  rowAt.set(total, read.levels.length);
  f.expect(BigInt(total) === meta.numValues, 'num-values', where, () => `num_values ${meta.numValues}, ${total} level entries read back`);
  const bytesOf = (vs: readonly unknown[]): number => vs.reduce<number>((n, v) => n + (v as string).length / 2, 0);
  const all = read.values.flat();
  facts.values = keysOf(order, all);
  facts.nonNull = all.length;
  if (order.kind === 'bytes' && facts.leaf.element.type === PhysicalType.BYTE_ARRAY) facts.byteArrayBytes = bytesOf(all);
  if (meta.statistics?.nullCount !== undefined) {
    f.expect(
      meta.numValues - meta.statistics.nullCount === BigInt(all.length),
      'null-count',
      where,
      () => `num_values ${meta.numValues} - null_count ${meta.statistics!.nullCount}, but ${all.length} values read back`,
    );
  }
  for (const p of pages) {
    const r0 = rowAt.get(p.levelStart);
    const r1 = rowAt.get(p.levelStart + p.numValues);
    if (p.header.v2) {
      f.expect(
        r0 !== undefined && r1 !== undefined,
        'v2-row-boundary',
        `${where}, page at ${p.offset}`,
        () => 'a v2 page that does not start and end at row boundaries',
      );
    }
    if (r0 === undefined || r1 === undefined) continue;
    const vs = read.values.slice(r0, r1).flat();
    p.firstRow = r0;
    p.rows = r1 - r0;
    p.values = keysOf(order, vs);
    p.nonNull = vs.length;
    p.nulls = p.numValues - vs.length;
    if (facts.byteArrayBytes !== undefined) p.byteArrayBytes = bytesOf(vs);
    if (p.header.v2) {
      f.expect(
        p.header.v2.numRows === p.rows,
        'row-counts',
        `${where}, page at ${p.offset}`,
        () => `v2 num_rows ${p.header.v2!.numRows}, ${p.rows} rows in its levels`,
      );
      f.expect(
        p.header.v2.numNulls === p.nulls,
        'null-count',
        `${where}, page at ${p.offset}`,
        () => `v2 num_nulls ${p.header.v2!.numNulls}, ${p.nulls} nulls read back`,
      );
    }
  }
}

/** SizeStatistics of the chunk (parquet.thrift SizeStatistics). */
function checkSizeStatistics(f: Findings, facts: ChunkFacts): void {
  const { where, leaf } = facts;
  const meta = facts.chunk.meta!;
  const s = meta.sizeStatistics;
  if (!s) return;
  const byteArray = leaf.element.type === PhysicalType.BYTE_ARRAY;
  f.expect(
    byteArray || s.unencodedByteArrayDataBytes === undefined,
    'size-statistics',
    where,
    () => 'unencoded_byte_array_data_bytes on a non-BYTE_ARRAY column',
  );
  if (s.unencodedByteArrayDataBytes !== undefined && facts.byteArrayBytes !== undefined) {
    f.expect(
      s.unencodedByteArrayDataBytes === BigInt(facts.byteArrayBytes),
      'size-statistics',
      where,
      () => `unencoded_byte_array_data_bytes ${s.unencodedByteArrayDataBytes}, values hold ${facts.byteArrayBytes} bytes`,
    );
  }
  const sum = (h: readonly bigint[]): bigint => h.reduce((a, b) => a + b, 0n);
  const def = s.definitionLevelHistogram;
  if (def) {
    f.expect(def.length === leaf.maxDef + 1, 'size-statistics', where, () => `definition histogram of ${def.length} buckets for max level ${leaf.maxDef}`);
    f.expect(sum(def) === meta.numValues, 'size-statistics', where, () => `definition histogram sums to ${sum(def)}, num_values ${meta.numValues}`);
    if (facts.nonNull !== undefined)
      f.expect(
        def[leaf.maxDef] === BigInt(facts.nonNull),
        'size-statistics',
        where,
        () => `definition histogram holds ${String(def[leaf.maxDef])} non-null values, ${facts.nonNull} read back`,
      );
  }
  const rep = s.repetitionLevelHistogram;
  if (rep) {
    f.expect(rep.length === leaf.maxRep + 1, 'size-statistics', where, () => `repetition histogram of ${rep.length} buckets for max level ${leaf.maxRep}`);
    f.expect(sum(rep) === meta.numValues, 'size-statistics', where, () => `repetition histogram sums to ${sum(rep)}, num_values ${meta.numValues}`);
    f.expect(
      rep[0] === BigInt(facts.rowGroupRows),
      'size-statistics',
      where,
      () => `repetition histogram counts ${String(rep[0])} row starts, the group has ${facts.rowGroupRows} rows`,
    );
  }
}

/** Everything about one column chunk except its page index; returns the facts the page index checks use. */
export function checkChunk(
  f: Findings,
  where: string,
  bytes: Uint8Array,
  footerStart: number,
  leaf: LeafInfo,
  c: Chunk,
  rg: RowGroupMeta,
  read: LeafColumnRead | undefined,
): ChunkFacts | undefined {
  const m = c.meta;
  if (!f.expect(m !== undefined && c.filePath === undefined, 'chunk-layout', where, () => 'no ColumnMetaData, or the chunk is in another file'))
    return undefined;
  f.expect(
    m!.type === leaf.element.type && m!.path.join('.') === leaf.path.join('.'),
    'chunk-layout',
    where,
    () => `chunk ${m!.path.join('.')} of type ${m!.type} for schema leaf ${leaf.path.join('.')} of type ${String(leaf.element.type)}`,
  );
  const order = sortOrderOf(leaf.element);
  const found = walkPages(f, where, bytes, footerStart, c, leaf);
  const pages: PageFacts[] = [];
  let levels = 0;
  for (const p of found.filter((x) => x.header.type !== PageKind.DICTIONARY_PAGE)) {
    const n = dataPageValues(p.header) ?? 0;
    pages.push({ ...p, numValues: n, levelStart: levels });
    levels += n;
  }
  f.expect(BigInt(levels) === m!.numValues, 'num-values', where, () => `num_values ${m!.numValues}, data pages hold ${levels}`);
  const facts: ChunkFacts = {
    where,
    leaf,
    order,
    chunk: c,
    rowGroupRows: Number(rg.numRows),
    pages,
    allPages: found.length,
    pagesWithCrc: found.filter((p) => p.header.crc !== undefined).length,
  };
  if (pages.every((p) => p.header.v2)) {
    const rows = pages.reduce((n, p) => n + p.header.v2!.numRows, 0);
    f.expect(BigInt(rows) === rg.numRows, 'row-counts', where, () => `v2 pages hold ${rows} rows, the group ${rg.numRows}`);
    if (m!.statistics?.nullCount !== undefined) {
      const nulls = pages.reduce((n, p) => n + p.header.v2!.numNulls, 0);
      f.expect(BigInt(nulls) === m!.statistics.nullCount, 'null-count', where, () => `null_count ${m!.statistics!.nullCount}, v2 pages count ${nulls} nulls`);
    }
  }
  if (read) attachReader(f, facts, read);
  if (m!.statistics) {
    const nulls = facts.nonNull === undefined ? undefined : Number(m!.numValues) - facts.nonNull;
    checkStatistics(f, `${where}, chunk statistics`, leaf.element, order, m!.statistics, { values: facts.values, nulls, numValues: Number(m!.numValues) });
  }
  for (const p of pages) {
    const s = p.header.v1?.statistics ?? p.header.v2?.statistics;
    if (s) checkStatistics(f, `${where}, page at ${p.offset} statistics`, leaf.element, order, s, { values: p.values, nulls: p.nulls, numValues: p.numValues });
  }
  checkSizeStatistics(f, facts);
  return facts;
}
