/**
 * Parquet enums from apache/parquet-format src/main/thrift/parquet.thrift, as `const`
 * objects with the IDL's numeric values plus same-named type aliases. Thrift enums
 * travel as i32 on the wire. Re-exported by parquet-metadata.ts.
 */

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
export type EdgeInterpolationAlgorithm = (typeof EdgeInterpolationAlgorithm)[keyof typeof EdgeInterpolationAlgorithm];
