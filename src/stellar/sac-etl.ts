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
import { int128ToBigInt } from './scval-json.js';
import { encodeContractId } from './strkey-cache.js';

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
export function assetContractId(asset: xdr.Asset, networkPassphrase: string): Buffer {
  const preimage = xdr.HashIdPreimage.envelopeTypeContractId(new xdr.HashIdPreimageContractId({
    networkId: sha256(Buffer.from(networkPassphrase)),
    contractIdPreimage: xdr.ContractIdPreimage.contractIdPreimageFromAsset(asset),
  }));
  return sha256(preimage.toXDR());
}

const symbolXdr = (s: string): string => xdr.ScVal.scvSymbol(s).toXDR('hex');
const ASSET_INFO_KEY = xdr.ScVal.scvVec([xdr.ScVal.scvSymbol('AssetInfo')]).toXDR('hex');
const BALANCE = symbolXdr('Balance');
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

/** ContractBalanceFromContractData: a contract holder's balance entry, else undefined. */
export function etlContractBalance(key: xdr.ScVal, val: xdr.ScVal): EtlBalance | undefined {
  if (key.switch().name !== 'scvVec') return undefined;
  const k = key.vec();
  if (!k || k.length !== 2 || k[0]!.toXDR('hex') !== BALANCE || k[1]!.switch().name !== 'scvAddress') return undefined;
  const address = k[1]!.address();
  if (address.switch().name !== 'scAddressTypeContract') return undefined;
  if (val.switch().name !== 'scvMap') return undefined;
  const m = val.map();
  if (!m || m.length !== 3) return undefined;
  if (!isSym(m[0]!.key(), 'amount')) return undefined;
  if (!isSym(m[1]!.key(), 'authorized') || m[1]!.val().switch().name !== 'scvBool') return undefined;
  if (!isSym(m[2]!.key(), 'clawback') || m[2]!.val().switch().name !== 'scvBool') return undefined;
  if (m[0]!.val().switch().name !== 'scvI128') return undefined;
  const amount = int128ToBigInt(m[0]!.val().i128());
  // Balances are never negative (the SAC refuses it); Go skips any entry claiming one.
  if (amount < 0n) return undefined;
  return { holder: encodeContractId(address.contractId() as unknown as Uint8Array), amount };
}
