/**
 * TTL: changes of TTL ledger entries, which hold how long each contract-data and
 * contract-code entry stays live (key_hash is the SHA-256 of that entry's LedgerKey, the
 * ledger_key_hash of its contract_data / contract_code rows).
 *
 * default profile (table ttl): one row per change (created, updated, removed, restored), as
 * the default contract_data; a removal shows the values of the STATE image before it.
 * hubble profile (table ttl): stellar-etl's TtlOutput, compacted per ledger (see
 * change-compactor.ts): one row per TTL entry per ledger; of several extensions in one
 * ledger the row keeps the largest live_until_ledger_seq (CAP-63).
 */
import type { DecodeMode } from '../stellar/extract.js';
import type { ExtractedTx, TtlChange } from '../stellar/extracted.js';
import type { ListedChange } from '../stellar/change-pairs.js';
import { ttlKeying } from '../stellar/ledger-keys.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { defineTable, type Dataset, type Extractor } from './dataset.js';
import { compactedExtractor, perChangeExtractor } from './entry-change-extractors.js';
import { changeColumns, hubbleChangeColumns } from './entry-change-columns.js';

const defaultColumns = defineColumns({
  key_hash: col.string('Hex SHA-256 of the LedgerKey kept live (the ledger_key_hash of its contract_data or contract_code rows)'),
  live_until_ledger_seq: col.nullable(col.uint32('Last ledger the entry is live in (for a removal, the value before it when known)')),
  ...changeColumns,
  ledger_entry_change: col.int32('LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored'),
});
export type TtlRow = RowOf<typeof defaultColumns>;

export const ttlDefault = defineTable({
  name: 'ttl',
  version: '1',
  profile: 'default',
  rowMeaning: 'One change of a TTL entry in a transaction.',
  columns: defaultColumns,
});

const hubbleColumns = defineColumns({
  key_hash: col.string('Hex SHA-256 of the LedgerKey kept live (the ledger_key_hash of its contract_data or contract_code rows)'),
  live_until_ledger_seq: col.int64('Last ledger the entry is live in'),
  ...hubbleChangeColumns,
});
export type HubbleTtlRow = RowOf<typeof hubbleColumns>;

export const ttlHubble = defineTable({
  name: 'ttl',
  version: '1',
  profile: 'hubble',
  rowMeaning: 'One TTL entry changed in a ledger, in its final state in that ledger.',
  columns: hubbleColumns,
});

const listed = (tx: ExtractedTx): readonly ListedChange<TtlChange>[] => tx.ttlChanges.map((c) => ({ change: c.change, entry: c }));

/** CAP-63: of two updates of a TTL entry in one ledger, the larger live_until_ledger_seq stands. */
function maxLiveUntil(recorded: TtlChange, next: TtlChange): TtlChange {
  return recorded.liveUntil! > next.liveUntil! ? { ...next, liveUntil: recorded.liveUntil } : next;
}

const defaultTtl = (decode: DecodeMode | undefined): Extractor<TtlRow> =>
  perChangeExtractor(ttlDefault, decode, { listed, keying: ttlKeying }, (c, deleted, at) => ({
    key_hash: c.listed.keyHash,
    live_until_ledger_seq: c.entry?.liveUntil ?? null,
    last_modified_ledger: c.entry?.lastModified ?? null,
    deleted,
    ledger_sequence: at.sequence,
    closed_at: at.closedAt,
    ledger_entry_change: c.type,
  }));

const hubbleTtl = (decode: DecodeMode | undefined): Extractor<HubbleTtlRow> =>
  compactedExtractor(ttlHubble, decode, { listed, rules: { ...ttlKeying, mergeUpdate: maxLiveUntil } }, (entry, change, deleted, at) => ({
    key_hash: entry.keyHash,
    live_until_ledger_seq: entry.liveUntil!,
    last_modified_ledger: entry.lastModified!,
    ledger_entry_change: change,
    deleted,
    closed_at: at.closedAt,
    ledger_sequence: at.sequence,
  }));

export const ttl: Dataset = {
  processor: 'Ttl',
  processorAliases: ['TtlProcessor', 'TTL'],
  description: 'Changes of TTL entries: until which ledger each contract-data and contract-code entry stays live.',
  options: [],
  tables: { default: ttlDefault, hubble: ttlHubble },
  open: (s) => (s.profile === 'hubble' ? hubbleTtl(s.decode) : defaultTtl(s.decode)),
};
