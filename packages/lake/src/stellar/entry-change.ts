/**
 * A ledger entry change as Go's ingest package models it (ingest.Change): the change type
 * with the entry before it (`pre`) and after it (`post`). CREATED and RESTORED have only a
 * post, REMOVED only a pre, UPDATED both.
 */
import type { ChangeType } from './extracted.js';

/** LedgerEntryChangeType values (Stellar-ledger-entries.x). */
export const LEDGER_ENTRY_CREATED = 0;
export const LEDGER_ENTRY_UPDATED = 1;
export const LEDGER_ENTRY_REMOVED = 2;
export const LEDGER_ENTRY_STATE = 3;
export const LEDGER_ENTRY_RESTORED = 4;

const CHANGE_NAMES = ['CREATED', 'UPDATED', 'REMOVED', 'STATE', 'RESTORED'];
export const changeTypeName = (t: ChangeType): string => CHANGE_NAMES[t] ?? `change type ${t}`;

export interface EntryChange<E> {
  readonly type: ChangeType;
  readonly pre: E | undefined;
  readonly post: E | undefined;
}

/**
 * How a change list reads one kind of entry: its identity (the same for every image of one
 * ledger entry, key-only ones included) and its LedgerKey as base64 XDR for messages.
 */
export interface EntryKeying<E> {
  key(e: E): string;
  describe(e: E): string;
}

/**
 * Ledger entry changes that cannot happen in a valid ledger (an UPDATED with no entry before
 * it, a CREATED of an entry that exists, ...). Names the ledger key (base64 LedgerKey XDR, as
 * Go's compactor does) and, once callers add them, the transaction and the ledger.
 */
export class ChangeSequenceError extends Error {
  constructor(
    readonly detail: string,
    readonly ledgerKey: string,
    readonly txIndex?: number,
    readonly ledger?: number,
  ) {
    super(`${ledger !== undefined ? `ledger ${ledger}: ` : ''}${txIndex !== undefined ? `transaction ${txIndex}: ` : ''}${detail} (ledger key = ${ledgerKey})`);
    this.name = 'ChangeSequenceError';
  }

  at(where: { txIndex?: number; ledger?: number }): ChangeSequenceError {
    return new ChangeSequenceError(this.detail, this.ledgerKey, where.txIndex ?? this.txIndex, where.ledger ?? this.ledger);
  }
}
