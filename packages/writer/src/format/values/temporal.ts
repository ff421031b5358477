import { ValueConversionError, describeValue } from '../errors.js';
import type { TimeUnitName } from '../schema/types.js';

/** Units per millisecond, for converting a JS Date into a column's unit. */
const PER_MS: Record<TimeUnitName, number> = { ms: 1, us: 1000, ns: 1000000 };
const MS_PER_DAY = 86_400_000;

/**
 * A timestamp as an INT64 count of the column's unit since the Unix epoch: a number when
 * it is a safe integer (every one is within INT64; the store writes it without a BigInt).
 */
export function toTimestamp(value: unknown, unit: TimeUnitName): bigint | number {
  let b: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValueConversionError('invalid Date');
    const n = ms * PER_MS[unit];
    if (Number.isSafeInteger(n)) return n;
    b = BigInt(ms) * BigInt(PER_MS[unit]);
  } else if (typeof value === 'bigint') b = value;
  else throw new ValueConversionError(`expected a Date, integer or bigint in ${unit}, got ${describeValue(value)}`);
  // INT64 storage would silently wrap anything outside its range.
  if (b < INT64_MIN || b > INT64_MAX) throw new ValueConversionError(`${describeValue(value)} is out of the INT64 range in ${unit}`);
  return b;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A DATE as an INT32 count of days since the Unix epoch. */
export function toDate(value: unknown): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValueConversionError('invalid Date');
    return Math.floor(ms / MS_PER_DAY);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return value;
  throw new ValueConversionError(`expected a Date or a day number, got ${describeValue(value)}`);
}

/** TIME MILLIS is INT32 ms since midnight; MICROS/NANOS are INT64. */
export function toTimeMillis(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MS_PER_DAY) return value;
  throw new ValueConversionError(`expected milliseconds since midnight (0..86399999), got ${describeValue(value)}`);
}

/** TIME MICROS/NANOS since midnight, returned as given (a number stays a number). */
export function toTimeLong(value: unknown, unit: 'us' | 'ns'): bigint | number {
  const perDay = MS_PER_DAY * PER_MS[unit]; // 8.64e13 ns at most: a safe integer
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= 0 && value < perDay) return value;
  } else if (typeof value === 'bigint') {
    if (value >= 0n && value < BigInt(perDay)) return value;
  } else {
    throw new ValueConversionError(`expected ${unit} since midnight, got ${describeValue(value)}`);
  }
  throw new ValueConversionError(`${describeValue(value)} is not within a day in ${unit}`);
}

const JULIAN_DAY_OF_EPOCH = 2_440_588n;
const NANOS_PER_DAY = 86_400_000_000_000n;

/**
 * INT96 timestamps (deprecated but still read everywhere): 8 bytes little-endian
 * nanoseconds within the day followed by 4 bytes little-endian Julian day number.
 * Accepts a Date, a bigint of nanoseconds since the epoch, or the raw 12 bytes.
 */
export function toInt96(value: unknown, out: Uint8Array, offset: number): void {
  if (value instanceof Uint8Array) {
    if (value.length !== 12) throw new ValueConversionError(`INT96 needs 12 bytes, got ${value.length}`);
    out.set(value, offset);
    return;
  }
  let nanos: bigint;
  if (value instanceof Date && !Number.isNaN(value.getTime())) nanos = BigInt(value.getTime()) * BigInt(PER_MS.ns);
  else if (value instanceof Date) throw new ValueConversionError('invalid Date');
  else if (typeof value === 'bigint') nanos = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) nanos = BigInt(value);
  else throw new ValueConversionError(`expected a Date, bigint nanoseconds or 12 bytes, got ${describeValue(value)}`);
  let day = nanos / NANOS_PER_DAY;
  let within = nanos % NANOS_PER_DAY;
  if (within < 0n) {
    within += NANOS_PER_DAY;
    day -= 1n;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, 12);
  view.setBigInt64(0, within, true);
  view.setInt32(8, Number(day + JULIAN_DAY_OF_EPOCH), true);
}
