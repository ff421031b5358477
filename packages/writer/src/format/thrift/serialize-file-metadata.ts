/**
 * FileMetaData (the footer) and everything below it except the schema:
 * RowGroup, ColumnChunk, ColumnMetaData, ColumnOrder and the encryption structs.
 * Field ids and declared Thrift types are from
 * apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { CompactWriter } from './compact-writer.js';
import type {
  AesGcmV1,
  ColumnChunk,
  ColumnCryptoMetaData,
  ColumnMetaData,
  ColumnOrder,
  EmptyStruct,
  EncryptionAlgorithm,
  EncryptionWithColumnKey,
  FileMetaData,
  PageEncodingStats,
  RowGroup,
  SortingColumn,
} from './parquet-metadata.js';
import {
  fieldI32List,
  fieldStringList,
  fieldStructList,
  optBinary,
  optBool,
  optI16,
  optI32,
  optI64,
  optString,
  optStruct,
  writeEmptyStruct,
  writeKeyValue,
  writeSizeStatistics,
  writeStatistics,
  writeUnion,
} from './serialize-common.js';
import { writeSchemaElement } from './serialize-schema.js';

/** `struct PageEncodingStats`: page_type enum, encoding enum, count i32. */
function writePageEncodingStats(w: CompactWriter, s: PageEncodingStats): void {
  w.structBegin();
  w.fieldI32(1, s.page_type);
  w.fieldI32(2, s.encoding);
  w.fieldI32(3, s.count);
  w.structEnd();
}

/**
 * `struct ColumnMetaData`. num_values, the sizes and the offsets are i64;
 * bloom_filter_length is i32. Field 17 (geospatial_statistics) is not modelled.
 */
function writeColumnMetaData(w: CompactWriter, m: ColumnMetaData): void {
  w.structBegin();
  w.fieldI32(1, m.type);
  fieldI32List(w, 2, m.encodings);
  fieldStringList(w, 3, m.path_in_schema);
  w.fieldI32(4, m.codec);
  w.fieldI64(5, m.num_values);
  w.fieldI64(6, m.total_uncompressed_size);
  w.fieldI64(7, m.total_compressed_size);
  if (m.key_value_metadata !== undefined) fieldStructList(w, 8, m.key_value_metadata, writeKeyValue);
  w.fieldI64(9, m.data_page_offset);
  optI64(w, 10, m.index_page_offset);
  optI64(w, 11, m.dictionary_page_offset);
  optStruct(w, 12, m.statistics, writeStatistics);
  if (m.encoding_stats !== undefined) fieldStructList(w, 13, m.encoding_stats, writePageEncodingStats);
  optI64(w, 14, m.bloom_filter_offset);
  optI32(w, 15, m.bloom_filter_length);
  optStruct(w, 16, m.size_statistics, writeSizeStatistics);
  w.structEnd();
}

/** `struct EncryptionWithColumnKey`: list<string> path, optional binary key_metadata. */
function writeEncryptionWithColumnKey(w: CompactWriter, k: EncryptionWithColumnKey): void {
  w.structBegin();
  fieldStringList(w, 1, k.path_in_schema);
  optBinary(w, 2, k.key_metadata);
  w.structEnd();
}

function writeColumnCryptoMetaData(w: CompactWriter, c: ColumnCryptoMetaData): void {
  writeUnion<{ ENCRYPTION_WITH_FOOTER_KEY: EmptyStruct; ENCRYPTION_WITH_COLUMN_KEY: EncryptionWithColumnKey }>(w, 'ColumnCryptoMetaData', c, {
    ENCRYPTION_WITH_FOOTER_KEY: [1, writeEmptyStruct],
    ENCRYPTION_WITH_COLUMN_KEY: [2, writeEncryptionWithColumnKey],
  });
}

/**
 * `struct ColumnChunk`: file_offset is a required i64 (deprecated, written as given,
 * normally 0); the page-index offsets are i64 and their lengths i32.
 */
function writeColumnChunk(w: CompactWriter, c: ColumnChunk): void {
  w.structBegin();
  optString(w, 1, c.file_path);
  w.fieldI64(2, c.file_offset);
  optStruct(w, 3, c.meta_data, writeColumnMetaData);
  optI64(w, 4, c.offset_index_offset);
  optI32(w, 5, c.offset_index_length);
  optI64(w, 6, c.column_index_offset);
  optI32(w, 7, c.column_index_length);
  optStruct(w, 8, c.crypto_metadata, writeColumnCryptoMetaData);
  optBinary(w, 9, c.encrypted_column_metadata);
  w.structEnd();
}

/** `struct SortingColumn`: column_idx i32, descending bool, nulls_first bool. */
function writeSortingColumn(w: CompactWriter, s: SortingColumn): void {
  w.structBegin();
  w.fieldI32(1, s.column_idx);
  w.fieldBool(2, s.descending);
  w.fieldBool(3, s.nulls_first);
  w.structEnd();
}

/** `struct RowGroup`: sizes/counts/offset are i64, ordinal is i16. */
function writeRowGroup(w: CompactWriter, g: RowGroup): void {
  w.structBegin();
  fieldStructList(w, 1, g.columns, writeColumnChunk);
  w.fieldI64(2, g.total_byte_size);
  w.fieldI64(3, g.num_rows);
  if (g.sorting_columns !== undefined) fieldStructList(w, 4, g.sorting_columns, writeSortingColumn);
  optI64(w, 5, g.file_offset);
  optI64(w, 6, g.total_compressed_size);
  optI16(w, 7, g.ordinal);
  w.structEnd();
}

/** `union ColumnOrder { 1: TYPE_ORDER; 2: IEEE_754_TOTAL_ORDER; 3: INT96_TIMESTAMP_ORDER }`. */
function writeColumnOrder(w: CompactWriter, o: ColumnOrder): void {
  writeUnion<{ TYPE_ORDER: EmptyStruct; IEEE_754_TOTAL_ORDER: EmptyStruct; INT96_TIMESTAMP_ORDER: EmptyStruct }>(w, 'ColumnOrder', o, {
    TYPE_ORDER: [1, writeEmptyStruct],
    IEEE_754_TOTAL_ORDER: [2, writeEmptyStruct],
    INT96_TIMESTAMP_ORDER: [3, writeEmptyStruct],
  });
}

/** AesGcmV1 and AesGcmCtrV1 share a layout: two optional binaries and an optional bool. */
function writeAesGcm(w: CompactWriter, a: AesGcmV1): void {
  w.structBegin();
  optBinary(w, 1, a.aad_prefix);
  optBinary(w, 2, a.aad_file_unique);
  optBool(w, 3, a.supply_aad_prefix);
  w.structEnd();
}

function writeEncryptionAlgorithm(w: CompactWriter, a: EncryptionAlgorithm): void {
  writeUnion<{ AES_GCM_V1: AesGcmV1; AES_GCM_CTR_V1: AesGcmV1 }>(w, 'EncryptionAlgorithm', a, {
    AES_GCM_V1: [1, writeAesGcm],
    AES_GCM_CTR_V1: [2, writeAesGcm],
  });
}

/** `struct FileMetaData`: version i32, schema list, num_rows i64, row groups, ... */
export function writeFileMetaData(w: CompactWriter, m: FileMetaData): void {
  w.structBegin();
  w.fieldI32(1, m.version);
  fieldStructList(w, 2, m.schema, writeSchemaElement);
  w.fieldI64(3, m.num_rows);
  fieldStructList(w, 4, m.row_groups, writeRowGroup);
  if (m.key_value_metadata !== undefined) fieldStructList(w, 5, m.key_value_metadata, writeKeyValue);
  optString(w, 6, m.created_by);
  if (m.column_orders !== undefined) fieldStructList(w, 7, m.column_orders, writeColumnOrder);
  optStruct(w, 8, m.encryption_algorithm, writeEncryptionAlgorithm);
  optBinary(w, 9, m.footer_signing_key_metadata);
  w.structEnd();
}
