/**
 * The schema model users write, in TypeScript (see builders.ts) or as a JSON schema file
 * (see json-schema.ts). Type names follow the JSON schema format documented in docs/json-schema.md;
 * schema.ts maps them onto Parquet physical, logical and converted types per LogicalTypes.md.
 */
export type TimeUnitName = 'ms' | 'us' | 'ns';

export type SimpleTypeName =
  | 'boolean'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float'
  | 'double'
  | 'float16'
  | 'string'
  | 'binary'
  | 'enum'
  | 'json'
  | 'bson'
  | 'uuid'
  | 'date'
  | 'int96';

interface Nullable {
  /** OPTIONAL repetition when true; REQUIRED otherwise. */
  optional?: boolean;
}

export interface SimpleTypeSpec extends Nullable {
  type: SimpleTypeName;
}
export interface FixedTypeSpec extends Nullable {
  type: 'fixed';
  length: number;
}
export interface TemporalTypeSpec extends Nullable {
  type: 'time' | 'timestamp';
  unit: TimeUnitName;
  /** isAdjustedToUTC; defaults to true. */
  utc?: boolean;
}
export interface DecimalTypeSpec extends Nullable {
  type: 'decimal';
  precision: number;
  scale?: number;
  /** Physical storage; by default the smallest of int32 (p<=9), int64 (p<=18), fixed. */
  physical?: 'int32' | 'int64' | 'fixed' | 'binary';
}
export interface ListTypeSpec extends Nullable {
  type: 'list';
  element: TypeSpec;
}
export interface StructTypeSpec extends Nullable {
  type: 'struct';
  fields: FieldSpec[];
}
export interface MapTypeSpec extends Nullable {
  type: 'map';
  key: TypeSpec;
  value: TypeSpec;
}

export type PrimitiveTypeSpec = SimpleTypeSpec | FixedTypeSpec | TemporalTypeSpec | DecimalTypeSpec;
export type TypeSpec = PrimitiveTypeSpec | ListTypeSpec | StructTypeSpec | MapTypeSpec;
export type FieldSpec = TypeSpec & { name: string };

const SIMPLE_TYPE_NAMES: readonly SimpleTypeName[] = [
  'boolean',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float',
  'double',
  'float16',
  'string',
  'binary',
  'enum',
  'json',
  'bson',
  'uuid',
  'date',
  'int96',
];

export const ALL_TYPE_NAMES: readonly string[] = [...SIMPLE_TYPE_NAMES, 'fixed', 'time', 'timestamp', 'decimal', 'list', 'struct', 'map'];

export function isPrimitiveSpec(spec: TypeSpec): spec is PrimitiveTypeSpec {
  return spec.type !== 'list' && spec.type !== 'struct' && spec.type !== 'map';
}
