import { ByteWriter } from '../../encoding/byte-writer.js';
import type { Codec } from '../../codecs/codec.js';
import { COMPRESSION_CODEC_IDS } from '../../codecs/codec.js';
import { Encoding, PageType, type ColumnMetaData, type PageEncodingStats, type SizeStatistics, type Statistics } from '../thrift/parquet-metadata.js';
import type { ColumnDescriptor } from '../schema/schema.js';
import { PageBuffer } from './page-buffer.js';
import { ChunkDictionary } from './chunk-dictionary.js';
import { computeStats, emptyStats, mergeStats, type ValueStats } from './statistics.js';
import { encodeStatistics } from './statistics-encode.js';
import { encodePlainValues } from './plain-values.js';
import { autoFallback, encodeValues, type EncodingChoice, type ValueEncodingName } from './value-encoding.js';
import { assembleDataPage, assembleDictionaryPage, type PageOutput } from '../page/page-assembly.js';
import { ChunkBytes } from '../page/chunk-bytes.js';
import { LevelHistogram } from './level-histogram.js';
import { DictionaryStats } from './dictionary-stats.js';

export interface ColumnWriterOptions {
  pageVersion: 1 | 2;
  /** Cut a page once its plain-encoded values and levels reach this many bytes. */
  dataPageSize: number;
  /** Cut a page once it holds this many rows. */
  dataPageRowLimit: number;
  /** auto, dictionary, or one fixed value encoding (see value-encoding.ts). */
  encoding: EncodingChoice;
  /** False turns dictionary encoding off (auto then starts with its fallback). */
  dictionary: boolean;
  /** Fall back from the dictionary once its page would pass this many bytes. */
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
  /** True when the page holds no non-null value (PageIndex.md null_pages). */
  nullPage: boolean;
  defHistogram: number[] | undefined;
  repHistogram: number[] | undefined;
  unencodedByteArrayBytes: number | undefined;
}

export interface FinishedChunk {
  /** Bytes to write, in order: dictionary page (if any) then data pages. */
  parts: Uint8Array[];
  metadata: ColumnMetaData;
  pages: DataPageInfo[];
  /** Bytes of `parts` in total. */
  size: number;
  /** Chunk statistics (for the bloom filter's and page index's callers). */
  stats: ValueStats;
}

/** An empty open page for the column's values and levels. */
export function newPageBuffer(descriptor: ColumnDescriptor): PageBuffer {
  return new PageBuffer(descriptor.mapping.makeStore(), descriptor.maxDefinitionLevel, descriptor.maxRepetitionLevel);
}

/** The rule that cuts data pages: a page is full at the row limit or once its plain size reaches dataPageSize. */
export function pageIsFull(b: PageBuffer, limits: Pick<ColumnWriterOptions, 'dataPageRowLimit' | 'dataPageSize'>): boolean {
  return b.rowCount >= limits.dataPageRowLimit || b.estimatedSize() >= limits.dataPageSize;
}

/**
 * Builds one column chunk at a time: the shredder fills `buffer`; full pages are encoded
 * (dictionary indices while the dictionary pays, then the fallback encoding), compressed
 * and kept until the row group ends, when `finish` emits the chunk with its ColumnMetaData.
 */
export class ColumnChunkWriter {
  readonly buffer: PageBuffer;
  private readonly dictionary: ChunkDictionary;
  private fallback: ValueEncodingName | undefined;
  /** The chunk's data pages as encoded, and its dictionary page once finished (see ChunkBytes). */
  private readonly dataPages: PageOutput = { bytes: new ChunkBytes(), header: new ByteWriter(128) };
  private readonly dictionaryPage: PageOutput = { bytes: new ChunkBytes(), header: this.dataPages.header };
  private readonly pageInfos: DataPageInfo[] = [];
  private pagesSize = 0;
  private chunkStats: ValueStats = emptyStats();
  private numValues = 0;
  private rowsInChunk = 0;
  private uncompressedSize = 0;
  private readonly encodingCounts = new Map<string, PageEncodingStats>();
  private readonly scratch = new ByteWriter(1024);
  private readonly levelScratch = new ByteWriter(256);
  private readonly dictionaryStats = new DictionaryStats();
  private readonly defHistogram: LevelHistogram | undefined;
  private readonly repHistogram: LevelHistogram | undefined;
  private unencodedBytes = 0;
  /** Called with every page's values before encoding (bloom filters hook in here). */
  onPageValues: ((page: PageBuffer) => void) | undefined;

  /** `buffer`: the open page to encode from (by default a new one; see newPageBuffer). */
  constructor(
    readonly descriptor: ColumnDescriptor,
    private options: ColumnWriterOptions,
    private readonly codec: Codec,
    buffer?: PageBuffer,
  ) {
    this.buffer = buffer ?? newPageBuffer(descriptor);
    this.defHistogram = descriptor.maxDefinitionLevel > 0 ? new LevelHistogram(descriptor.maxDefinitionLevel) : undefined;
    this.repHistogram = descriptor.maxRepetitionLevel > 0 ? new LevelHistogram(descriptor.maxRepetitionLevel) : undefined;
    this.dictionary = new ChunkDictionary(this.buffer.store.kind, descriptor.mapping.typeLength ?? 0, {
      auto: options.encoding === 'auto',
      pageSizeLimit: options.dictionaryPageSizeLimit,
    });
    this.startChunk();
  }

  /**
   * Settings for the chunks from now on (a writer reset for its next file). Called between
   * chunks only: the page buffer and scratch space stay, as they are between row groups.
   */
  configure(options: ColumnWriterOptions): void {
    this.options = options;
    this.dictionary.configure({ auto: options.encoding === 'auto', pageSizeLimit: options.dictionaryPageSizeLimit });
    this.startChunk();
  }

  private startChunk(): void {
    const choice = this.options.encoding;
    const wantsDictionary = choice === 'auto' || choice === 'dictionary';
    this.dictionary.startChunk(this.options.dictionary && wantsDictionary);
    this.fallback = wantsDictionary ? undefined : choice;
  }

  /** Look the open page's new values up in the dictionary while they are in cache (ChunkDictionary.indexAhead). */
  indexAhead(): void {
    this.dictionary.indexAhead(this.buffer.store);
  }

  /** True once the open page has reached a size or row limit (checked between rows). */
  pageIsFull(): boolean {
    return pageIsFull(this.buffer, this.options);
  }

  /** True while pages still go through the dictionary (it can only grow then); parallel encoding bounds sizes with it. */
  get dictionaryGrowing(): boolean {
    return this.dictionary.growing;
  }

  /** Encoded bytes held for this chunk plus an estimate of the open page. */
  bufferedSize(): number {
    return this.pagesSize + this.dictionary.byteSize() + this.buffer.estimatedSize();
  }

  flushPage(): void {
    const b = this.buffer;
    if (b.levelCount === 0) return;
    const m = this.descriptor.mapping;
    const values = this.scratch;
    values.reset();
    let encoding: Encoding | undefined;
    const dict = this.dictionary;
    if (b.store.count === 0) encoding = this.encodeEmptyPage(values);
    else if (dict.encodePage(b.store, values)) encoding = Encoding.RLE_DICTIONARY;
    const dictionaryEncoded = encoding === Encoding.RLE_DICTIONARY && b.store.count > 0;
    if (encoding === undefined) {
      if (b.store.kind === 'bytes') b.store.materialize();
      this.fallback ??=
        this.options.encoding === 'dictionary'
          ? m.physicalType === 0 && this.options.pageVersion === 2
            ? 'RLE'
            : 'PLAIN'
          : autoFallback(b.store, m, this.codec.name !== 'UNCOMPRESSED', this.options.pageVersion, this.descriptor.path.length > 1);
      values.reset();
      encoding = encodeValues(b.store, this.fallback, values);
    }
    const stats = this.pageStats(dictionaryEncoded);
    if (this.onPageValues) {
      if (b.store.kind === 'bytes') b.store.materialize();
      this.onPageValues(b);
    }

    const page = assembleDataPage(
      {
        version: this.options.pageVersion,
        buffer: b,
        values: values.written(),
        encoding,
        statistics: this.options.statistics ? this.pageStatistics(stats) : undefined,
        codec: this.codec,
        checksum: this.options.pageChecksum,
        levelScratch: this.levelScratch,
      },
      this.dataPages,
    );
    // SizeStatistics.unencoded_byte_array_data_bytes: the values' bytes without length
    // prefixes; a dictionary-encoded page's strings may never have been encoded.
    let unencoded: number | undefined;
    if (b.store.kind === 'bytes') {
      unencoded = dictionaryEncoded ? dict.pagePlainSize(b.store.count) - 4 * b.store.count : b.store.data.length;
    }
    if (unencoded !== undefined) this.unencodedBytes += unencoded;
    this.pageInfos.push({
      offsetInChunk: this.pagesSize,
      totalSize: page.size,
      firstRowIndex: this.rowsInChunk,
      rowCount: b.rowCount,
      stats,
      nullPage: b.store.count === 0,
      defHistogram: this.defHistogram?.addPage(b.defLevels, b.levelCount),
      repHistogram: this.repHistogram?.addPage(b.repLevels, b.levelCount),
      unencodedByteArrayBytes: unencoded,
    });
    this.pagesSize += page.size;
    this.uncompressedSize += page.uncompressedSize;
    this.numValues += b.levelCount;
    this.rowsInChunk += b.rowCount;
    this.countEncoding(this.options.pageVersion === 2 ? PageType.DATA_PAGE_V2 : PageType.DATA_PAGE, encoding);
    dict.pageDone(encoding === Encoding.RLE_DICTIONARY);
    b.reset();
  }

  /**
   * A page without values (all nulls, empty lists) keeps the chunk's encoding, as other
   * writers do (polars 1.44 panics on a PLAIN page inside a DELTA_BINARY_PACKED or
   * BYTE_STREAM_SPLIT chunk), with two exceptions written PLAIN: before any value the
   * dictionary is empty (no empty dictionary page for an all-null chunk), and DELTA byte
   * array pages with no values make polars 1.44 panic.
   */
  private encodeEmptyPage(out: ByteWriter): Encoding {
    if (this.dictionary.encodeEmptyPage(out)) return Encoding.RLE_DICTIONARY;
    const chunkEncoding = this.fallback;
    if (chunkEncoding && chunkEncoding !== 'DELTA_LENGTH_BYTE_ARRAY' && chunkEncoding !== 'DELTA_BYTE_ARRAY') {
      return encodeValues(this.buffer.store, chunkEncoding, out);
    }
    return encodeValues(this.buffer.store, 'PLAIN', out);
  }

  /** Page statistics; byte arrays of a dictionary page are compared once per distinct entry. */
  private pageStats(dictionaryEncoded: boolean): ValueStats {
    if (!this.options.statistics) return emptyStats();
    const b = this.buffer;
    const order = this.descriptor.mapping.sortOrder;
    const entries = dictionaryEncoded ? this.dictionary.entries : undefined;
    const stats =
      entries && (entries.kind === 'bytes' || entries.kind === 'fixed') && (order === 'bytes' || order === 'decimal-bytes')
        ? this.dictionaryStats.compute(entries, this.dictionary.pageIndices, b.store.count, order, b.nullCount)
        : computeStats(b.store, order, b.nullCount);
    mergeStats(this.chunkStats, stats, order);
    return stats;
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
    const entries = this.dictionary.writtenEntries;
    if (entries) {
      this.scratch.reset();
      encodePlainValues(entries, this.scratch);
      const page = assembleDictionaryPage(this.scratch.written(), entries.count, this.codec, this.options.pageChecksum, this.dictionaryPage);
      parts.push(...this.dictionaryPage.bytes.take());
      size += page.size;
      uncompressed += page.uncompressedSize;
      dictionaryPageOffset = fileOffset;
      encodings.add(Encoding.PLAIN);
      this.countEncoding(PageType.DICTIONARY_PAGE, Encoding.PLAIN);
      // Every value of the chunk went through the dictionary only if no page fell back.
      if (this.fallback === undefined) distinctCount = entries.count;
    }
    const dataPageOffset = fileOffset + size;
    size += this.dataPages.bytes.length;
    parts.push(...this.dataPages.bytes.take());
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
      statistics: this.options.statistics ? encodeStatistics(this.chunkStats, m, this.options.statisticsTruncateLength, distinctCount) : undefined,
      encoding_stats: [...this.encodingCounts.values()].sort((a, b) => a.page_type - b.page_type || a.encoding - b.encoding),
      size_statistics: this.sizeStatistics(),
    };
    const pages = this.pageInfos.map((p) => ({ ...p, offsetInChunk: p.offsetInChunk + (dataPageOffset - fileOffset) }));
    const stats = this.chunkStats;
    this.resetChunk();
    return { parts, metadata, pages, size, stats };
  }

  /** parquet.thrift SizeStatistics: unencoded byte-array bytes and level histograms. */
  private sizeStatistics(): SizeStatistics | undefined {
    const isBytes = this.buffer.store.kind === 'bytes';
    if (!isBytes && !this.defHistogram && !this.repHistogram) return undefined;
    return {
      unencoded_byte_array_data_bytes: isBytes ? this.unencodedBytes : undefined,
      repetition_level_histogram: this.repHistogram?.chunk(),
      definition_level_histogram: this.defHistogram?.chunk(),
    };
  }

  private resetChunk(): void {
    this.pageInfos.length = 0;
    this.pagesSize = 0;
    this.chunkStats = emptyStats();
    this.numValues = 0;
    this.rowsInChunk = 0;
    this.uncompressedSize = 0;
    this.unencodedBytes = 0;
    this.defHistogram?.reset();
    this.repHistogram?.reset();
    this.encodingCounts.clear();
    this.startChunk();
  }
}
