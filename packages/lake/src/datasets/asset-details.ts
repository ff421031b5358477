/**
 * asset_details: asset statistics, one row per asset and ledger, as the Go design's asset
 * stats processor emits them. Written from JSON messages only: no processor here extracts it.
 */
import { col, defineColumns } from './columns.js';
import { defineTable, type Dataset } from './dataset.js';

const count = (d: string) => col.int64(`${d} (0 when a message lacks it)`, { absentAs: 0 });

const columns = defineColumns({
  asset: col.string('The asset: "native" or "code:issuer"'),
  asset_type: col.string('native, credit_alphanum4 or credit_alphanum12'),
  asset_code: col.nullable(col.string('Asset code (null for native)')),
  asset_issuer: col.nullable(col.string('Issuer account (G... strkey; null for native)')),
  accounts: count('Accounts holding a trustline to the asset'),
  balances: count('Total balance held in trustlines, in stroops'),
  pool_shares: count('Balance held in liquidity pools'),
  claimable_balances: count('Balance held in claimable balances'),
  liquidity_pools: count('Liquidity pools holding the asset'),
  contract_balances: count('Balance held by contracts through the asset contract'),
  archived_contracts: count('Archived contracts holding a balance'),
  ledger_sequence: col.uint32('Ledger of the statistics'),
  closed_at: col.timestampUs('Close time of that ledger (UTC)'),
});

export const assetDetails: Dataset = {
  processor: 'AssetDetails',
  processorAliases: ['AssetStats'],
  description: 'Asset statistics per ledger, from JSON messages of an upstream asset-stats processor.',
  options: [],
  tables: {
    default: defineTable({ name: 'asset_details', version: '1', profile: 'default', rowMeaning: 'One asset at one ledger.', columns }),
  },
};
