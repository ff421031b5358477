import { CREATED_BY } from '../version.js';
import { encodeColumnIndex, encodeFileMetaData, encodeOffsetIndex } from './thrift/parquet-serialize.js';
import type { ColumnChunk, ColumnIndex, FileMetaData, OffsetIndex, RowGroup } from './thrift/parquet-metadata.js';
import type { ParquetSchema } from './schema/schema.js';

export const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** A column chunk's page index, kept until the file's end (PageIndex.md puts it there). */
export interface PendingPageIndex {
  chunk: ColumnChunk;
  columnIndex: ColumnIndex | undefined;
  offsetIndex: OffsetIndex;
}

/** Appends bytes at the file's current end and reports that end. */
export interface FileAppender {
  offset(): number;
  append(bytes: Uint8Array): Promise<void>;
}

/**
 * What follows the row groups: the page indexes, then the footer (FileMetaData, its
 * 4-byte little-endian length and the closing "PAR1"). Row groups are registered as they
 * are written; their chunks receive the page-index offsets when the indexes are written.
 */
export class FileTail {
  readonly rowGroups: RowGroup[] = [];
  private readonly pageIndexes: PendingPageIndex[][] = [];

  addRowGroup(group: RowGroup, indexes: PendingPageIndex[] | undefined): void {
    this.rowGroups.push(group);
    if (indexes) this.pageIndexes.push(indexes);
  }

  async write(file: FileAppender, schema: ParquetSchema, numRows: number, keyValues: ReadonlyMap<string, string>): Promise<FileMetaData> {
    await this.writePageIndexes(file);
    const kv = [...keyValues].map(([key, value]) => ({ key, value }));
    const metadata: FileMetaData = {
      version: 2,
      schema: schema.elements,
      num_rows: numRows,
      row_groups: this.rowGroups,
      key_value_metadata: kv.length > 0 ? kv : undefined,
      created_by: CREATED_BY,
      column_orders: schema.columns.map(() => ({ TYPE_ORDER: {} })),
    };
    const footer = encodeFileMetaData(metadata);
    const tail = new Uint8Array(footer.length + 8);
    tail.set(footer, 0);
    new DataView(tail.buffer).setUint32(footer.length, footer.length, true);
    tail.set(MAGIC, footer.length + 4);
    await file.append(tail);
    return metadata;
  }

  /** PageIndex.md: all ColumnIndex structures, then all OffsetIndex structures, before the footer. */
  private async writePageIndexes(file: FileAppender): Promise<void> {
    for (const group of this.pageIndexes) {
      for (const { chunk, columnIndex } of group) {
        if (!columnIndex) continue;
        const bytes = encodeColumnIndex(columnIndex);
        chunk.column_index_offset = file.offset();
        chunk.column_index_length = bytes.length;
        await file.append(bytes);
      }
    }
    for (const group of this.pageIndexes) {
      for (const { chunk, offsetIndex } of group) {
        const bytes = encodeOffsetIndex(offsetIndex);
        chunk.offset_index_offset = file.offset();
        chunk.offset_index_length = bytes.length;
        await file.append(bytes);
      }
    }
    this.pageIndexes.length = 0;
  }
}
