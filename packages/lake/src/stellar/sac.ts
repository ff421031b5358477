import { Asset, StrKey, xdr } from '@stellar/stellar-sdk';
import { int128ToBigInt, scAddressToString, xdrText } from './scval-json.js';

/**
 * Stellar Asset Contract (SAC) storage decoding. The SAC is built into the protocol, so its
 * storage layout is fixed: balances are persistent entries keyed Vec[Symbol("Balance"),
 * Address] holding Map{amount: i128, authorized: bool, clawback: bool}; the instance storage
 * holds Vec[Symbol("AssetInfo")] -> Vec[Symbol("Native")] or
 * Vec[Symbol("AlphaNum4"|"AlphaNum12"), Map{asset_code: String, issuer: Bytes(32)}].
 */
export interface SacBalance {
  holder: string;
  amount: bigint;
  authorized: boolean | undefined;
  clawback: boolean | undefined;
}

export interface SacAsset {
  type: 'native' | 'credit_alphanum4' | 'credit_alphanum12';
  code: string | null;
  issuer: string | null;
}

const isSymbol = (v: xdr.ScVal, s: string): boolean => v.switch().name === 'scvSymbol' && xdrText(v.sym()) === s;

function mapGet(m: xdr.ScMapEntry[], name: string): xdr.ScVal | undefined {
  return m.find((e) => isSymbol(e.key(), name))?.val();
}

/** Balance entry -> holder and amount; undefined when the key/value do not have the SAC shape. */
export function decodeSacBalance(key: xdr.ScVal, val: xdr.ScVal | undefined): SacBalance | undefined {
  if (key.switch().name !== 'scvVec') return undefined;
  const k = key.vec();
  if (!k || k.length !== 2 || !isSymbol(k[0]!, 'Balance') || k[1]!.switch().name !== 'scvAddress') return undefined;
  const holder = scAddressToString(k[1]!.address());
  if (!val || val.switch().name !== 'scvMap') return undefined;
  const m = val.map();
  if (!m) return undefined;
  const amount = mapGet(m, 'amount');
  if (!amount || amount.switch().name !== 'scvI128') return undefined;
  const flag = (name: string): boolean | undefined => {
    const v = mapGet(m, name);
    return v && v.switch().name === 'scvBool' ? v.b() : undefined;
  };
  return { holder, amount: int128ToBigInt(amount.i128()), authorized: flag('authorized'), clawback: flag('clawback') };
}

/** A SAC balance key without a value (removed entries): just the holder. */
export function sacBalanceHolder(key: xdr.ScVal): string | undefined {
  if (key.switch().name !== 'scvVec') return undefined;
  const k = key.vec();
  if (!k || k.length !== 2 || !isSymbol(k[0]!, 'Balance') || k[1]!.switch().name !== 'scvAddress') return undefined;
  return scAddressToString(k[1]!.address());
}

/** Asset of a SAC instance value; undefined for anything that is not a Stellar Asset Contract. */
export function decodeSacInstanceAsset(val: xdr.ScVal): SacAsset | undefined {
  if (val.switch().name !== 'scvContractInstance') return undefined;
  const inst = val.instance();
  if (inst.executable().switch().name !== 'contractExecutableStellarAsset') return undefined;
  const storage = inst.storage() ?? [];
  const entry = storage.find((e) => {
    const k = e.key();
    const v = k.switch().name === 'scvVec' ? k.vec() : null;
    return v !== null && v.length === 1 && isSymbol(v[0]!, 'AssetInfo');
  });
  const info = entry?.val();
  const parts = info && info.switch().name === 'scvVec' ? info.vec() : null;
  if (!parts || parts.length < 1) return undefined;
  if (isSymbol(parts[0]!, 'Native')) return { type: 'native', code: null, issuer: null };
  const kind = isSymbol(parts[0]!, 'AlphaNum4') ? 'credit_alphanum4' : isSymbol(parts[0]!, 'AlphaNum12') ? 'credit_alphanum12' : undefined;
  if (!kind || parts.length < 2 || parts[1]!.switch().name !== 'scvMap') return undefined;
  const m = parts[1]!.map() ?? [];
  const code = mapGet(m, 'asset_code');
  const issuer = mapGet(m, 'issuer');
  const codeText = code?.switch().name === 'scvString' ? xdrText(code.str()) : undefined;
  const issuerKey = issuer?.switch().name === 'scvBytes' && issuer.bytes().length === 32 ? StrKey.encodeEd25519PublicKey(issuer.bytes()) : undefined;
  if (codeText === undefined || issuerKey === undefined) return undefined;
  return { type: kind, code: codeText, issuer: issuerKey };
}

/** Contract id (C...) of the native asset's SAC on a network; derivable without any ledger data. */
export function nativeSacContractId(networkPassphrase: string): string {
  return Asset.native().contractId(networkPassphrase);
}
