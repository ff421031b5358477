/**
 * Page header serialization (parquet.thrift `PageHeader` and the per-page-type
 * headers). Field ids and declared Thrift types are from
 * apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { CompactWriter } from './compact-writer.js';
import type { DataPageHeader, DataPageHeaderV2, DictionaryPageHeader, PageHeader } from './parquet-metadata.js';
import { optBool, optI32, optStruct, writeEmptyStruct, writeStatistics } from './serialize-common.js';

/** `struct DataPageHeader`: num_values i32, three Encoding enums (i32), optional Statistics. */
function writeDataPageHeader(w: CompactWriter, h: DataPageHeader): void {
  w.structBegin();
  w.fieldI32(1, h.num_values);
  w.fieldI32(2, h.encoding);
  w.fieldI32(3, h.definition_level_encoding);
  w.fieldI32(4, h.repetition_level_encoding);
  optStruct(w, 5, h.statistics, writeStatistics);
  w.structEnd();
}

/** `struct DictionaryPageHeader`: num_values i32, encoding enum, optional bool is_sorted. */
function writeDictionaryPageHeader(w: CompactWriter, h: DictionaryPageHeader): void {
  w.structBegin();
  w.fieldI32(1, h.num_values);
  w.fieldI32(2, h.encoding);
  optBool(w, 3, h.is_sorted);
  w.structEnd();
}

/**
 * `struct DataPageHeaderV2`. `is_compressed` has IDL default true, so leaving it
 * undefined means "compressed" to readers.
 */
function writeDataPageHeaderV2(w: CompactWriter, h: DataPageHeaderV2): void {
  w.structBegin();
  w.fieldI32(1, h.num_values);
  w.fieldI32(2, h.num_nulls);
  w.fieldI32(3, h.num_rows);
  w.fieldI32(4, h.encoding);
  w.fieldI32(5, h.definition_levels_byte_length);
  w.fieldI32(6, h.repetition_levels_byte_length);
  optBool(w, 7, h.is_compressed);
  optStruct(w, 8, h.statistics, writeStatistics);
  w.structEnd();
}

/** `struct PageHeader`: type enum, two i32 sizes, optional i32 crc, then one sub-header. */
export function writePageHeaderStruct(w: CompactWriter, h: PageHeader): void {
  w.structBegin();
  w.fieldI32(1, h.type);
  w.fieldI32(2, h.uncompressed_page_size);
  w.fieldI32(3, h.compressed_page_size);
  optI32(w, 4, h.crc);
  optStruct(w, 5, h.data_page_header, writeDataPageHeader);
  optStruct(w, 6, h.index_page_header, writeEmptyStruct);
  optStruct(w, 7, h.dictionary_page_header, writeDictionaryPageHeader);
  optStruct(w, 8, h.data_page_header_v2, writeDataPageHeaderV2);
  w.structEnd();
}
