import { ValueConversionError, describeValue } from '../errors.js';

/**
 * Integer conversions with range checks. Unsigned INTEGER logical types are stored in the
 * signed physical type of the same width, reinterpreted (LogicalTypes.md, "Unsigned
 * integers"), so UINT32 4294967295 is written as INT32 -1.
 */
export interface IntRange {
  bits: 8 | 16 | 32 | 64;
  signed: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * A converter for one INT32-stored integer type with its bounds computed once: this runs
 * for every value, and plain in-range numbers take the first branch only.
 */
export function int32Converter(range: IntRange): (value: unknown) => number {
  const min = range.signed ? -(2 ** (range.bits - 1)) : 0;
  const max = range.signed ? 2 ** (range.bits - 1) - 1 : 2 ** range.bits - 1;
  return (value) => {
    if (typeof value === 'number' && value >= min && value <= max && Number.isInteger(value)) return value | 0;
    return toInt32Checked(value, range);
  };
}

function toInt32Checked(value: unknown, range: IntRange): number {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ValueConversionError(`expected an integer, got ${describeValue(value)}`);
    n = value;
  } else if (typeof value === 'bigint') {
    n = Number(value);
    if (BigInt(n) !== value) throw outOfRange(value, range);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    n = Number(value);
  } else {
    throw new ValueConversionError(`expected an integer, got ${describeValue(value)}`);
  }
  const min = range.signed ? -(2 ** (range.bits - 1)) : 0;
  const max = range.signed ? 2 ** (range.bits - 1) - 1 : 2 ** range.bits - 1;
  if (n < min || n > max) throw outOfRange(value, range);
  return n | 0;
}

/** A 64-bit integer; a number when given as a safe integer in range (the store writes it without a BigInt). */
export function toInt64Checked(value: unknown, range: IntRange): bigint | number {
  let b: bigint;
  if (typeof value === 'bigint') {
    b = value;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ValueConversionError(`expected an integer, got ${describeValue(value)}`);
    if (!Number.isSafeInteger(value)) {
      throw new ValueConversionError(`${value} is beyond 2^53 and may have lost precision; pass a bigint`);
    }
    // Every safe integer is within int64, and a non-negative one within uint64 has the same bits.
    if (range.signed || value >= 0) return value;
    b = BigInt(value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    b = BigInt(value);
  } else {
    throw new ValueConversionError(`expected an integer, got ${describeValue(value)}`);
  }
  if (range.signed ? b < INT64_MIN || b > INT64_MAX : b < 0n || b > UINT64_MAX) throw outOfRange(value, range);
  return range.signed ? b : BigInt.asIntN(64, b);
}

function outOfRange(value: unknown, range: IntRange): ValueConversionError {
  return new ValueConversionError(`${describeValue(value)} is out of range for ${range.signed ? '' : 'u'}int${range.bits}`);
}
