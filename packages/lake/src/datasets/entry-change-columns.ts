/**
 * Columns every ledger-entry table has, in the order its profile lists them: what changed
 * when. Spread into a table's columns where they belong.
 */
import { col } from './columns.js';

/** Default profile: after the entry's own columns. */
export const changeColumns = {
  last_modified_ledger: col.nullable(col.uint32('Ledger that last modified the entry (for a removal, the value before it when known)')),
  deleted: col.boolean('True for a removal'),
  ledger_sequence: col.uint32('Ledger of the change'),
  closed_at: col.timestampUs('Close time of that ledger (UTC)'),
};

/** Hubble profile (stellar-etl's order and types). */
export const hubbleChangeColumns = {
  last_modified_ledger: col.int64('Ledger that last modified the entry (for a removal, before the ledger)'),
  ledger_entry_change: col.int64('LedgerEntryChangeType after compaction: 0 created, 1 updated, 2 removed, 4 restored'),
  deleted: col.boolean('True for a removal'),
  closed_at: col.timestampUs('Close time of the ledger (UTC)'),
  ledger_sequence: col.int64('Ledger of the change'),
};
