/**
 * Contract data, hubble profile (table contract_data): stellar-etl's ContractDataOutput, the
 * columns of Hubble's contract_data table in its order (without the batch_* columns its
 * loader adds). Changes are compacted per ledger as stellar-etl compacts them (see
 * change-compactor.ts): one row per entry per ledger with its final state; a removal shows
 * the entry as it was before the ledger. Nonce entries (authorization replay protection)
 * have no rows. Columns stellar-etl leaves empty are empty strings, never null.
 */
import type { DecodeMode } from '../stellar/extract.js';
import type { DataEntryImage, ExtractedTx } from '../stellar/extracted.js';
import type { ListedChange } from '../stellar/change-pairs.js';
import { base64Of, dataKeying, dataLedgerKey } from '../stellar/ledger-keys.js';
import { etlAssetFromContractData, etlContractBalance } from '../stellar/sac-etl.js';
import { scValBytesToJsonText } from '../stellar/fast/scval-json-bytes.js';
import { encodeContractId } from '../stellar/strkey-cache.js';
import { SCV_VEC, decodeScVal, scValType } from '../stellar/xdr-bytes.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { defineTable, type Extractor } from './dataset.js';
import { compactedExtractor } from './entry-change-extractors.js';
import { hubbleChangeColumns } from './entry-change-columns.js';
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
  ...hubbleChangeColumns,
  ledger_key_hash: col.string("Hex SHA-256 of the LedgerKey XDR (the key_hash of the entry's TTL)"),
  key: col.json('The key ScVal as base64 XDR, a JSON string'),
  key_decoded: col.json('The key ScVal as stellar-xdr JSON'),
  val: col.json('The value ScVal as base64 XDR, a JSON string'),
  val_decoded: col.json('The value ScVal as stellar-xdr JSON'),
  contract_data_xdr: col.string('The ContractDataEntry as base64 XDR'),
  ledger_key_hash_base_64: col.string('The LedgerKey as base64 XDR (not a hash, despite the name)'),
});
export type HubbleContractDataRow = RowOf<typeof columns>;

export const contractDataHubble = defineTable({
  name: 'contract_data',
  version: '1',
  profile: 'hubble',
  rowMeaning: 'One contract-data entry changed in a ledger, in its final state in that ledger.',
  columns,
});
const SCV_LEDGER_KEY_CONTRACT_INSTANCE = 20;
const SCV_LEDGER_KEY_NONCE = 21;
const SC_ADDRESS_TYPE_CONTRACT = 1;
const listed = (tx: ExtractedTx): readonly ListedChange<DataEntryImage>[] => tx.dataChanges.map(({ change, image }) => ({ change, entry: image }));

export function hubbleContractData(networkPassphrase: string, decode: DecodeMode | undefined): Extractor<HubbleContractDataRow> {
  return compactedExtractor(contractDataHubble, decode, { listed, rules: dataKeying }, (image, change, deleted, at) => {
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
      asset_code: '',
      asset_issuer: '',
      asset_type: '',
      balance_holder: '',
      balance: '',
      last_modified_ledger: image.lastModified ?? 0,
      ledger_entry_change: change,
      deleted,
      closed_at: at.closedAt,
      ledger_sequence: at.sequence,
      ledger_key_hash: image.keyHash,
      key: JSON.stringify(base64Of(image.key)),
      key_decoded: scValBytesToJsonText(image.key),
      val: JSON.stringify(base64Of(image.val)),
      val_decoded: scValBytesToJsonText(image.val),
      contract_data_xdr: base64Of(image.entry),
      ledger_key_hash_base_64: dataLedgerKey(image).toString('base64'),
    };
    // Only an instance key can name an asset and only a Vec key can be a balance.
    if (keyType === SCV_LEDGER_KEY_CONTRACT_INSTANCE) {
      const asset = etlAssetFromContractData(contractId, decodeScVal(image.key), decodeScVal(image.val), networkPassphrase);
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
  });
}
