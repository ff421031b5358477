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
export type OneOf<T> = {
  [K in keyof T]: { [P in K]: T[P] } & { [P in Exclude<keyof T, K>]?: never };
}[keyof T];

// ---- enums ------------------------------------------------------------------------

export const Type = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  /** Deprecated in parquet.thrift; new writers should not produce INT96. */
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
export type Type = (typeof Type)[keyof typeof Type];

/** Deprecated in favour of LogicalType, but still required alongside it for v1 readers. */
export const ConvertedType = {
  UTF8: 0,
  MAP: 1,
  MAP_KEY_VALUE: 2,
  LIST: 3,
  ENUM: 4,
  DECIMAL: 5,
  DATE: 6,
  TIME_MILLIS: 7,
  TIME_MICROS: 8,
  TIMESTAMP_MILLIS: 9,
  TIMESTAMP_MICROS: 10,
  UINT_8: 11,
  UINT_16: 12,
  UINT_32: 13,
  UINT_64: 14,
  INT_8: 15,
  INT_16: 16,
  INT_32: 17,
  INT_64: 18,
  JSON: 19,
  BSON: 20,
  INTERVAL: 21,
} as const;
export type ConvertedType = (typeof ConvertedType)[keyof typeof ConvertedType];

export const FieldRepetitionType = {
  REQUIRED: 0,
  OPTIONAL: 1,
  REPEATED: 2,
  /** Fixed-size vector group (newest parquet.thrift); most readers do not know it yet. */
  VECTOR: 3,
} as const;
export type FieldRepetitionType = (typeof FieldRepetitionType)[keyof typeof FieldRepetitionType];

/** Value 1 (GROUP_VAR_INT) is retired in parquet.thrift and deliberately absent. */
export const Encoding = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  BIT_PACKED: 4,
  DELTA_BINARY_PACKED: 5,
  DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7,
  RLE_DICTIONARY: 8,
  BYTE_STREAM_SPLIT: 9,
} as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

export const CompressionCodec = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  LZO: 3,
  BROTLI: 4,
  /** Deprecated Hadoop-framed LZ4; use LZ4_RAW. */
  LZ4: 5,
  ZSTD: 6,
  LZ4_RAW: 7,
} as const;
export type CompressionCodec = (typeof CompressionCodec)[keyof typeof CompressionCodec];

export const PageType = {
  DATA_PAGE: 0,
  INDEX_PAGE: 1,
  DICTIONARY_PAGE: 2,
  DATA_PAGE_V2: 3,
} as const;
export type PageType = (typeof PageType)[keyof typeof PageType];

export const BoundaryOrder = {
  UNORDERED: 0,
  ASCENDING: 1,
  DESCENDING: 2,
} as const;
export type BoundaryOrder = (typeof BoundaryOrder)[keyof typeof BoundaryOrder];

export const EdgeInterpolationAlgorithm = {
  SPHERICAL: 0,
  VINCENTY: 1,
  THOMAS: 2,
  ANDOYER: 3,
  KARNEY: 4,
} as const;
export type EdgeInterpolationAlgorithm =
  (typeof EdgeInterpolationAlgorithm)[keyof typeof EdgeInterpolationAlgorithm];

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

export type IndexPageHeader = EmptyStruct;

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

export type AesGcmCtrV1 = AesGcmV1;

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
