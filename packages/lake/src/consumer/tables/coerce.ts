/**
 * Value coercion for tables with a fixed schema. Payloads come typed (dataset rows, already
 * in the writer's value types: checked and passed through) or as JSON (from the bridge), so
 * each column accepts both spellings of its value; anything else is a RejectError naming the
 * column, never a silent default (a balance that does not parse must not become 0).
 */
import { RejectError, toCloseTimeMs } from '../message-input.js';

export type Payload = Record<string, unknown>;

const camelNames = new Map<string, string>();

/** snake_case -> camelCase, the spelling upstream JSON processors use (memoised: it runs per field per row). */
const camel = (s: string): string => {
  let c = camelNames.get(s);
  if (c === undefined) {
    c = s.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    camelNames.set(s, c);
  }
  return c;
};

const NO_ALIASES: readonly string[] = [];

/** A field by its snake_case name, its camelCase name, or any alias, in that order. */
export function pick(p: Payload, name: string, aliases: readonly string[] = NO_ALIASES): unknown {
  const direct = p[name];
  if (direct !== undefined) return direct;
  const camelCased = p[camel(name)];
  if (camelCased !== undefined) return camelCased;
  for (const k of aliases) {
    const v = p[k];
    if (v !== undefined) return v;
  }
  return undefined;
}

const bad = (column: string, what: string, v: unknown): never => {
  const shown =
    typeof v === 'string'
      ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)
      : v instanceof Uint8Array
        ? `bytes(${v.length})`
        : typeof v === 'object' && v !== null
          ? 'an object'
          : String(v);
  throw new RejectError(`column ${column}: expected ${what}, got ${shown}`);
};

const missing = (column: string): never => {
  throw new RejectError(`column ${column}: required value is missing`);
};

export function str(column: string, v: unknown, required: boolean): string | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return bad(column, 'a string', v);
}

export function bool(column: string, v: unknown, required: boolean): boolean | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return bad(column, 'a boolean', v);
}

/** Unsigned 32-bit (ledger numbers). */
export function u32(column: string, v: unknown, required: boolean): number | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return bad(column, 'an unsigned 32-bit integer', v);
  return n;
}

export function i32(column: string, v: unknown, required: boolean): number | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) return bad(column, 'a 32-bit integer', v);
  return n;
}

const INT64_MIN = -(2n ** 63n);
const INT64_LIMIT = 2n ** 63n;

/**
 * Signed 64-bit: a bigint, a safe integer (kept a number: the writer takes both), or decimal
 * text. JSON numbers above 2^53 are already rounded, so those must come as text.
 */
export function i64(column: string, v: unknown, required: boolean): bigint | number | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'bigint') return v >= INT64_MIN && v < INT64_LIMIT ? v : bad(column, 'a 64-bit integer', v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) {
    const b = BigInt(v);
    if (b >= INT64_MIN && b < INT64_LIMIT) return b;
  }
  return bad(column, 'a 64-bit integer (number or decimal text)', v);
}

/**
 * Timestamp in µs since epoch: a bigint is already µs (dataset rows); otherwise ISO text, a
 * Date, or a number of seconds (Stellar's close_time unit).
 */
export function timestampUs(column: string, v: unknown, required: boolean): number | bigint | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'bigint') return v;
  const ms = toCloseTimeMs(v);
  if (ms === undefined) return bad(column, 'an ISO-8601 timestamp', v);
  // A plain number while it is exact (until the year 2255): no BigInt per row.
  const us = Math.round(ms) * 1000;
  return Number.isSafeInteger(us) ? us : BigInt(Math.round(ms)) * 1000n;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Raw bytes: Uint8Array/Buffer, base64 text (the JSON bridge), or Node's {type:'Buffer',data:[...]}. */
export function bytes(column: string, v: unknown, required: boolean): Uint8Array | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') {
    if (v.length % 4 !== 0 || !BASE64.test(v)) return bad(column, 'base64 bytes', v);
    return new Uint8Array(Buffer.from(v, 'base64'));
  }
  if (typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return new Uint8Array((v as { data: number[] }).data);
  }
  return bad(column, 'bytes (Uint8Array or base64)', v);
}

const I128_TEXT = /^-?\d{1,38}$/;

const DECIMAL38_LIMIT = 10n ** 38n;

/**
 * An i128 amount for DECIMAL(38,0): a bigint (passed through), exact decimal text, or a safe
 * integer. 38 digits is Parquet's widest common decimal; an amount beyond it (only i128
 * values of 10^38 and more) is rejected rather than truncated.
 */
export function decimal38(column: string, v: unknown, required: boolean): string | bigint | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'bigint') return v > -DECIMAL38_LIMIT && v < DECIMAL38_LIMIT ? v : bad(column, 'an integer amount of at most 38 digits', v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return bad(column, 'an exact integer amount (use decimal text above 2^53)', v);
    v = String(v);
  }
  if (typeof v !== 'string') return bad(column, 'an integer amount as decimal text', v);
  const t = v.trim().replace(/^\+/, '');
  if (!I128_TEXT.test(t)) return bad(column, 'an integer amount of at most 38 digits', v);
  return t;
}

/** JSON text: a string is kept as is (already JSON), anything else is serialised. */
export function jsonText(column: string, v: unknown, required: boolean): string | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'string') return v;
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x));
  return text === undefined ? bad(column, 'a JSON value', v) : text;
}

/** A list of strings; non-string items are serialised as JSON (topics may arrive decoded). */
export function stringList(column: string, v: unknown, required: boolean): string[] | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (!Array.isArray(v)) return bad(column, 'a list', v);
  // Lists of strings (our processors' topics) pass as they are; only others are copied.
  let i = 0;
  while (i < v.length && typeof v[i] === 'string') i++;
  if (i === v.length) return v as string[];
  const out = (v as unknown[]).slice(0, i) as string[];
  for (; i < v.length; i++) out.push(jsonText(`${column}[${i}]`, v[i], true)!);
  return out;
}

/** A double: a number, or its JSON spellings ("NaN", "Infinity", decimal text). */
export function f64(column: string, v: unknown, required: boolean): number | null {
  if (v === undefined || v === null) return required ? missing(column) : null;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === '-Infinity') return v === 'Infinity' ? Infinity : -Infinity;
  if (typeof v === 'string' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return bad(column, 'a number', v);
}
