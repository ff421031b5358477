import { StrKey, xdr } from '@stellar/stellar-sdk';

/**
 * Strkey (SEP-23) encodings of the holders that appear in token movements. Base32 with a
 * CRC16 is costly next to the rest of the work, and a ledger names the same few accounts,
 * pools and contracts over and over, so encodings are memoised per kind of key. The tables
 * are emptied when full, which bounds memory without bookkeeping.
 */
class StrkeyMemo {
  private readonly map = new Map<string, string>();
  constructor(
    private readonly encode: (raw: Buffer) => string,
    private readonly limit = 50_000,
  ) {}

  get(raw: Buffer | Uint8Array): string {
    const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const key = buf.toString('latin1');
    let s = this.map.get(key);
    if (s === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      s = this.encode(buf);
      this.map.set(key, s);
    }
    return s;
  }
}

const accounts = new StrkeyMemo((b) => StrKey.encodeEd25519PublicKey(b));
const contracts = new StrkeyMemo((b) => StrKey.encodeContract(b));
const pools = new StrkeyMemo((b) => StrKey.encodeLiquidityPool(b));
// A claimable balance strkey encodes the ClaimableBalanceID union: its type byte (V0 = 0), then the hash.
const balances = new StrkeyMemo((b) => StrKey.encodeClaimableBalance(Buffer.concat([Buffer.from([0]), b])));

export const accountAddress = (ed25519: Uint8Array): string => accounts.get(ed25519);
export const contractAddress = (id: Uint8Array): string => contracts.get(id);
export const poolAddress = (id: Uint8Array): string => pools.get(id);

export function claimableBalanceAddress(id: xdr.ClaimableBalanceId): string {
  if (id.switch().value !== 0) throw new Error(`unknown claimable balance id type ${id.switch().value}`);
  return balances.get(id.v0());
}

/** SEP-23 M address: the ed25519 key followed by the 64-bit id, big-endian. */
export function muxedAddress(ed25519: Uint8Array, id: bigint): string {
  const raw = Buffer.alloc(40);
  raw.set(ed25519, 0);
  raw.writeBigUInt64BE(id, 32);
  return StrKey.encodeMed25519PublicKey(raw);
}

/** The strkey of any ScAddress arm: G, C, M (muxed account), B or L (CAP-67). */
export function scAddressString(a: xdr.ScAddress): string {
  switch (a.switch().value) {
    case 0:
      return accountAddress(a.accountId().ed25519());
    case 1:
      return contractAddress(a.contractId() as unknown as Buffer);
    case 2: {
      const m = a.muxedAccount();
      return muxedAddress(m.ed25519(), BigInt(m.id().toString()));
    }
    case 3:
      return claimableBalanceAddress(a.claimableBalanceId());
    case 4:
      return poolAddress(a.liquidityPoolId() as unknown as Buffer);
    default:
      throw new Error(`unknown ScAddress type ${a.switch().value}`);
  }
}

/**
 * One side of a movement. `account` marks a Stellar account (G, or an M address reduced
 * to its G account with the id kept in `muxedId`): only accounts issue assets and only
 * accounts carry destination multiplexing information (CAP-67).
 */
export interface Party {
  address: string;
  account: boolean;
  muxedId: bigint | undefined;
}

export function partyOfMuxedAccount(m: xdr.MuxedAccount): Party {
  if (m.switch().value === 0x100) {
    const med = m.med25519();
    return { address: accountAddress(med.ed25519()), account: true, muxedId: BigInt(med.id().toString()) };
  }
  return { address: accountAddress(m.ed25519()), account: true, muxedId: undefined };
}

export const partyOfAccountId = (id: xdr.AccountId): Party => ({ address: accountAddress(id.ed25519()), account: true, muxedId: undefined });
export const partyOfPool = (id: Uint8Array): Party => ({ address: poolAddress(id), account: false, muxedId: undefined });
export const partyOfBalance = (id: xdr.ClaimableBalanceId): Party => ({ address: claimableBalanceAddress(id), account: false, muxedId: undefined });

/** A holder named by strkey (contract event topics): G and M are accounts, M reduced to G. */
export function partyOfStrkey(address: string): Party {
  if (address.startsWith('M') && StrKey.isValidMed25519PublicKey(address)) {
    const raw = StrKey.decodeMed25519PublicKey(address);
    return { address: accountAddress(raw.subarray(0, 32)), account: true, muxedId: raw.readBigUInt64BE(32) };
  }
  return { address, account: address.startsWith('G') && StrKey.isValidEd25519PublicKey(address), muxedId: undefined };
}

/** The ed25519 key of a MuxedAccount, with or without a muxed id (KEY_TYPE_MUXED_ED25519 = 0x100). */
export const ed25519OfMuxed = (m: xdr.MuxedAccount): Buffer => (m.switch().value === 0x100 ? m.med25519().ed25519() : m.ed25519());

/** The account (G) of a MuxedAccount, for operation and transaction source accounts. */
export const accountOfMuxed = (m: xdr.MuxedAccount): string => accountAddress(ed25519OfMuxed(m));
