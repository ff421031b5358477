import { xdr } from '@stellar/stellar-sdk';
import { scAddressString } from './addresses.js';

/**
 * Typed reads of ScVal event topics and data: each returns undefined when the value is of
 * another type, so callers can reject a shape without exceptions. Enum values are the
 * SCValType numbers of Stellar-contract.x.
 */
const SCV_U64 = 5;
const SCV_I128 = 10;
const SCV_BYTES = 13;
const SCV_STRING = 14;
const SCV_SYMBOL = 15;
const SCV_MAP = 17;
const SCV_ADDRESS = 18;

const text = (v: string | Buffer): string => (typeof v === 'string' ? v : v.toString('utf8'));

const typeOf = (v: xdr.ScVal): number => v.switch().value;
export const symbolOf = (v: xdr.ScVal): string | undefined => (typeOf(v) === SCV_SYMBOL ? text(v.sym()) : undefined);
export const stringOf = (v: xdr.ScVal): string | undefined => (typeOf(v) === SCV_STRING ? text(v.str()) : undefined);
export const addressOf = (v: xdr.ScVal): string | undefined => (typeOf(v) === SCV_ADDRESS ? scAddressString(v.address()) : undefined);
export const u64Of = (v: xdr.ScVal): bigint | undefined => (typeOf(v) === SCV_U64 ? BigInt(v.u64().toString()) : undefined);
export const bytesOf = (v: xdr.ScVal): Uint8Array | undefined => (typeOf(v) === SCV_BYTES ? new Uint8Array(v.bytes()) : undefined);
export const mapOf = (v: xdr.ScVal): xdr.ScMapEntry[] | null | undefined => (typeOf(v) === SCV_MAP ? v.map() : undefined);

/** Signed 128-bit integer: hi (signed) * 2^64 + lo (unsigned). */
export function i128Of(v: xdr.ScVal): bigint | undefined {
  if (typeOf(v) !== SCV_I128) return undefined;
  const parts = v.i128();
  return (BigInt(parts.hi().toString()) << 64n) | BigInt.asUintN(64, BigInt(parts.lo().toString()));
}

/** Name of an ScVal type, for messages. */
export const typeName = (v: xdr.ScVal): string => v.switch().name;
