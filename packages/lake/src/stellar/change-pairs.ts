/**
 * LedgerEntryChange lists as pre/post pairs, as Go's ingest.GetChangesFromLedgerEntryChanges
 * reads them: an UPDATED or REMOVED takes as its pre the entry listed right before it, which
 * is the STATE image core writes before every update or removal, or the RESTORED image when
 * the entry was restored earlier in the same transaction (CAP-62). CREATED and RESTORED stand
 * alone; STATE entries only serve as pre images.
 */
import type { ChangeType } from './extracted.js';
import {
  ChangeSequenceError,
  LEDGER_ENTRY_CREATED,
  LEDGER_ENTRY_REMOVED,
  LEDGER_ENTRY_RESTORED,
  LEDGER_ENTRY_STATE,
  LEDGER_ENTRY_UPDATED,
  changeTypeName,
  type EntryChange,
  type EntryKeying,
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
        if (
          before === undefined ||
          (before.change !== LEDGER_ENTRY_STATE && before.change !== LEDGER_ENTRY_RESTORED) ||
          keying.key(before.entry) !== keying.key(entry)
        ) {
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

export interface ChangeWithEntry<E> {
  readonly type: ChangeType;
  /** The image listed with the change (key-only for REMOVED). */
  readonly listed: E;
  /** The entry the change leaves, or for REMOVED the STATE image before it (undefined when none was listed). */
  readonly entry: E | undefined;
}

/**
 * Every change but STATE, one by one (no compaction), each with its entry; a REMOVED takes
 * the transaction's last STATE image of the same key. Lenient: a REMOVED without one keeps
 * an undefined entry.
 */
export function changesWithEntries<E>(listed: readonly ListedChange<E>[], keying: EntryKeying<E>): ChangeWithEntry<E>[] {
  const state = new Map<string, E>();
  const out: ChangeWithEntry<E>[] = [];
  for (const { change, entry } of listed) {
    if (change === LEDGER_ENTRY_STATE) state.set(keying.key(entry), entry);
    else out.push({ type: change, listed: entry, entry: change === LEDGER_ENTRY_REMOVED ? state.get(keying.key(entry)) : entry });
  }
  return out;
}
