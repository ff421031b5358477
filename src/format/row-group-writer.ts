import type { BloomFilterBuilder } from './bloom/bloom-filter-builder.js';
import type { ColumnChunkWriter } from './column/column-writer.js';
import type { FileAppender, FileTail, PendingPageIndex } from './file-tail.js';
import { buildColumnIndex, buildOffsetIndex } from './page-index.js';
import { placeChunk, type ChunkDone } from './parallel/protocol.js';
import type { ColumnChunk, SortingColumn } from './thrift/parquet-metadata.js';
import type { ResolvedWriterOptions } from './writer-options.js';

/** One row group, ready to be written: its column chunks come from the column writers or, with workers, finished. */
export interface RowGroupInput {
  rows: number;
  /** The writer's column writers, in schema order. */
  columns: readonly ColumnChunkWriter[];
  /** Chunks finished by encode workers, by column; the column writers then hold nothing of this group. */
  remote: readonly ChunkDone[] | undefined;
  /** Per column, its bloom filter builder (without workers) when the column has one. */
  blooms: readonly (BloomFilterBuilder | undefined)[];
  sortingColumns: SortingColumn[] | undefined;
  options: Pick<ResolvedWriterOptions, 'pageIndex' | 'statistics' | 'statisticsTruncateLength'>;
}

/**
 * Writes a row group at the file's end: every column chunk in schema order, then their
 * bloom filters, and registers the group (with its page indexes, which go at the end of the
 * file) in `tail`. Offsets in the metadata are where the bytes land in the file.
 */
export async function writeRowGroup(group: RowGroupInput, file: FileAppender, tail: FileTail): Promise<void> {
  const { columns, remote, options } = group;
  const start = file.offset();
  const chunks: ColumnChunk[] = [];
  const indexes: PendingPageIndex[] = [];
  let uncompressed = 0;
  for (let i = 0; i < columns.length; i++) {
    const chunkStart = file.offset();
    const done = remote?.[i];
    let chunk: ColumnChunk;
    if (done) {
      placeChunk(done, chunkStart);
      await file.append(done.bytes);
      chunk = { file_offset: chunkStart, meta_data: done.metadata };
      if (options.pageIndex) indexes.push({ chunk, columnIndex: done.columnIndex, offsetIndex: done.offsetIndex! });
    } else {
      const column = columns[i]!;
      const finished = column.finish(chunkStart);
      for (const part of finished.parts) await file.append(part);
      chunk = { file_offset: chunkStart, meta_data: finished.metadata };
      if (options.pageIndex) {
        indexes.push({
          chunk,
          columnIndex: buildColumnIndex(finished.pages, column.descriptor.mapping, options.statisticsTruncateLength, options.statistics),
          offsetIndex: buildOffsetIndex(finished.pages, chunkStart),
        });
      }
    }
    uncompressed += Number(chunk.meta_data!.total_uncompressed_size);
    chunks.push(chunk);
  }
  const compressed = file.offset() - start;
  // BloomFilter.md lets filters sit anywhere; after their row group keeps only one
  // row group's filters in memory.
  for (let i = 0; i < chunks.length; i++) {
    const bytes = remote ? remote[i]!.bloom : group.blooms[i]?.finish(group.rows);
    if (!bytes) continue;
    chunks[i]!.meta_data!.bloom_filter_offset = file.offset();
    chunks[i]!.meta_data!.bloom_filter_length = bytes.length;
    await file.append(bytes);
  }
  tail.addRowGroup({
    columns: chunks,
    total_byte_size: uncompressed,
    num_rows: group.rows,
    sorting_columns: group.sortingColumns,
    file_offset: start,
    total_compressed_size: compressed,
    ordinal: tail.rowGroups.length,
  }, options.pageIndex ? indexes : undefined);
}
