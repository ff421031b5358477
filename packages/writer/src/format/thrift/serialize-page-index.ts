/**
 * Page index (ColumnIndex, OffsetIndex, PageLocation) and Bloom filter header
 * serialization. Field ids and declared Thrift types are from
 * apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { CompactWriter } from './compact-writer.js';
import type {
  BloomFilterAlgorithm,
  BloomFilterCompression,
  BloomFilterHash,
  BloomFilterHeader,
  ColumnIndex,
  EmptyStruct,
  OffsetIndex,
  PageLocation,
} from './parquet-metadata.js';
import { fieldBinaryList, fieldBoolList, fieldStruct, fieldStructList, optI64List, writeEmptyStruct, writeUnion } from './serialize-common.js';

/** `struct PageLocation`: offset i64, compressed_page_size i32, first_row_index i64. */
function writePageLocation(w: CompactWriter, p: PageLocation): void {
  w.structBegin();
  w.fieldI64(1, p.offset);
  w.fieldI32(2, p.compressed_page_size);
  w.fieldI64(3, p.first_row_index);
  w.structEnd();
}

/** `struct OffsetIndex`: list<PageLocation>, optional list<i64>. */
export function writeOffsetIndex(w: CompactWriter, o: OffsetIndex): void {
  w.structBegin();
  fieldStructList(w, 1, o.page_locations, writePageLocation);
  optI64List(w, 2, o.unencoded_byte_array_data_bytes);
  w.structEnd();
}

/**
 * `struct ColumnIndex`: list<bool> null_pages, list<binary> min/max, BoundaryOrder
 * enum (i32), then optional list<i64> counters and histograms.
 */
export function writeColumnIndex(w: CompactWriter, c: ColumnIndex): void {
  const pages = c.null_pages.length;
  if (c.min_values.length !== pages || c.max_values.length !== pages) {
    // parquet.thrift: "so that all lists have the same length".
    throw new RangeError(`ColumnIndex: null_pages/min_values/max_values lengths differ (${pages}/${c.min_values.length}/${c.max_values.length})`);
  }
  w.structBegin();
  fieldBoolList(w, 1, c.null_pages);
  fieldBinaryList(w, 2, c.min_values);
  fieldBinaryList(w, 3, c.max_values);
  w.fieldI32(4, c.boundary_order);
  optI64List(w, 5, c.null_counts);
  optI64List(w, 6, c.repetition_level_histograms);
  optI64List(w, 7, c.definition_level_histograms);
  optI64List(w, 8, c.nan_counts);
  w.structEnd();
}

function writeBloomFilterAlgorithm(w: CompactWriter, v: BloomFilterAlgorithm): void {
  writeUnion<{ BLOCK: EmptyStruct }>(w, 'BloomFilterAlgorithm', v, { BLOCK: [1, writeEmptyStruct] });
}

function writeBloomFilterHash(w: CompactWriter, v: BloomFilterHash): void {
  writeUnion<{ XXHASH: EmptyStruct }>(w, 'BloomFilterHash', v, { XXHASH: [1, writeEmptyStruct] });
}

function writeBloomFilterCompression(w: CompactWriter, v: BloomFilterCompression): void {
  writeUnion<{ UNCOMPRESSED: EmptyStruct }>(w, 'BloomFilterCompression', v, {
    UNCOMPRESSED: [1, writeEmptyStruct],
  });
}

/** `struct BloomFilterHeader`: numBytes i32 and three single-member unions. */
export function writeBloomFilterHeader(w: CompactWriter, h: BloomFilterHeader): void {
  w.structBegin();
  w.fieldI32(1, h.numBytes);
  fieldStruct(w, 2, h.algorithm, writeBloomFilterAlgorithm);
  fieldStruct(w, 3, h.hash, writeBloomFilterHash);
  fieldStruct(w, 4, h.compression, writeBloomFilterCompression);
  w.structEnd();
}
