/**
 * LedgerKey XDR of the entries the datasets read, rebuilt from what the extractors keep: the
 * key's 4-byte LedgerEntryType tag followed by its body (LedgerKeyContractData, the code
 * hash, the TTL's key hash). Also how the compactor tells entries apart and names them.
 */
import type { CodeChange, DataEntryImage, TtlChange } from './extracted.js';
import { CONTRACT_CODE_TYPE, CONTRACT_DATA_TYPE, TTL_TYPE } from './extracted.js';
import type { EntryKeying } from './entry-change.js';
import { asBuffer } from './buffer-view.js';

function tagged(type: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(type, 0);
  out.set(body, 4);
  return out;
}

export const dataLedgerKey = (image: DataEntryImage): Buffer => tagged(CONTRACT_DATA_TYPE, image.keyBody);
export const codeLedgerKey = (code: CodeChange): Buffer => tagged(CONTRACT_CODE_TYPE, code.hash);
const ttlLedgerKey = (ttl: TtlChange): Buffer => tagged(TTL_TYPE, Buffer.from(ttl.keyHash, 'hex'));

/** Entries are told apart by the SHA-256 of their LedgerKey, which every image carries. */
export const dataKeying: EntryKeying<DataEntryImage> = { key: (e) => e.keyHash, describe: (e) => dataLedgerKey(e).toString('base64') };
export const codeKeying: EntryKeying<CodeChange> = { key: (e) => e.keyHash, describe: (e) => codeLedgerKey(e).toString('base64') };
/** A TTL entry's own LedgerKey is the key hash it extends, so that hash identifies it. */
export const ttlKeying: EntryKeying<TtlChange> = { key: (e) => e.keyHash, describe: (e) => ttlLedgerKey(e).toString('base64') };

export const base64Of = (u: Uint8Array): string => asBuffer(u).toString('base64');
