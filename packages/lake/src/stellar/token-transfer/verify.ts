import { deltasFromChanges, deltasFromEvents } from './balance-deltas.js';
import { pairChanges, transactionChanges } from './entry-changes.js';
import type { TokenTransferEvent } from './event.js';
import type { LedgerTx } from './ledger-transactions.js';

/**
 * Reconciliation of a transaction's events with its ledger entry changes (Go: VerifyEvents):
 * for every (holder, asset) the events' net amount must equal the net balance change of
 * accounts, trust lines, claimable balances and liquidity pools over the fee changes, the
 * transaction's changes and the post-apply fee (refund) changes. Contract holders and
 * SEP-41 tokens without a classic asset are outside it (see BalanceDeltas).
 */
export interface TokenTransferMismatch {
  ledgerSequence: number;
  txHash: string;
  holder: string;
  /** "native" or "CODE:ISSUER". */
  asset: string;
  /** Net balance change in the ledger entry changes. */
  expected: bigint;
  /** Net amount of the events. */
  actual: bigint;
}

export function transactionMismatches(tx: LedgerTx, events: readonly TokenTransferEvent[]): TokenTransferMismatch[] {
  const changes = deltasFromChanges([...pairChanges(tx.feeChanges), ...transactionChanges(tx), ...pairChanges(tx.postApplyFeeChanges)]);
  const moved = deltasFromEvents(events);
  const out: TokenTransferMismatch[] = [];
  const mismatch = (holder: string, asset: string, expected: bigint, actual: bigint): void => {
    out.push({ ledgerSequence: tx.ledgerSequence, txHash: tx.hash, holder, asset, expected, actual });
  };
  for (const d of changes.map.values()) {
    const actual = moved.get(d.holder, d.asset);
    if (actual !== d.amount) mismatch(d.holder, d.asset, d.amount, actual);
  }
  for (const d of moved.map.values()) if (changes.get(d.holder, d.asset) === 0n) mismatch(d.holder, d.asset, 0n, d.amount);
  return out;
}

const describe = (m: TokenTransferMismatch): string =>
  `ledger ${m.ledgerSequence}, transaction ${m.txHash}: ${m.holder} ${m.asset}: ledger entry changes ${m.expected}, events ${m.actual}`;

/** Thrown when events do not reconcile with the ledger; names every mismatch. */
export class TokenTransferMismatchError extends Error {
  constructor(readonly mismatches: readonly TokenTransferMismatch[]) {
    const shown = mismatches.slice(0, 20).map(describe);
    const more = mismatches.length > shown.length ? `\n... and ${mismatches.length - shown.length} more` : '';
    super(`token transfer events do not match the ledger's balance changes:\n${shown.join('\n')}${more}`);
    this.name = 'TokenTransferMismatchError';
  }
}
