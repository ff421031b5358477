import { StrKey } from '@stellar/stellar-sdk';

/**
 * StrKey encoding (base32 + CRC16) costs ~5 µs, and the same few contracts and accounts
 * appear in most rows of a ledger, so encodings are memoised. The cache is dropped wholesale
 * when it reaches its bound, which keeps memory flat without LRU bookkeeping.
 */
const MAX = 50_000;
const contracts = new Map<string, string>();
const accounts = new Map<string, string>();

function cached(map: Map<string, string>, raw: Uint8Array, encode: (b: Buffer) => string): string {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const k = b.toString('latin1');
  let s = map.get(k);
  if (s === undefined) {
    if (map.size >= MAX) map.clear();
    s = encode(b);
    map.set(k, s);
  }
  return s;
}

export const encodeContractId = (raw: Uint8Array): string => cached(contracts, raw, (b) => StrKey.encodeContract(b));
export const encodeAccountId = (raw: Uint8Array): string => cached(accounts, raw, (b) => StrKey.encodeEd25519PublicKey(b));
