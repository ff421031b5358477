/**
 * A table's columns, defined once: each column's Parquet type, a one-line description, and
 * the other names it may arrive under in JSON messages. The row type is derived from them,
 * in the writer's value types (bigint for int64, µs timestamps and i128 amounts, Uint8Array
 * for binary, JSON columns as JSON text), so rows go from an extractor to the writer
 * without changing form.
 */
import type { FieldSpec, TypeSpec } from 'cdp-parquet';

export interface Column<T> {
  readonly spec: TypeSpec;
  readonly description: string;
  /** How the value may arrive in a JSON message (aliases, a value when absent, ...). */
  readonly input: ColumnInput;
  /** Type-level only: the JS value of the column in a row. */
  readonly __js?: T;
}

import type { ColumnInput } from '../consumer/table-catalog.js';

type Options = ColumnInput;

function column<T>(spec: TypeSpec, description: string, opts: Options = {}): Column<T> {
  return { spec, description, input: opts };
}

/** Column builders; `nullable(c)` makes any of them OPTIONAL. */
export const col = {
  string: (d: string, o?: Options) => column<string>({ type: 'string' }, d, o),
  /** JSON text (the JSON logical type). */
  json: (d: string, o?: Options) => column<string>({ type: 'json' }, d, o),
  boolean: (d: string, o?: Options) => column<boolean>({ type: 'boolean' }, d, o),
  int32: (d: string, o?: Options) => column<number>({ type: 'int32' }, d, o),
  uint32: (d: string, o?: Options) => column<number>({ type: 'uint32' }, d, o),
  /** A signed 64-bit integer; rows may hold a safe integer as a number. */
  int64: (d: string, o?: Options) => column<bigint | number>({ type: 'int64' }, d, o),
  double: (d: string, o?: Options) => column<number>({ type: 'double' }, d, o),
  binary: (d: string, o?: Options) => column<Uint8Array>({ type: 'binary' }, d, o),
  /** Microseconds since the epoch, UTC. */
  timestampUs: (d: string, o?: Options) => column<bigint>({ type: 'timestamp', unit: 'us', utc: true }, d, o),
  /** An exact integer of up to 38 digits (DECIMAL(38,0)), e.g. an i128 amount. */
  decimal38: (d: string, o?: Options) => column<bigint>({ type: 'decimal', precision: 38, scale: 0 }, d, o),
  stringList: (d: string, o?: Options) => column<string[]>({ type: 'list', element: { type: 'string' } }, d, o),
  nullable: <T>(c: Column<T>): Column<T | null> => ({ ...c, spec: { ...c.spec, optional: true } }) as Column<T | null>,
};

export type ColumnsSpec = Record<string, Column<unknown>>;

/** The row of a table with these column specs: every column present, null where nullable and absent. */
export type RowOfSpec<C extends ColumnsSpec> = { [K in keyof C]: C[K] extends Column<infer T> ? T : never };

/** The row type of defined columns: `type Row = RowOf<typeof columns>`. */
export type RowOf<C> = C extends Columns<infer R> ? R : never;

/** One column as documentation and the consumer see it. */
export interface ColumnInfo {
  readonly name: string;
  readonly spec: TypeSpec;
  readonly description: string;
  readonly input: ColumnInput;
}

export interface Columns<Row> {
  readonly list: readonly ColumnInfo[];
  readonly fields: readonly FieldSpec[];
  /** Type-level only. */
  readonly __row?: Row;
}

/** Columns in key order. */
export function defineColumns<C extends ColumnsSpec>(spec: C): Columns<RowOfSpec<C>> {
  const list = Object.entries(spec).map(([name, c]): ColumnInfo => ({ name, spec: c.spec, description: c.description, input: c.input }));
  return { list, fields: list.map((c) => ({ ...c.spec, name: c.name }) as FieldSpec) };
}
