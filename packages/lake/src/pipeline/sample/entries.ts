import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { Keypair, StrKey, xdr } from '@stellar/stellar-sdk';

/**
 * XDR builders for the sample-lake generator: ledger entries, the changes that wrap them and
 * contract events, in the shapes stellar-core emits. Only the SDK's xdr types are used, so
 * whatever the SDK can encode our decoders must be able to read.
 */

export const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

export const i64 = (v: bigint | number): xdr.Int64 => xdr.Int64.fromString(String(v));
export const u64 = (v: bigint | number): xdr.Uint64 => xdr.Uint64.fromString(String(v));

export function i128(v: bigint): xdr.ScVal {
  const lo = BigInt.asUintN(64, v);
  const hi = BigInt.asIntN(64, v >> 64n);
  return xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: i64(hi), lo: u64(lo) }));
}

export function u128(v: bigint): xdr.ScVal {
  return xdr.ScVal.scvU128(new xdr.UInt128Parts({ hi: u64(v >> 64n), lo: u64(BigInt.asUintN(64, v)) }));
}

export const sym = (s: string): xdr.ScVal => xdr.ScVal.scvSymbol(s);
export const str = (s: string): xdr.ScVal => xdr.ScVal.scvString(s);
export const vec = (items: xdr.ScVal[]): xdr.ScVal => xdr.ScVal.scvVec(items);
export const map = (entries: Array<[xdr.ScVal, xdr.ScVal]>): xdr.ScVal => xdr.ScVal.scvMap(entries.map(([key, val]) => new xdr.ScMapEntry({ key, val })));

/** ScAddress of a G... account or a C... contract. */
export function scAddress(strkey: string): xdr.ScAddress {
  if (strkey.startsWith('C')) return xdr.ScAddress.scAddressTypeContract(StrKey.decodeContract(strkey) as unknown as xdr.ContractId);
  return xdr.ScAddress.scAddressTypeAccount(xdr.PublicKey.publicKeyTypeEd25519(StrKey.decodeEd25519PublicKey(strkey)));
}

export const addressVal = (strkey: string): xdr.ScVal => xdr.ScVal.scvAddress(scAddress(strkey));

/** A G... account with a fast signer (node:crypto ed25519, native, where the SDK signs in JavaScript). */
export class SampleAccount {
  readonly keypair: Keypair;
  readonly id: string;
  private readonly key: KeyObject;
  balance: bigint;
  seq: bigint;
  lastModified: number;
  /** Credit balances keyed by "CODE:ISSUER" (the trustline's balance). */
  readonly trustlines = new Map<string, { balance: bigint; lastModified: number }>();

  constructor(seed: Buffer, balance: bigint, seq: bigint, lastModified: number) {
    this.keypair = Keypair.fromRawEd25519Seed(seed);
    this.id = this.keypair.publicKey();
    // PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410).
    this.key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    this.balance = balance;
    this.seq = seq;
    this.lastModified = lastModified;
  }

  decoratedSignature(txHash: Buffer): xdr.DecoratedSignature {
    return new xdr.DecoratedSignature({ hint: this.keypair.signatureHint(), signature: sign(null, txHash, this.key) });
  }

  entry(): xdr.LedgerEntry {
    const account = new xdr.AccountEntry({
      accountId: this.keypair.xdrAccountId(),
      balance: i64(this.balance),
      seqNum: i64(this.seq),
      numSubEntries: this.trustlines.size,
      inflationDest: null,
      flags: 0,
      homeDomain: '',
      thresholds: Buffer.from([1, 0, 0, 0]),
      signers: [],
      ext: new xdr.AccountEntryExt(0),
    });
    return ledgerEntry(this.lastModified, xdr.LedgerEntryData.account(account));
  }

  trustlineEntry(asset: xdr.TrustLineAsset, label: string): xdr.LedgerEntry {
    const t = this.trustlines.get(label) ?? { balance: 0n, lastModified: this.lastModified };
    const line = new xdr.TrustLineEntry({
      accountId: this.keypair.xdrAccountId(),
      asset,
      balance: i64(t.balance),
      limit: i64(2n ** 63n - 1n),
      flags: 1, // AUTHORIZED
      ext: new xdr.TrustLineEntryExt(0),
    });
    return ledgerEntry(t.lastModified, xdr.LedgerEntryData.trustline(line));
  }
}

function ledgerEntry(lastModified: number, data: xdr.LedgerEntryData): xdr.LedgerEntry {
  return new xdr.LedgerEntry({ lastModifiedLedgerSeq: lastModified, data, ext: new xdr.LedgerEntryExt(0) });
}

export function contractDataEntry(
  contract: xdr.ScAddress,
  key: xdr.ScVal,
  durability: xdr.ContractDataDurability,
  val: xdr.ScVal,
  lastModified: number,
): xdr.LedgerEntry {
  const data = new xdr.ContractDataEntry({ ext: new xdr.ExtensionPoint(0), contract, key, durability, val });
  return ledgerEntry(lastModified, xdr.LedgerEntryData.contractData(data));
}

export function contractCodeEntry(hash: Buffer, code: Buffer, lastModified: number): xdr.LedgerEntry {
  const entry = new xdr.ContractCodeEntry({ ext: new xdr.ContractCodeEntryExt(0), hash, code });
  return ledgerEntry(lastModified, xdr.LedgerEntryData.contractCode(entry));
}

/** The LedgerKey naming a ledger entry (only the kinds the generator writes). */
export function ledgerKeyOf(entry: xdr.LedgerEntry): xdr.LedgerKey {
  const data = entry.data();
  switch (data.switch().name) {
    case 'contractData': {
      const d = data.contractData();
      return xdr.LedgerKey.contractData(new xdr.LedgerKeyContractData({ contract: d.contract(), key: d.key(), durability: d.durability() }));
    }
    case 'contractCode':
      return xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: data.contractCode().hash() }));
    case 'ttl':
      return xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: data.ttl().keyHash() }));
    default:
      throw new Error(`ledgerKeyOf: unsupported entry type ${data.switch().name}`);
  }
}

/** SHA-256 of the LedgerKey XDR: how TTL entries refer to the entry they keep alive. */
export const keyHashOf = (entry: xdr.LedgerEntry): Buffer => sha256(ledgerKeyOf(entry).toXDR());

export function ttlEntry(keyHash: Buffer, liveUntil: number, lastModified: number): xdr.LedgerEntry {
  return ledgerEntry(lastModified, xdr.LedgerEntryData.ttl(new xdr.TtlEntry({ keyHash, liveUntilLedgerSeq: liveUntil })));
}

export const created = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryCreated(e);
export const removed = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryRemoved(ledgerKeyOf(e));
export const restored = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryRestored(e);
/** An update as core writes it: the STATE (before) image immediately followed by UPDATED (after). */
export const updated = (before: xdr.LedgerEntry, after: xdr.LedgerEntry): xdr.LedgerEntryChange[] => [
  xdr.LedgerEntryChange.ledgerEntryState(before),
  xdr.LedgerEntryChange.ledgerEntryUpdated(after),
];

export function contractEvent(
  contractId: Buffer,
  topics: xdr.ScVal[],
  data: xdr.ScVal,
  type: xdr.ContractEventType = xdr.ContractEventType.contract(),
): xdr.ContractEvent {
  return new xdr.ContractEvent({
    ext: new xdr.ExtensionPoint(0),
    contractId: contractId as unknown as xdr.ContractId,
    type,
    body: new xdr.ContractEventBody(0, new xdr.ContractEventV0({ topics, data })),
  });
}
