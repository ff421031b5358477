import type { FieldSpec } from '../../format/schema/types.js';
import type { InputRecord } from '../message-input.js';
import { field, i64, pick, str, timestampUs, u32 } from './coerce.js';
import type { TableDef } from './table-def.js';

/**
 * asset_details: the design's asset statistics schema (one row per asset and ledger), plus the
 * ledger and close time every table carries so rows can be placed and partitioned. Counts are
 * int64; they arrive as numbers or as decimal text from JSON bridges.
 */
const COUNTS = ['accounts', 'balances', 'pool_shares', 'claimable_balances', 'liquidity_pools', 'contract_balances', 'archived_contracts'] as const;

const FIELDS: FieldSpec[] = [
  { name: 'asset', type: 'string' },
  { name: 'asset_type', type: 'string' },
  { name: 'asset_code', type: 'string', optional: true },
  { name: 'asset_issuer', type: 'string', optional: true },
  ...COUNTS.map((name): FieldSpec => ({ name, type: 'int64' })),
  { name: 'ledger_sequence', type: 'uint32' },
  { name: 'closed_at', type: 'timestamp', unit: 'us', utc: true },
];

export const assetDetails: TableDef = {
  name: 'asset_details',
  version: '1',
  fields: FIELDS,
  toRow(rec: InputRecord): Record<string, unknown> {
    const p = rec.payload;
    const row: Record<string, unknown> = {
      asset: str('asset', field(p.asset, p, 'asset'), true),
      asset_type: str('asset_type', field(p.asset_type, p, 'asset_type'), true),
      asset_code: str('asset_code', field(p.asset_code, p, 'asset_code'), false),
      asset_issuer: str('asset_issuer', field(p.asset_issuer, p, 'asset_issuer'), false),
    };
    // Missing counts are 0 in the design's source (absent = none of that kind), never text junk.
    for (const c of COUNTS) row[c] = i64(c, pick(p, c) ?? 0, true);
    row.ledger_sequence = u32('ledger_sequence', field(p.ledger_sequence, p, 'ledger_sequence') ?? rec.ledger, true);
    const closed = field(p.closed_at, p, 'closed_at') ?? (rec.closeTimeMs !== undefined ? new Date(rec.closeTimeMs) : undefined);
    row.closed_at = timestampUs('closed_at', closed, true);
    return row;
  },
};
