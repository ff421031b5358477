import { xdr } from '@stellar/stellar-sdk';

/**
 * One ledger as delivered by a source: the raw LedgerCloseMeta XDR plus the few header
 * fields every consumer needs (sequence, close time), read without decoding the body.
 * The full SDK object is decoded lazily and cached, so a processor that walks the raw
 * bytes itself never pays for `LedgerCloseMeta.fromXDR`.
 */
export interface LedgerRecord {
  readonly sequence: number;
  /** Seconds since the Unix epoch (StellarValue.closeTime). */
  readonly closeTime: number;
  /** LedgerCloseMeta union arm: 0, 1 or 2. */
  readonly version: number;
  readonly protocolVersion: number;
  /** XDR of exactly one LedgerCloseMeta. */
  readonly bytes: Uint8Array;
  /** The decoded SDK object (decoded on first call, then cached). */
  meta(): xdr.LedgerCloseMeta;
}

export interface LedgerHeaderPeek {
  version: number;
  sequence: number;
  closeTime: number;
  protocolVersion: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

/**
 * Reads the union arm, protocol version, close time and sequence of a LedgerCloseMeta.
 * Layout: arm; [v1/v2: LedgerCloseMetaExt]; LedgerHeaderHistoryEntry{hash, LedgerHeader{
 * ledgerVersion, previousLedgerHash, StellarValue{txSetHash, closeTime, upgrades<6>, ext},
 * txSetResultHash, bucketListHash, ledgerSeq, ...}}.
 */
export function peekLedgerHeader(bytes: Uint8Array): LedgerHeaderPeek {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const version = dv.getUint32(p);
  p += 4;
  if (version > 2) throw new Error(`unsupported LedgerCloseMeta version ${version}`);
  if (version >= 1) {
    const extArm = dv.getUint32(p);
    p += 4;
    // LedgerCloseMetaExtV1 = { ExtensionPoint (void arm 0), int64 sorobanFeeWrite1KB }
    if (extArm === 1) p += 4 + 8;
    else if (extArm !== 0) throw new Error(`unsupported LedgerCloseMetaExt arm ${extArm}`);
  }
  p += 32; // LedgerHeaderHistoryEntry.hash
  const protocolVersion = dv.getUint32(p);
  p += 4 + 32 + 32; // ledgerVersion, previousLedgerHash, scpValue.txSetHash
  const closeTime = Number(dv.getBigUint64(p));
  p += 8;
  const nUpgrades = dv.getUint32(p);
  p += 4;
  for (let i = 0; i < nUpgrades; i++) p += 4 + pad4(dv.getUint32(p));
  const svExt = dv.getUint32(p);
  p += 4;
  if (svExt === 1) {
    p += 4 + 32; // nodeID: PublicKey (arm + ed25519)
    p += 4 + pad4(dv.getUint32(p)); // signature opaque<64>
  }
  p += 32 + 32; // txSetResultHash, bucketListHash
  const sequence = dv.getUint32(p);
  return { version, sequence, closeTime, protocolVersion };
}

function toBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** Wraps raw LedgerCloseMeta bytes; `decoded` seeds the cache when already decoded. */
export function ledgerRecordFromBytes(input: Uint8Array, decoded?: xdr.LedgerCloseMeta): LedgerRecord {
  // A plain Uint8Array view (not a Buffer), so slices handed out in rows look the same
  // whichever way the bytes arrived.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const h = peekLedgerHeader(bytes);
  let cache = decoded;
  return {
    sequence: h.sequence,
    closeTime: h.closeTime,
    version: h.version,
    protocolVersion: h.protocolVersion,
    bytes,
    meta() {
      cache ??= xdr.LedgerCloseMeta.fromXDR(toBuffer(bytes));
      return cache;
    },
  };
}

/** For callers that already hold an SDK object (tests, generators). */
export function ledgerRecordFromMeta(meta: xdr.LedgerCloseMeta): LedgerRecord {
  return ledgerRecordFromBytes(new Uint8Array(meta.toXDR()), meta);
}
