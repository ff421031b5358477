/**
 * Contract data: changes of CONTRACT_DATA ledger entries.
 *
 * default profile (table contract_data): one row per change (created, updated, removed,
 * restored). A STATE entry is the "before" image of the change that follows it, so it has no
 * row of its own; it supplies the value of a following REMOVED (whose XDR carries only the
 * key). Enum values are spelled as stellar-etl spells them (Go enum names such as
 * "ContractDataDurabilityPersistent"). Stellar Asset Contract balances are decoded to holder
 * and exact i128 balance; the asset is named on the contract's instance entries.
 *
 * hubble profile: stellar-etl's table, compacted per ledger (contract-data-hubble.ts).
 */
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { DataEntryImage } from '../stellar/extracted.js';
import type { SacAsset } from '../stellar/sac.js';
import { decodeSacBalance, decodeSacInstanceAsset, nativeSacContractId, sacBalanceHolder } from '../stellar/sac.js';
import { SCV_CONTRACT_INSTANCE, SCV_VEC, decodeScVal, instanceExecutable, scAddressXdrToString, scValType } from '../stellar/xdr-bytes.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { cap, durabilityLabel, keyTypeLabel } from './contract-data-labels.js';
import { contractDataHubble, hubbleContractData } from './contract-data-hubble.js';
import { closeTimeUs, defineTable, type Dataset, type Extractor, type ExtractorSettings } from './dataset.js';

const defaultColumns = defineColumns({
  contract_id: col.string('Contract owning the entry (C... strkey)'),
  contract_key_type: col.string('ScVal type of the key, e.g. "ScValTypeScvLedgerKeyContractInstance"'),
  contract_durability: col.string('"ContractDataDurabilityPersistent" or "ContractDataDurabilityTemporary"'),
  asset_code: col.nullable(
    col.string('Asset code of a Stellar Asset Contract instance entry (balances: join on contract_id)', { aliases: ['contractDataAssetCode'] }),
  ),
  asset_issuer: col.nullable(col.string('Asset issuer (G... strkey) of a Stellar Asset Contract instance entry', { aliases: ['contractDataAssetIssuer'] })),
  asset_type: col.nullable(
    col.string(
      'native, credit_alphanum4 or credit_alphanum12 of a Stellar Asset Contract instance entry, and "native" on balances of the native asset\'s contract',
      { aliases: ['contractDataAssetType'] },
    ),
  ),
  balance_holder: col.nullable(col.string('Holder of a Stellar Asset Contract balance (G... or C... strkey)', { aliases: ['contractDataBalanceHolder'] })),
  balance: col.nullable(col.decimal38('That balance, exact (i128)', { aliases: ['contractDataBalance'] })),
  last_modified_ledger: col.nullable(col.uint32('Ledger that last modified the entry')),
  deleted: col.boolean('True for a removal'),
  ledger_sequence: col.uint32('Ledger of the change'),
  closed_at: col.timestampUs('Close time of that ledger (UTC)'),
  ledger_key_hash: col.nullable(col.string('Hex SHA-256 of the LedgerKey XDR (also the TTL entry key)')),
  key_xdr: col.nullable(col.binary('XDR of the key ScVal')),
  val_xdr: col.nullable(col.binary('XDR of the value ScVal (for a removal, the value before it when known)')),
  contract_instance_type: col.nullable(
    col.string(
      'Executable of an instance entry: "ContractExecutableTypeContractExecutableWasm" or "ContractExecutableTypeContractExecutableStellarAsset" (Go enum names)',
    ),
  ),
  contract_instance_wasm_hash: col.nullable(col.string('Wasm hash (hex) of an instance entry')),
  expiration_ledger_seq: col.nullable(col.uint32("live_until_ledger_seq of the entry's TTL when it changed in the same ledger")),
  ledger_entry_change: col.nullable(col.int32('LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored')),
});
export type ContractDataRow = RowOf<typeof defaultColumns>;

export const contractDataDefault = defineTable({
  name: 'contract_data',
  version: '1',
  profile: 'default',
  rowMeaning: 'One change of a contract-data entry in a transaction.',
  columns: defaultColumns,
});

// LedgerEntryChangeType values this extractor tells apart.
const CHANGE_REMOVED = 2;
const CHANGE_STATE = 3;

/**
 * Asset columns come only from what the row's own ledger entry says, so a row is the same
 * whichever ledger a run starts at (a restart, a backfill shard): a Stellar Asset Contract's
 * instance entry names its asset; a balance entry does not, except under the native asset's
 * contract, whose id follows from the network. Join balance rows to instance rows by
 * contract_id for the other assets.
 */
class DefaultContractData implements Extractor<ContractDataRow> {
  readonly table = contractDataDefault;
  private readonly nativeId: string | undefined;

  constructor(
    networkPassphrase: string | undefined,
    private readonly includeEvictions: boolean,
    private readonly decode: DecodeMode | undefined,
  ) {
    this.nativeId = networkPassphrase ? nativeSacContractId(networkPassphrase) : undefined;
  }

  extract(ledger: LedgerRecord): ContractDataRow[] {
    const extracted = extractLedger(ledger, this.decode);
    const closedAt = closeTimeUs(ledger);
    const rows: ContractDataRow[] = [];
    for (const tx of extracted.txs) {
      // STATE images within this transaction, for removals that follow them.
      const state = new Map<string, DataEntryImage>();
      for (const { change, image } of tx.dataChanges) {
        if (change === CHANGE_STATE) state.set(image.keyHash, image);
        else if (change === CHANGE_REMOVED) rows.push(this.row(ledger.sequence, closedAt, change, image, state.get(image.keyHash)));
        else rows.push(this.row(ledger.sequence, closedAt, change, image, image));
      }
    }
    if (this.includeEvictions) {
      for (const image of extracted.evicted) rows.push(this.row(ledger.sequence, closedAt, CHANGE_REMOVED, image, undefined));
    }
    for (const r of rows) r.expiration_ledger_seq = extracted.ttl.get(r.ledger_key_hash!) ?? null;
    return rows;
  }

  /** `id` names the entry; `entry` is its image after the change, or for removals the STATE before it. */
  private row(seq: number, closedAt: bigint, change: number, id: DataEntryImage, entry: DataEntryImage | undefined): ContractDataRow {
    const contractId = scAddressXdrToString(id.contract);
    const val = entry?.val;
    const row: ContractDataRow = {
      contract_id: contractId,
      contract_key_type: keyTypeLabel(scValType(id.key)),
      contract_durability: durabilityLabel(id.durability),
      asset_code: null,
      asset_issuer: null,
      asset_type: null,
      balance_holder: null,
      balance: null,
      last_modified_ledger: entry?.lastModified ?? null,
      deleted: change === CHANGE_REMOVED,
      ledger_sequence: seq,
      closed_at: closedAt,
      ledger_key_hash: id.keyHash,
      key_xdr: id.key,
      val_xdr: val ?? null,
      contract_instance_type: null,
      contract_instance_wasm_hash: null,
      expiration_ledger_seq: null,
      ledger_entry_change: change,
    };
    if (val && scValType(val) === SCV_CONTRACT_INSTANCE) {
      const exe = instanceExecutable(val);
      row.contract_instance_type = `ContractExecutableType${cap(exe.name)}`;
      row.contract_instance_wasm_hash = exe.wasmHash;
    }
    // Only a Vec key can be a SAC balance; decode just those (small) values with the SDK.
    if (scValType(id.key) === SCV_VEC) {
      const key = decodeScVal(id.key);
      const balance = val ? decodeSacBalance(key, decodeScVal(val)) : undefined;
      if (balance) {
        row.balance_holder = balance.holder;
        row.balance = balance.amount;
      } else if (change === CHANGE_REMOVED) {
        row.balance_holder = sacBalanceHolder(key) ?? null;
      }
    }
    let asset: SacAsset | undefined;
    if (row.contract_instance_type !== null && row.contract_instance_wasm_hash === null && val) asset = decodeSacInstanceAsset(decodeScVal(val));
    else if (row.balance_holder !== null && contractId === this.nativeId) asset = { type: 'native', code: null, issuer: null };
    if (asset) {
      row.asset_type = asset.type;
      row.asset_code = asset.code;
      row.asset_issuer = asset.issuer;
    }
    return row;
  }
}

/** The hubble profile verifies Stellar Asset Contracts against their network's contract ids. */
function requirePassphrase(s: ExtractorSettings): string {
  if (s.networkPassphrase === undefined) {
    throw new Error("ContractData: the hubble profile needs the network passphrase (config key 'network_passphrase' or 'network', or the source's)");
  }
  return s.networkPassphrase;
}

export const contractData: Dataset = {
  processor: 'ContractData',
  processorAliases: ['ContractDataProcessor'],
  description: 'Changes of contract-data ledger entries (contract storage, including Stellar Asset Contract balances).',
  options: [
    {
      name: 'include_evictions',
      kind: 'bool',
      description: 'Also write a removal for each contract-data entry evicted at ledger close (default false; default profile only).',
    },
  ],
  tables: { default: contractDataDefault, hubble: contractDataHubble },
  open: (s: ExtractorSettings) => {
    const includeEvictions = s.options.bool('include_evictions') ?? false;
    if (s.profile === 'default') return new DefaultContractData(s.networkPassphrase, includeEvictions, s.decode);
    // stellar-etl reads ledger entry changes only; evictions are not among them.
    if (includeEvictions) throw new Error("ContractData: config key 'include_evictions' applies to the default profile only");
    return hubbleContractData(requirePassphrase(s), s.decode);
  },
};
