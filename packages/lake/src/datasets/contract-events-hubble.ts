/**
 * Contract events, hubble profile (table history_contract_events): every event stellar-etl's
 * export_contract_events writes, column for column as SDF's Hubble dataset holds them
 * (stellar-etl internal/transform/contract_events.go over go ingest's GetTransactionEvents).
 *
 * Per transaction, in this order:
 *  - TxMeta v4 transaction-level events (fees, refunds), operation_id null;
 *  - operation events (v4 operations[].events; v3 sorobanMeta.events, the one operation of a
 *    Soroban transaction), operation_id = TOID(ledger, transaction, operation index + 1);
 *  - diagnostic events (v3 sorobanMeta.diagnosticEvents, v4 diagnosticEvents), operation_id null.
 * Meta v1/v2 and classic v3 transactions have none. stellar-etl wraps each event in a
 * DiagnosticEvent: in_successful_contract_call is true for the first two kinds (it sets it so)
 * and the event's own flag for diagnostic ones; contract_event_xdr is that DiagnosticEvent.
 *
 * Text columns hold what stellar-etl writes: topics a JSON array of base64 XDR strings, data
 * a JSON string of base64 XDR, *_decoded the stellar-xdr JSON of the values (an array of them
 * for topics, written compactly: "[" values joined by "," "]"), contract_id "" when the event
 * names no contract (a Go empty string). Only operation_id can be null.
 */
import { xdr } from '@stellar/stellar-sdk';
import { encodeContractId } from '../stellar/strkey-cache.js';
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { EventItem, ExtractedTx } from '../stellar/extracted.js';
import { scValText, type ScValText } from '../stellar/scval-json-memo.js';
import { BytesMemo } from '../stellar/bytes-memo.js';
import { XdrCursor, skipperFor } from '../stellar/fast/xdr-skip.js';
import { toid } from '../stellar/toid.js';
import { XdrDecodeError } from '../stellar/decode-error.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { closeTimeUs, defineTable, type Extractor } from './dataset.js';

const hubbleColumns = defineColumns({
  transaction_hash: col.string('Transaction hash (hex)'),
  transaction_id: col.int64('TOID of the transaction: ledger sequence << 32 | application order << 12'),
  successful: col.boolean('Whether the transaction succeeded'),
  in_successful_contract_call: col.boolean('True for transaction-level and operation events; for a diagnostic event, whether its contract call succeeded'),
  contract_id: col.string('Emitting contract (C... strkey); empty when the event names none'),
  type: col.int64('ContractEventType: 0 system, 1 contract, 2 diagnostic'),
  type_string: col.string('"ContractEventTypeSystem", "ContractEventTypeContract" or "ContractEventTypeDiagnostic"'),
  topics: col.json('JSON array of the topics, each as base64 XDR'),
  topics_decoded: col.json('JSON array of the topics, each as stellar-xdr JSON'),
  data: col.json('The data ScVal as base64 XDR, as a JSON string'),
  data_decoded: col.json('The data ScVal as stellar-xdr JSON'),
  contract_event_xdr: col.string('base64 XDR of the DiagnosticEvent {in_successful_contract_call, event}'),
  closed_at: col.timestampUs('Ledger close time (UTC)'),
  ledger_sequence: col.int64('Ledger sequence'),
  operation_id: col.nullable(col.int64('TOID of the emitting operation (operation index + 1); null for transaction-level and diagnostic events')),
});
export type HubbleContractEventRow = RowOf<typeof hubbleColumns>;

export const contractEventsHubble = defineTable({
  name: 'history_contract_events',
  version: '1',
  profile: 'hubble',
  rowMeaning: 'One event of a transaction (transaction-level, operation or diagnostic), as stellar-etl exports it.',
  columns: hubbleColumns,
});

/** Go's ContractEventType.String(), by value. */
const TYPE_STRINGS = ['ContractEventTypeSystem', 'ContractEventTypeContract', 'ContractEventTypeDiagnostic'];

interface TopicsText {
  /** JSON array of base64 strings. */
  readonly b64: string;
  /** JSON array of stellar-xdr JSON values. */
  readonly json: string;
}

const skipScVal = skipperFor(xdr.ScVal);

/** The two array texts of a topic list given as XDR (its count, then the topics). */
function topicsText(list: Uint8Array): TopicsText {
  const c = new XdrCursor(list);
  const texts: ScValText[] = [];
  for (let n = c.u32(); n > 0; n--) {
    const start = c.pos;
    skipScVal(c);
    texts.push(scValText(c.slice(start)));
  }
  return { b64: `[${texts.map((t) => `"${t.b64}"`).join(',')}]`, json: `[${texts.map((t) => t.json).join(',')}]` };
}

/**
 * Whole topic lists repeat (fn_call/fn_return diagnostics, the fee events of one account,
 * transfers between the same two holders), so the array texts are memoised by the list's XDR
 * too; see BytesMemo. Lists up to 256 bytes are held (four addresses fit).
 */
const topicLists = new BytesMemo<TopicsText>(topicsText, 8192, 256);

/** The topic list of a ContractEvent: after ext (4 bytes), the optional contract id (4 [+ 32]), type (4) and body arm (4); before the data. */
function topicsOf(ev: EventItem): TopicsText {
  const start = 4 + 4 + (ev.contractId ? 32 : 0) + 4 + 4;
  return topicLists.get(ev.bytes.subarray(start, ev.bytes.length - ev.data.length));
}

const TRUE = new Uint8Array([0, 0, 0, 1]);
const FALSE = new Uint8Array([0, 0, 0, 0]);

/** base64 of the DiagnosticEvent XDR: the bool, then the ContractEvent. */
function diagnosticEventXdr(inSuccessfulContractCall: boolean, event: Uint8Array): string {
  const out = Buffer.allocUnsafe(4 + event.length);
  out.set(inSuccessfulContractCall ? TRUE : FALSE, 0);
  out.set(event, 4);
  return out.toString('base64');
}

export class HubbleContractEvents implements Extractor<HubbleContractEventRow> {
  readonly table = contractEventsHubble;

  constructor(private readonly decode: DecodeMode | undefined) {}

  extract(ledger: LedgerRecord): HubbleContractEventRow[] {
    const rows: HubbleContractEventRow[] = [];
    const closedAt = closeTimeUs(ledger);
    for (const tx of extractLedger(ledger, this.decode).txs) {
      try {
        this.addTx(rows, ledger.sequence, closedAt, tx);
      } catch (err) {
        throw err instanceof XdrDecodeError ? err.at({ txIndex: tx.index, ledger: ledger.sequence }) : err;
      }
    }
    return rows;
  }

  private addTx(rows: HubbleContractEventRow[], seq: number, closedAt: bigint, tx: ExtractedTx): void {
    // go ingest's GetTransactionEvents knows meta v1..v4 only; stellar-etl fails the transaction on v0.
    if (tx.metaVersion === 0) throw new XdrDecodeError('TransactionMeta', 'version 0 has no events stellar-etl can export (it fails such a transaction)');
    const txId = toid(seq, tx.index, 0);
    const row = (ev: EventItem, inSuccessfulContractCall: boolean, operationId: bigint | null): HubbleContractEventRow => {
      const typeString = TYPE_STRINGS[ev.type];
      if (typeString === undefined) throw new XdrDecodeError('ContractEventType', `no value ${ev.type}`);
      const topics = topicsOf(ev);
      const data = scValText(ev.data);
      return {
        transaction_hash: tx.hash,
        transaction_id: txId,
        successful: tx.successful,
        in_successful_contract_call: inSuccessfulContractCall,
        contract_id: ev.contractId ? encodeContractId(ev.contractId) : '',
        type: ev.type,
        type_string: typeString,
        topics: topics.b64,
        topics_decoded: topics.json,
        data: `"${data.b64}"`,
        data_decoded: data.json,
        contract_event_xdr: diagnosticEventXdr(inSuccessfulContractCall, ev.bytes),
        closed_at: closedAt,
        ledger_sequence: seq,
        operation_id: operationId,
      };
    };
    for (const ev of tx.txEvents) rows.push(row(ev, true, null));
    for (const ev of tx.events) rows.push(row(ev, true, toid(seq, tx.index, ev.opIndex! + 1)));
    for (const d of tx.diagnosticEvents()) rows.push(row(d.event, d.inSuccessfulContractCall, null));
  }
}
