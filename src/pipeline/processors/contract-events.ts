import { encodeContractId } from '../../stellar/strkey-cache.js';
import type { PipelineMessage } from '../message.js';
import { closeTimeToIso } from '../message.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import type { LedgerProcessor } from './processor.js';
import type { DecodeMode } from '../../stellar/extract.js';
import { extractLedger } from '../../stellar/extract.js';
import { asBuffer } from '../../stellar/buffer-view.js';
import { scValBytesToJsonText } from '../../stellar/fast/scval-json-bytes.js';
import { eventId } from '../../stellar/toid.js';
import { BytesMemo } from '../../stellar/bytes-memo.js';

/**
 * ContractEvents: one row per event of type CONTRACT emitted by a transaction (TxMeta v3
 * sorobanMeta.events, v4 operations[].events). SYSTEM and diagnostic events are skipped.
 *
 * `id` follows stellar-rpc: "%019d-%010d" of TOID(ledger, tx apply index (1-based), op 0)
 * and the event's position among the transaction's events (counted over all events of the
 * lists above, in order, before filtering by type, so ids do not depend on the filter).
 * Topics and data are decoded to the stellar-xdr JSON shape (see scval-json.ts); the raw
 * XDR is kept as base64, matching RPC's `topic` / `value` fields.
 */
export interface ContractEventRow {
  type: string;
  ledger: number;
  ledger_closed_at: string;
  contract_id: string | null;
  id: string;
  tx_hash: string;
  in_successful_contract_call: boolean;
  /** Each topic as JSON text. */
  topics: string[];
  /** The data ScVal as JSON text. */
  data: string;
  topics_xdr: string[];
  data_xdr: string;
}

interface ScValText {
  json: string;
  b64: string;
}
// Topics (event names, addresses, symbols) repeat across most events; see BytesMemo. Values up
// to 128 bytes (symbols, addresses, amounts) are held, at most 8,192 of them: a few MB at worst.
const scValTexts = new BytesMemo<ScValText>((v) => ({ json: scValBytesToJsonText(v), b64: asBuffer(v).toString('base64') }), 8192, 128);
const CONTRACT_EVENT = 1;

export interface ContractEventsOptions {
  /** How ledgers are read: "fast" byte scanner (default) or full SDK decode. */
  decode?: DecodeMode;
}

export class ContractEventsProcessor implements LedgerProcessor {
  readonly name = 'ContractEvents';
  readonly table = 'contract_events';

  constructor(private readonly options: ContractEventsOptions = {}) {}

  process(ledger: LedgerRecord): PipelineMessage[] {
    return this.rows(ledger).map((payload) => ({
      payload: payload as unknown as Record<string, unknown>,
      metadata: {
        table: this.table,
        processor: this.name,
        ledger_sequence: ledger.sequence,
        ledger_close_time: payload.ledger_closed_at,
      },
    }));
  }

  rows(ledger: LedgerRecord): ContractEventRow[] {
    const closedAt = closeTimeToIso(ledger.closeTime);
    const rows: ContractEventRow[] = [];
    for (const tx of extractLedger(ledger, this.options.decode).txs) {
      for (const ev of tx.events) {
        if (ev.type !== CONTRACT_EVENT) continue;
        const data = scValTexts.get(ev.data);
        const topics = ev.topics.map((t) => scValTexts.get(t));
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
    return rows;
  }
}
