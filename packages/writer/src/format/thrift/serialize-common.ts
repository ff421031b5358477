/**
 * Shared pieces of the Parquet metadata serializers: optional-field helpers, typed
 * list writers, union handling and the small structs used in several places
 * (Statistics, SizeStatistics, KeyValue). Field ids and declared types follow
 * apache/parquet-format src/main/thrift/parquet.thrift.
 */
import { CompactType, CompactWriter, LIST_BOOL_ELEMENT } from './compact-writer.js';
import type { EmptyStruct, Int64, KeyValue, SizeStatistics, Statistics } from './parquet-metadata.js';

// ---- optional scalar fields: omitted from the wire when undefined -----------------------

export function optBool(w: CompactWriter, id: number, v: boolean | undefined): void {
  if (v !== undefined) w.fieldBool(id, v);
}

export function optI8(w: CompactWriter, id: number, v: number | undefined): void {
  if (v !== undefined) w.fieldI8(id, v);
}

export function optI16(w: CompactWriter, id: number, v: number | undefined): void {
  if (v !== undefined) w.fieldI16(id, v);
}

export function optI32(w: CompactWriter, id: number, v: number | undefined): void {
  if (v !== undefined) w.fieldI32(id, v);
}

export function optI64(w: CompactWriter, id: number, v: Int64 | undefined): void {
  if (v !== undefined) w.fieldI64(id, v);
}

export function optBinary(w: CompactWriter, id: number, v: Uint8Array | undefined): void {
  if (v !== undefined) w.fieldBinary(id, v);
}

export function optString(w: CompactWriter, id: number, v: string | undefined): void {
  if (v !== undefined) w.fieldString(id, v);
}

// ---- typed list fields ------------------------------------------------------------------

function checkList(values: readonly unknown[], id: number): void {
  if (!Array.isArray(values)) throw new TypeError(`thrift list field ${id}: expected an array`);
}

/** `list<i32>`, also used for `list<SomeEnum>` (enums travel as i32). */
export function fieldI32List(w: CompactWriter, id: number, values: readonly number[]): void {
  checkList(values, id);
  w.fieldList(id, CompactType.I32, values.length);
  for (const v of values) w.writeI32(v);
}

function fieldI64List(w: CompactWriter, id: number, values: readonly Int64[]): void {
  checkList(values, id);
  w.fieldList(id, CompactType.I64, values.length);
  for (const v of values) w.writeI64(v);
}

export function fieldBoolList(w: CompactWriter, id: number, values: readonly boolean[]): void {
  checkList(values, id);
  w.fieldList(id, LIST_BOOL_ELEMENT, values.length);
  for (const v of values) w.writeBool(v);
}

export function fieldStringList(w: CompactWriter, id: number, values: readonly string[]): void {
  checkList(values, id);
  w.fieldList(id, CompactType.BINARY, values.length);
  for (const v of values) w.writeString(v);
}

export function fieldBinaryList(w: CompactWriter, id: number, values: readonly Uint8Array[]): void {
  checkList(values, id);
  w.fieldList(id, CompactType.BINARY, values.length);
  for (const v of values) w.writeBinary(v);
}

/** `list<SomeStruct>`: each element is a complete struct (fields + stop). */
export function fieldStructList<T>(w: CompactWriter, id: number, values: readonly T[], writeItem: (w: CompactWriter, item: T) => void): void {
  checkList(values, id);
  w.fieldList(id, CompactType.STRUCT, values.length);
  for (const v of values) writeItem(w, v);
}

export function optI64List(w: CompactWriter, id: number, v: readonly Int64[] | undefined): void {
  if (v !== undefined) fieldI64List(w, id, v);
}

/** Struct-valued field: header then the nested struct. */
export function fieldStruct<T>(w: CompactWriter, id: number, value: T, write: (w: CompactWriter, value: T) => void): void {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`thrift struct field ${id}: expected an object`);
  }
  w.fieldStruct(id);
  write(w, value);
}

export function optStruct<T>(w: CompactWriter, id: number, value: T | undefined, write: (w: CompactWriter, value: T) => void): void {
  if (value !== undefined) fieldStruct(w, id, value, write);
}

// ---- unions -----------------------------------------------------------------------------

/** A struct with no fields is just its stop byte. */
export function writeEmptyStruct(w: CompactWriter, _value: EmptyStruct): void {
  w.structBegin();
  w.structEnd();
}

/** For each union member: its field id and the writer of its struct value. */
export type UnionSpec<M> = {
  [K in keyof M]-?: readonly [id: number, write: (w: CompactWriter, value: M[K]) => void];
};

/**
 * A union is encoded as a struct with exactly one field set (compact protocol spec,
 * "Struct"). We refuse zero or several members rather than emit an ambiguous union.
 */
export function writeUnion<M>(w: CompactWriter, name: string, value: Partial<M>, spec: UnionSpec<M>): void {
  let found: keyof M | undefined;
  for (const key of Object.keys(value) as (keyof M)[]) {
    if (value[key] === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      throw new TypeError(`thrift union ${name}: unknown member ${String(key)}`);
    }
    if (found !== undefined) {
      throw new TypeError(`thrift union ${name}: both ${String(found)} and ${String(key)} are set`);
    }
    found = key;
  }
  if (found === undefined) throw new TypeError(`thrift union ${name}: no member is set`);
  const [id, write] = spec[found];
  w.structBegin();
  fieldStruct(w, id, value[found] as M[keyof M], write);
  w.structEnd();
}

// ---- shared structs -----------------------------------------------------------------------

/** parquet.thrift `struct Statistics`: every field optional. */
export function writeStatistics(w: CompactWriter, s: Statistics): void {
  w.structBegin();
  optBinary(w, 1, s.max);
  optBinary(w, 2, s.min);
  optI64(w, 3, s.null_count);
  optI64(w, 4, s.distinct_count);
  optBinary(w, 5, s.max_value);
  optBinary(w, 6, s.min_value);
  optBool(w, 7, s.is_max_value_exact);
  optBool(w, 8, s.is_min_value_exact);
  optI64(w, 9, s.nan_count);
  w.structEnd();
}

/** parquet.thrift `struct SizeStatistics`. */
export function writeSizeStatistics(w: CompactWriter, s: SizeStatistics): void {
  w.structBegin();
  optI64(w, 1, s.unencoded_byte_array_data_bytes);
  optI64List(w, 2, s.repetition_level_histogram);
  optI64List(w, 3, s.definition_level_histogram);
  w.structEnd();
}

/** parquet.thrift `struct KeyValue { 1: required string key; 2: optional string value }`. */
export function writeKeyValue(w: CompactWriter, kv: KeyValue): void {
  w.structBegin();
  w.fieldString(1, kv.key);
  optString(w, 2, kv.value);
  w.structEnd();
}
