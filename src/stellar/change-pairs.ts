/**
 * LedgerEntryChange lists as pre/post pairs, as Go's ingest.GetChangesFromLedgerEntryChanges
 * reads them: an UPDATED or REMOVED takes as its pre the entry listed right before it, which
 * is the STATE image core writes before every update or removal, or the RESTORED image when
 * the entry was restored earlier in the same transaction (CAP-62). CREATED and RESTORED stand
 * alone; STATE entries only serve as pre images.
 */
import type { ChangeType } from './extracted.js';
import {
  ChangeSequenceError, LEDGER_ENTRY_CREATED, LEDGER_ENTRY_REMOVED, LEDGER_ENTRY_RESTORED, LEDGER_ENTRY_STATE, LEDGER_ENTRY_UPDATED,
  changeTypeName, type EntryChange, type EntryKeying,
} from './entry-change.js';

export interface ListedChange<E> {
  readonly change: ChangeType;
  /** The entry (CREATED, UPDATED, STATE, RESTORED) or, for REMOVED, a key-only image. */
  readonly entry: E;
}

/** The changes of one transaction, in meta order, for one entry type. */
export function pairChanges<E>(listed: readonly ListedChange<E>[], keying: EntryKeying<E>): EntryChange<E>[] {
  const out: EntryChange<E>[] = [];
  for (let i = 0; i < listed.length; i++) {
    const { change, entry } = listed[i]!;
    switch (change) {
      case LEDGER_ENTRY_CREATED:
      case LEDGER_ENTRY_RESTORED:
        out.push({ type: change, pre: undefined, post: entry });
        break;
      case LEDGER_ENTRY_UPDATED:
      case LEDGER_ENTRY_REMOVED: {
        const before = listed[i - 1];
        if (before === undefined || (before.change !== LEDGER_ENTRY_STATE && before.change !== LEDGER_ENTRY_RESTORED)
          || keying.key(before.entry) !== keying.key(entry)) {
          throw new ChangeSequenceError(`${changeTypeName(change)} not preceded by the entry's STATE or RESTORED image`, keying.describe(entry));
        }
        out.push({ type: change, pre: before.entry, post: change === LEDGER_ENTRY_UPDATED ? entry : undefined });
        break;
      }
      case LEDGER_ENTRY_STATE:
        break;
      default:
        throw new ChangeSequenceError(`unknown LedgerEntryChangeType ${change}`, keying.describe(entry));
    }
  }
  return out;
}
