import { xdr } from '@stellar/stellar-sdk';
import type { LedgerTx } from './ledger-transactions.js';

/**
 * A ledger entry before and after a change (Go's ingest.Change): created entries have no
 * `pre`, removed ones no `post`. Core writes an updated or removed entry as a STATE (or,
 * for restored contract entries, RESTORED) change followed by the UPDATED / REMOVED one;
 * pairing them gives the balance before and after.
 */
export interface EntryChange {
  pre: xdr.LedgerEntry | undefined;
  post: xdr.LedgerEntry | undefined;
  /** LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored. */
  changeType: number;
}

export function pairChanges(list: xdr.LedgerEntryChange[]): EntryChange[] {
  const out: EntryChange[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const type = c.switch().value;
    if (type === 3) continue; // STATE: the `pre` of the change that follows
    if (type === 0) out.push({ pre: undefined, post: c.created(), changeType: 0 });
    else if (type === 4) out.push({ pre: undefined, post: c.restored(), changeType: 4 });
    else {
      const prev = list[i - 1];
      const before = prev?.switch().value === 3 ? prev.state() : prev?.switch().value === 4 ? prev.restored() : undefined;
      if (!before) throw new Error(`ledger entry change ${i} (${c.switch().name}) is not preceded by the entry's state`);
      out.push(type === 1 ? { pre: before, post: c.updated(), changeType: 1 } : { pre: before, post: undefined, changeType: 2 });
    }
  }
  return out;
}

/** Entry type (LedgerEntryType value) of a paired change. */
export const entryTypeOf = (c: EntryChange): number => (c.pre ?? c.post)!.data().switch().value;

// txINTERNAL_ERROR: before protocol 13 its operation meta may be inconsistent and is ignored (Go: ingest, stellar/go#2111).
const ignoresOperationMeta = (tx: LedgerTx): boolean => tx.result.result().result().switch().value === -11 && tx.protocolVersion <= 12;

interface OperationsMeta {
  before: xdr.LedgerEntryChange[];
  operations: Array<{ changes(): xdr.LedgerEntryChange[] }>;
  after: xdr.LedgerEntryChange[];
}

function operationsMeta(meta: xdr.TransactionMeta): OperationsMeta {
  switch (meta.switch()) {
    case 0:
      return { before: [], operations: meta.operations(), after: [] };
    case 1:
      return { before: meta.v1().txChanges(), operations: meta.v1().operations(), after: [] };
    case 2:
      return { before: meta.v2().txChangesBefore(), operations: meta.v2().operations(), after: meta.v2().txChangesAfter() };
    case 3:
      return { before: meta.v3().txChangesBefore(), operations: meta.v3().operations(), after: meta.v3().txChangesAfter() };
    case 4:
      return { before: meta.v4().txChangesBefore(), operations: meta.v4().operations(), after: meta.v4().txChangesAfter() };
    default:
      throw new Error(`unsupported TransactionMeta version ${meta.switch()}`);
  }
}

/** The changes an operation (0-based index) made; none when the meta has no such operation. */
export function operationChanges(tx: LedgerTx, opIndex: number): EntryChange[] {
  if (ignoresOperationMeta(tx)) return [];
  const op = operationsMeta(tx.meta).operations[opIndex];
  return op ? pairChanges(op.changes()) : [];
}

/** The transaction's own changes after fees: before, every operation's, after (Go: LedgerTransaction.GetChanges). */
export function transactionChanges(tx: LedgerTx): EntryChange[] {
  const m = operationsMeta(tx.meta);
  const out = pairChanges(m.before);
  if (ignoresOperationMeta(tx)) return out;
  for (const op of m.operations) out.push(...pairChanges(op.changes()));
  out.push(...pairChanges(m.after));
  return out;
}

/** Raw changes after the transaction applied (v3/v4 txChangesAfter): where pre-23 Soroban refunds land. */
export const changesAfter = (meta: xdr.TransactionMeta): xdr.LedgerEntryChange[] => operationsMeta(meta).after;
