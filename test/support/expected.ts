/**
 * What each reader should return for a schema and its input rows, in the value encoding
 * of readers.py (see there), plus the Arrow type each reader should report. The rules
 * per reader were established from the Parquet LogicalTypes spec and each reader's
 * documented type mapping: pyarrow keeps every logical type (ENUM becomes binary);
 * DuckDB reads timestamps with isAdjustedToUTC as TIMESTAMPTZ (us), ms values as us,
 * TIME NANOS adjusted to UTC as TIME (us), INT96 as TIMESTAMP (us), UUID as text, FLOAT16
 * as FLOAT; polars has no FLOAT16/ENUM/JSON/UUID/FIXED (raw binary), times are ns.
 */
import type { FieldSpec, PrimitiveTypeSpec, TypeSpec } from '../../packages/writer/src/format/schema/types.js';
import type { JsonValue } from './python-readers.js';
import { canon, encFloat, floorDiv, hex, mapEntries, isPrimitive, type Canon } from './model.js';

export type ReaderName = 'pyarrow' | 'duckdb' | 'polars' | 'hyparquet';

function uuidText(b: Uint8Array): string {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function intOf(c: Canon): bigint {
  if (c.k !== 'int' && c.k !== 'decimal') throw new Error(`expected an integer canon, got ${c.k}`);
  return c.v;
}
function bytesOf(c: Canon): Uint8Array {
  if (c.k === 'bytes') return c.v;
  if (c.k === 'text') return c.bytes;
  throw new Error(`expected bytes canon, got ${c.k}`);
}

/** Arrow type string (readers.py's tstr) a reader reports for a primitive column, or undefined if it cannot read it. */
export function leafType(spec: PrimitiveTypeSpec, r: ReaderName): string {
  const tsUnit = (u: string) => u;
  switch (spec.type) {
    case 'boolean':
      return 'bool';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return spec.type;
    case 'float':
      return 'float';
    case 'double':
      return 'double';
    case 'float16':
      return r === 'pyarrow' ? 'halffloat' : r === 'duckdb' ? 'float' : 'large_binary';
    case 'string':
      return r === 'polars' ? 'large_string' : 'string';
    case 'enum':
      return r === 'pyarrow' ? 'binary' : r === 'duckdb' ? 'string' : 'large_binary';
    case 'json':
      return r === 'pyarrow' ? 'extension<arrow.json>' : r === 'duckdb' ? 'string' : 'large_binary';
    case 'bson':
    case 'binary':
      return r === 'polars' ? 'large_binary' : 'binary';
    case 'fixed':
      return r === 'pyarrow' ? `fixed_size_binary[${spec.length}]` : r === 'duckdb' ? 'binary' : 'large_binary';
    case 'uuid':
      return r === 'pyarrow' ? 'extension<arrow.uuid>' : r === 'duckdb' ? 'string' : 'large_binary';
    case 'date':
      return 'date32[day]';
    case 'time':
      if (r === 'polars') return 'time64[ns]';
      if (r === 'duckdb') return spec.unit === 'ns' && spec.utc === false ? 'time64[ns]' : 'time64[us]';
      return spec.unit === 'ms' ? 'time32[ms]' : `time64[${spec.unit}]`;
    case 'timestamp': {
      if (r === 'duckdb') {
        if (spec.utc !== false) return 'timestamp[us, tz=Etc/UTC]';
        return spec.unit === 'ns' ? 'timestamp[ns]' : 'timestamp[us]';
      }
      return spec.utc !== false ? `timestamp[${tsUnit(spec.unit)}, tz=UTC]` : `timestamp[${spec.unit}]`;
    }
    case 'int96':
      return r === 'duckdb' ? 'timestamp[us]' : 'timestamp[ns]';
    case 'decimal':
      return `decimal128(${spec.precision}, ${spec.scale ?? 0})`;
  }
}

export function typeString(spec: TypeSpec, r: ReaderName): string {
  switch (spec.type) {
    case 'list':
      return `${r === 'polars' ? 'large_list' : 'list'}<${typeString(spec.element, r)}>`;
    case 'struct':
      return `struct<${spec.fields.map((f) => `${f.name}: ${typeString(f, r)}`).join(', ')}>`;
    case 'map':
      return r === 'polars'
        ? `large_list<struct<key: ${typeString(spec.key, r)}, value: ${typeString(spec.value, r)}>>`
        : `map<${typeString(spec.key, r)}, ${typeString(spec.value, r)}>`;
    default:
      return leafType(spec, r);
  }
}

/** A leaf value as reader `r` returns it, in readers.py's encoding. */
export function leafExpected(spec: PrimitiveTypeSpec, c: Canon, r: ReaderName): JsonValue {
  switch (spec.type) {
    case 'boolean':
      return c.v as boolean;
    case 'float':
    case 'double':
      return encFloat(c.v as number);
    case 'float16': {
      if (c.k !== 'half') throw new Error('half');
      if (r === 'polars') return hex(Uint8Array.of(c.bits & 0xff, c.bits >> 8));
      return encFloat(c.v);
    }
    case 'string':
      return c.v as string;
    case 'enum':
    case 'json':
      if (r === 'pyarrow' && spec.type === 'enum') return hex(bytesOf(c));
      if (r === 'polars') return hex(bytesOf(c));
      if (r === 'hyparquet' && spec.type === 'enum') return hex(bytesOf(c));
      return c.v as string;
    case 'binary':
    case 'bson':
    case 'fixed':
      return hex(bytesOf(c));
    case 'uuid':
      return r === 'duckdb' || r === 'hyparquet' ? uuidText(bytesOf(c)) : hex(bytesOf(c));
    case 'date':
      return String(intOf(c));
    case 'time': {
      const v = intOf(c);
      if (r === 'polars') return String(v * (spec.unit === 'ms' ? 1_000_000n : spec.unit === 'us' ? 1000n : 1n));
      if (r === 'duckdb') {
        if (spec.unit === 'ms') return String(v * 1000n);
        if (spec.unit === 'ns' && spec.utc !== false) return String(floorDiv(v, 1000n));
      }
      return String(v);
    }
    case 'timestamp': {
      const v = intOf(c);
      if (r === 'duckdb') {
        if (spec.unit === 'ms') return String(v * 1000n);
        if (spec.unit === 'ns' && spec.utc !== false) return String(v / 1000n); // truncates toward zero
      }
      return String(v);
    }
    case 'int96':
      return String(r === 'duckdb' ? floorDiv(intOf(c), 1000n) : intOf(c));
    case 'decimal': {
      if (r === 'hyparquet') return encFloat(Number(intOf(c)) / 10 ** (spec.scale ?? 0));
      return String(intOf(c));
    }
    default:
      return String(intOf(c));
  }
}

/** A (possibly nested) value as reader `r` returns it. */
export function valueExpected(spec: TypeSpec, v: unknown, r: ReaderName): JsonValue {
  if (v === null || v === undefined) return null;
  switch (spec.type) {
    case 'list':
      return (v as unknown[]).map((x) => valueExpected(spec.element, x, r));
    case 'struct':
      return rowExpected(spec.fields, v as Record<string, unknown>, r);
    case 'map': {
      const entries = mapEntries(v).map(([k, x]) => [valueExpected(spec.key, k, r), valueExpected(spec.value, x, r)] as const);
      if (r === 'polars') return entries.map(([key, value]) => ({ key, value }));
      if (r === 'hyparquet') {
        // hyparquet returns an object keyed by the decoded key; compare as sorted entries.
        const obj: Record<string, JsonValue> = {};
        for (const [key, value] of entries) obj[String(key)] = value;
        return sortedEntries(obj);
      }
      return entries.map(([key, value]) => [key, value]);
    }
    default:
      return leafExpected(spec, canon(spec, v), r);
  }
}

export function sortedEntries(obj: Record<string, JsonValue>): JsonValue {
  return Object.entries(obj)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, x]) => [k, x]);
}

export function rowExpected(fields: readonly FieldSpec[], row: Record<string, unknown>, r: ReaderName): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  for (const f of fields) out[f.name] = valueExpected(f, row[f.name], r);
  return out;
}

export { isPrimitive };
