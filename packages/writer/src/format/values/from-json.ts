import { ParquetValueError, describeValue } from '../errors.js';
import type { FieldSpec, TimeUnitName, TypeSpec } from '../schema/types.js';

/**
 * Converts a row parsed from JSON into the JS values the writer takes, following the
 * JSON conventions of docs/cli.md (convert): 64-bit integers as numbers or decimal strings, binary,
 * fixed and bson as base64, timestamps as ISO-8601 strings (any fraction precision) or
 * numbers in the column's unit, dates as YYYY-MM-DD or day numbers, json columns as any
 * JSON value, maps as objects or [key, value] arrays, floats also as "NaN"/"Infinity".
 */
export type JsonRowConverter = (row: unknown, rowIndex: number) => Record<string, unknown>;

export function makeJsonRowConverter(fields: readonly FieldSpec[]): JsonRowConverter {
  const convert = structConverter(fields, '');
  return (row, rowIndex) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ParquetValueError('<row>', rowIndex, `expected a JSON object, got ${describeValue(row)}`);
    }
    return convert(row, rowIndex) as Record<string, unknown>;
  };
}

type Conv = (v: unknown, row: number) => unknown;

function structConverter(fields: readonly FieldSpec[], prefix: string): Conv {
  const parts = fields.map((f) => ({ name: f.name, conv: converter(f, prefix + f.name) }));
  return (v, row) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v; // the writer reports the shape
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { name, conv } of parts) out[name] = conv(src[name], row);
    return out;
  };
}

function converter(spec: TypeSpec, path: string): Conv {
  const inner = nonNullConverter(spec, path);
  return (v, row) => (v === null || v === undefined ? null : inner(v, row));
}

function nonNullConverter(spec: TypeSpec, path: string): Conv {
  const fail = (row: number, v: unknown, what: string): never => {
    throw new ParquetValueError(path, row, `expected ${what}, got ${describeValue(v)}`);
  };
  switch (spec.type) {
    case 'struct':
      return structConverter(spec.fields, path + '.');
    case 'list': {
      const el = converter(spec.element, path + '.list.element');
      return (v, row) => (Array.isArray(v) ? v.map((x) => el(x, row)) : v);
    }
    case 'map': {
      const key = converter(spec.key, path + '.key_value.key');
      const value = converter(spec.value, path + '.key_value.value');
      return (v, row) => {
        if (Array.isArray(v)) return v.map((p) => (Array.isArray(p) && p.length === 2 ? [key(p[0], row), value(p[1], row)] : p));
        if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => [key(k, row), value(x, row)]);
        return v;
      };
    }
    case 'binary':
    case 'bson':
    case 'fixed':
      return (v, row) => (typeof v === 'string' ? decodeBase64(v, row, path) : fail(row, v, 'a base64 string'));
    case 'int96':
      return (v, row) => (typeof v === 'string' ? parseIsoTimestamp(v, 'ns', row, path) : v);
    case 'json':
      return (v) => JSON.stringify(v);
    case 'float':
    case 'double':
    case 'float16':
      return (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
    case 'timestamp':
      return (v, row) => (typeof v === 'string' ? parseIsoTimestamp(v, spec.unit, row, path) : v);
    case 'date':
      return (v, row) => (typeof v === 'string' ? parseDate(v, row, path) : v);
    default:
      return (v) => v;
  }
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function decodeBase64(s: string, row: number, path: string): Uint8Array {
  if (!BASE64.test(s)) throw new ParquetValueError(path, row, `${describeValue(s)} is not base64`);
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const ISO = /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const PER_SECOND: Record<TimeUnitName, bigint> = { ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

/** ISO-8601 to an exact count of `unit` (Date would drop micro- and nanoseconds). */
function parseIsoTimestamp(s: string, unit: TimeUnitName, row: number, path: string): bigint {
  const m = ISO.exec(s.trim());
  if (!m) throw new ParquetValueError(path, row, `${describeValue(s)} is not an ISO-8601 timestamp`);
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const days = daysFromCivil(Number(y), Number(mo), Number(d));
  if (days === undefined) throw new ParquetValueError(path, row, `${describeValue(s)} is not a valid date`);
  let seconds = BigInt(days) * 86400n + BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(sec));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    seconds -= BigInt(sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60));
  }
  const per = PER_SECOND[unit];
  const fracDigits = per.toString().length - 1;
  if (frac.length > fracDigits && /[1-9]/.test(frac.slice(fracDigits))) {
    throw new ParquetValueError(path, row, `${describeValue(s)} is more precise than the column's unit (${unit})`);
  }
  const fraction = BigInt((frac + '0'.repeat(fracDigits)).slice(0, fracDigits) || '0');
  return seconds * per + fraction;
}

function parseDate(s: string, row: number, path: string): number {
  const m = /^(-?\d{4,6})-(\d{2})-(\d{2})$/.exec(s.trim());
  const days = m ? daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  if (days === undefined) throw new ParquetValueError(path, row, `${describeValue(s)} is not a YYYY-MM-DD date`);
  return days;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, or undefined if it is not a real date. */
function daysFromCivil(y: number, m: number, d: number): number | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d > monthDays) return undefined;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
