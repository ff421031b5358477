import type { Codec } from '../codecs/codec.js';
import { ColumnChunkWriter, type ColumnWriterOptions } from './column/column-writer.js';
import type { PageBuffer } from './column/page-buffer.js';
import { BloomFilterBuilder, type BloomFilterSettings } from './bloom/bloom-filter-builder.js';
import { buildColumnIndex, buildOffsetIndex } from './page-index.js';
import type { ColumnDescriptor } from './schema/schema.js';
import type { ColumnIndex, ColumnMetaData, OffsetIndex } from './thrift/parquet-metadata.js';

/**
 * One finished column chunk, the same whether it was encoded on the writer's thread or on
 * an encode worker (like arrow-rs's ArrowColumnChunk): its bytes, its ColumnMetaData, its
 * page index and its bloom filter. Offsets count from the chunk's first byte, since where
 * the chunk lands in the file is only known when the row group is written (placeChunk).
 */
export interface ColumnChunkResult {
  /** The chunk's bytes in order: dictionary page (if any), then data pages. */
  parts: Uint8Array[];
  /** Bytes of `parts` in total. */
  size: number;
  metadata: ColumnMetaData;
  /** With the page index on (PageIndex.md); offsets from the chunk's start. */
  offsetIndex: OffsetIndex | undefined;
  columnIndex: ColumnIndex | undefined;
  /** The serialized bloom filter (header and bitset), when the column has one. */
  bloom: Uint8Array | undefined;
}

/** What a chunk carries besides its pages: the writer options that are not per column writer. */
export interface ChunkSettings {
  pageIndex: boolean;
  statistics: boolean;
  statisticsTruncateLength: number;
  bloom: BloomFilterSettings | undefined;
}

/**
 * Encodes one column's chunks: a ColumnChunkWriter (pages, dictionary, statistics) plus the
 * column's bloom filter, finished into a ColumnChunkResult. The writer's thread and the
 * encode workers run exactly this, so a file's bytes do not depend on where a chunk was
 * encoded.
 */
export class ColumnChunkEncoder {
  readonly writer: ColumnChunkWriter;
  private bloom: BloomFilterBuilder | undefined;

  constructor(
    readonly descriptor: ColumnDescriptor,
    options: ColumnWriterOptions,
    codec: Codec,
    private settings: ChunkSettings,
    buffer?: PageBuffer,
  ) {
    this.writer = new ColumnChunkWriter(descriptor, options, codec, buffer);
    this.hookBloom();
  }

  /** Settings for the chunks from now on (between chunks only; see ColumnChunkWriter.configure). */
  configure(options: ColumnWriterOptions, settings: ChunkSettings): void {
    this.writer.configure(options);
    this.settings = settings;
    this.hookBloom();
  }

  /** A bloom filter builder per chunk run (new file), fed every page's values before they are encoded. */
  private hookBloom(): void {
    const bloom = this.settings.bloom ? new BloomFilterBuilder(this.descriptor, this.settings.bloom) : undefined;
    this.bloom = bloom;
    this.writer.onPageValues = bloom ? (page) => bloom.addPage(page) : undefined;
  }

  /** Encode the open page, if any (ColumnChunkWriter.flushPage). */
  flushPage(): void {
    this.writer.flushPage();
  }

  /** Close the chunk of a row group of `rows` rows; the encoder starts the next chunk empty. */
  finish(rows: number): ColumnChunkResult {
    const finished = this.writer.finish(0);
    const s = this.settings;
    return {
      parts: finished.parts,
      size: finished.size,
      metadata: finished.metadata,
      offsetIndex: s.pageIndex ? buildOffsetIndex(finished.pages, 0) : undefined,
      columnIndex: s.pageIndex ? buildColumnIndex(finished.pages, this.descriptor.mapping, s.statisticsTruncateLength, s.statistics) : undefined,
      bloom: this.bloom?.finish(rows),
    };
  }
}

/**
 * Move a chunk finished at offset 0 to where it is written: a chunk's offsets appear only in
 * these fields and in its OffsetIndex page locations.
 */
export function placeChunk(chunk: ColumnChunkResult, chunkStart: number): void {
  const m = chunk.metadata;
  m.data_page_offset = Number(m.data_page_offset) + chunkStart;
  if (m.dictionary_page_offset !== undefined) m.dictionary_page_offset = Number(m.dictionary_page_offset) + chunkStart;
  for (const loc of chunk.offsetIndex?.page_locations ?? []) loc.offset = Number(loc.offset) + chunkStart;
}
