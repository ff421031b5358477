import { ConvertedType, Type, type LogicalType, type TimeUnit } from '../thrift/parquet-metadata.js';
import { ParquetSchemaError, ValueConversionError, describeValue } from '../errors.js';
import type { PrimitiveTypeSpec, TimeUnitName } from './types.js';
import { int32Converter, toInt64Checked } from '../values/integers.js';
import { toDate, toInt96, toTimeLong, toTimeMillis, toTimestamp } from '../values/temporal.js';
import { decimalByteLength, minimalTwosComplementLength, toUnscaledDecimal, writeTwosComplement } from '../values/decimal.js';
import { toFloat16Bits } from '../values/float16.js';
import { BooleanStore, ByteArrayStore, DoubleStore, FixedStore, FloatStore, Int32Store, Int64Store, type ValueStore } from '../column/value-store.js';
import type { ByteWriter } from '../../encoding/byte-writer.js';

/**
 * How min/max compare for a column (parquet.thrift ColumnOrder / TypeDefinedOrder):
 * unsigned integers compare unsigned, byte arrays byte-wise unsigned, decimals stored in
 * bytes as signed big-endian, FLOAT16 by numeric value; INT96 has no defined order.
 */
export type SortOrder = 'boolean' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float' | 'double' | 'bytes' | 'decimal-bytes' | 'float16' | 'none';

/** Everything the writer needs to know about one primitive column type. */
export interface PrimitiveMapping {
  physicalType: Type;
  /** Bytes per value of a fixed-width byte column (FIXED_LEN_BYTE_ARRAY, and INT96's 12). */
  typeLength?: number;
  logicalType?: LogicalType;
  convertedType?: ConvertedType;
  scale?: number;
  precision?: number;
  sortOrder: SortOrder;
  /** True for UTF-8 text, so statistics truncation keeps whole characters. */
  isText: boolean;
  /**
   * The typed array whose every element is a valid value of this column, stored as its bits
   * (Int32Array for int32, Uint32Array for uint32, BigInt64Array for int64 and timestamps, ...):
   * a column batch given as one is copied in bulk, without converting value by value.
   */
  bulk?: BulkArrayName;
  makeStore(): ValueStore;
}

export type BulkArrayName = 'Int32Array' | 'Uint32Array' | 'BigInt64Array' | 'BigUint64Array' | 'Float32Array' | 'Float64Array';

const TIME_UNITS: Record<TimeUnitName, TimeUnit> = {
  ms: { MILLIS: {} },
  us: { MICROS: {} },
  ns: { NANOS: {} },
};

function writeUtf8(v: unknown, data: ByteWriter): void {
  if (typeof v !== 'string') throw new ValueConversionError(`expected a string, got ${describeValue(v)}`);
  writeString(v, data);
}

function writeString(s: string, data: ByteWriter): void {
  data.writeUtf8(s);
}

function writeBinary(v: unknown, data: ByteWriter): void {
  if (v instanceof Uint8Array) data.writeBytes(v);
  else if (typeof v === 'string') writeString(v, data);
  else throw new ValueConversionError(`expected a Uint8Array or string, got ${describeValue(v)}`);
}

function writeJson(v: unknown, data: ByteWriter): void {
  // A string is taken as JSON text already; any other value is serialised.
  if (typeof v === 'string') writeString(v, data);
  else {
    const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    if (text === undefined) throw new ValueConversionError(`cannot serialise ${describeValue(v)} as JSON`);
    writeString(text, data);
  }
}

function toBoolean(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValueConversionError(`expected a boolean, got ${describeValue(v)}`);
  return v;
}

function toFiniteOrSpecial(v: unknown): number {
  if (typeof v !== 'number') throw new ValueConversionError(`expected a number, got ${describeValue(v)}`);
  return v;
}

function fixedBytes(length: number) {
  return (v: unknown, out: Uint8Array, offset: number): void => {
    if (!(v instanceof Uint8Array)) throw new ValueConversionError(`expected a Uint8Array(${length}), got ${describeValue(v)}`);
    if (v.length !== length) throw new ValueConversionError(`expected ${length} bytes, got ${v.length}`);
    out.set(v, offset);
  };
}

const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function writeUuid(v: unknown, out: Uint8Array, offset: number): void {
  if (v instanceof Uint8Array) return fixedBytes(16)(v, out, offset);
  if (typeof v !== 'string' || !UUID_TEXT.test(v)) {
    throw new ValueConversionError(`expected a UUID string or 16 bytes, got ${describeValue(v)}`);
  }
  const hex = v.replace(/-/g, '');
  for (let i = 0; i < 16; i++) out[offset + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

function writeFloat16(v: unknown, out: Uint8Array, offset: number): void {
  const bits = toFloat16Bits(toFiniteOrSpecial(v));
  out[offset] = bits & 0xff;
  out[offset + 1] = bits >>> 8;
}

function intMapping(bits: 8 | 16 | 32 | 64, signed: boolean): PrimitiveMapping {
  const range = { bits, signed };
  const converted = (
    signed
      ? { 8: ConvertedType.INT_8, 16: ConvertedType.INT_16, 32: ConvertedType.INT_32, 64: ConvertedType.INT_64 }
      : { 8: ConvertedType.UINT_8, 16: ConvertedType.UINT_16, 32: ConvertedType.UINT_32, 64: ConvertedType.UINT_64 }
  )[bits];
  // Plain int32/int64 carry no annotation, as every writer does; the narrower and
  // unsigned ones need INTEGER so readers restore the declared type.
  const annotate = bits < 32 || !signed;
  const base = {
    logicalType: annotate ? { INTEGER: { bitWidth: bits, isSigned: signed } } : undefined,
    convertedType: annotate ? converted : undefined,
    isText: false,
  };
  if (bits === 64) {
    return {
      ...base,
      physicalType: Type.INT64,
      sortOrder: signed ? 'int64' : 'uint64',
      bulk: signed ? 'BigInt64Array' : 'BigUint64Array',
      makeStore: () => new Int64Store((v) => toInt64Checked(v, range)),
    };
  }
  return {
    ...base,
    physicalType: Type.INT32,
    sortOrder: signed ? 'int32' : 'uint32',
    ...(bits === 32 ? { bulk: signed ? ('Int32Array' as const) : ('Uint32Array' as const) } : {}),
    makeStore: () => new Int32Store(int32Converter(range)),
  };
}

function bytesMapping(
  logicalType: LogicalType | undefined,
  convertedType: ConvertedType | undefined,
  write: (v: unknown, data: ByteWriter) => void,
  isText: boolean,
): PrimitiveMapping {
  return {
    physicalType: Type.BYTE_ARRAY,
    logicalType,
    convertedType,
    sortOrder: 'bytes',
    isText,
    // Every writer given here stores a string as its UTF-8 text, so strings may wait.
    makeStore: () => new ByteArrayStore(write, true),
  };
}

export function mapPrimitive(spec: PrimitiveTypeSpec, path: string): PrimitiveMapping {
  switch (spec.type) {
    case 'boolean':
      return { physicalType: Type.BOOLEAN, sortOrder: 'boolean', isText: false, makeStore: () => new BooleanStore(toBoolean) };
    case 'int8':
      return intMapping(8, true);
    case 'int16':
      return intMapping(16, true);
    case 'int32':
      return intMapping(32, true);
    case 'int64':
      return intMapping(64, true);
    case 'uint8':
      return intMapping(8, false);
    case 'uint16':
      return intMapping(16, false);
    case 'uint32':
      return intMapping(32, false);
    case 'uint64':
      return intMapping(64, false);
    case 'float':
      return { physicalType: Type.FLOAT, sortOrder: 'float', isText: false, bulk: 'Float32Array', makeStore: () => new FloatStore(toFiniteOrSpecial) };
    case 'double':
      return { physicalType: Type.DOUBLE, sortOrder: 'double', isText: false, bulk: 'Float64Array', makeStore: () => new DoubleStore(toFiniteOrSpecial) };
    case 'float16':
      return {
        physicalType: Type.FIXED_LEN_BYTE_ARRAY,
        typeLength: 2,
        logicalType: { FLOAT16: {} },
        sortOrder: 'float16',
        isText: false,
        makeStore: () => new FixedStore(2, writeFloat16),
      };
    case 'string':
      return bytesMapping({ STRING: {} }, ConvertedType.UTF8, writeUtf8, true);
    case 'enum':
      return bytesMapping({ ENUM: {} }, ConvertedType.ENUM, writeUtf8, true);
    case 'json':
      return bytesMapping({ JSON: {} }, ConvertedType.JSON, writeJson, true);
    // The BSON ConvertedType is left out: DuckDB 1.5 rejects any file that carries it
    // ("Unsupported converted type (20)"), and the BSON logical type says the same thing.
    case 'bson':
      return bytesMapping({ BSON: {} }, undefined, writeBinary, false);
    case 'binary':
      return bytesMapping(undefined, undefined, writeBinary, false);
    case 'uuid':
      return {
        physicalType: Type.FIXED_LEN_BYTE_ARRAY,
        typeLength: 16,
        logicalType: { UUID: {} },
        sortOrder: 'bytes',
        isText: false,
        makeStore: () => new FixedStore(16, writeUuid),
      };
    case 'fixed': {
      if (!Number.isInteger(spec.length) || spec.length < 1) {
        throw new ParquetSchemaError(path, `fixed needs a positive integer length, got ${describeValue(spec.length)}`);
      }
      return {
        physicalType: Type.FIXED_LEN_BYTE_ARRAY,
        typeLength: spec.length,
        sortOrder: 'bytes',
        isText: false,
        makeStore: () => new FixedStore(spec.length, fixedBytes(spec.length)),
      };
    }
    case 'date':
      return {
        physicalType: Type.INT32,
        logicalType: { DATE: {} },
        convertedType: ConvertedType.DATE,
        sortOrder: 'int32',
        isText: false,
        makeStore: () => new Int32Store(toDate),
      };
    case 'int96':
      return { physicalType: Type.INT96, typeLength: 12, sortOrder: 'none', isText: false, makeStore: () => new FixedStore(12, toInt96) };
    case 'time':
      return timeMapping(spec.unit, spec.utc ?? true, path);
    case 'timestamp':
      return timestampMapping(spec.unit, spec.utc ?? true, path);
    case 'decimal':
      return decimalMapping(spec, path);
  }
}

function checkUnit(unit: unknown, path: string): asserts unit is TimeUnitName {
  if (unit !== 'ms' && unit !== 'us' && unit !== 'ns') {
    throw new ParquetSchemaError(path, `unit must be one of ms, us, ns; got ${describeValue(unit)}`);
  }
}

function timeMapping(unit: TimeUnitName, utc: boolean, path: string): PrimitiveMapping {
  checkUnit(unit, path);
  const logicalType: LogicalType = { TIME: { isAdjustedToUTC: utc, unit: TIME_UNITS[unit] } };
  // LogicalTypes.md, TIME, forward compatibility table: writers annotate MILLIS and MICROS
  // times with TIME_MILLIS / TIME_MICROS whether or not they are UTC-adjusted; NANOS has none.
  const convertedType = unit === 'ms' ? ConvertedType.TIME_MILLIS : unit === 'us' ? ConvertedType.TIME_MICROS : undefined;
  if (unit === 'ms') {
    return { physicalType: Type.INT32, logicalType, convertedType, sortOrder: 'int32', isText: false, makeStore: () => new Int32Store(toTimeMillis) };
  }
  return {
    physicalType: Type.INT64,
    logicalType,
    convertedType,
    sortOrder: 'int64',
    isText: false,
    makeStore: () => new Int64Store((v) => toTimeLong(v, unit)),
  };
}

function timestampMapping(unit: TimeUnitName, utc: boolean, path: string): PrimitiveMapping {
  checkUnit(unit, path);
  // LogicalTypes.md, TIMESTAMP, forward compatibility table: local timestamps carry the
  // legacy TIMESTAMP_MILLIS / TIMESTAMP_MICROS annotation too (for readers that only know
  // converted types); NANOS has none.
  const convertedType = unit === 'ms' ? ConvertedType.TIMESTAMP_MILLIS : unit === 'us' ? ConvertedType.TIMESTAMP_MICROS : undefined;
  return {
    physicalType: Type.INT64,
    logicalType: { TIMESTAMP: { isAdjustedToUTC: utc, unit: TIME_UNITS[unit] } },
    convertedType,
    sortOrder: 'int64',
    isText: false,
    bulk: 'BigInt64Array',
    makeStore: () => new Int64Store((v) => toTimestamp(v, unit)),
  };
}

function decimalMapping(spec: Extract<PrimitiveTypeSpec, { type: 'decimal' }>, path: string): PrimitiveMapping {
  const { precision } = spec;
  const scale = spec.scale ?? 0;
  if (!Number.isInteger(precision) || precision < 1) {
    throw new ParquetSchemaError(path, `decimal precision must be a positive integer, got ${describeValue(precision)}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new ParquetSchemaError(path, `decimal scale must be an integer in 0..precision, got ${describeValue(scale)}`);
  }
  const physical = spec.physical ?? (precision <= 9 ? 'int32' : precision <= 18 ? 'int64' : 'fixed');
  const base = { logicalType: { DECIMAL: { scale, precision } }, convertedType: ConvertedType.DECIMAL, scale, precision, isText: false };
  switch (physical) {
    case 'int32':
      if (precision > 9) throw new ParquetSchemaError(path, `decimal on int32 allows precision <= 9, got ${precision}`);
      return { ...base, physicalType: Type.INT32, sortOrder: 'int32', makeStore: () => new Int32Store((v) => Number(toUnscaledDecimal(v, precision, scale))) };
    case 'int64':
      if (precision > 18) throw new ParquetSchemaError(path, `decimal on int64 allows precision <= 18, got ${precision}`);
      return { ...base, physicalType: Type.INT64, sortOrder: 'int64', makeStore: () => new Int64Store((v) => toUnscaledDecimal(v, precision, scale)) };
    case 'fixed': {
      const length = decimalByteLength(precision);
      return {
        ...base,
        physicalType: Type.FIXED_LEN_BYTE_ARRAY,
        typeLength: length,
        sortOrder: 'decimal-bytes',
        makeStore: () =>
          new FixedStore(length, (v, out, offset, view) => writeTwosComplement(toUnscaledDecimal(v, precision, scale), out, view, offset, length)),
      };
    }
    case 'binary':
      return {
        ...base,
        physicalType: Type.BYTE_ARRAY,
        sortOrder: 'decimal-bytes',
        makeStore: () =>
          new ByteArrayStore((v, data) => {
            const unscaled = toUnscaledDecimal(v, precision, scale);
            const length = minimalTwosComplementLength(unscaled);
            data.ensure(length);
            writeTwosComplement(unscaled, data.buffer, data.view, data.length, length);
            data.length += length;
          }),
      };
    default:
      throw new ParquetSchemaError(path, `decimal physical must be int32, int64, fixed or binary, got ${describeValue(physical)}`);
  }
}
