/**
 * SchemaElement and LogicalType serialization. Field ids and declared Thrift types
 * are from apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { CompactWriter } from './compact-writer.js';
import type {
  DecimalType,
  GeographyType,
  GeometryType,
  IntType,
  LogicalType,
  LogicalTypeMembers,
  SchemaElement,
  TimeType,
  TimeUnit,
  TimestampType,
  VariantType,
  EmptyStruct,
} from './parquet-metadata.js';
import { fieldStruct, optI32, optI8, optString, optStruct, writeEmptyStruct, writeUnion } from './serialize-common.js';

/** `union TimeUnit { 1: MILLIS; 2: MICROS; 3: NANOS }`, each an empty struct. */
function writeTimeUnit(w: CompactWriter, u: TimeUnit): void {
  writeUnion<{ MILLIS: EmptyStruct; MICROS: EmptyStruct; NANOS: EmptyStruct }>(w, 'TimeUnit', u, {
    MILLIS: [1, writeEmptyStruct],
    MICROS: [2, writeEmptyStruct],
    NANOS: [3, writeEmptyStruct],
  });
}

/** `struct DecimalType { 1: required i32 scale; 2: required i32 precision }`. */
function writeDecimalType(w: CompactWriter, d: DecimalType): void {
  w.structBegin();
  w.fieldI32(1, d.scale);
  w.fieldI32(2, d.precision);
  w.structEnd();
}

/** TimeType and TimestampType share a layout: 1: bool isAdjustedToUTC, 2: TimeUnit unit. */
function writeTimeOrTimestamp(w: CompactWriter, t: TimeType | TimestampType): void {
  w.structBegin();
  w.fieldBool(1, t.isAdjustedToUTC);
  fieldStruct(w, 2, t.unit, writeTimeUnit);
  w.structEnd();
}

/**
 * `struct IntType { 1: required i8 bitWidth; 2: required bool isSigned }`. bitWidth is
 * an i8 on the wire (type 3, one raw byte); pyarrow and DuckDB reject an i32 here.
 */
function writeIntType(w: CompactWriter, t: IntType): void {
  w.structBegin();
  w.fieldI8(1, t.bitWidth);
  w.fieldBool(2, t.isSigned);
  w.structEnd();
}

/** `struct VariantType { 1: optional i8 specification_version }`. */
function writeVariantType(w: CompactWriter, t: VariantType): void {
  w.structBegin();
  optI8(w, 1, t.specification_version);
  w.structEnd();
}

/** `struct GeometryType { 1: optional string crs }`. */
function writeGeometryType(w: CompactWriter, t: GeometryType): void {
  w.structBegin();
  optString(w, 1, t.crs);
  w.structEnd();
}

/** `struct GeographyType { 1: optional string crs; 2: optional EdgeInterpolationAlgorithm }`. */
function writeGeographyType(w: CompactWriter, t: GeographyType): void {
  w.structBegin();
  optString(w, 1, t.crs);
  optI32(w, 2, t.algorithm);
  w.structEnd();
}

/** `union LogicalType`, ids as in parquet.thrift (9 is reserved for INTERVAL). */
function writeLogicalType(w: CompactWriter, t: LogicalType): void {
  writeUnion<LogicalTypeMembers>(w, 'LogicalType', t, {
    STRING: [1, writeEmptyStruct],
    MAP: [2, writeEmptyStruct],
    LIST: [3, writeEmptyStruct],
    ENUM: [4, writeEmptyStruct],
    DECIMAL: [5, writeDecimalType],
    DATE: [6, writeEmptyStruct],
    TIME: [7, writeTimeOrTimestamp],
    TIMESTAMP: [8, writeTimeOrTimestamp],
    INTEGER: [10, writeIntType],
    UNKNOWN: [11, writeEmptyStruct],
    JSON: [12, writeEmptyStruct],
    BSON: [13, writeEmptyStruct],
    UUID: [14, writeEmptyStruct],
    FLOAT16: [15, writeEmptyStruct],
    VARIANT: [16, writeVariantType],
    GEOMETRY: [17, writeGeometryType],
    GEOGRAPHY: [18, writeGeographyType],
    VECTOR: [19, writeEmptyStruct],
  });
}

/**
 * `struct SchemaElement`: type/repetition_type/converted_type are enums (i32), the
 * sizes and ids are i32, name is a required string, logicalType a union.
 */
export function writeSchemaElement(w: CompactWriter, e: SchemaElement): void {
  w.structBegin();
  optI32(w, 1, e.type);
  optI32(w, 2, e.type_length);
  optI32(w, 3, e.repetition_type);
  w.fieldString(4, e.name);
  optI32(w, 5, e.num_children);
  optI32(w, 6, e.converted_type);
  optI32(w, 7, e.scale);
  optI32(w, 8, e.precision);
  optI32(w, 9, e.field_id);
  optStruct(w, 10, e.logicalType, writeLogicalType);
  optI32(w, 11, e.vector_length);
  w.structEnd();
}
