/**
 * Expected column-chunk statistics, computed independently from the input rows: the rows
 * are shredded into leaf slots (one per definition level entry) by a small model of Dremel
 * shredding, and min/max are taken in each column's sort order (parquet.thrift
 * ColumnOrder: unsigned ints unsigned, byte arrays unsigned lexicographic, decimals
 * signed, floats without NaN with -0.0 as min and +0.0 as max, INT96 undefined).
 */
import type { FieldSpec, PrimitiveTypeSpec, TypeSpec } from '../../packages/writer/src/format/schema/types.js';
import { canon, encFloat, hex, mapEntries, isPrimitive, type Canon } from './model.js';

export interface LeafColumn {
  spec: PrimitiveTypeSpec;
  path: string;
}

export function leafColumns(fields: readonly FieldSpec[]): LeafColumn[] {
  const out: LeafColumn[] = [];
  const walk = (spec: TypeSpec, path: string): void => {
    if (isPrimitive(spec)) out.push({ spec, path });
    else if (spec.type === 'list') walk(spec.element, `${path}.list.element`);
    else if (spec.type === 'struct') for (const f of spec.fields) walk(f, `${path}.${f.name}`);
    else {
      walk(spec.key, `${path}.key_value.key`);
      walk(spec.value, `${path}.key_value.value`);
    }
  };
  for (const f of fields) walk(f, f.name);
  return out;
}

/** Append one slot per leaf entry of `v` to `cols[base..]`; returns the next column index. */
function emit(spec: TypeSpec, v: unknown, present: boolean, cols: (Canon | null)[][], base: number): number {
  const has = present && v !== null && v !== undefined;
  if (isPrimitive(spec)) {
    cols[base]!.push(has ? canon(spec, v) : null);
    return base + 1;
  }
  if (spec.type === 'struct') {
    let i = base;
    for (const f of spec.fields) i = emit(f, has ? (v as Record<string, unknown>)[f.name] : undefined, has, cols, i);
    return i;
  }
  if (spec.type === 'list') {
    const items = has ? (v as unknown[]) : [];
    if (items.length === 0) return emit(spec.element, undefined, false, cols, base);
    let next = base;
    for (const item of items) next = emit(spec.element, item, true, cols, base);
    return next;
  }
  const entries = has ? mapEntries(v) : [];
  if (entries.length === 0) {
    const mid = emit(spec.key, undefined, false, cols, base);
    return emit(spec.value, undefined, false, cols, mid);
  }
  let next = base;
  for (const [k, x] of entries) {
    const mid = emit(spec.key, k, true, cols, base);
    next = emit(spec.value, x, true, cols, mid);
  }
  return next;
}

/** Leaf slots of `rows` per leaf column (null = a level entry without a value). */
export function leafSlots(fields: readonly FieldSpec[], rows: readonly Record<string, unknown>[]): (Canon | null)[][] {
  const n = leafColumns(fields).length;
  const cols: (Canon | null)[][] = Array.from({ length: n }, () => []);
  for (const row of rows) {
    let i = 0;
    for (const f of fields) i = emit(f, row[f.name], true, cols, i);
  }
  return cols;
}

// ---- physical sort keys -----------------------------------------------------------------

export function decimalByteLength(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let n = 1;
  while (2n ** BigInt(8 * n - 1) <= max) n++;
  return n;
}

function twosComplement(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let u = BigInt.asUintN(8 * length, v);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

function minimalLength(v: bigint): number {
  let n = 1;
  while (v >= 2n ** BigInt(8 * n - 1) || v < -(2n ** BigInt(8 * n - 1))) n++;
  return n;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The declared decimal storage, or the default: int32 up to 9 digits, int64 up to 18, fixed beyond. */
export function decimalPhysical(spec: Extract<PrimitiveTypeSpec, { type: 'decimal' }>): string {
  return spec.physical ?? (spec.precision <= 9 ? 'int32' : spec.precision <= 18 ? 'int64' : 'fixed');
}

type Kind = 'bool' | 'signed' | 'u32' | 'u64' | 'float' | 'half' | 'bytes' | 'decimal-bytes' | 'none';

function kindOf(spec: PrimitiveTypeSpec): Kind {
  switch (spec.type) {
    case 'boolean':
      return 'bool';
    case 'uint32':
      return 'u32';
    case 'uint64':
      return 'u64';
    case 'float':
    case 'double':
      return 'float';
    case 'float16':
      return 'half';
    case 'string':
    case 'enum':
    case 'json':
    case 'binary':
    case 'bson':
    case 'fixed':
    case 'uuid':
      return 'bytes';
    case 'decimal': {
      const physical = decimalPhysical(spec);
      return physical === 'fixed' || physical === 'binary' ? 'decimal-bytes' : 'signed';
    }
    case 'int96':
      return 'none';
    default:
      return 'signed';
  }
}

/** True when statistics of this column compare byte-wise and may be truncated. */
export function isByteOrdered(spec: PrimitiveTypeSpec): boolean {
  return kindOf(spec) === 'bytes';
}

/** Byte-ordered BYTE_ARRAY columns, whose min/max may be truncated (FIXED_LEN_BYTE_ARRAY ones never are). */
export function isTruncatable(spec: PrimitiveTypeSpec): boolean {
  return isByteOrdered(spec) && spec.type !== 'fixed' && spec.type !== 'uuid';
}

export function isFloating(spec: PrimitiveTypeSpec): boolean {
  return spec.type === 'float' || spec.type === 'double' || spec.type === 'float16';
}

export interface ExpectedStats {
  nullCount: number;
  numValues: number;
  nanCount: number;
  distinct: number;
  /** Undefined when no min/max can be written (no values, all NaN, INT96). */
  min?: string | boolean;
  max?: string | boolean;
  /** Raw bytes of min/max for byte-ordered columns (for truncation checks). */
  minBytes?: Uint8Array;
  maxBytes?: Uint8Array;
}

/** Statistics of one column chunk as pyarrow's Statistics.min_raw/max_raw encode them. */
export function expectedStats(spec: PrimitiveTypeSpec, slots: readonly (Canon | null)[]): ExpectedStats {
  const values = slots.filter((s): s is Canon => s !== null);
  const out: ExpectedStats = { nullCount: slots.length - values.length, numValues: slots.length, nanCount: 0, distinct: 0 };
  const kind = kindOf(spec);
  const distinct = new Set<string>();
  const key = (c: Canon): string => {
    if (c.k === 'float') return Number.isNaN(c.v) ? 'NaN' : encFloat(c.v);
    if (c.k === 'half') return Number.isNaN(c.v) ? 'NaN' : String(c.bits);
    if (c.k === 'text') return hex(c.bytes);
    if (c.k === 'bytes') return hex(c.v);
    return String(c.v);
  };
  for (const c of values) distinct.add(key(c));
  out.distinct = distinct.size;
  if (kind === 'none') return out;
  switch (kind) {
    case 'bool': {
      if (values.length === 0) return out;
      const bs = values.map((c) => c.v as boolean);
      out.min = bs.every((b) => b);
      out.max = bs.some((b) => b);
      return out;
    }
    case 'signed':
    case 'u32':
    case 'u64': {
      if (values.length === 0) return out;
      const bits = kind === 'u32' ? 32 : 64;
      const vs = values.map((c) => c.v as bigint);
      const min = vs.reduce((a, b) => (b < a ? b : a));
      const max = vs.reduce((a, b) => (b > a ? b : a));
      // pyarrow's min_raw is the physical (signed) value.
      out.min = String(kind === 'signed' ? min : BigInt.asIntN(bits, min));
      out.max = String(kind === 'signed' ? max : BigInt.asIntN(bits, max));
      return out;
    }
    case 'float':
    case 'half': {
      const vs = values.map((c) => c.v as number);
      out.nanCount = vs.filter(Number.isNaN).length;
      const finite = vs.filter((x) => !Number.isNaN(x));
      if (finite.length === 0) return out;
      const min = Math.min(...finite);
      const max = Math.max(...finite);
      if (kind === 'float') {
        out.min = encFloat(min === 0 ? -0 : min);
        out.max = encFloat(max === 0 ? 0 : max);
      } else {
        const bitsOf = (x: number): string => {
          const c = values.find((v) => v.k === 'half' && v.v === x && !(x === 0)) as Extract<Canon, { k: 'half' }> | undefined;
          const b = x === 0 ? (Object.is(x, -0) ? 0x8000 : 0) : c!.bits;
          return hex(Uint8Array.of(b & 0xff, b >> 8));
        };
        out.min = bitsOf(min === 0 ? -0 : min);
        out.max = bitsOf(max === 0 ? 0 : max);
      }
      return out;
    }
    case 'bytes': {
      if (values.length === 0) return out;
      const bs = values.map((c) => (c.k === 'text' ? c.bytes : (c.v as Uint8Array)));
      const min = bs.reduce((a, b) => (compareBytes(b, a) < 0 ? b : a));
      const max = bs.reduce((a, b) => (compareBytes(b, a) > 0 ? b : a));
      out.minBytes = min;
      out.maxBytes = max;
      out.min = hex(min);
      out.max = hex(max);
      return out;
    }
    case 'decimal-bytes': {
      if (values.length === 0) return out;
      const vs = values.map((c) => c.v as bigint);
      const min = vs.reduce((a, b) => (b < a ? b : a));
      const max = vs.reduce((a, b) => (b > a ? b : a));
      const enc = (v: bigint) =>
        twosComplement(v, spec.type === 'decimal' && decimalPhysical(spec) === 'fixed' ? decimalByteLength(spec.precision) : minimalLength(v));
      out.min = hex(enc(min));
      out.max = hex(enc(max));
      return out;
    }
  }
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
