// Expected token transfer events, written as the Go tests write them (transferEvent(from, to,
// amount, asset), mintEvent(...), ...), with the event meta of the Go tests' default
// transaction unless a place is given.
import { Asset, xdr } from '@stellar/stellar-sdk';
import type { MuxedInfo, TokenAsset, TokenTransferEvent, TokenTransferKind } from '../../packages/lake/src/stellar/token-transfer/event.js';
import { AssetResolver } from '../../packages/lake/src/stellar/token-transfer/assets.js';
import type { LedgerTx } from '../../packages/lake/src/stellar/token-transfer/ledger-transactions.js';
import { transactionEvents } from '../../packages/lake/src/stellar/token-transfer/transaction-events.js';
import type { TransactionEvents } from '../../packages/lake/src/stellar/token-transfer/transaction-events.js';
import type { SkippedEvent } from '../../packages/lake/src/stellar/token-transfer/event.js';
import { SOME_TX_HASH } from './token-transfer-tx.js';
import { PASSPHRASE, sacOf } from './token-transfer-xdr.js';

export function tokenAsset(a: xdr.Asset): TokenAsset {
  const asset = Asset.fromOperation(a);
  return asset.isNative() ? { native: true } : { native: false, code: asset.getCode(), issuer: asset.getIssuer() };
}

export interface Where {
  ledgerSequence?: number;
  closeTime?: number;
  txHash?: string;
  txIndex?: number;
  /** 0-based operation index (null: fee event); events carry it 1-based. */
  op?: number | null;
}

function event(
  kind: TokenTransferKind,
  from: string | null,
  to: string | null,
  amount: bigint,
  asset: xdr.Asset,
  muxed: MuxedInfo | null,
  w: Where,
): TokenTransferEvent {
  const op = w.op === undefined ? 0 : w.op;
  return {
    kind,
    ledgerSequence: w.ledgerSequence ?? 12345,
    closeTime: w.closeTime ?? 1234500,
    txHash: w.txHash ?? SOME_TX_HASH,
    txIndex: w.txIndex ?? 1,
    opIndex: op === null ? null : op + 1,
    contractAddress: sacOf(asset),
    from,
    to,
    asset: tokenAsset(asset),
    amount,
    toMuxedInfo: muxed,
  };
}

export const transferEvent = (from: string, to: string, amount: bigint, asset: xdr.Asset, muxed: MuxedInfo | null = null, w: Where = {}): TokenTransferEvent =>
  event('transfer', from, to, amount, asset, muxed, w);
export const mintEvent = (to: string, amount: bigint, asset: xdr.Asset, muxed: MuxedInfo | null = null, w: Where = {}): TokenTransferEvent =>
  event('mint', null, to, amount, asset, muxed, w);
export const burnEvent = (from: string, amount: bigint, asset: xdr.Asset, w: Where = {}): TokenTransferEvent =>
  event('burn', from, null, amount, asset, null, w);
export const clawbackEvent = (from: string, amount: bigint, asset: xdr.Asset, w: Where = {}): TokenTransferEvent =>
  event('clawback', from, null, amount, asset, null, w);
export const feeEvent = (from: string, amount: bigint, w: Where = {}): TokenTransferEvent =>
  event('fee', from, null, amount, xdr.Asset.assetTypeNative(), null, { ...w, op: null });

export const idInfo = (id: bigint): MuxedInfo => ({ type: 'id', id });
export const textInfo = (text: string): MuxedInfo => ({ type: 'text', text });
export const hashInfo = (...head: number[]): MuxedInfo => {
  const hash = new Uint8Array(32);
  hash.set(head);
  return { type: 'hash', hash };
};

/** Runs the processor on one transaction; skipped events are collected. */
export function eventsOfTx(tx: LedgerTx, passphrase = PASSPHRASE): TransactionEvents & { skipped: SkippedEvent[] } {
  const skipped: SkippedEvent[] = [];
  const events = transactionEvents(tx, new AssetResolver(passphrase), { skipped: (s) => skipped.push(s) });
  return { ...events, skipped };
}
