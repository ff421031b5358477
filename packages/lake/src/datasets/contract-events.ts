/**
 * Contract events: one row per event a transaction emitted. The hubble profile's table is
 * defined in contract-events-hubble.ts.
 *
 * default profile (table contract_events): CONTRACT events only (TxMeta v3
 * sorobanMeta.events, v4 per-operation events), topics and data as stellar-xdr JSON text and
 * base64 XDR, `id` as stellar-rpc spells it ("%019d-%010d" of the transaction's TOID and the
 * event's position among the transaction's events of every type).
 */
import { encodeContractId } from '../stellar/strkey-cache.js';
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { ExtractedTx } from '../stellar/extracted.js';
import { scValText } from '../stellar/scval-json-memo.js';
import { eventId } from '../stellar/toid.js';
import { XdrDecodeError } from '../stellar/decode-error.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { HubbleContractEvents, contractEventsHubble } from './contract-events-hubble.js';
import { closeTimeUs, defineTable, type Dataset, type Extractor } from './dataset.js';

const defaultColumns = defineColumns({
  type: col.string('Event type: "contract"'),
  ledger: col.uint32('Ledger sequence', { aliases: ['ledger_sequence', 'ledgerSequence'] }),
  ledger_closed_at: col.timestampUs('Ledger close time (UTC)'),
  contract_id: col.nullable(col.string('Emitting contract (C... strkey)')),
  id: col.string('Event id as stellar-rpc gives it: "%019d-%010d" of the transaction TOID and the event index'),
  tx_hash: col.nullable(col.string('Transaction hash (hex)', { aliases: ['transactionHash'] })),
  in_successful_contract_call: col.boolean('Whether the contract call that emitted it succeeded'),
  topics: col.nullable(col.stringList('Each topic as stellar-xdr JSON text', { aliases: ['topic'] })),
  data: col.nullable(col.string('The data ScVal as stellar-xdr JSON text', { aliases: ['value'], anyJson: true })),
  topics_xdr: col.nullable(col.stringList('Each topic as base64 XDR')),
  data_xdr: col.nullable(col.string('The data ScVal as base64 XDR')),
});
export type ContractEventRow = RowOf<typeof defaultColumns>;

export const contractEventsDefault = defineTable({
  name: 'contract_events',
  version: '1',
  profile: 'default',
  rowMeaning: 'One CONTRACT event of a transaction.',
  columns: defaultColumns,
});

const CONTRACT_EVENT = 1;

class DefaultEvents implements Extractor<ContractEventRow> {
  readonly table = contractEventsDefault;

  constructor(private readonly decode: DecodeMode | undefined) {}

  extract(ledger: LedgerRecord): ContractEventRow[] {
    const closedAt = closeTimeUs(ledger);
    const rows: ContractEventRow[] = [];
    for (const tx of extractLedger(ledger, this.decode).txs) {
      try {
        this.addTx(rows, ledger, closedAt, tx);
      } catch (err) {
        throw err instanceof XdrDecodeError ? err.at({ txIndex: tx.index, ledger: ledger.sequence }) : err;
      }
    }
    return rows;
  }

  private addTx(rows: ContractEventRow[], ledger: LedgerRecord, closedAt: bigint, tx: ExtractedTx): void {
    for (const ev of tx.events) {
      if (ev.type !== CONTRACT_EVENT) continue;
      const data = scValText(ev.data);
      const topics = ev.topics.map(scValText);
      rows.push({
        type: 'contract',
        ledger: ledger.sequence,
        ledger_closed_at: closedAt,
        contract_id: ev.contractId ? encodeContractId(ev.contractId) : null,
        id: eventId(ledger.sequence, tx.index, ev.index),
        tx_hash: tx.hash,
        in_successful_contract_call: tx.successful,
        topics: topics.map((t) => t.json),
        data: data.json,
        topics_xdr: topics.map((t) => t.b64),
        data_xdr: data.b64,
      });
    }
  }
}

export const contractEvents: Dataset = {
  processor: 'ContractEvents',
  processorAliases: ['ContractEvent', 'ContractEventsProcessor'],
  description: 'Events emitted by contracts (and, in the hubble profile, every event a transaction emitted).',
  options: [],
  tables: { default: contractEventsDefault, hubble: contractEventsHubble },
  open: (s) => (s.profile === 'hubble' ? new HubbleContractEvents(s.decode) : new DefaultEvents(s.decode)),
};
