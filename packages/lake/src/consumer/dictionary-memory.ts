/**
 * What a table's last file taught about its columns' dictionaries (TableFiles hands it a
 * file's footer when the file after next opens, see TableFiles.columnsFor). The writer's `auto`
 * encoding judges each column chunk's dictionary on its first page and drops it when it
 * does not pay (hashes, ids, XDR blobs). The consumer writes many small files of the same
 * table, so without memory every file would look each of those values up in a dictionary
 * only to throw it away. A column whose dictionary did not pay in the last file starts the
 * next one on its fallback encoding, which is what the judgement would most likely choose
 * again (same bytes when it does). Every REJUDGE_EVERY-th file is judged afresh, so a column
 * whose values start to repeat gets its dictionary back.
 */
import type { ColumnOptions } from 'cdp-parquet';
import { Encoding, PageType, type FileMetaData } from 'cdp-parquet/footer';

export const REJUDGE_EVERY = 8;

export class DictionaryMemory {
  private noDictionary = new Set<string>();
  private filesSinceJudged = 0;

  /** Per-column writer options for the table's next file. */
  columnOptions(): Record<string, ColumnOptions> | undefined {
    if (this.noDictionary.size === 0 || this.filesSinceJudged >= REJUDGE_EVERY - 1) return undefined;
    const out: Record<string, ColumnOptions> = {};
    for (const path of this.noDictionary) out[path] = { dictionary: false };
    return out;
  }

  /**
   * Learns from a finished file's footer (`judged`: written without per-column options):
   * the columns that had values but no dictionary-encoded page skip it next time.
   */
  learn(metadata: FileMetaData, judged: boolean): void {
    if (!judged) {
      this.filesSinceJudged++;
      return;
    }
    const used = new Set<string>();
    const valued = new Set<string>();
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (meta === undefined) continue;
        const path = meta.path_in_schema.join('.');
        const dictionaryPages = (meta.encoding_stats ?? []).some(
          (s) =>
            (s.page_type === PageType.DATA_PAGE || s.page_type === PageType.DATA_PAGE_V2) &&
            (s.encoding === Encoding.RLE_DICTIONARY || s.encoding === Encoding.PLAIN_DICTIONARY),
        );
        if (dictionaryPages) used.add(path);
        // Only a chunk with values judged its dictionary (statistics carry min/max then);
        // an all-null chunk says nothing about the next file.
        else if (meta.statistics?.min_value !== undefined || meta.statistics?.max_value !== undefined) valued.add(path);
      }
    }
    this.noDictionary = new Set([...valued].filter((p) => !used.has(p)));
    this.filesSinceJudged = 0;
  }
}
