import { xdr } from '@stellar/stellar-sdk';
import type { Party } from './addresses.js';
import type { ResolvedAsset } from './assets.js';
import type { MuxedInfo, TokenAsset, TokenTransferEvent, TokenTransferKind } from './event.js';
import type { LedgerTx } from './ledger-transactions.js';

/** Where an event happened: the transaction and, for operation events, the operation (0-based). */
export interface EventSite {
  tx: LedgerTx;
  /** 0-based operation index; null for fee events. Events carry it 1-based (SEP-35). */
  op: number | null;
}

export function newEvent(
  site: EventSite,
  kind: TokenTransferKind,
  contractAddress: string,
  asset: TokenAsset | null,
  from: string | null,
  to: string | null,
  amount: bigint,
  toMuxedInfo: MuxedInfo | null = null,
): TokenTransferEvent {
  const { tx, op } = site;
  return {
    kind,
    ledgerSequence: tx.ledgerSequence,
    closeTime: tx.closeTime,
    txHash: tx.hash,
    txIndex: tx.index,
    opIndex: op === null ? null : op + 1,
    contractAddress,
    from,
    to,
    asset,
    amount,
    toMuxedInfo,
  };
}

/** A memo standing in for a destination's muxed id (CAP-67): id, text, or hash / return hash. */
function muxedInfoOfMemo(memo: xdr.Memo): MuxedInfo | null {
  switch (memo.switch().value) {
    case 0:
      return null;
    case 1: {
      const t = memo.text();
      return { type: 'text', text: typeof t === 'string' ? t : t.toString('utf8') };
    }
    case 2:
      return { type: 'id', id: BigInt(memo.id().toString()) };
    case 3:
      return { type: 'hash', hash: new Uint8Array(memo.hash()) };
    case 4:
      return { type: 'hash', hash: new Uint8Array(memo.retHash()) };
    default:
      throw new Error(`unknown memo type ${memo.switch().name}`);
  }
}

/**
 * Destination information of a movement to `to`: only accounts carry it; an M address's id
 * wins, otherwise the transaction memo stands for it.
 */
function destinationInfo(tx: LedgerTx, to: Party, memo: () => xdr.Memo): MuxedInfo | null {
  if (!to.account) return null;
  if (to.muxedId !== undefined) return { type: 'id', id: to.muxedId };
  return muxedInfoOfMemo(memo());
}

const isIssuer = (asset: TokenAsset, p: Party): boolean => p.account && !asset.native && asset.issuer === p.address;

/**
 * A movement of a classic asset between two holders, named by what the issuer does (CAP-67):
 * from the issuer it is a mint, to the issuer a burn, otherwise a transfer. An issuer
 * paying itself stays a transfer (no balance changes, yet the payment happened).
 * `withMuxedInfo` attaches destination information (payments, path payment results,
 * account creation and merge, claims, pool withdrawals) - never to burns.
 */
export function movementEvent(
  site: EventSite,
  asset: ResolvedAsset,
  from: Party,
  to: Party,
  amount: bigint,
  withMuxedInfo: boolean,
  memo: () => xdr.Memo,
): TokenTransferEvent {
  const fromIssuer = isIssuer(asset.asset, from);
  const toIssuer = isIssuer(asset.asset, to);
  const info = (): MuxedInfo | null => (withMuxedInfo ? destinationInfo(site.tx, to, memo) : null);
  if (fromIssuer && toIssuer) return newEvent(site, 'transfer', asset.contract, asset.asset, from.address, to.address, amount, info());
  if (fromIssuer) return newEvent(site, 'mint', asset.contract, asset.asset, null, to.address, amount, info());
  if (toIssuer) return newEvent(site, 'burn', asset.contract, asset.asset, from.address, null, amount);
  return newEvent(site, 'transfer', asset.contract, asset.asset, from.address, to.address, amount, info());
}
