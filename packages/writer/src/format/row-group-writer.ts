import { placeChunk, type ColumnChunkResult } from './column-chunk.js';
import type { FileAppender, FileTail, PendingPageIndex } from './file-tail.js';
import type { ColumnChunk, SortingColumn } from './thrift/parquet-metadata.js';

/** One row group, ready to be written: its finished column chunks in schema order. */
export interface RowGroupInput {
  rows: number;
  chunks: readonly ColumnChunkResult[];
  sortingColumns: SortingColumn[] | undefined;
  /** Whether the chunks' page indexes go into the file (options.pageIndex). */
  pageIndex: boolean;
}

/**
 * Writes a row group at the file's end: every column chunk in schema order, then their
 * bloom filters, and registers the group (with its page indexes, which go at the end of the
 * file) in `tail`. Offsets in the metadata are where the bytes land in the file.
 */
export async function writeRowGroup(group: RowGroupInput, file: FileAppender, tail: FileTail): Promise<void> {
  const start = file.offset();
  const chunks: ColumnChunk[] = [];
  const indexes: PendingPageIndex[] = [];
  let uncompressed = 0;
  for (const result of group.chunks) {
    const chunkStart = file.offset();
    placeChunk(result, chunkStart);
    for (const part of result.parts) await file.append(part);
    const chunk: ColumnChunk = { file_offset: chunkStart, meta_data: result.metadata };
    if (group.pageIndex) indexes.push({ chunk, columnIndex: result.columnIndex, offsetIndex: result.offsetIndex! });
    uncompressed += Number(result.metadata.total_uncompressed_size);
    chunks.push(chunk);
  }
  const compressed = file.offset() - start;
  // BloomFilter.md lets filters sit anywhere; after their row group keeps only one
  // row group's filters in memory.
  for (let i = 0; i < chunks.length; i++) {
    const bytes = group.chunks[i]!.bloom;
    if (!bytes) continue;
    chunks[i]!.meta_data!.bloom_filter_offset = file.offset();
    chunks[i]!.meta_data!.bloom_filter_length = bytes.length;
    await file.append(bytes);
  }
  tail.addRowGroup(
    {
      columns: chunks,
      total_byte_size: uncompressed,
      num_rows: group.rows,
      sorting_columns: group.sortingColumns,
      file_offset: start,
      total_compressed_size: compressed,
      ordinal: tail.rowGroups.length,
    },
    group.pageIndex ? indexes : undefined,
  );
}
