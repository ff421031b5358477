/**
 * Stellar Asset Contract (SAC) storage as stellar-etl reads it for Hubble's contract_data
 * table (transform.AssetFromContractData and ContractBalanceFromContractData), rule for rule,
 * which is stricter and narrower than sac.ts:
 *  - the asset is named only on the contract's instance entry, and only when the asset it
 *    declares derives the entry's own contract id (a forged AssetInfo names nothing). The
 *    AssetInfo value must be a two-element vector, so the native SAC's Vec[Symbol("Native")]
 *    names no asset;
 *  - a balance is read from any contract's entry keyed Vec[Symbol("Balance"), Address] whose
 *    value is exactly Map{amount: i128 >= 0, authorized: bool, clawback: bool} in that
 *    order, and only when the holder is a contract (account balances live in trustlines).
 */
import { createHash } from 'node:crypto';
import { StrKey, xdr } from '@stellar/stellar-sdk';
import { encodeContractId } from './strkey-cache.js';
import { asBuffer } from './buffer-view.js';

export interface EtlAsset {
  type: 'native' | 'credit_alphanum4' | 'credit_alphanum12';
  /** '' for native, as Go's Asset.Extract leaves it. */
  code: string;
  issuer: string;
}

export interface EtlBalance {
  /** C... strkey of the holding contract. */
  holder: string;
  amount: bigint;
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

/** Contract id (32 bytes) of an asset's SAC on a network: SHA-256 of its HashIdPreimage. */
function assetContractId(asset: xdr.Asset, networkPassphrase: string): Buffer {
  const preimage = xdr.HashIdPreimage.envelopeTypeContractId(
    new xdr.HashIdPreimageContractId({
      networkId: sha256(Buffer.from(networkPassphrase)),
      contractIdPreimage: xdr.ContractIdPreimage.contractIdPreimageFromAsset(asset),
    }),
  );
  return sha256(preimage.toXDR());
}

const ASSET_INFO_KEY = xdr.ScVal.scvVec([xdr.ScVal.scvSymbol('AssetInfo')]).toXDR('hex');
const isSym = (v: xdr.ScVal, s: string): boolean => v.switch().name === 'scvSymbol' && Buffer.from(v.sym()).equals(Buffer.from(s));

/** Raw bytes of an ScString / ScBytes value (the SDK hands back a string or a Buffer). */
function opaqueOf(v: xdr.ScVal): Buffer {
  const raw = v.toXDR();
  return raw.subarray(8, 8 + raw.readUInt32BE(4));
}

/**
 * AssetFromContractData: the asset of a verified SAC instance entry, else undefined.
 * `contractId` is the entry's 32-byte contract id, `key`/`val` its ScVals.
 */
export function etlAssetFromContractData(contractId: Uint8Array, key: xdr.ScVal, val: xdr.ScVal, networkPassphrase: string): EtlAsset | undefined {
  if (key.switch().name !== 'scvLedgerKeyContractInstance' || val.switch().name !== 'scvContractInstance') return undefined;
  const storage = val.instance().storage();
  if (!storage) return undefined;
  const info = storage.find((e) => e.key().toXDR('hex') === ASSET_INFO_KEY)?.val();
  if (!info || info.switch().name !== 'scvVec') return undefined;
  const vec = info.vec();
  if (!vec || vec.length !== 2 || vec[0]!.switch().name !== 'scvSymbol') return undefined;
  const own = Buffer.from(contractId);
  const kind = Buffer.from(vec[0]!.sym()).toString('latin1');
  if (kind === 'Native') {
    if (own.equals(assetContractId(xdr.Asset.assetTypeNative(), networkPassphrase))) return { type: 'native', code: '', issuer: '' };
    // Otherwise Go reads the second element as a credit asset's map, as below.
  } else if (kind !== 'AlphaNum4' && kind !== 'AlphaNum12') {
    return undefined;
  }
  if (vec[1]!.switch().name !== 'scvMap') return undefined;
  const m = vec[1]!.map();
  if (!m || m.length !== 2) return undefined;
  const [codeEntry, issuerEntry] = [m[0]!, m[1]!];
  if (!isSym(codeEntry.key(), 'asset_code') || codeEntry.val().switch().name !== 'scvString') return undefined;
  const code = opaqueOf(codeEntry.val());
  if (code.length === 0) return undefined;
  if (!isSym(issuerEntry.key(), 'issuer') || issuerEntry.val().switch().name !== 'scvBytes') return undefined;
  const issuer = opaqueOf(issuerEntry.val());
  // The issuer must be an account id; the code's length (in bytes) chooses the asset type.
  if (issuer.length !== 32 || code.length > 12) return undefined;
  const alphanum4 = code.length <= 4;
  const padded = Buffer.alloc(alphanum4 ? 4 : 12);
  code.copy(padded);
  const pk = xdr.PublicKey.publicKeyTypeEd25519(issuer);
  const asset = alphanum4
    ? xdr.Asset.assetTypeCreditAlphanum4(new xdr.AlphaNum4({ assetCode: padded, issuer: pk }))
    : xdr.Asset.assetTypeCreditAlphanum12(new xdr.AlphaNum12({ assetCode: padded, issuer: pk }));
  if (!own.equals(assetContractId(asset, networkPassphrase))) return undefined;
  return {
    type: alphanum4 ? 'credit_alphanum4' : 'credit_alphanum12',
    // Go trims the code's zero padding and then drops every NUL byte.
    code: new TextDecoder().decode(padded).replaceAll('\u0000', ''),
    issuer: StrKey.encodeEd25519PublicKey(issuer),
  };
}

/**
 * XDR of the only key and value shapes ContractBalanceFromContractData accepts, with the
 * variable parts zeroed: key Vec[Symbol("Balance"), Address(contract)] (holder id at
 * HOLDER_AT) and value Map{amount: I128, authorized: Bool, clawback: Bool} (amount's hi/lo
 * words at AMOUNT_AT, the flags at AUTHORIZED_AT and CLAWBACK_AT). XDR encodes a value one
 * way only, so an entry has one of these shapes exactly when its bytes match outside the
 * variable parts; balances, on most rows, need no decoding.
 */
const BALANCE_KEY = xdr.ScVal.scvVec([
  xdr.ScVal.scvSymbol('Balance'),
  xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeContract(Buffer.alloc(32) as unknown as xdr.ContractId)),
]).toXDR();
const HOLDER_AT = BALANCE_KEY.length - 32;
const BALANCE_VAL = xdr.ScVal.scvMap(
  ['amount', 'authorized', 'clawback'].map(
    (k, i) =>
      new xdr.ScMapEntry({
        key: xdr.ScVal.scvSymbol(k),
        val: i === 0 ? xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: xdr.Int64.fromString('0'), lo: xdr.Uint64.fromString('0') })) : xdr.ScVal.scvBool(false),
      }),
  ),
).toXDR();
// Value layout: map tag, present, count (12 bytes); Symbol "amount" (16); I128 tag (4) and
// hi/lo (16); Symbol "authorized" (20); Bool tag (4) and value (4); Symbol "clawback" (16);
// Bool tag (4) and value (4).
const AMOUNT_AT = 12 + 16 + 4;
const AUTHORIZED_AT = AMOUNT_AT + 16 + 20 + 4;
const CLAWBACK_AT = AUTHORIZED_AT + 4 + 16 + 4;
if (CLAWBACK_AT + 4 !== BALANCE_VAL.length) throw new Error('sac-etl: unexpected balance value layout');

function matches(bytes: Uint8Array, shape: Buffer, variable: readonly [number, number][]): boolean {
  if (bytes.length !== shape.length) return false;
  let from = 0;
  for (const [at, len] of variable) {
    if (!shape.subarray(from, at).equals(asBuffer(bytes.subarray(from, at)))) return false;
    from = at + len;
  }
  return shape.subarray(from).equals(asBuffer(bytes.subarray(from)));
}

/**
 * ContractBalanceFromContractData: a contract holder's balance, from the entry's key and
 * value XDR, else undefined.
 */
export function etlContractBalance(key: Uint8Array, val: Uint8Array): EtlBalance | undefined {
  if (!matches(key, BALANCE_KEY, [[HOLDER_AT, 32]])) return undefined;
  if (
    !matches(val, BALANCE_VAL, [
      [AMOUNT_AT, 16],
      [AUTHORIZED_AT, 4],
      [CLAWBACK_AT, 4],
    ])
  )
    return undefined;
  const dv = new DataView(val.buffer, val.byteOffset, val.byteLength);
  if (dv.getUint32(AUTHORIZED_AT) > 1 || dv.getUint32(CLAWBACK_AT) > 1) return undefined; // not an XDR bool
  const amount = (dv.getBigInt64(AMOUNT_AT) << 64n) | dv.getBigUint64(AMOUNT_AT + 8);
  // Balances are never negative (the SAC refuses it); Go skips any entry claiming one.
  if (amount < 0n) return undefined;
  return { holder: encodeContractId(key.subarray(HOLDER_AT)), amount };
}
