/**
 * Test model for the round-trip suite: fast-check arbitraries for random schemas (JSON
 * schema FieldSpecs) and rows matching them, and an independent normalisation of the JS
 * input values to canonical logical values (never calling into src/), from which
 * reader-specific expectations are derived (see expected.ts).
 */
import fc from 'fast-check';
import type { FieldSpec, TypeSpec, PrimitiveTypeSpec } from '../../packages/writer/src/format/schema/types.js';

// ---- canonical values -------------------------------------------------------------------

/** A leaf value after normalisation: what the file must contain, logically. */
export type Canon =
  | { k: 'bool'; v: boolean }
  | { k: 'int'; v: bigint } // integers, dates (days), times and timestamps (in unit), int96 (ns)
  | { k: 'float'; v: number } // already rounded to the column's precision
  | { k: 'half'; v: number; bits: number } // float16: value and its stored bits
  | { k: 'text'; v: string; bytes: Uint8Array }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'decimal'; v: bigint }; // unscaled

export const utf8 = new TextEncoder();

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

const f64 = new DataView(new ArrayBuffer(8));
/** Float encoding shared with readers.py: "NaN" or the big-endian hex bits of the float64. */
export function encFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  f64.setFloat64(0, x);
  let s = '';
  for (let i = 0; i < 8; i++) s += f64.getUint8(i).toString(16).padStart(2, '0');
  return s;
}

/** Independent IEEE half decoding (used to build inputs and expectations). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

const MS_PER_DAY = 86_400_000;
const PER_MS = { ms: 1n, us: 1000n, ns: 1_000_000n } as const;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
export { floorDiv };

function uuidBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const h = String(v).replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function jsonText(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Normalise one non-null JS input value of a primitive column. */
export function canon(spec: PrimitiveTypeSpec, v: unknown): Canon {
  switch (spec.type) {
    case 'boolean':
      return { k: 'bool', v: v as boolean };
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return { k: 'int', v: BigInt(v as number | bigint) };
    case 'float':
      return { k: 'float', v: Math.fround(v as number) };
    case 'double':
      return { k: 'float', v: v as number };
    case 'float16': {
      const x = v as number;
      return { k: 'half', v: x, bits: HALF_BITS.get(x) ?? (Object.is(x, -0) ? 0x8000 : 0x7e00) };
    }
    case 'string':
    case 'enum':
      return { k: 'text', v: v as string, bytes: utf8.encode(v as string) };
    case 'json': {
      const t = jsonText(v);
      return { k: 'text', v: t, bytes: utf8.encode(t) };
    }
    case 'binary':
    case 'bson':
      return { k: 'bytes', v: typeof v === 'string' ? utf8.encode(v) : (v as Uint8Array) };
    case 'fixed':
      return { k: 'bytes', v: v as Uint8Array };
    case 'uuid':
      return { k: 'bytes', v: uuidBytes(v) };
    case 'date':
      return { k: 'int', v: v instanceof Date ? BigInt(Math.floor(v.getTime() / MS_PER_DAY)) : BigInt(v as number) };
    case 'time':
      return { k: 'int', v: BigInt(v as number | bigint) };
    case 'timestamp':
      return { k: 'int', v: v instanceof Date ? BigInt(v.getTime()) * PER_MS[spec.unit] : BigInt(v as number | bigint) };
    case 'int96': {
      if (v instanceof Date) return { k: 'int', v: BigInt(v.getTime()) * 1_000_000n };
      if (v instanceof Uint8Array) {
        const dv = new DataView(v.buffer, v.byteOffset, 12);
        const day = BigInt(dv.getInt32(8, true)) - 2_440_588n;
        return { k: 'int', v: day * 86_400_000_000_000n + dv.getBigInt64(0, true) };
      }
      return { k: 'int', v: BigInt(v as number | bigint) };
    }
    case 'decimal': {
      const scale = spec.scale ?? 0;
      if (typeof v === 'bigint') return { k: 'decimal', v };
      const text = String(v);
      const neg = text.startsWith('-');
      const [ip, fp = ''] = text.replace(/^[-+]/, '').split('.');
      const digits = (ip ?? '') + fp.padEnd(scale, '0').slice(0, scale);
      const u = BigInt(digits === '' ? '0' : digits);
      return { k: 'decimal', v: neg ? -u : u };
    }
  }
}

// ---- float16 helpers --------------------------------------------------------------------

/** Every finite/infinite half value -> its bits (NaN excluded; +0 and -0 distinct keys are handled by Object.is). */
const HALF_BITS = new Map<number, number>();
for (let b = 0; b < 0x10000; b++) {
  const x = halfToNumber(b);
  if (Number.isNaN(x)) continue;
  if (x === 0 && b === 0x8000) continue; // Map keys fold -0 into 0; -0 handled above
  HALF_BITS.set(x, b);
}

// ---- schema arbitraries -----------------------------------------------------------------

const UNITS = ['ms', 'us', 'ns'] as const;

export const primitiveSpecArb: fc.Arbitrary<PrimitiveTypeSpec> = fc.oneof(
  fc.constantFrom<PrimitiveTypeSpec>(
    { type: 'boolean' },
    { type: 'int8' },
    { type: 'int16' },
    { type: 'int32' },
    { type: 'int64' },
    { type: 'uint8' },
    { type: 'uint16' },
    { type: 'uint32' },
    { type: 'uint64' },
    { type: 'float' },
    { type: 'double' },
    { type: 'float16' },
    { type: 'string' },
    { type: 'binary' },
    { type: 'enum' },
    { type: 'json' },
    { type: 'bson' },
    { type: 'uuid' },
    { type: 'date' },
    { type: 'int96' },
  ),
  fc.integer({ min: 1, max: 80 }).map((length): PrimitiveTypeSpec => ({ type: 'fixed', length })),
  fc.record({ type: fc.constantFrom('time' as const, 'timestamp' as const), unit: fc.constantFrom(...UNITS), utc: fc.boolean() }),
  fc.integer({ min: 1, max: 38 }).chain((precision) =>
    fc
      .record({
        type: fc.constant('decimal' as const),
        precision: fc.constant(precision),
        scale: fc.integer({ min: 0, max: precision }),
        // undefined: the default storage for the precision.
        physical: fc.constantFrom(
          undefined,
          ...(precision <= 9
            ? (['int32', 'int64', 'fixed', 'binary'] as const)
            : precision <= 18
              ? (['int64', 'fixed', 'binary'] as const)
              : (['fixed', 'binary'] as const)),
        ),
      })
      .map((d): PrimitiveTypeSpec => (d.physical === undefined ? { type: d.type, precision: d.precision, scale: d.scale } : d)),
  ),
);

function withOptional<T extends TypeSpec>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(arb, fc.boolean()).map(([s, optional]) => (optional ? { ...s, optional: true } : s));
}

const mapKeyArb: fc.Arbitrary<PrimitiveTypeSpec> = fc.constantFrom<PrimitiveTypeSpec>({ type: 'string' }, { type: 'int32' }, { type: 'int64' });

/** A type of nesting depth at most `depth` (0 = primitive only). */
export function typeSpecArb(depth: number): fc.Arbitrary<TypeSpec> {
  const leaf = withOptional(primitiveSpecArb);
  if (depth <= 0) return leaf;
  const inner = typeSpecArb(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: withOptional(inner.map((element): TypeSpec => ({ type: 'list', element }))) },
    { weight: 1, arbitrary: withOptional(fieldsArb(inner, 3).map((fields): TypeSpec => ({ type: 'struct', fields }))) },
    { weight: 1, arbitrary: withOptional(fc.tuple(mapKeyArb, inner).map(([key, value]): TypeSpec => ({ type: 'map', key, value }))) },
  );
}

function fieldsArb(type: fc.Arbitrary<TypeSpec>, max: number): fc.Arbitrary<FieldSpec[]> {
  return fc.array(type, { minLength: 1, maxLength: max }).map((types) => types.map((t, i) => ({ ...t, name: `f${i}` }) as FieldSpec));
}

export const schemaArb: fc.Arbitrary<FieldSpec[]> = fieldsArb(typeSpecArb(4), 5);

// ---- value arbitraries ------------------------------------------------------------------

function intArb(bits: number, signed: boolean): fc.Arbitrary<number | bigint> {
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const extremes = [min, max, 0n, min + 1n, max - 1n];
  if (bits === 64) extremes.push(2n ** 53n, 2n ** 53n - 1n, 2n ** 53n + 1n, ...(signed ? [-(2n ** 53n), -(2n ** 53n) + 1n] : []));
  if (bits >= 32 && !signed) extremes.push(2n ** 31n, 2n ** 31n - 1n, 2n ** 63n, 2n ** 63n - 1n);
  const big = fc.oneof(fc.constantFrom(...extremes.filter((x) => x >= min && x <= max)), fc.bigInt({ min, max }));
  if (bits < 64) return big.map((b) => Number(b));
  // 64-bit: a bigint, or a number when it is safe.
  return fc
    .tuple(big, fc.boolean())
    .map(([b, asNumber]) => (asNumber && b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b));
}

const SPECIAL_DOUBLES = [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2.2250738585072014e-308,
  1,
  -1,
  0.1,
];
const SPECIAL_FLOATS = [NaN, 0, -0, Infinity, -Infinity, 1.401298464324817e-45, -1.401298464324817e-45, 3.4028234663852886e38, 1.1754943508222875e-38, 0.5];

/**
 * Byte lengths at the statistics truncation limits the suites use (64, or 0..24): each limit,
 * one byte under and one byte past it.
 */
const LIMIT_EDGE_LENGTHS = [...new Set([63, 64, 65, ...Array.from({ length: 26 }, (_, i) => i)])];

/** Characters at the edges of UTF-8 and of the bound arithmetic (increment, surrogates, BOM). */
const EDGE_CHARS = [
  '\uFEFF',
  '\uFFFF',
  '\u{10FFFF}',
  '\u0000',
  '\u0301',
  'e\u0301',
  '\u{1F600}',
  '\uD7FF',
  '\uE000',
  '\u007F',
  '\u0080',
  '\u07FF',
  '\u0800',
  '\u00e9',
  'z',
];
/** Fillers: ASCII, and characters whose increment overflows (U+10FFFF) or crosses a length (U+FFFF, U+07FF). */
const FILL_CHARS = ['a', 'z', '\u{10FFFF}', '\uFFFF', '\u07FF', '\uFEFF'];

/**
 * Strings that start and/or end with an edge character, about `target` UTF-8 bytes long
 * (exactly, when the filler allows): around the truncation limits, so bounds get cut there.
 */
const edgeTextArb: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 2 }),
    suffix: fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 2 }),
    fill: fc.constantFrom(...FILL_CHARS),
    target: fc.constantFrom(...LIMIT_EDGE_LENGTHS),
  })
  .map(({ prefix, suffix, fill, target }) => {
    const head = prefix.join('');
    const tail = suffix.join('');
    let room = target - utf8.encode(head + tail).length;
    const f = utf8.encode(fill).length;
    const body = fill.repeat(Math.max(0, Math.floor(room / f)));
    room -= utf8.encode(body).length;
    return head + body + 'a'.repeat(Math.max(0, room)) + tail;
  });

const textArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a', '\u0000', '\u007f', '\u0080', '\uffff', '😀', '\u{10ffff}', 'é', '\uFEFF') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 60, maxLength: 90 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 55, max: 80 }), fc.constantFrom('\u{10ffff}', '\uffff', '\u007f', 'z', '\u00ff', '\uFEFF'))
      .map(([n, c]) => c.repeat(n)),
  },
  { weight: 2, arbitrary: edgeTextArb },
);

/** Bytes at the limit lengths: all 0xFF (no shorter upper bound), a 0xFF run after a byte or before one, all 0x00. */
const edgeBytesArb: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom(...LIMIT_EDGE_LENGTHS), fc.integer({ min: 0, max: 0xff }), fc.constantFrom('ff', 'x-ff', 'ff-x', '00'))
  .map(([n, x, shape]) => {
    const b = new Uint8Array(n).fill(shape === '00' ? 0 : 0xff);
    if (n > 0 && shape === 'x-ff') b[0] = x;
    if (n > 0 && shape === 'ff-x') b[n - 1] = x;
    return b;
  });

const bytesArb = (min: number, max: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: min, maxLength: max }),
    fc.integer({ min, max }).chain((n) => fc.constantFrom(new Uint8Array(n).fill(0xff), new Uint8Array(n))),
    ...(min === 0 ? [edgeBytesArb.filter((b) => b.length <= max)] : []),
  );

function decimalArb(spec: Extract<PrimitiveTypeSpec, { type: 'decimal' }>): fc.Arbitrary<unknown> {
  const limit = 10n ** BigInt(spec.precision) - 1n;
  const scale = spec.scale ?? 0;
  const unscaled = fc.oneof(fc.constantFrom(limit, -limit, 0n, 1n, -1n), fc.bigInt({ min: -limit, max: limit }));
  return fc.tuple(unscaled, fc.boolean()).map(([u, asText]) => {
    if (!asText) return u;
    const digits = (u < 0n ? -u : u).toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    return (u < 0n ? '-' : '') + text;
  });
}

// Temporal ranges every reader represents (DuckDB reserves +-(2^63-1) and +-(2^31-1) for infinities,
// converts ms timestamps to us, and its parquet_metadata() cannot format timestamp statistics
// before 290309 BC = -9223372022400000000 us).
const TS_RANGE = { ms: 9_223_372_022_400_000n, us: 9_223_372_022_400_000_000n, ns: 2n ** 63n - 2n } as const;
const INT96_RANGE = 9_000_000_000_000_000_000n;
const DATE_RANGE = 2n ** 31n - 2n;
const DATE_JS_MS = 8.64e15;

function bigRange(lo: bigint, hi: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(fc.constantFrom(...[lo, hi, 0n, -1n, 1n].filter((x) => x >= lo && x <= hi)), fc.bigInt({ min: lo, max: hi }));
}

export function leafValueArb(spec: PrimitiveTypeSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'boolean':
      return fc.boolean();
    case 'int8':
      return intArb(8, true);
    case 'int16':
      return intArb(16, true);
    case 'int32':
      return intArb(32, true);
    case 'int64':
      return intArb(64, true);
    case 'uint8':
      return intArb(8, false);
    case 'uint16':
      return intArb(16, false);
    case 'uint32':
      return intArb(32, false);
    case 'uint64':
      return intArb(64, false);
    case 'float':
      return fc.oneof(fc.constantFrom(...SPECIAL_FLOATS), fc.float(), fc.double());
    case 'double':
      return fc.oneof(fc.constantFrom(...SPECIAL_DOUBLES), fc.double());
    case 'float16':
      return fc.integer({ min: 0, max: 0xffff }).map(halfToNumber);
    case 'string':
    case 'enum':
      return textArb;
    // A string is JSON text as-is (so it must be valid JSON); other values are serialised.
    case 'json':
      return fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null && typeof v !== 'string'),
      );
    case 'binary':
    case 'bson':
      return fc.oneof(bytesArb(0, 80), textArb);
    case 'fixed':
      return bytesArb(spec.length, spec.length);
    case 'uuid':
      return fc.oneof(
        fc.uuid().map((u) => u.toUpperCase()),
        fc.uuid(),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
      );
    case 'date':
      return fc.oneof(
        bigRange(-DATE_RANGE, DATE_RANGE).map(Number),
        fc.integer({ min: -DATE_JS_MS, max: DATE_JS_MS }).map((ms) => new Date(ms)),
      );
    case 'time': {
      const perDay = BigInt(MS_PER_DAY) * PER_MS[spec.unit];
      const v = bigRange(0n, perDay - 1n);
      return spec.unit === 'ms' ? v.map(Number) : fc.tuple(v, fc.boolean()).map(([b, n]) => (n && b <= 2n ** 53n ? Number(b) : b));
    }
    case 'timestamp': {
      const r = TS_RANGE[spec.unit];
      return fc.oneof(
        bigRange(-r, r),
        bigRange(-r, r)
          .filter((b) => b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER))
          .map(Number),
        // Dates must fit the unit's INT64 range (ns: about +-292 years).
        fc.integer({ min: spec.unit === 'ns' ? -9.2e12 : -DATE_JS_MS, max: spec.unit === 'ns' ? 9.2e12 : DATE_JS_MS }).map((ms) => new Date(ms)),
      );
    }
    case 'int96':
      return fc.oneof(
        bigRange(-INT96_RANGE, INT96_RANGE),
        fc.integer({ min: -9e12, max: 9e12 }).map((ms) => new Date(ms)),
      );
    case 'decimal':
      return decimalArb(spec);
  }
}

function optionalArb(spec: TypeSpec, arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return spec.optional ? fc.option(arb, { freq: 4, nil: null }) : arb;
}

/** A value of any (possibly nested) type; maps come as Map, [k, v][] or (string keys) an object. */
export function valueArb(spec: TypeSpec, maxItems = 4): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'list':
      return optionalArb(spec, fc.array(valueArb(spec.element, maxItems), { maxLength: maxItems }));
    case 'struct':
      return optionalArb(spec, rowArb(spec.fields, maxItems));
    case 'map': {
      const keyArb = leafValueArb(spec.key as PrimitiveTypeSpec);
      const entries = fc
        .uniqueArray(fc.tuple(keyArb, valueArb(spec.value, maxItems)), {
          maxLength: maxItems,
          selector: ([k]) => (typeof k === 'string' ? `s${k}` : `n${String(k)}`),
          comparator: 'IsStrictlyEqual',
        })
        .filter((es) => new Set(es.map(([k]) => String(k))).size === es.length);
      const forms = fc.tuple(entries, fc.constantFrom('map', 'pairs', 'object')).map(([es, form]) => {
        if (form === 'map') return new Map(es);
        if (form === 'object' && spec.key.type === 'string' && es.every(([k]) => k !== '__proto__')) {
          return Object.fromEntries(es);
        }
        return es;
      });
      return optionalArb(spec, forms);
    }
    default:
      return optionalArb(spec, leafValueArb(spec));
  }
}

export function rowArb(fields: readonly FieldSpec[], maxItems = 4): fc.Arbitrary<Record<string, unknown>> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) rec[f.name] = valueArb(f, maxItems);
  return fc.record(rec);
}

/** Map entries in input order, whatever form the map was given in. */
export function mapEntries(v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (Array.isArray(v)) return v as [unknown, unknown][];
  return Object.entries(v as Record<string, unknown>);
}

export function isPrimitive(spec: TypeSpec): spec is PrimitiveTypeSpec {
  return spec.type !== 'list' && spec.type !== 'struct' && spec.type !== 'map';
}

export function containsType(spec: TypeSpec, name: string): boolean {
  if (spec.type === name) return true;
  if (spec.type === 'list') return containsType(spec.element, name);
  if (spec.type === 'struct') return spec.fields.some((f) => containsType(f, name));
  if (spec.type === 'map') return containsType(spec.key, name) || containsType(spec.value, name);
  return false;
}
