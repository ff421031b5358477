import { xdr } from '@stellar/stellar-sdk';
import type { AssetResolver } from './assets.js';
import { parseContractEvent } from './contract-events.js';
import { envelopeView } from './envelope.js';
import { TokenTransferError } from './errors.js';
import type { SkippedEvent, TokenTransferEvent } from './event.js';
import { derivedFeeEvents, unifiedFeeEvents } from './fee-events.js';
import type { LedgerTx } from './ledger-transactions.js';
import { operationContext, operationEvents } from './operation-events.js';

/**
 * The events of one transaction (Go: EventsProcessor.EventsFromTransaction): its fee
 * events (the charge, then a refund if any) and, if it succeeded, its operations' events.
 *
 * The source is chosen by the transaction's meta. Meta v4 with transaction-level events
 * (protocol 23+ from a core that emits classic events, or older ledgers re-emitted with
 * unified events) holds the events core emitted for every operation (CAP-67) and the fee
 * events. Otherwise - older meta, or v4 from a core that emits no classic events, whose
 * transactions then have no fee event - classic movements are derived from the
 * operations, results and ledger entry changes, and only the contract events of
 * InvokeHostFunction are read (Soroban meta in v3, the operation's events in v4).
 */
export interface TransactionEvents {
  fee: TokenTransferEvent[];
  operations: TokenTransferEvent[];
}

export interface EventSink {
  skipped(s: SkippedEvent): void;
}

// txSUCCESS = 0, txFEE_BUMP_INNER_SUCCESS = 1.
const succeeded = (tx: LedgerTx): boolean => {
  const code = tx.result.result().result().switch().value;
  return code === 0 || code === 1;
};

function operationResults(tx: LedgerTx): xdr.OperationResult[] {
  const r = tx.result.result().result();
  const code = r.switch().value;
  // txFEE_BUMP_INNER_SUCCESS / _FAILED wrap the inner transaction's result.
  if (code === 1 || code === -13) return r.innerResultPair().result().result().results();
  return r.results();
}

function contractEvents(
  tx: LedgerTx,
  op: number,
  list: xdr.ContractEvent[],
  metaVersion: number,
  assets: AssetResolver,
  sink: EventSink,
): TokenTransferEvent[] {
  const out: TokenTransferEvent[] = [];
  for (const ev of list) {
    const outcome = parseContractEvent({ tx, op }, ev, metaVersion, assets);
    if (!outcome) continue;
    if ('event' in outcome) out.push(outcome.event);
    else sink.skipped(outcome.skipped);
  }
  return out;
}

function unifiedOperationEvents(tx: LedgerTx, assets: AssetResolver, sink: EventSink): TokenTransferEvent[] {
  const ops = tx.meta.v4().operations();
  const out: TokenTransferEvent[] = [];
  for (let i = 0; i < ops.length; i++) out.push(...contractEvents(tx, i, ops[i]!.events(), 4, assets, sink));
  return out;
}

/** Contract events of an InvokeHostFunction: v3 keeps the (single) Soroban operation's in sorobanMeta; v1/v2 predate Soroban. */
function invocationEvents(meta: xdr.TransactionMeta, op: number): xdr.ContractEvent[] {
  if (meta.switch() === 3) return meta.v3().sorobanMeta()?.events() ?? [];
  if (meta.switch() === 4) return meta.v4().operations()[op]?.events() ?? [];
  return [];
}

function derivedOperationEvents(tx: LedgerTx, assets: AssetResolver, sink: EventSink): TokenTransferEvent[] {
  const env = envelopeView(tx.envelope());
  const results = operationResults(tx);
  const out: TokenTransferEvent[] = [];
  for (let i = 0; i < env.operations.length; i++) {
    if (env.operations[i]!.body().switch().name === 'invokeHostFunction') {
      out.push(...contractEvents(tx, i, invocationEvents(tx.meta, i), tx.meta.switch(), assets, sink));
      continue;
    }
    out.push(...operationEvents(operationContext(tx, env, assets, i, results)));
  }
  return out;
}

export function transactionEvents(tx: LedgerTx, assets: AssetResolver, sink: EventSink): TransactionEvents {
  const unified = tx.meta.switch() === 4 && tx.meta.v4().events().length > 0;
  const fee = unified ? unifiedFeeEvents(tx, assets) : derivedFeeEvents(tx, envelopeView(tx.envelope()), assets);
  if (fee.length < 1 || fee.length > 2) throw new TokenTransferError(tx.ledgerSequence, tx.hash, null, `${fee.length} fee events, expected 1 or 2`);
  if (!succeeded(tx)) return { fee, operations: [] };
  return { fee, operations: unified ? unifiedOperationEvents(tx, assets, sink) : derivedOperationEvents(tx, assets, sink) };
}
