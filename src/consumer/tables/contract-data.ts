import type { FieldSpec } from '../../format/schema/types.js';
import type { InputRecord } from '../message-input.js';
import { bool, bytes, decimal38, field, i32, str, timestampUs, u32 } from './coerce.js';
import type { TableDef } from './table-def.js';

/**
 * contract_data: the design's 18 columns plus ledger_entry_change. `balance` is an i128 on
 * chain, stored exactly as DECIMAL(38,0) (the design's int64 overflowed and parsed bad text
 * as 0). key_xdr / val_xdr are the raw XDR bytes, not base64 text.
 */
const FIELDS: FieldSpec[] = [
  { name: 'contract_id', type: 'string' },
  { name: 'contract_key_type', type: 'string' },
  { name: 'contract_durability', type: 'string' },
  { name: 'asset_code', type: 'string', optional: true },
  { name: 'asset_issuer', type: 'string', optional: true },
  { name: 'asset_type', type: 'string', optional: true },
  { name: 'balance_holder', type: 'string', optional: true },
  { name: 'balance', type: 'decimal', precision: 38, scale: 0, optional: true },
  { name: 'last_modified_ledger', type: 'uint32', optional: true },
  { name: 'deleted', type: 'boolean' },
  { name: 'ledger_sequence', type: 'uint32' },
  { name: 'closed_at', type: 'timestamp', unit: 'us', utc: true },
  { name: 'ledger_key_hash', type: 'string', optional: true },
  { name: 'key_xdr', type: 'binary', optional: true },
  { name: 'val_xdr', type: 'binary', optional: true },
  { name: 'contract_instance_type', type: 'string', optional: true },
  { name: 'contract_instance_wasm_hash', type: 'string', optional: true },
  { name: 'expiration_ledger_seq', type: 'uint32', optional: true },
  { name: 'ledger_entry_change', type: 'int32', optional: true },
];

export const contractData: TableDef = {
  name: 'contract_data',
  version: '1',
  fields: FIELDS,
  toRow(rec: InputRecord): Record<string, unknown> {
    const p = rec.payload;
    const closed = field(p.closed_at, p, 'closed_at') ?? (rec.closeTimeMs !== undefined ? new Date(rec.closeTimeMs) : undefined);
    return {
      contract_id: str('contract_id', field(p.contract_id, p, 'contract_id'), true),
      contract_key_type: str('contract_key_type', field(p.contract_key_type, p, 'contract_key_type'), true),
      contract_durability: str('contract_durability', field(p.contract_durability, p, 'contract_durability'), true),
      asset_code: str('asset_code', field(p.asset_code, p, 'asset_code', ['contractDataAssetCode']), false),
      asset_issuer: str('asset_issuer', field(p.asset_issuer, p, 'asset_issuer', ['contractDataAssetIssuer']), false),
      asset_type: str('asset_type', field(p.asset_type, p, 'asset_type', ['contractDataAssetType']), false),
      balance_holder: str('balance_holder', field(p.balance_holder, p, 'balance_holder', ['contractDataBalanceHolder']), false),
      balance: decimal38('balance', field(p.balance, p, 'balance', ['contractDataBalance']), false),
      last_modified_ledger: u32('last_modified_ledger', field(p.last_modified_ledger, p, 'last_modified_ledger'), false),
      deleted: bool('deleted', field(p.deleted, p, 'deleted'), true),
      ledger_sequence: u32('ledger_sequence', field(p.ledger_sequence, p, 'ledger_sequence') ?? rec.ledger, true),
      closed_at: timestampUs('closed_at', closed, true),
      ledger_key_hash: str('ledger_key_hash', field(p.ledger_key_hash, p, 'ledger_key_hash'), false),
      key_xdr: bytes('key_xdr', field(p.key_xdr, p, 'key_xdr'), false),
      val_xdr: bytes('val_xdr', field(p.val_xdr, p, 'val_xdr'), false),
      contract_instance_type: str('contract_instance_type', field(p.contract_instance_type, p, 'contract_instance_type'), false),
      contract_instance_wasm_hash: str('contract_instance_wasm_hash', field(p.contract_instance_wasm_hash, p, 'contract_instance_wasm_hash'), false),
      expiration_ledger_seq: u32('expiration_ledger_seq', field(p.expiration_ledger_seq, p, 'expiration_ledger_seq'), false),
      ledger_entry_change: i32('ledger_entry_change', field(p.ledger_entry_change, p, 'ledger_entry_change'), false),
    };
  },
};
