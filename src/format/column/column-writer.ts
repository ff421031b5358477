import { ByteWriter } from '../../encoding/byte-writer.js';
import { bitWidth } from '../../encoding/bit-width.js';
import { encodeRleHybrid, encodeRleHybridWithLengthPrefix } from '../../encoding/rle-hybrid.js';
import type { Codec } from '../../codecs/codec.js';
import { COMPRESSION_CODEC_IDS } from '../../codecs/codec.js';
import {
  Encoding, PageType, type ColumnMetaData, type PageEncodingStats, type Statistics,
} from '../thrift/parquet-metadata.js';
import type { ColumnDescriptor } from '../schema/schema.js';
import { PageBuffer } from './page-buffer.js';
import { createDictionary, type Dictionary } from './dictionary.js';
import { computeStats, emptyStats, mergeStats, type ValueStats } from './statistics.js';
import { encodeStatistics } from './statistics-encode.js';
import { encodePlainValues } from './plain-values.js';
import { assembleDataPage, assembleDictionaryPage, type EncodedPage } from '../page/page-assembly.js';

export interface ColumnWriterOptions {
  pageVersion: 1 | 2;
  /** Cut a page once its plain-encoded values and levels reach this many bytes. */
  dataPageSize: number;
  /** Cut a page once it holds this many rows. */
  dataPageRowLimit: number;
  dictionary: boolean;
  /** Fall back to PLAIN once the dictionary page would pass this many bytes. */
  dictionaryPageSizeLimit: number;
  pageChecksum: boolean;
  statistics: boolean;
  statisticsTruncateLength: number;
}

/** What the page index (PageIndex.md) needs to know about each data page. */
export interface DataPageInfo {
  /** Offset of the page header from the start of the column chunk. */
  offsetInChunk: number;
  /** Header plus body bytes. */
  totalSize: number;
  firstRowIndex: number;
  rowCount: number;
  stats: ValueStats;
}

export interface FinishedChunk {
  /** Bytes to write, in order: dictionary page (if any) then data pages. */
  parts: Uint8Array[];
  metadata: ColumnMetaData;
  pages: DataPageInfo[];
  /** Bytes of `parts` in total. */
  size: number;
}

/**
 * Builds one column chunk at a time: the shredder fills `buffer`; full pages are encoded
 * (dictionary indices while the dictionary pays, PLAIN after it overflows), compressed and
 * kept until the row group ends, when `finish` emits the chunk with its ColumnMetaData.
 */
export class ColumnChunkWriter {
  readonly buffer: PageBuffer;
  private dictionary: Dictionary | undefined;
  private useDictionary: boolean;
  private readonly pages: EncodedPage[] = [];
  private readonly pageInfos: DataPageInfo[] = [];
  private pagesSize = 0;
  private chunkStats: ValueStats = emptyStats();
  private numValues = 0;
  private rowsInChunk = 0;
  private uncompressedSize = 0;
  private readonly encodingCounts = new Map<string, PageEncodingStats>();
  private readonly scratch = new ByteWriter(64 * 1024);
  private readonly levelScratch = new ByteWriter(4 * 1024);
  private indices = new Int32Array(1024);

  constructor(
    readonly descriptor: ColumnDescriptor,
    private readonly options: ColumnWriterOptions,
    private readonly codec: Codec,
  ) {
    const m = descriptor.mapping;
    this.buffer = new PageBuffer(m.makeStore(), descriptor.maxDefinitionLevel, descriptor.maxRepetitionLevel);
    this.useDictionary = options.dictionary;
    this.dictionary = this.newDictionary();
  }

  private newDictionary(): Dictionary | undefined {
    return this.useDictionary ? createDictionary(this.buffer.store.kind, this.descriptor.mapping.typeLength ?? 0) : undefined;
  }

  /** True once the open page has reached a size or row limit (checked between rows). */
  pageIsFull(): boolean {
    const b = this.buffer;
    return b.rowCount >= this.options.dataPageRowLimit || b.estimatedSize() >= this.options.dataPageSize;
  }

  /** Encoded bytes held for this chunk plus an estimate of the open page. */
  bufferedSize(): number {
    return this.pagesSize + (this.dictionary ? this.dictionary.byteSize() : 0) + this.buffer.estimatedSize();
  }

  flushPage(): void {
    const b = this.buffer;
    if (b.levelCount === 0) return;
    const m = this.descriptor.mapping;
    const stats = this.options.statistics ? computeStats(b.store, m.sortOrder, b.nullCount) : emptyStats();
    if (this.options.statistics) mergeStats(this.chunkStats, stats, m.sortOrder);

    const dict = this.dictionary;
    const values = this.scratch;
    values.reset();
    let encoding: Encoding;
    if (dict && this.useDictionary) {
      if (this.indices.length < b.store.count) this.indices = new Int32Array(b.store.count * 2);
      dict.indexPage(b.store, this.indices);
      // Encodings.md "Dictionary Encoding": 1-byte bit width, then RLE/bit-packed indices.
      const width = Math.max(1, bitWidth(dict.values.count - 1));
      values.writeU8(width);
      encodeRleHybrid(this.indices, b.store.count, width, values);
      encoding = Encoding.RLE_DICTIONARY;
    } else if (b.store.kind === 'boolean' && this.options.pageVersion === 2) {
      encodeRleHybridWithLengthPrefix(b.store.values, b.store.count, 1, values);
      encoding = Encoding.RLE;
    } else {
      encodePlainValues(b.store, values);
      encoding = Encoding.PLAIN;
    }

    const page = assembleDataPage({
      version: this.options.pageVersion,
      buffer: b,
      values: values.written(),
      encoding,
      statistics: this.options.statistics ? this.pageStatistics(stats) : undefined,
      codec: this.codec,
      checksum: this.options.pageChecksum,
      levelScratch: this.levelScratch,
    });
    this.pageInfos.push({
      offsetInChunk: this.pagesSize, totalSize: page.size, firstRowIndex: this.rowsInChunk, rowCount: b.rowCount, stats,
    });
    this.pages.push(page);
    this.pagesSize += page.size;
    this.uncompressedSize += page.uncompressedSize;
    this.numValues += b.levelCount;
    this.rowsInChunk += b.rowCount;
    this.countEncoding(this.options.pageVersion === 2 ? PageType.DATA_PAGE_V2 : PageType.DATA_PAGE, encoding);
    b.reset();

    // Encodings.md allows a chunk to switch from dictionary to PLAIN part-way; the pages
    // already written keep their dictionary encoding.
    if (dict && dict.byteSize() > this.options.dictionaryPageSizeLimit) this.useDictionary = false;
  }

  private pageStatistics(stats: ValueStats): Statistics {
    return encodeStatistics(stats, this.descriptor.mapping, this.options.statisticsTruncateLength);
  }

  private countEncoding(pageType: PageType, encoding: Encoding): void {
    const key = `${pageType}:${encoding}`;
    const entry = this.encodingCounts.get(key);
    if (entry) entry.count++;
    else this.encodingCounts.set(key, { page_type: pageType, encoding, count: 1 });
  }

  /**
   * Close the chunk: flush the open page, put the dictionary page first, and describe it
   * all in ColumnMetaData with offsets relative to `fileOffset`, where the chunk will start.
   */
  finish(fileOffset: number): FinishedChunk {
    this.flushPage();
    const m = this.descriptor.mapping;
    const parts: Uint8Array[] = [];
    let size = 0;
    let uncompressed = this.uncompressedSize;
    let dictionaryPageOffset: number | undefined;
    const encodings = new Set<Encoding>();
    let distinctCount: number | undefined;
    const dict = this.dictionary;
    const dictionaryUsed = dict !== undefined && [...this.encodingCounts.values()].some((e) => e.encoding === Encoding.RLE_DICTIONARY);
    if (dict && dictionaryUsed) {
      this.scratch.reset();
      encodePlainValues(dict.values, this.scratch);
      const page = assembleDictionaryPage(this.scratch.written(), dict.values.count, this.codec, this.options.pageChecksum);
      parts.push(...page.parts);
      size += page.size;
      uncompressed += page.uncompressedSize;
      dictionaryPageOffset = fileOffset;
      encodings.add(Encoding.PLAIN);
      this.countEncoding(PageType.DICTIONARY_PAGE, Encoding.PLAIN);
      // Every value of the chunk went through the dictionary only if no page fell back.
      if (this.useDictionary) distinctCount = dict.values.count;
    }
    const dataPageOffset = fileOffset + size;
    for (const page of this.pages) {
      parts.push(...page.parts);
      size += page.size;
    }
    for (const e of this.encodingCounts.values()) encodings.add(e.encoding);
    if (this.descriptor.maxDefinitionLevel > 0 || this.descriptor.maxRepetitionLevel > 0) encodings.add(Encoding.RLE);

    const metadata: ColumnMetaData = {
      type: m.physicalType,
      encodings: [...encodings].sort((a, b) => a - b),
      path_in_schema: this.descriptor.path,
      codec: COMPRESSION_CODEC_IDS[this.codec.name] as ColumnMetaData['codec'],
      num_values: this.numValues,
      total_uncompressed_size: uncompressed,
      total_compressed_size: size,
      data_page_offset: dataPageOffset,
      dictionary_page_offset: dictionaryPageOffset,
      statistics: this.options.statistics
        ? encodeStatistics(this.chunkStats, m, this.options.statisticsTruncateLength, distinctCount)
        : undefined,
      encoding_stats: [...this.encodingCounts.values()].sort((a, b) => a.page_type - b.page_type || a.encoding - b.encoding),
    };
    const pages = this.pageInfos.map((p) => ({ ...p, offsetInChunk: p.offsetInChunk + (dataPageOffset - fileOffset) }));
    this.resetChunk();
    return { parts, metadata, pages, size };
  }

  private resetChunk(): void {
    this.pages.length = 0;
    this.pageInfos.length = 0;
    this.pagesSize = 0;
    this.chunkStats = emptyStats();
    this.numValues = 0;
    this.rowsInChunk = 0;
    this.uncompressedSize = 0;
    this.encodingCounts.clear();
    this.useDictionary = this.options.dictionary;
    this.dictionary = this.newDictionary();
  }
}
