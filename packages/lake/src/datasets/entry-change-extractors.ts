/**
 * The two ways a ledger-entry table reads changes: the default profile's one row per change
 * of each transaction, and the hubble profile's one row per entry per ledger, compacted as
 * stellar-etl compacts them (change-compactor.ts). A table supplies which changes it reads
 * and how a change becomes its row.
 */
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { ExtractedTx } from '../stellar/extracted.js';
import { compactLedgerChanges, type CompactorRules } from '../stellar/change-compactor.js';
import { changesWithEntries, type ChangeWithEntry, type ListedChange } from '../stellar/change-pairs.js';
import { LEDGER_ENTRY_REMOVED, type EntryKeying } from '../stellar/entry-change.js';
import { closeTimeUs, type AnyRow, type Extractor, type TableDefinition } from './dataset.js';

/** The ledger a row belongs to. */
export interface RowLedger {
  readonly sequence: number;
  /** Close time, µs since the epoch. */
  readonly closedAt: bigint;
}

export interface ChangeSource<E> {
  /** The transaction's changes of the table's entry type, in meta order. */
  listed(tx: ExtractedTx): readonly ListedChange<E>[];
}

/** An extractor of `table` whose `fill` adds a ledger's rows. */
function ledgerExtractor<Row extends AnyRow>(table: TableDefinition<Row>, fill: (ledger: LedgerRecord, at: RowLedger, rows: Row[]) => void): Extractor<Row> {
  return {
    table,
    extract(ledger: LedgerRecord): Row[] {
      const rows: Row[] = [];
      fill(ledger, { sequence: ledger.sequence, closedAt: closeTimeUs(ledger) }, rows);
      return rows;
    },
  };
}

/** Default profile: a row per CREATED, UPDATED, REMOVED and RESTORED change. */
export function perChangeExtractor<E, Row extends AnyRow>(
  table: TableDefinition<Row>,
  decode: DecodeMode | undefined,
  source: ChangeSource<E> & { keying: EntryKeying<E> },
  toRow: (c: ChangeWithEntry<E>, deleted: boolean, at: RowLedger) => Row,
): Extractor<Row> {
  return ledgerExtractor(table, (ledger, at, rows) => {
    for (const tx of extractLedger(ledger, decode).txs) {
      const listed = source.listed(tx);
      if (listed.length === 0) continue;
      for (const c of changesWithEntries(listed, source.keying)) rows.push(toRow(c, c.type === LEDGER_ENTRY_REMOVED, at));
    }
  });
}

/**
 * Hubble profile: a row per entry changed in the ledger, from the entry it was left in (for
 * a removal, the entry before the ledger); `toRow` may skip an entry (undefined).
 */
export function compactedExtractor<E, Row extends AnyRow>(
  table: TableDefinition<Row>,
  decode: DecodeMode | undefined,
  source: ChangeSource<E> & { rules: CompactorRules<E> },
  toRow: (entry: E, change: number, deleted: boolean, at: RowLedger) => Row | undefined,
): Extractor<Row> {
  return ledgerExtractor(table, (ledger, at, rows) => {
    for (const c of compactLedgerChanges(ledger.sequence, extractLedger(ledger, decode).txs, source.listed, source.rules)) {
      const deleted = c.type === LEDGER_ENTRY_REMOVED;
      const row = toRow(deleted ? c.pre! : c.post!, c.type, deleted, at);
      if (row !== undefined) rows.push(row);
    }
  });
}
