import { BoundaryOrder, type ColumnIndex, type OffsetIndex } from './thrift/parquet-metadata.js';
import type { PrimitiveMapping } from './schema/primitive-mapping.js';
import type { DataPageInfo } from './column/column-writer.js';
import { compareValues } from './column/statistics.js';
import { encodeStatistics } from './column/statistics-encode.js';

/**
 * The page index of one column chunk (PageIndex.md): OffsetIndex locates every data page
 * (absolute offset, size with header, first row relative to the row group); ColumnIndex
 * holds each page's min/max (truncated like chunk statistics), null page flags, null
 * counts, the boundary order and the level histograms.
 */
export function buildOffsetIndex(pages: readonly DataPageInfo[], chunkStart: number): OffsetIndex {
  const bytes = pages.map((p) => p.unencodedByteArrayBytes);
  return {
    page_locations: pages.map((p) => ({
      offset: chunkStart + p.offsetInChunk,
      compressed_page_size: p.totalSize,
      first_row_index: p.firstRowIndex,
    })),
    unencoded_byte_array_data_bytes: bytes.every((b) => b !== undefined) ? (bytes as number[]) : undefined,
  };
}

/**
 * Undefined when the column has no defined order (INT96) or when a non-null page has no
 * min/max (all NaN): a ColumnIndex must give every non-null page valid bounds, so such a
 * chunk gets no ColumnIndex rather than a misleading one.
 */
export function buildColumnIndex(
  pages: readonly DataPageInfo[],
  mapping: PrimitiveMapping,
  truncateLength: number,
  withStatistics: boolean,
): ColumnIndex | undefined {
  if (!withStatistics || mapping.sortOrder === 'none') return undefined;
  const min_values: Uint8Array[] = [];
  const max_values: Uint8Array[] = [];
  const bounds: Bounds[] = [];
  for (const p of pages) {
    if (p.nullPage) {
      min_values.push(new Uint8Array(0));
      max_values.push(new Uint8Array(0));
      continue;
    }
    const s = encodeStatistics(p.stats, mapping, truncateLength);
    if (!s.min_value || !s.max_value) return undefined;
    min_values.push(s.min_value);
    max_values.push(s.max_value);
    // Byte-ordered bounds are compared as written: truncation can reorder them (a min cut to
    // a character boundary may become shorter than the previous page's).
    bounds.push(mapping.sortOrder === 'bytes' ? { min: s.min_value, max: s.max_value } : { min: p.stats.min!, max: p.stats.max! });
  }
  const hasDef = pages.every((p) => p.defHistogram);
  const hasRep = pages.every((p) => p.repHistogram);
  const floating = mapping.sortOrder === 'float' || mapping.sortOrder === 'double' || mapping.sortOrder === 'float16';
  return {
    null_pages: pages.map((p) => p.nullPage),
    min_values,
    max_values,
    boundary_order: boundaryOrder(bounds, mapping),
    null_counts: pages.map((p) => p.stats.nullCount),
    repetition_level_histograms: hasRep && pages.length > 0 ? pages.flatMap((p) => p.repHistogram!) : undefined,
    definition_level_histograms: hasDef && pages.length > 0 ? pages.flatMap((p) => p.defHistogram!) : undefined,
    nan_counts: floating ? pages.map((p) => p.stats.nanCount) : undefined,
  };
}

interface Bounds {
  min: number | bigint | Uint8Array;
  max: number | bigint | Uint8Array;
}

/**
 * PageIndex.md / parquet.thrift ColumnIndex.boundary_order: ASCENDING (DESCENDING) when the
 * non-null pages' min_values and max_values, as written, both never decrease (increase).
 */
function boundaryOrder(bounds: readonly Bounds[], mapping: PrimitiveMapping): BoundaryOrder {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < bounds.length; i++) {
    const dMin = compareValues(bounds[i]!.min, bounds[i - 1]!.min, mapping.sortOrder);
    const dMax = compareValues(bounds[i]!.max, bounds[i - 1]!.max, mapping.sortOrder);
    if (dMin < 0 || dMax < 0) ascending = false;
    if (dMin > 0 || dMax > 0) descending = false;
  }
  if (ascending) return BoundaryOrder.ASCENDING;
  if (descending) return BoundaryOrder.DESCENDING;
  return BoundaryOrder.UNORDERED;
}
