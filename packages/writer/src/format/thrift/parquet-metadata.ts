/**
 * TypeScript shapes of the Parquet metadata structures, transcribed from
 * apache/parquet-format src/main/thrift/parquet.thrift. Field names are exactly the
 * Thrift field names (snake_case, plus the few camelCase ones such as
 * `isAdjustedToUTC`, `bitWidth`, `logicalType`, `numBytes`) so the serializer can be
 * checked against the IDL by eye. Field ids and wire types live in the serializers.
 *
 * Conventions:
 * - `optional` Thrift fields are `?` properties and are omitted from the wire when
 *   undefined; `required` fields are mandatory properties.
 * - `i64` fields are `number | bigint`: offsets and counts fit a safe integer in
 *   practice, and bigint is there for values beyond 2^53.
 * - `binary` fields are `Uint8Array`; `string` fields are JS strings (UTF-8 on the wire).
 * - Thrift enums are `const` objects plus a same-named type alias of their values.
 * - Thrift unions are objects with exactly one key set (enforced by `OneOf`).
 *
 * GeospatialStatistics (ColumnMetaData field 17) is intentionally not modelled.
 */

/** Thrift `i64`. */
export type Int64 = number | bigint;

/** Thrift struct with no fields (e.g. `struct StringType {}`). */
export type EmptyStruct = Record<string, never>;

/**
 * A Thrift union: exactly one of the members of `T` is present. Each alternative
 * sets one key and forbids the others, so `{ STRING: {}, JSON: {} }` does not compile.
 */
type OneOf<T> = {
  [K in keyof T]: { [P in K]: T[P] } & { [P in Exclude<keyof T, K>]?: never };
}[keyof T];

export * from './parquet-enums.js';
import type {
  BoundaryOrder,
  CompressionCodec,
  ConvertedType,
  EdgeInterpolationAlgorithm,
  Encoding,
  FieldRepetitionType,
  PageType,
  Type,
} from './parquet-enums.js';

// ---- statistics ---------------------------------------------------------------------

export interface SizeStatistics {
  unencoded_byte_array_data_bytes?: Int64;
  repetition_level_histogram?: Int64[];
  definition_level_histogram?: Int64[];
}

/** All fields optional. Values are PLAIN-encoded, without a length prefix for byte arrays. */
export interface Statistics {
  /** Deprecated: signed-order max. */
  max?: Uint8Array;
  /** Deprecated: signed-order min. */
  min?: Uint8Array;
  null_count?: Int64;
  distinct_count?: Int64;
  max_value?: Uint8Array;
  min_value?: Uint8Array;
  is_max_value_exact?: boolean;
  is_min_value_exact?: boolean;
  nan_count?: Int64;
}

// ---- logical types --------------------------------------------------------------------

export interface DecimalType {
  scale: number;
  precision: number;
}

export type TimeUnit = OneOf<{
  MILLIS: EmptyStruct;
  MICROS: EmptyStruct;
  NANOS: EmptyStruct;
}>;

export interface TimestampType {
  isAdjustedToUTC: boolean;
  unit: TimeUnit;
}

export interface TimeType {
  isAdjustedToUTC: boolean;
  unit: TimeUnit;
}

export interface IntType {
  /** Thrift `i8`: 8, 16, 32 or 64. */
  bitWidth: number;
  isSigned: boolean;
}

export interface VariantType {
  /** Thrift `i8`. */
  specification_version?: number;
}

export interface GeometryType {
  crs?: string;
}

export interface GeographyType {
  crs?: string;
  algorithm?: EdgeInterpolationAlgorithm;
}

/** Members with their parquet.thrift field ids (9 is reserved for INTERVAL). */
export interface LogicalTypeMembers {
  /** 1 */ STRING: EmptyStruct;
  /** 2 */ MAP: EmptyStruct;
  /** 3 */ LIST: EmptyStruct;
  /** 4 */ ENUM: EmptyStruct;
  /** 5 */ DECIMAL: DecimalType;
  /** 6 */ DATE: EmptyStruct;
  /** 7 */ TIME: TimeType;
  /** 8 */ TIMESTAMP: TimestampType;
  /** 10 */ INTEGER: IntType;
  /** 11 (NullType) */ UNKNOWN: EmptyStruct;
  /** 12 */ JSON: EmptyStruct;
  /** 13 */ BSON: EmptyStruct;
  /** 14 */ UUID: EmptyStruct;
  /** 15 */ FLOAT16: EmptyStruct;
  /** 16 */ VARIANT: VariantType;
  /** 17 */ GEOMETRY: GeometryType;
  /** 18 */ GEOGRAPHY: GeographyType;
  /** 19 */ VECTOR: EmptyStruct;
}
export type LogicalType = OneOf<LogicalTypeMembers>;

// ---- schema ---------------------------------------------------------------------------

export interface SchemaElement {
  type?: Type;
  type_length?: number;
  repetition_type?: FieldRepetitionType;
  name: string;
  num_children?: number;
  converted_type?: ConvertedType;
  scale?: number;
  precision?: number;
  field_id?: number;
  logicalType?: LogicalType;
  vector_length?: number;
}

// ---- pages ------------------------------------------------------------------------------

export interface DataPageHeader {
  num_values: number;
  encoding: Encoding;
  definition_level_encoding: Encoding;
  repetition_level_encoding: Encoding;
  statistics?: Statistics;
}

type IndexPageHeader = EmptyStruct;

export interface DictionaryPageHeader {
  num_values: number;
  encoding: Encoding;
  is_sorted?: boolean;
}

export interface DataPageHeaderV2 {
  num_values: number;
  num_nulls: number;
  num_rows: number;
  encoding: Encoding;
  definition_levels_byte_length: number;
  repetition_levels_byte_length: number;
  /** Thrift default is true; omitted means compressed. */
  is_compressed?: boolean;
  statistics?: Statistics;
}

export interface PageHeader {
  type: PageType;
  uncompressed_page_size: number;
  compressed_page_size: number;
  /** Thrift `i32`: CRC32 reinterpreted as signed (callers pass `crc | 0`). */
  crc?: number;
  data_page_header?: DataPageHeader;
  index_page_header?: IndexPageHeader;
  dictionary_page_header?: DictionaryPageHeader;
  data_page_header_v2?: DataPageHeaderV2;
}

// ---- bloom filter ---------------------------------------------------------------------

export type BloomFilterAlgorithm = OneOf<{ BLOCK: EmptyStruct }>;
export type BloomFilterHash = OneOf<{ XXHASH: EmptyStruct }>;
export type BloomFilterCompression = OneOf<{ UNCOMPRESSED: EmptyStruct }>;

export interface BloomFilterHeader {
  numBytes: number;
  algorithm: BloomFilterAlgorithm;
  hash: BloomFilterHash;
  compression: BloomFilterCompression;
}

// ---- column chunks, row groups ---------------------------------------------------------

export interface KeyValue {
  key: string;
  value?: string;
}

export interface SortingColumn {
  column_idx: number;
  descending: boolean;
  nulls_first: boolean;
}

export interface PageEncodingStats {
  page_type: PageType;
  encoding: Encoding;
  count: number;
}

export interface ColumnMetaData {
  type: Type;
  encodings: Encoding[];
  path_in_schema: string[];
  codec: CompressionCodec;
  num_values: Int64;
  total_uncompressed_size: Int64;
  total_compressed_size: Int64;
  key_value_metadata?: KeyValue[];
  data_page_offset: Int64;
  index_page_offset?: Int64;
  dictionary_page_offset?: Int64;
  statistics?: Statistics;
  encoding_stats?: PageEncodingStats[];
  bloom_filter_offset?: Int64;
  bloom_filter_length?: number;
  size_statistics?: SizeStatistics;
}

export interface EncryptionWithColumnKey {
  path_in_schema: string[];
  key_metadata?: Uint8Array;
}

export type ColumnCryptoMetaData = OneOf<{
  ENCRYPTION_WITH_FOOTER_KEY: EmptyStruct;
  ENCRYPTION_WITH_COLUMN_KEY: EncryptionWithColumnKey;
}>;

export interface ColumnChunk {
  file_path?: string;
  /** Deprecated; parquet.thrift says writers should set 0. */
  file_offset: Int64;
  /** Optional in the IDL but required in practice by every major reader. */
  meta_data?: ColumnMetaData;
  offset_index_offset?: Int64;
  offset_index_length?: number;
  column_index_offset?: Int64;
  column_index_length?: number;
  crypto_metadata?: ColumnCryptoMetaData;
  encrypted_column_metadata?: Uint8Array;
}

export interface RowGroup {
  columns: ColumnChunk[];
  total_byte_size: Int64;
  num_rows: Int64;
  sorting_columns?: SortingColumn[];
  file_offset?: Int64;
  total_compressed_size?: Int64;
  /** Thrift `i16`. */
  ordinal?: number;
}

// ---- file ---------------------------------------------------------------------------------

export type ColumnOrder = OneOf<{
  TYPE_ORDER: EmptyStruct;
  IEEE_754_TOTAL_ORDER: EmptyStruct;
  INT96_TIMESTAMP_ORDER: EmptyStruct;
}>;

export interface AesGcmV1 {
  aad_prefix?: Uint8Array;
  aad_file_unique?: Uint8Array;
  supply_aad_prefix?: boolean;
}

type AesGcmCtrV1 = AesGcmV1;

export type EncryptionAlgorithm = OneOf<{
  AES_GCM_V1: AesGcmV1;
  AES_GCM_CTR_V1: AesGcmCtrV1;
}>;

export interface FileMetaData {
  /** parquet.thrift recommends always writing 1. */
  version: number;
  schema: SchemaElement[];
  num_rows: Int64;
  row_groups: RowGroup[];
  key_value_metadata?: KeyValue[];
  created_by?: string;
  column_orders?: ColumnOrder[];
  encryption_algorithm?: EncryptionAlgorithm;
  footer_signing_key_metadata?: Uint8Array;
}

// ---- page index ------------------------------------------------------------------------------

export interface PageLocation {
  offset: Int64;
  compressed_page_size: number;
  first_row_index: Int64;
}

export interface OffsetIndex {
  page_locations: PageLocation[];
  unencoded_byte_array_data_bytes?: Int64[];
}

export interface ColumnIndex {
  null_pages: boolean[];
  min_values: Uint8Array[];
  max_values: Uint8Array[];
  boundary_order: BoundaryOrder;
  null_counts?: Int64[];
  repetition_level_histograms?: Int64[];
  definition_level_histograms?: Int64[];
  nan_counts?: Int64[];
}
