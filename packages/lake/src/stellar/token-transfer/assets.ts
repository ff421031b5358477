import { createHash } from 'node:crypto';
import { StrKey, xdr } from '@stellar/stellar-sdk';
import { accountAddress, contractAddress } from './addresses.js';
import type { TokenAsset } from './event.js';
import { NATIVE } from './event.js';

/**
 * A classic asset as the processor uses it: the event's asset, the C address of the
 * asset's Stellar Asset Contract (the contract every event of the asset names, CAP-46-6)
 * and the balance key "native" | "CODE:ISSUER" (Go's Asset.StringCanonical), which ignores
 * the XDR code width just as the reconciliation in the Go processor does.
 */
export interface ResolvedAsset {
  asset: TokenAsset;
  contract: string;
  key: string;
}

export const assetKey = (a: TokenAsset): string => (a.native ? 'native' : `${a.code}:${a.issuer}`);

/**
 * Asset code -> text, trailing NUL padding removed (Go: strings.TrimRight(code, "\x00")).
 * Decoded XDR holds the code as bytes; SDK-built assets may hold the padded string.
 */
function codeText(code: Buffer | string): string {
  const s = typeof code === 'string' ? code : code.toString('latin1');
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return s.slice(0, end);
}

function creditParts(a: xdr.Asset | xdr.TrustLineAsset): { code: Buffer | string; issuer: xdr.AccountId } {
  const v = a.switch().value;
  const body = v === 1 ? a.alphaNum4() : v === 2 ? a.alphaNum12() : undefined;
  if (!body) throw new Error(`asset type ${a.switch().name} has no code and issuer`);
  return { code: body.assetCode(), issuer: body.issuer() };
}

/** The TokenAsset of an XDR asset (or of a trust line's non-pool asset). */
export function tokenAssetOf(a: xdr.Asset | xdr.TrustLineAsset): TokenAsset {
  if (a.switch().value === 0) return NATIVE;
  const { code, issuer } = creditParts(a);
  return { native: false, code: codeText(code), issuer: accountAddress(issuer.ed25519()) };
}

/** Resolves assets for one network: the SAC address depends on the network passphrase. */
export class AssetResolver {
  private readonly networkId: Buffer;
  private readonly cache = new Map<string, ResolvedAsset>();
  readonly native: ResolvedAsset;

  constructor(readonly networkPassphrase: string) {
    this.networkId = createHash('sha256').update(networkPassphrase).digest();
    this.native = { asset: NATIVE, contract: this.contractOf(xdr.Asset.assetTypeNative()), key: 'native' };
  }

  resolve(a: xdr.Asset): ResolvedAsset {
    const type = a.switch().value;
    if (type === 0) return this.native;
    const { code, issuer } = creditParts(a);
    const cacheKey = `${type}:${codeText(code)}:${issuer.ed25519().toString('latin1')}`;
    let r = this.cache.get(cacheKey);
    if (!r) {
      const asset = tokenAssetOf(a);
      r = { asset, contract: this.contractOf(a), key: assetKey(asset) };
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(cacheKey, r);
    }
    return r;
  }

  private readonly labels = new Map<string, ResolvedAsset | null>();

  /** The asset a SEP-11 label names (see parseSep11Asset), or null; labels repeat, so they are cached. */
  resolveLabel(label: string): ResolvedAsset | null {
    let r = this.labels.get(label);
    if (r === undefined) {
      const parsed = parseSep11Asset(label);
      r = parsed ? this.resolve(parsed) : null;
      if (this.labels.size >= 10_000) this.labels.clear();
      this.labels.set(label, r);
    }
    return r;
  }

  /** Contract ID of an asset's SAC: SHA-256 of HashIDPreimage{ENVELOPE_TYPE_CONTRACT_ID, networkID, FROM_ASSET asset}. */
  private contractOf(a: xdr.Asset): string {
    const preimage = xdr.HashIdPreimage.envelopeTypeContractId(
      new xdr.HashIdPreimageContractId({ networkId: this.networkId, contractIdPreimage: xdr.ContractIdPreimage.contractIdPreimageFromAsset(a) }),
    );
    return contractAddress(createHash('sha256').update(preimage.toXDR()).digest());
  }
}

const ASSET_CODE = /^[A-Za-z0-9]{1,12}$/;

/**
 * The one asset a SEP-11 string names ("native", case-insensitive, or "CODE:ISSUER"), as
 * the Go processor parses a SAC event's last topic (xdr.BuildAssets): a code of 1-4
 * characters is AlphaNum4, 5-12 AlphaNum12. Anything else - several comma-separated
 * assets, a bad code or issuer - is not an asset (undefined).
 */
function parseSep11Asset(s: string): xdr.Asset | undefined {
  if (s === '' || s.includes(',')) return undefined;
  if (s.toLowerCase() === 'native') return xdr.Asset.assetTypeNative();
  const parts = s.split(':');
  if (parts.length !== 2) return undefined;
  const [code, issuer] = parts as [string, string];
  if (!ASSET_CODE.test(code) || !StrKey.isValidEd25519PublicKey(issuer)) return undefined;
  const issuerId = xdr.PublicKey.publicKeyTypeEd25519(StrKey.decodeEd25519PublicKey(issuer));
  if (code.length <= 4) {
    const padded = Buffer.alloc(4);
    padded.write(code, 'latin1');
    return xdr.Asset.assetTypeCreditAlphanum4(new xdr.AlphaNum4({ assetCode: padded, issuer: issuerId }));
  }
  const padded = Buffer.alloc(12);
  padded.write(code, 'latin1');
  return xdr.Asset.assetTypeCreditAlphanum12(new xdr.AlphaNum12({ assetCode: padded, issuer: issuerId }));
}
