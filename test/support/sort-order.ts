/**
 * A column's sort order as parquet.thrift's ColumnOrder (TYPE_ORDER) defines it from the
 * schema element alone, and the keys it compares: statistics bytes (PLAIN, byte arrays
 * without their length) and reader values (readers.py's leaf encoding) both become keys.
 * Independent of the writer's code.
 */
import { Converted, PhysicalType, type SchemaEl } from './footer-parse.js';
import { halfToNumber } from './model.js';

export type SortOrder =
  | { kind: 'boolean' }
  | { kind: 'int'; bits: 32 | 64; signed: boolean }
  | { kind: 'float'; width: 2 | 4 | 8 }
  | { kind: 'bytes' }
  /** DECIMAL on BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY: signed big-endian two's complement. */
  | { kind: 'decimal-bytes' }
  | { kind: 'undefined'; why: string };

export type SortKey = boolean | bigint | number | Uint8Array;

const UNSIGNED_CONVERTED: readonly number[] = [Converted.UINT_8, Converted.UINT_16, Converted.UINT_32, Converted.UINT_64];

/**
 * parquet.thrift ColumnOrder, TYPE_ORDER: the logical type's order when there is one (unsigned
 * integers unsigned, DECIMAL by value, FLOAT16 by value, strings/JSON/BSON/ENUM/UUID bytewise),
 * else the physical type's; INT96 (under TYPE_ORDER), INTERVAL, VARIANT and the geospatial
 * types have none.
 */
export function sortOrderOf(el: SchemaEl): SortOrder {
  const logical = el.logical?.name;
  if (el.type === PhysicalType.INT96) return { kind: 'undefined', why: 'INT96 under TYPE_ORDER' };
  if (el.convertedType === Converted.INTERVAL) return { kind: 'undefined', why: 'INTERVAL' };
  if (logical === 'VARIANT' || logical === 'GEOMETRY' || logical === 'GEOGRAPHY' || logical === 'FILE') return { kind: 'undefined', why: logical };
  const decimal = logical === 'DECIMAL' || el.convertedType === Converted.DECIMAL;
  switch (el.type) {
    case PhysicalType.BOOLEAN:
      return { kind: 'boolean' };
    case PhysicalType.INT32:
    case PhysicalType.INT64: {
      const unsigned = logical === 'INTEGER' ? el.logical!.isSigned === false : UNSIGNED_CONVERTED.includes(el.convertedType ?? -1);
      return { kind: 'int', bits: el.type === PhysicalType.INT32 ? 32 : 64, signed: !unsigned };
    }
    case PhysicalType.FLOAT:
      return { kind: 'float', width: 4 };
    case PhysicalType.DOUBLE:
      return { kind: 'float', width: 8 };
    case PhysicalType.BYTE_ARRAY:
      return decimal ? { kind: 'decimal-bytes' } : { kind: 'bytes' };
    case PhysicalType.FIXED_LEN_BYTE_ARRAY:
      if (logical === 'FLOAT16') return { kind: 'float', width: 2 };
      return decimal ? { kind: 'decimal-bytes' } : { kind: 'bytes' };
    default:
      return { kind: 'undefined', why: `physical type ${String(el.type)}` };
  }
}

/** PLAIN width of one value of a fixed-width physical type (parquet.thrift Statistics: values are PLAIN encoded). */
export function plainWidth(el: SchemaEl): number | undefined {
  switch (el.type) {
    case PhysicalType.BOOLEAN:
      return 1;
    case PhysicalType.INT32:
    case PhysicalType.FLOAT:
      return 4;
    case PhysicalType.INT64:
    case PhysicalType.DOUBLE:
      return 8;
    case PhysicalType.INT96:
      return 12;
    case PhysicalType.FIXED_LEN_BYTE_ARRAY:
      return el.typeLength;
    default:
      return undefined;
  }
}

function twosComplement(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return BigInt.asIntN(8 * b.length, v);
}

/** A statistics value (PLAIN bytes) as a key, or a reason it is not one of this order. */
export function statKey(order: SortOrder, b: Uint8Array): SortKey | string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (order.kind) {
    case 'boolean':
      return b.length === 1 && b[0]! <= 1 ? b[0] === 1 : `not a PLAIN boolean (${b.length} bytes)`;
    case 'int': {
      const width = order.bits / 8;
      if (b.length !== width) return `${b.length} bytes for a ${order.bits}-bit integer`;
      if (order.bits === 32) return BigInt(order.signed ? dv.getInt32(0, true) : dv.getUint32(0, true));
      return order.signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true);
    }
    case 'float':
      if (b.length !== order.width) return `${b.length} bytes for a ${8 * order.width}-bit float`;
      return order.width === 2 ? halfToNumber(b[0]! | (b[1]! << 8)) : order.width === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
    case 'bytes':
      return b;
    case 'decimal-bytes':
      return twosComplement(b);
    case 'undefined':
      return `no sort order (${order.why})`;
  }
}

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const f64 = new DataView(new ArrayBuffer(8));

/** A value as readers.py encodes leaves (ints and decimals as decimal text, floats as hex bits, bytes as hex) as a key. */
export function readerKey(order: SortOrder, v: unknown): SortKey {
  switch (order.kind) {
    case 'boolean':
      return v as boolean;
    case 'int':
    case 'decimal-bytes':
      return BigInt(v as string);
    case 'float': {
      if (v === 'NaN') return NaN;
      const h = v as string;
      for (let i = 0; i < 8; i++) f64.setUint8(i, parseInt(h.slice(2 * i, 2 * i + 2), 16));
      return f64.getFloat64(0);
    }
    case 'bytes':
      return fromHex(v as string);
    case 'undefined':
      throw new Error('no keys without a sort order');
  }
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Order of two keys of one column; floats numerically (-0 equals +0; NaN is never compared). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error(`keys of different kinds: ${typeof a} and ${typeof b}`);
}

export function describeKey(k: SortKey): string {
  if (k instanceof Uint8Array) return `0x${Buffer.from(k).toString('hex')}`;
  if (typeof k === 'number' && Object.is(k, -0)) return '-0';
  return String(k);
}
