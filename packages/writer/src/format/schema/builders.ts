import type { DecimalTypeSpec, FieldSpec, SimpleTypeName, TimeUnitName, TypeSpec } from './types.js';

/**
 * TypeScript schema builders. Each builder returns a TypeSpec that also carries, at the
 * type level only, the JS type a row supplies for it, so `defineSchema` can infer the row
 * type:
 *
 *   const schema = defineSchema({ id: t.int64(), tags: t.optional(t.list(t.string())) });
 *   type Row = RowOf<typeof schema>; // { id: bigint | number; tags?: string[] | null }
 */
export type Typed<T> = TypeSpec & { readonly __js?: T };

type JsOf<S> = S extends Typed<infer T> ? T : never;

type OptionalKeys<F> = { [K in keyof F]: undefined extends JsOf<F[K]> ? K : never }[keyof F];
type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
type Flatten<T> = { [K in keyof T]: T[K] };

/** The row object type of a record of typed fields. */
export type RecordOf<F extends Record<string, Typed<unknown>>> = Flatten<{ [K in RequiredKeys<F>]: JsOf<F[K]> } & { [K in OptionalKeys<F>]?: JsOf<F[K]> }>;

export interface Schema<Row> {
  readonly fields: FieldSpec[];
  /** Type-level only: the row type. */
  readonly __row?: Row;
}

export type RowOf<S> = S extends Schema<infer R> ? R : never;

type Int64Js = bigint | number;
type TemporalJs = Date | number | bigint;
type BinaryJs = Uint8Array | string;

function simple<T>(type: SimpleTypeName): Typed<T> {
  return { type } as Typed<T>;
}

export const t = {
  boolean: () => simple<boolean>('boolean'),
  int8: () => simple<number>('int8'),
  int16: () => simple<number>('int16'),
  int32: () => simple<number>('int32'),
  int64: () => simple<Int64Js>('int64'),
  uint8: () => simple<number>('uint8'),
  uint16: () => simple<number>('uint16'),
  uint32: () => simple<number>('uint32'),
  uint64: () => simple<Int64Js>('uint64'),
  float: () => simple<number>('float'),
  double: () => simple<number>('double'),
  float16: () => simple<number>('float16'),
  string: () => simple<string>('string'),
  enum: () => simple<string>('enum'),
  json: () => simple<unknown>('json'),
  binary: () => simple<BinaryJs>('binary'),
  bson: () => simple<BinaryJs>('bson'),
  uuid: () => simple<string | Uint8Array>('uuid'),
  date: () => simple<Date | number>('date'),
  int96: () => simple<Date | bigint | Uint8Array>('int96'),
  fixed: (length: number): Typed<Uint8Array> => ({ type: 'fixed', length }) as Typed<Uint8Array>,
  time: (unit: TimeUnitName, opts: { utc?: boolean } = {}): Typed<number | bigint> => ({ type: 'time', unit, utc: opts.utc ?? true }) as Typed<number | bigint>,
  timestamp: (unit: TimeUnitName, opts: { utc?: boolean } = {}): Typed<TemporalJs> => ({ type: 'timestamp', unit, utc: opts.utc ?? true }) as Typed<TemporalJs>,
  decimal: (precision: number, scale = 0, physical?: DecimalTypeSpec['physical']): Typed<bigint | string | number> =>
    ({ type: 'decimal', precision, scale, ...(physical ? { physical } : {}) }) as Typed<bigint | string | number>,
  list: <T>(element: Typed<T>): Typed<T[]> => ({ type: 'list', element }) as Typed<T[]>,
  struct: <F extends Record<string, Typed<unknown>>>(fields: F): Typed<RecordOf<F>> => ({ type: 'struct', fields: toFields(fields) }) as Typed<RecordOf<F>>,
  map: <K, V>(key: Typed<K>, value: Typed<V>): Typed<Map<K, V> | [K, V][] | Record<string, V>> =>
    ({ type: 'map', key, value }) as Typed<Map<K, V> | [K, V][] | Record<string, V>>,
  /** OPTIONAL repetition: the value may be null or missing. */
  optional: <T>(spec: Typed<T>): Typed<T | null | undefined> => ({ ...spec, optional: true }) as Typed<T | null | undefined>,
};

function toFields(fields: Record<string, TypeSpec>): FieldSpec[] {
  return Object.entries(fields).map(([name, spec]) => ({ ...spec, name }) as FieldSpec);
}

/** A schema from a record of typed fields, in key order. */
export function defineSchema<F extends Record<string, Typed<unknown>>>(fields: F): Schema<RecordOf<F>> {
  return { fields: toFields(fields) };
}
