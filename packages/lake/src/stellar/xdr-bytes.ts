import { xdr } from '@stellar/stellar-sdk';
import { encodeContractId } from './strkey-cache.js';
import { scAddressToString } from './scval-json.js';
import { asBuffer } from './buffer-view.js';

/** Small readers over raw XDR slices, so rows need no full SDK decode for common fields. */

const u32At = (u: Uint8Array, at: number): number => new DataView(u.buffer, u.byteOffset, u.byteLength).getUint32(at);

const SC_ADDRESS_TYPE_CONTRACT = 1;
export const SCV_VEC = 16;
export const SCV_CONTRACT_INSTANCE = 19;
const CONTRACT_EXECUTABLE_WASM = 0;

/** Strkey of an ScAddress given as XDR; the contract arm (by far the most common) without decoding. */
export function scAddressXdrToString(a: Uint8Array): string {
  if (u32At(a, 0) === SC_ADDRESS_TYPE_CONTRACT) return encodeContractId(a.subarray(4, 36));
  return scAddressToString(xdr.ScAddress.fromXDR(asBuffer(a)));
}

/** ScValType discriminant of an ScVal given as XDR. */
export const scValType = (v: Uint8Array): number => u32At(v, 0);

/** js-xdr enums have a static fromValue that the SDK's typings omit. */
type EnumClass = { fromValue(v: number): { name: string } };
const enumName = (e: unknown, v: number): string => (e as EnumClass).fromValue(v).name;

/** SDK name of an ScValType value, e.g. 16 -> "scvVec". */
export const scValTypeName = (t: number): string => enumName(xdr.ScValType, t);

export const durabilityName = (d: number): string => enumName(xdr.ContractDataDurability, d);

/** For an ScVal of type scvContractInstance: executable type value and (Wasm) hash. */
export function instanceExecutable(val: Uint8Array): { type: number; name: string; wasmHash: string | null } {
  const type = u32At(val, 4);
  return {
    type,
    name: enumName(xdr.ContractExecutableType, type),
    wasmHash: type === CONTRACT_EXECUTABLE_WASM ? asBuffer(val.subarray(8, 40)).toString('hex') : null,
  };
}

export const decodeScVal = (v: Uint8Array): xdr.ScVal => xdr.ScVal.fromXDR(asBuffer(v));
