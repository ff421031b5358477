/**
 * One entry type's changes in one ledger, compacted to one change per ledger entry, as Go's
 * ingest.ChangeCompactor does with SuppressRemoveAfterRestoreChange = false (how stellar-etl
 * builds its ledger-entry tables). With the change already recorded for the entry:
 *
 *   new \ recorded | none      CREATED            UPDATED              REMOVED             RESTORED
 *   CREATED        | CREATED   error              error                UPDATED (pre kept)  error
 *   UPDATED        | UPDATED   CREATED, new post  UPDATED, new post    error               RESTORED, new post
 *   REMOVED        | REMOVED   (entry dropped)    REMOVED (pre kept)   error               REMOVED (its own pre)
 *   RESTORED       | RESTORED  error              error                error               error
 *
 * "pre kept": the recorded change's pre, the entry as it was before the ledger. TTL entries
 * follow CAP-63: an update keeps the larger live_until_ledger_seq of the two posts.
 * Changes come out in the order their entries were first seen.
 */
import type { ExtractedTx } from './extracted.js';
import { pairChanges, type ListedChange } from './change-pairs.js';
import {
  ChangeSequenceError,
  LEDGER_ENTRY_CREATED,
  LEDGER_ENTRY_REMOVED,
  LEDGER_ENTRY_RESTORED,
  LEDGER_ENTRY_UPDATED,
  changeTypeName,
  type EntryChange,
  type EntryKeying,
} from './entry-change.js';

export interface CompactorRules<E> extends EntryKeying<E> {
  /** The post of an update over a recorded post (default: the new post). */
  mergeUpdate?(recorded: E, next: E): E;
}

export class ChangeCompactor<E> {
  /** Entry key -> its compacted change; undefined once a CREATED was cancelled by a REMOVED. */
  private readonly byKey = new Map<string, EntryChange<E> | undefined>();

  constructor(private readonly rules: CompactorRules<E>) {}

  add(change: EntryChange<E>): void {
    const entry = change.type === LEDGER_ENTRY_REMOVED ? change.pre : change.post;
    if (entry === undefined)
      throw new Error(`${changeTypeName(change.type)} change without its ${change.type === LEDGER_ENTRY_REMOVED ? 'pre' : 'post'} entry`);
    const key = this.rules.key(entry);
    const recorded = this.byKey.get(key);
    const fail = (detail: string): ChangeSequenceError => new ChangeSequenceError(detail, this.rules.describe(entry));
    if (recorded === undefined) {
      if (
        change.type !== LEDGER_ENTRY_CREATED &&
        change.type !== LEDGER_ENTRY_UPDATED &&
        change.type !== LEDGER_ENTRY_REMOVED &&
        change.type !== LEDGER_ENTRY_RESTORED
      ) {
        throw fail(`unknown LedgerEntryChangeType ${change.type}`);
      }
      this.byKey.set(key, change);
      return;
    }
    switch (change.type) {
      case LEDGER_ENTRY_CREATED:
        if (recorded.type !== LEDGER_ENTRY_REMOVED) throw fail("can't create an entry that already exists");
        // Removed earlier in the ledger: the entry existed before it, so this is an update.
        this.byKey.set(key, { type: LEDGER_ENTRY_UPDATED, pre: recorded.pre, post: change.post });
        return;
      case LEDGER_ENTRY_UPDATED: {
        if (recorded.type === LEDGER_ENTRY_REMOVED) throw fail("can't update an entry that was previously removed");
        const next = change.post!;
        const post = this.rules.mergeUpdate && recorded.post !== undefined ? this.rules.mergeUpdate(recorded.post, next) : next;
        this.byKey.set(key, { type: recorded.type, pre: recorded.pre, post });
        return;
      }
      case LEDGER_ENTRY_REMOVED:
        if (recorded.type === LEDGER_ENTRY_CREATED)
          this.byKey.set(key, undefined); // created and removed within the ledger
        else if (recorded.type === LEDGER_ENTRY_UPDATED) this.byKey.set(key, { type: LEDGER_ENTRY_REMOVED, pre: recorded.pre, post: undefined });
        else if (recorded.type === LEDGER_ENTRY_RESTORED) this.byKey.set(key, { type: LEDGER_ENTRY_REMOVED, pre: change.pre, post: undefined });
        else throw fail("can't remove an entry that was previously removed");
        return;
      case LEDGER_ENTRY_RESTORED:
        throw fail("can't restore an entry that is already active");
      default:
        throw fail(`unknown LedgerEntryChangeType ${change.type}`);
    }
  }

  /** The compacted changes, in first-seen entry order. */
  changes(): EntryChange<E>[] {
    const out: EntryChange<E>[] = [];
    for (const c of this.byKey.values()) if (c !== undefined) out.push(c);
    return out;
  }
}

/**
 * One ledger's changes of one entry type, paired per transaction and compacted. An invalid
 * sequence is a ChangeSequenceError naming the ledger, the transaction and the key.
 */
export function compactLedgerChanges<E>(
  ledger: number,
  txs: readonly ExtractedTx[],
  listed: (tx: ExtractedTx) => readonly ListedChange<E>[],
  rules: CompactorRules<E>,
): EntryChange<E>[] {
  const compactor = new ChangeCompactor(rules);
  for (const tx of txs) {
    const items = listed(tx);
    if (items.length === 0) continue;
    try {
      for (const change of pairChanges(items, rules)) compactor.add(change);
    } catch (err) {
      throw err instanceof ChangeSequenceError ? err.at({ txIndex: tx.index, ledger }) : err;
    }
  }
  return compactor.changes();
}
