/**
 * Contract data, hubble profile (table contract_data): stellar-etl's ContractDataOutput, the
 * columns of Hubble's contract_data table in its order (without the batch_* columns its
 * loader adds). Changes are compacted per ledger as stellar-etl compacts them (see
 * change-compactor.ts): one row per entry per ledger with its final state; a removal shows
 * the entry as it was before the ledger. Nonce entries (authorization replay protection)
 * have no rows. Columns stellar-etl leaves empty are empty strings, never null.
 */
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { extractLedger, type DecodeMode } from '../stellar/extract.js';
import type { DataEntryImage } from '../stellar/extracted.js';
import { compactLedgerChanges } from '../stellar/change-compactor.js';
import { LEDGER_ENTRY_REMOVED } from '../stellar/entry-change.js';
import { base64Of, dataKeying, dataLedgerKey } from '../stellar/ledger-keys.js';
import { etlAssetFromContractData, etlContractBalance } from '../stellar/sac-etl.js';
import { scValBytesToJsonText } from '../stellar/fast/scval-json-bytes.js';
import { encodeContractId } from '../stellar/strkey-cache.js';
import { SCV_VEC, decodeScVal, scValType } from '../stellar/xdr-bytes.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { closeTimeUs, defineTable, type Extractor } from './dataset.js';
import { durabilityLabel, keyTypeLabel } from './contract-data-labels.js';

const columns = defineColumns({
  contract_id: col.string('Contract owning the entry (C... strkey)'),
  contract_key_type: col.string('ScVal type of the key, e.g. "ScValTypeScvLedgerKeyContractInstance"'),
  contract_durability: col.string('"ContractDataDurabilityPersistent" or "ContractDataDurabilityTemporary"'),
  asset_code: col.string('Asset code of a verified Stellar Asset Contract instance entry, else ""'),
  asset_issuer: col.string('Asset issuer (G... strkey) of a verified Stellar Asset Contract instance entry, else ""'),
  asset_type: col.string('native, credit_alphanum4 or credit_alphanum12 on a verified Stellar Asset Contract instance entry, else ""'),
  balance_holder: col.string('Holding contract (C... strkey) of a contract-held balance entry, else ""'),
  balance: col.string('That balance as decimal text (i128), else ""'),
  last_modified_ledger: col.int64('Ledger that last modified the entry (for a removal, before the ledger)'),
  ledger_entry_change: col.int64('LedgerEntryChangeType after compaction: 0 created, 1 updated, 2 removed, 4 restored'),
  deleted: col.boolean('True for a removal'),
  closed_at: col.timestampUs('Close time of the ledger (UTC)'),
  ledger_sequence: col.int64('Ledger of the change'),
  ledger_key_hash: col.string('Hex SHA-256 of the LedgerKey XDR (the key_hash of the entry\'s TTL)'),
  key: col.json('The key ScVal as base64 XDR, a JSON string'),
  key_decoded: col.json('The key ScVal as stellar-xdr JSON'),
  val: col.json('The value ScVal as base64 XDR, a JSON string'),
  val_decoded: col.json('The value ScVal as stellar-xdr JSON'),
  contract_data_xdr: col.string('The ContractDataEntry as base64 XDR'),
  ledger_key_hash_base_64: col.string('The LedgerKey as base64 XDR (not a hash, despite the name)'),
});
export type HubbleContractDataRow = RowOf<typeof columns>;

export const contractDataHubble = defineTable({
  name: 'contract_data', version: '1', profile: 'hubble', rowMeaning: 'One contract-data entry changed in a ledger, in its final state in that ledger.', columns,
});
const SCV_LEDGER_KEY_CONTRACT_INSTANCE = 20;
const SCV_LEDGER_KEY_NONCE = 21;
const SC_ADDRESS_TYPE_CONTRACT = 1;
const dataChanges = (tx: { dataChanges: { change: number; image: DataEntryImage }[] }) => tx.dataChanges.map(({ change, image }) => ({ change, entry: image }));

export class HubbleContractData implements Extractor<HubbleContractDataRow> {
  readonly table = contractDataHubble;

  constructor(private readonly networkPassphrase: string, private readonly decode: DecodeMode | undefined) {}

  extract(ledger: LedgerRecord): HubbleContractDataRow[] {
    const { txs } = extractLedger(ledger, this.decode);
    const closedAt = closeTimeUs(ledger);
    const rows: HubbleContractDataRow[] = [];
    for (const c of compactLedgerChanges(ledger.sequence, txs, dataChanges, dataKeying)) {
      const deleted = c.type === LEDGER_ENTRY_REMOVED;
      const image = deleted ? c.pre! : c.post!;
      const row = this.row(image, c.type, deleted, ledger.sequence, closedAt);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }

  private row(image: DataEntryImage, change: number, deleted: boolean, seq: number, closedAt: bigint): HubbleContractDataRow | undefined {
    const keyType = scValType(image.key);
    if (keyType === SCV_LEDGER_KEY_NONCE) return undefined;
    // Only contracts own storage; stellar-etl skips (and logs) an entry owned by anything else.
    if (new DataView(image.contract.buffer, image.contract.byteOffset).getUint32(0) !== SC_ADDRESS_TYPE_CONTRACT) return undefined;
    if (image.val === undefined || image.entry === undefined) throw new Error(`contract-data entry ${image.keyHash} without its value`);
    const contractId = image.contract.subarray(4, 36);
    const row: HubbleContractDataRow = {
      contract_id: encodeContractId(contractId),
      contract_key_type: keyTypeLabel(keyType),
      contract_durability: durabilityLabel(image.durability),
      asset_code: '', asset_issuer: '', asset_type: '',
      balance_holder: '', balance: '',
      last_modified_ledger: image.lastModified ?? 0,
      ledger_entry_change: change,
      deleted,
      closed_at: closedAt,
      ledger_sequence: seq,
      ledger_key_hash: image.keyHash,
      key: JSON.stringify(base64Of(image.key)),
      key_decoded: scValBytesToJsonText(image.key),
      val: JSON.stringify(base64Of(image.val)),
      val_decoded: scValBytesToJsonText(image.val),
      contract_data_xdr: base64Of(image.entry),
      ledger_key_hash_base_64: dataLedgerKey(image).toString('base64'),
    };
    // Only an instance key can name an asset and only a Vec key can be a balance: decode just those.
    if (keyType === SCV_LEDGER_KEY_CONTRACT_INSTANCE) {
      const asset = etlAssetFromContractData(contractId, decodeScVal(image.key), decodeScVal(image.val), this.networkPassphrase);
      if (asset !== undefined) {
        row.asset_type = asset.type;
        row.asset_code = asset.code;
        row.asset_issuer = asset.issuer;
      }
    } else if (keyType === SCV_VEC) {
      const balance = etlContractBalance(image.key, image.val);
      if (balance !== undefined) {
        row.balance_holder = balance.holder;
        row.balance = balance.amount.toString();
      }
    }
    return row;
  }
}
