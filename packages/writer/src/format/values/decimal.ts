import { ValueConversionError, describeValue } from '../errors.js';

/**
 * DECIMAL values (LogicalTypes.md, "DECIMAL"): the unscaled integer value*10^scale, checked
 * against the precision. A bigint is taken as the unscaled integer itself; a string or a
 * number is the decimal value ("12.34"). Digits beyond the scale are an error, never rounded.
 */
const INTEGER_TEXT = /^-?\d{1,40}$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** 10^n as bigints, built on first use: a per-value `10n ** BigInt(p)` cost more than the parse. */
const POWERS_OF_TEN: bigint[] = [1n];
function powerOfTen(n: number): bigint {
  for (let k = POWERS_OF_TEN.length; k <= n; k++) POWERS_OF_TEN.push(POWERS_OF_TEN[k - 1]! * 10n);
  return POWERS_OF_TEN[n]!;
}

export function toUnscaledDecimal(value: unknown, precision: number, scale: number): bigint {
  let unscaled: bigint;
  if (typeof value === 'bigint') {
    unscaled = value;
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    // The common case (i128 balances as decimal text): no fraction, no exponent.
    unscaled = scale === 0 ? BigInt(value) : BigInt(value) * powerOfTen(scale);
  } else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    unscaled = parseDecimalText(String(value), scale, value);
  } else {
    throw new ValueConversionError(`expected a decimal string, number or bigint, got ${describeValue(value)}`);
  }
  const limit = powerOfTen(precision);
  if (unscaled >= limit || unscaled <= -limit) {
    throw new ValueConversionError(`${describeValue(value)} does not fit DECIMAL(${precision},${scale})`);
  }
  return unscaled;
}

function parseDecimalText(text: string, scale: number, original: unknown): bigint {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new ValueConversionError(`${describeValue(original)} is not a decimal number`);
  }
  const sign = m[1] === '-' ? -1n : 1n;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  // Position of the decimal point counted from the right end of `digits`.
  let fractionDigits = (m[3] ?? '').length - Number(m[4] ?? 0);
  if (fractionDigits < 0) {
    digits += '0'.repeat(-fractionDigits);
    fractionDigits = 0;
  }
  if (fractionDigits > scale) {
    const dropped = digits.slice(digits.length - (fractionDigits - scale));
    if (/[1-9]/.test(dropped)) {
      throw new ValueConversionError(`${describeValue(original)} has more than ${scale} fractional digits`);
    }
    digits = digits.slice(0, digits.length - (fractionDigits - scale));
    fractionDigits = scale;
  }
  digits += '0'.repeat(scale - fractionDigits);
  return sign * BigInt(digits === '' ? '0' : digits);
}

/**
 * Big-endian two's complement in exactly `length` bytes (FIXED_LEN_BYTE_ARRAY storage).
 * `view` is a DataView over `out`, index for index (the store's own, so no DataView is made per value).
 */
export function writeTwosComplement(value: bigint, out: Uint8Array, view: DataView, offset: number, length: number): void {
  let v = BigInt.asUintN(length * 8, value);
  let i = length;
  // Eight bytes per BigInt step; the leftover head byte by byte.
  for (; i >= 8; i -= 8) {
    view.setBigUint64(offset + i - 8, BigInt.asUintN(64, v));
    v >>= 64n;
  }
  for (i--; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** The fewest bytes that hold `value` in two's complement (BYTE_ARRAY storage). */
export function minimalTwosComplementLength(value: bigint): number {
  let length = 1;
  while (value >= 1n << BigInt(length * 8 - 1) || value < -(1n << BigInt(length * 8 - 1))) length++;
  return length;
}

/** Bytes needed for a FIXED_LEN_BYTE_ARRAY decimal of this precision. */
export function decimalByteLength(precision: number): number {
  let bytes = 1;
  while (10n ** BigInt(precision) - 1n >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  return bytes;
}
