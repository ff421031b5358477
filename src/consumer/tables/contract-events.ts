import type { FieldSpec } from '../../format/schema/types.js';
import type { InputRecord } from '../message-input.js';
import { bool, field, jsonText, str, stringList, timestampUs, u32 } from './coerce.js';
import type { TableDef } from './table-def.js';

/**
 * contract_events: the design's columns plus tx_hash and the raw XDR our processor keeps.
 * Accepts our snake_case rows and the camelCase / RPC spellings of upstream JSON processors
 * (contractId, txHash, ledgerClosedAt, inSuccessfulContractCall, topic, value).
 */
const FIELDS: FieldSpec[] = [
  { name: 'type', type: 'string' },
  { name: 'ledger', type: 'uint32' },
  { name: 'ledger_closed_at', type: 'timestamp', unit: 'us', utc: true },
  { name: 'contract_id', type: 'string', optional: true },
  { name: 'id', type: 'string' },
  { name: 'tx_hash', type: 'string', optional: true },
  { name: 'in_successful_contract_call', type: 'boolean' },
  { name: 'topics', type: 'list', element: { type: 'string' }, optional: true },
  { name: 'data', type: 'string', optional: true },
  { name: 'topics_xdr', type: 'list', element: { type: 'string' }, optional: true },
  { name: 'data_xdr', type: 'string', optional: true },
];

export const contractEvents: TableDef = {
  name: 'contract_events',
  version: '1',
  fields: FIELDS,
  toRow(rec: InputRecord): Record<string, unknown> {
    const p = rec.payload;
    const closed = field(p.ledger_closed_at, p, 'ledger_closed_at') ?? (rec.closeTimeMs !== undefined ? new Date(rec.closeTimeMs) : undefined);
    return {
      type: str('type', field(p.type, p, 'type'), true),
      ledger: u32('ledger', field(p.ledger, p, 'ledger', ['ledger_sequence', 'ledgerSequence']) ?? rec.ledger, true),
      ledger_closed_at: timestampUs('ledger_closed_at', closed, true),
      contract_id: str('contract_id', field(p.contract_id, p, 'contract_id'), false),
      id: str('id', field(p.id, p, 'id'), true),
      tx_hash: str('tx_hash', field(p.tx_hash, p, 'tx_hash', ['transactionHash']), false),
      in_successful_contract_call: bool('in_successful_contract_call', field(p.in_successful_contract_call, p, 'in_successful_contract_call'), true),
      topics: stringList('topics', field(p.topics, p, 'topics', ['topic']), false),
      data: jsonText('data', field(p.data, p, 'data', ['value']), false),
      topics_xdr: stringList('topics_xdr', field(p.topics_xdr, p, 'topics_xdr'), false),
      data_xdr: str('data_xdr', field(p.data_xdr, p, 'data_xdr'), false),
    };
  },
};
