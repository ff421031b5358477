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
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { ExtractedTx, TtlChange } from '../stellar/extracted.js';
import { compactLedgerChanges } from '../stellar/change-compactor.js';
import { changesWithEntries, type ListedChange } from '../stellar/change-pairs.js';
import { LEDGER_ENTRY_REMOVED } from '../stellar/entry-change.js';
import { ttlKeying } from '../stellar/ledger-keys.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { closeTimeUs, defineTable, type Dataset, type Extractor } from './dataset.js';

const defaultColumns = defineColumns({
  key_hash: col.string('Hex SHA-256 of the LedgerKey kept live (the ledger_key_hash of its contract_data or contract_code rows)'),
  live_until_ledger_seq: col.nullable(col.uint32('Last ledger the entry is live in (for a removal, the value before it when known)')),
  last_modified_ledger: col.nullable(col.uint32('Ledger that last modified the TTL entry')),
  deleted: col.boolean('True for a removal'),
  ledger_sequence: col.uint32('Ledger of the change'),
  closed_at: col.timestampUs('Close time of that ledger (UTC)'),
  ledger_entry_change: col.int32('LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored'),
});
export type TtlRow = RowOf<typeof defaultColumns>;

export const ttlDefault = defineTable({
  name: 'ttl', version: '1', profile: 'default', rowMeaning: 'One change of a TTL entry in a transaction.', columns: defaultColumns,
});

const hubbleColumns = defineColumns({
  key_hash: col.string('Hex SHA-256 of the LedgerKey kept live (the ledger_key_hash of its contract_data or contract_code rows)'),
  live_until_ledger_seq: col.int64('Last ledger the entry is live in'),
  last_modified_ledger: col.int64('Ledger that last modified the TTL entry (for a removal, before the ledger)'),
  ledger_entry_change: col.int64('LedgerEntryChangeType after compaction: 0 created, 1 updated, 2 removed, 4 restored'),
  deleted: col.boolean('True for a removal'),
  closed_at: col.timestampUs('Close time of the ledger (UTC)'),
  ledger_sequence: col.int64('Ledger of the change'),
});
export type HubbleTtlRow = RowOf<typeof hubbleColumns>;

export const ttlHubble = defineTable({
  name: 'ttl', version: '1', profile: 'hubble', rowMeaning: 'One TTL entry changed in a ledger, in its final state in that ledger.', columns: hubbleColumns,
});

const listed = (tx: ExtractedTx): readonly ListedChange<TtlChange>[] => tx.ttlChanges.map((c) => ({ change: c.change, entry: c }));

class DefaultTtl implements Extractor<TtlRow> {
  readonly table = ttlDefault;

  constructor(private readonly decode: DecodeMode | undefined) {}

  extract(ledger: LedgerRecord): TtlRow[] {
    const closedAt = closeTimeUs(ledger);
    const rows: TtlRow[] = [];
    for (const tx of extractLedger(ledger, this.decode).txs) {
      if (tx.ttlChanges.length === 0) continue;
      for (const c of changesWithEntries(listed(tx), ttlKeying)) {
        rows.push({
          key_hash: c.listed.keyHash,
          live_until_ledger_seq: c.entry?.liveUntil ?? null,
          last_modified_ledger: c.entry?.lastModified ?? null,
          deleted: c.type === LEDGER_ENTRY_REMOVED,
          ledger_sequence: ledger.sequence,
          closed_at: closedAt,
          ledger_entry_change: c.type,
        });
      }
    }
    return rows;
  }
}

/** CAP-63: of two updates of a TTL entry in one ledger, the larger live_until_ledger_seq stands. */
function maxLiveUntil(recorded: TtlChange, next: TtlChange): TtlChange {
  return recorded.liveUntil! > next.liveUntil! ? { ...next, liveUntil: recorded.liveUntil } : next;
}

class HubbleTtl implements Extractor<HubbleTtlRow> {
  readonly table = ttlHubble;

  constructor(private readonly decode: DecodeMode | undefined) {}

  extract(ledger: LedgerRecord): HubbleTtlRow[] {
    const { txs } = extractLedger(ledger, this.decode);
    const closedAt = closeTimeUs(ledger);
    return compactLedgerChanges(ledger.sequence, txs, listed, { ...ttlKeying, mergeUpdate: maxLiveUntil }).map((c) => {
      const deleted = c.type === LEDGER_ENTRY_REMOVED;
      const entry = deleted ? c.pre! : c.post!;
      return {
        key_hash: entry.keyHash,
        live_until_ledger_seq: entry.liveUntil!,
        last_modified_ledger: entry.lastModified!,
        ledger_entry_change: c.type,
        deleted,
        closed_at: closedAt,
        ledger_sequence: ledger.sequence,
      };
    });
  }
}

export const ttl: Dataset = {
  processor: 'Ttl',
  processorAliases: ['TtlProcessor', 'TTL'],
  description: 'Changes of TTL entries: until which ledger each contract-data and contract-code entry stays live.',
  options: [],
  tables: { default: ttlDefault, hubble: ttlHubble },
  open: (s) => (s.profile === 'hubble' ? new HubbleTtl(s.decode) : new DefaultTtl(s.decode)),
};
