import { xdr } from '@stellar/stellar-sdk';
import { accountAddress, contractAddress, ed25519OfMuxed } from './addresses.js';
import type { AssetResolver } from './assets.js';
import { changesAfter } from './entry-changes.js';
import type { EnvelopeView } from './envelope.js';
import { TokenTransferError } from './errors.js';
import type { TokenTransferEvent } from './event.js';
import type { LedgerTx } from './ledger-transactions.js';
import { newEvent } from './movement.js';
import { addressOf, i128Of, symbolOf, typeName } from './scval.js';

/**
 * Fee events of a transaction: the fee charged (positive) and, for Soroban transactions,
 * the refund of unused resource fee (negative), CAP-67 "fee" events of the XLM contract.
 * A transaction has one or two; anything else is an error.
 */

/** Balance of `account` in the first STATE and the last UPDATED account entry of a change list (Go: getAccountBalanceFromLedgerEntryChanges). */
function balanceBeforeAfter(changes: xdr.LedgerEntryChange[], account: Buffer): { start: bigint; end: bigint } {
  let start = 0n;
  let end = 0n;
  for (const c of changes) {
    const t = c.switch().value;
    if (t !== 1 && t !== 3) continue;
    const entry = t === 1 ? c.updated() : c.state();
    const data = entry.data();
    if (data.switch().value !== 0) continue; // not an account
    const acc = data.account();
    if (!acc.accountId().ed25519().equals(account)) continue;
    if (t === 1) end = BigInt(acc.balance().toString());
    else start = BigInt(acc.balance().toString());
  }
  return { start, end };
}

/**
 * Fee events derived from the result and the fee changes (meta before v4). A classic
 * transaction pays exactly the result's feeCharged. A Soroban transaction is charged its
 * full fee up front (the fee changes) and refunded afterwards: before protocol 23 in
 * txChangesAfter, from protocol 23 in the post-apply fee changes.
 */
export function derivedFeeEvents(tx: LedgerTx, env: EnvelopeView, assets: AssetResolver): TokenTransferEvent[] {
  const feeKey = ed25519OfMuxed(env.feeSource);
  const feeAccount = accountAddress(feeKey);
  const xlm = assets.native;
  const fee = (amount: bigint): TokenTransferEvent => newEvent({ tx, op: null }, 'fee', xlm.contract, xlm.asset, feeAccount, null, amount);
  if (!env.soroban) return [fee(BigInt(tx.result.result().feeCharged().toString()))];
  const charged = balanceBeforeAfter(tx.feeChanges, feeKey);
  if (charged.end > charged.start)
    throw new TokenTransferError(
      tx.ledgerSequence,
      tx.hash,
      null,
      `fee account ${feeAccount} gained XLM in the fee changes (${charged.start} -> ${charged.end})`,
    );
  const events = [fee(charged.start - charged.end)];
  const refund = balanceBeforeAfter([...changesAfter(tx.meta), ...tx.postApplyFeeChanges], feeKey);
  if (refund.start > refund.end)
    throw new TokenTransferError(
      tx.ledgerSequence,
      tx.hash,
      null,
      `fee account ${feeAccount} lost XLM in the refund changes (${refund.start} -> ${refund.end})`,
    );
  if (refund.end > refund.start) events.push(fee(refund.start - refund.end));
  return events;
}

/**
 * Fee events core emitted (meta v4, transaction-level events): the events whose first
 * topic is the symbol "fee", which must read ["fee", from: Address] with an i128 amount and
 * come from the XLM contract. Other transaction-level events are passed over.
 */
export function unifiedFeeEvents(tx: LedgerTx, assets: AssetResolver): TokenTransferEvent[] {
  const fail = (detail: string): never => {
    throw new TokenTransferError(tx.ledgerSequence, tx.hash, null, detail);
  };
  const xlm = assets.native;
  const events: TokenTransferEvent[] = [];
  for (const txEvent of tx.meta.v4().events()) {
    const ev = txEvent.event();
    const cid = ev.contractId();
    if (ev.type().value !== 1 || !cid || ev.body().switch() !== 0) fail('transaction-level event is not a contract event of body version 0');
    const topics = ev.body().v0().topics();
    const data = ev.body().v0().data();
    if (topics.length === 0 || symbolOf(topics[0]!) !== 'fee') continue;
    if (topics.length !== 2) fail(`fee event has ${topics.length} topics, expected 2`);
    const amount = i128Of(data) ?? fail(`fee event amount is ${typeName(data)}, expected i128`);
    const from = addressOf(topics[1]!) ?? fail(`fee event payer is ${typeName(topics[1]!)}, expected an address`);
    const contract = contractAddress(cid as unknown as Buffer);
    if (contract !== xlm.contract) fail(`fee event comes from contract ${contract}, not the XLM contract ${xlm.contract}`);
    events.push(newEvent({ tx, op: null }, 'fee', contract, xlm.asset, from, null, amount));
  }
  if (events.length === 0) fail('no fee event in the transaction-level events (was the ledger produced with unified events?)');
  if (events.length > 2) fail(`${events.length} fee events, expected 1 or 2`);
  return events;
}
