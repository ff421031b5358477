/**
 * A dataset row as JSON, the form the JSON-lines bridge carries and SaveToParquet reads back:
 * timestamps as ISO-8601 text (to the microsecond), 64-bit integers and i128 amounts as
 * numbers while exact and as decimal text beyond, bytes as base64.
 */
import type { TableSchema } from '../consumer/table-catalog.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** ISO-8601 UTC text of a µs timestamp, with the fraction only as long as it needs to be. */
export function isoFromMicros(us: bigint): string {
  const ms = us / 1000n;
  const iso = new Date(Number(ms)).toISOString();
  const micros = Number(((us % 1000n) + 1000n) % 1000n);
  return micros === 0 ? iso : `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= -MAX_EXACT && v <= MAX_EXACT ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return v;
}

/** The row's columns in order, as JSON values. */
export function rowToJson(table: Pick<TableSchema, 'fields'>, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of table.fields) {
    const v = row[f.name];
    out[f.name] = f.type === 'timestamp' && typeof v === 'bigint' ? isoFromMicros(v) : Array.isArray(v) ? v.map(jsonValue) : jsonValue(v);
  }
  return out;
}
