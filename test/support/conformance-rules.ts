/**
 * The rules of the footer conformance check (conformance.ts), each with the place in the
 * Parquet specification it comes from (apache/parquet-format: parquet.thrift, LogicalTypes.md,
 * PageIndex.md), and the collector the checks report to.
 */

export const RULES = {
  'schema-shape':
    'parquet.thrift SchemaElement: a leaf has a type and no num_children; a group has num_children and no type; every element but the root has a repetition_type',
  'type-length':
    'parquet.thrift SchemaElement.type_length: the byte length of FIXED_LEN_BYTE_ARRAY values (required there); on any other type the field would state a maximum bit length, so it is not written',
  'logical-physical':
    'LogicalTypes.md: each annotation names the primitive type(s) it may annotate (STRING/ENUM/JSON/BSON: BYTE_ARRAY; UUID: FIXED[16]; FLOAT16: FIXED[2]; DATE: INT32; TIME(MILLIS): INT32, TIME(MICROS|NANOS): INT64; TIMESTAMP: INT64; INT(<=32): INT32, INT(64): INT64; LIST/MAP: groups)',
  'converted-for-logical':
    'LogicalTypes.md, Compatibility (and the per-type tables): writers must also write the ConvertedType corresponding to the LogicalType; local TIME/TIMESTAMP MILLIS|MICROS included (forward compatibility tables); types without one (UUID, FLOAT16, NANOS units) carry none',
  'logical-for-converted':
    'LogicalTypes.md, Compatibility: writers must always write LogicalType annotations where applicable (a ConvertedType alone is for old files)',
  'decimal-params':
    'LogicalTypes.md, DECIMAL: precision >= 1, 0 <= scale <= precision, precision within the physical type (INT32 <= 9, INT64 <= 18, FIXED[n] <= floor(log10(2^(8n-1)-1))); Compatibility: scale and precision also on the SchemaElement, which holds them only for decimals',
  'list-structure': 'LogicalTypes.md, Lists: LIST annotates a required/optional group with one repeated group `list` holding one field `element`',
  'map-structure':
    'LogicalTypes.md, Maps: MAP annotates a required/optional group with one repeated group `key_value` whose first field is the required `key` and whose optional second field is `value`',
  'column-orders':
    'parquet.thrift FileMetaData.column_orders: one ColumnOrder per leaf column, in schema order; it must be written whenever min_value/max_value or a ColumnIndex are',
  'column-order-kind': 'parquet.thrift ColumnOrder: IEEE_754_TOTAL_ORDER only on FLOAT, DOUBLE or FLOAT16 columns; INT96_TIMESTAMP_ORDER only on INT96 columns',
  'stats-undefined-order':
    'parquet.thrift ColumnOrder (INT96 note) and ColumnIndex.min_values: a column whose order is undefined (INT96 under TYPE_ORDER, INTERVAL, ...) gets no min/max statistics and no ColumnIndex',
  'stats-deprecated-minmax':
    'parquet.thrift Statistics.min/max: the deprecated fields hold signed-order values only, so they may be set only when the column order is signed',
  'stats-plain':
    'parquet.thrift Statistics.min_value/max_value (and ColumnIndex bounds): PLAIN-encoded values of the column type, byte arrays without a length prefix (fixed widths: BOOLEAN 1, INT32/FLOAT 4, INT64/DOUBLE 8, FIXED[n] n)',
  'stats-valid-value':
    'parquet.thrift Statistics.min_value/max_value: a more compact bound must still be a valid value of the logical type (UTF-8 for STRING, ENUM, JSON)',
  'stats-bounds':
    'parquet.thrift Statistics.min_value/max_value and ColumnIndex.min_values/max_values: lower and upper bounds of the values of the chunk or page in its column order (min <= every value <= max); no bounds where there is no value',
  'stats-exact': 'parquet.thrift Statistics.is_max_value_exact/is_min_value_exact: true only when the value is the actual maximum/minimum',
  'stats-counts':
    'parquet.thrift Statistics.null_count/distinct_count: null_count counts the null values (def level below the max) and is at most num_values; distinct_count is at most the non-null values',
  'nan-count':
    'parquet.thrift Statistics.nan_count and ColumnIndex.nan_counts: only for FLOAT, DOUBLE and FLOAT16, and under TYPE_ORDER always set for them; the count of NaN values',
  'float-minmax':
    'parquet.thrift ColumnOrder, TYPE_ORDER writing rules: min/max never NaN; -0.0 for a zero min, +0.0 for a zero max; no min/max when every non-null value is NaN; no ColumnIndex when a page holds only NaN',
  'num-values':
    "parquet.thrift ColumnMetaData.num_values: the values of the chunk, nulls included (every level entry): the sum of its data pages' num_values and of the levels a reader sees",
  'null-count':
    'parquet.thrift Statistics.null_count, DataPageHeaderV2.num_nulls, ColumnIndex.null_counts: the same null values counted per chunk and per page, num_values - null_count being the values a reader returns',
  'row-counts':
    'parquet.thrift FileMetaData.num_rows / RowGroup.num_rows / DataPageHeaderV2.num_rows: the rows of the file, of the group (as read back) and of each v2 page',
  'v2-row-boundary': 'parquet.thrift DataPageHeaderV2.num_rows: every v2 page begins at a row boundary (rows are not split across v2 pages)',
  'chunk-layout':
    'parquet.thrift ColumnMetaData: dictionary_page_offset locates the dictionary page (the first page, at most one), data_page_offset the first data page, total_compressed_size/total_uncompressed_size all pages with their headers; RowGroup.file_offset/total_compressed_size/total_byte_size/ordinal agree with the chunks',
  'chunk-encodings': "parquet.thrift ColumnMetaData.encodings: the set of all encodings used in the chunk's pages (values and levels)",
  'page-crc': 'parquet.thrift PageHeader.crc: the standard CRC32 (polynomial 0x04C11DB7, as gzip) of the page as written after its header (after compression)',
  'offset-index':
    "parquet.thrift OffsetIndex/PageLocation and PageIndex.md: one location per data page, in order; offset and compressed_page_size (header included) of the real page; first_row_index the page's first row, pages beginning at row boundaries, strictly increasing",
  'column-index':
    'parquet.thrift ColumnIndex: one entry per data page; null_pages true exactly for pages without a non-null value, whose bounds are empty; boundary_order ASCENDING/DESCENDING only when min_values and max_values both are',
  'index-location':
    'parquet.thrift ColumnChunk.offset_index_offset/length and column_index_offset/length: the struct at the offset spans exactly the length, inside the file',
  'size-statistics':
    'parquet.thrift SizeStatistics and ColumnIndex level histograms: max_level + 1 buckets counting the level values (summing to num_values, def[max] = non-null values, rep[0] = rows); unencoded_byte_array_data_bytes only for BYTE_ARRAY, the bytes of its values',
} as const;

export type RuleId = keyof typeof RULES;

export interface Violation {
  rule: RuleId;
  where: string;
  detail: string;
}

/** Collects violations (and counts the rules applied, so a suite can show the check ran). */
export class Findings {
  readonly violations: Violation[] = [];
  checks = 0;

  /** Records a violation of `rule` unless `ok`; returns ok. */
  expect(ok: boolean, rule: RuleId, where: string, detail: () => string): boolean {
    this.checks++;
    if (!ok) this.violations.push({ rule, where, detail: detail() });
    return ok;
  }

  fail(rule: RuleId, where: string, detail: string): void {
    this.checks++;
    this.violations.push({ rule, where, detail });
  }
}

export function formatViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `[${v.rule}] ${v.where}: ${v.detail}\n    rule: ${RULES[v.rule]}`).join('\n');
}
