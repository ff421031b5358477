import { StrKey } from '@stellar/stellar-sdk';
import { BytesMemo } from './bytes-memo.js';
import { asBuffer } from './buffer-view.js';

/**
 * StrKey encoding (base32 + CRC16) allocates and computes per call, and the same few contracts
 * and accounts appear in most rows of a ledger, so encodings are memoised (see BytesMemo).
 */
const contracts = new BytesMemo((raw) => StrKey.encodeContract(asBuffer(raw)), 50_000);
const accounts = new BytesMemo((raw) => StrKey.encodeEd25519PublicKey(asBuffer(raw)), 50_000);

export const encodeContractId = (raw: Uint8Array): string => contracts.get(raw);
export const encodeAccountId = (raw: Uint8Array): string => accounts.get(raw);
