import type { PipelineMessage } from '../message.js';
import { closeTimeToIso } from '../message.js';
import type { LedgerRecord } from '../source/ledger-record.js';
import type { LedgerProcessor } from './processor.js';
import type { DecodeMode } from '../stellar/extract.js';
import { extractLedger } from '../stellar/extract.js';
import type { DataEntryImage } from '../stellar/extracted.js';
import type { SacAsset } from '../stellar/sac.js';
import { decodeSacBalance, decodeSacInstanceAsset, nativeSacContractId, sacBalanceHolder } from '../stellar/sac.js';
import {
  SCV_CONTRACT_INSTANCE, SCV_VEC, decodeScVal, durabilityName, instanceExecutable, scAddressXdrToString, scValType, scValTypeName,
} from '../stellar/xdr-bytes.js';

/**
 * ContractData: one row per change of a CONTRACT_DATA ledger entry (created, updated,
 * removed, restored). A STATE entry is the "before" image of the change that follows it, so
 * it produces no row of its own; it supplies the value of a following REMOVED (whose XDR
 * carries only the key). Column names and value spellings follow the stellar-etl /
 * cdp-pipeline contract_data table (Go enum names such as "ContractDataDurabilityPersistent").
 */
export interface ContractDataRow {
  contract_id: string;
  contract_key_type: string;
  contract_durability: string;
  asset_code: string | null;
  asset_issuer: string | null;
  asset_type: string | null;
  balance_holder: string | null;
  /** i128 as exact decimal text (an int64 would overflow). */
  balance: string | null;
  last_modified_ledger: number | null;
  /** LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 4 restored (3 = state never appears). */
  ledger_entry_change: number;
  deleted: boolean;
  closed_at: string;
  ledger_sequence: number;
  /** Hex SHA-256 of the LedgerKey XDR (also the TTL entry's keyHash). */
  ledger_key_hash: string;
  /** XDR of the entry's key ScVal. */
  key_xdr: Uint8Array;
  /** XDR of the entry's value ScVal (the pre-removal value for removals, when known). */
  val_xdr: Uint8Array | null;
  contract_instance_type: string | null;
  contract_instance_wasm_hash: string | null;
  expiration_ledger_seq: number | null;
}

export interface ContractDataOptions {
  /** Enables native-asset labelling of SAC balances (the native SAC id depends on it). */
  networkPassphrase?: string;
  /** Also emit removals for contract-data keys evicted at ledger close (default false). */
  includeEvictions?: boolean;
  /** How ledgers are read: "fast" byte scanner (default) or full SDK decode. */
  decode?: DecodeMode;
}

const CHANGE_CREATED = 0;
const CHANGE_UPDATED = 1;
const CHANGE_REMOVED = 2;
const CHANGE_STATE = 3;
const CHANGE_RESTORED = 4;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Enum labels are built once per value: one string object per label keeps the writer's dictionary lookups cheap. */
function labels(label: (v: number) => string): (v: number) => string {
  const made = new Map<number, string>();
  return (v) => {
    let s = made.get(v);
    if (s === undefined) made.set(v, (s = label(v)));
    return s;
  };
}
const keyTypeLabel = labels((t) => `ScValType${cap(scValTypeName(t))}`);
const durabilityLabel = labels((d) => `ContractDataDurability${cap(durabilityName(d))}`);

export class ContractDataProcessor implements LedgerProcessor {
  readonly name = 'ContractData';
  readonly table = 'contract_data';
  private readonly nativeId: string | undefined;
  /** SAC contract id -> asset, learned from instance entries; lets later balance rows name their asset. */
  private readonly sacAssets = new Map<string, SacAsset>();

  constructor(private readonly options: ContractDataOptions = {}) {
    this.nativeId = options.networkPassphrase ? nativeSacContractId(options.networkPassphrase) : undefined;
  }

  process(ledger: LedgerRecord): PipelineMessage[] {
    return this.rows(ledger).map((payload) => ({
      payload: payload as unknown as Record<string, unknown>,
      metadata: {
        table: this.table,
        processor: this.name,
        ledger_sequence: ledger.sequence,
        ledger_close_time: payload.closed_at,
      },
    }));
  }

  rows(ledger: LedgerRecord): ContractDataRow[] {
    const extracted = extractLedger(ledger, this.options.decode);
    const closedAt = closeTimeToIso(ledger.closeTime);
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
    if (this.options.includeEvictions) {
      for (const image of extracted.evicted) rows.push(this.row(ledger.sequence, closedAt, CHANGE_REMOVED, image, undefined));
    }
    for (const r of rows) r.expiration_ledger_seq = extracted.ttl.get(r.ledger_key_hash) ?? null;
    return rows;
  }

  /** `id` names the entry; `entry` is its image after the change, or for removals the STATE before it. */
  private row(seq: number, closedAt: string, change: number, id: DataEntryImage, entry: DataEntryImage | undefined): ContractDataRow {
    const contractId = scAddressXdrToString(id.contract);
    const val = entry?.val;
    const row: ContractDataRow = {
      contract_id: contractId,
      contract_key_type: keyTypeLabel(scValType(id.key)),
      contract_durability: durabilityLabel(id.durability),
      asset_code: null, asset_issuer: null, asset_type: null,
      balance_holder: null, balance: null,
      last_modified_ledger: entry?.lastModified ?? null,
      ledger_entry_change: change,
      deleted: change === CHANGE_REMOVED,
      closed_at: closedAt,
      ledger_sequence: seq,
      ledger_key_hash: id.keyHash,
      key_xdr: id.key,
      val_xdr: val ?? null,
      contract_instance_type: null, contract_instance_wasm_hash: null,
      expiration_ledger_seq: null,
    };
    if (val && scValType(val) === SCV_CONTRACT_INSTANCE) {
      const exe = instanceExecutable(val);
      row.contract_instance_type = `ContractExecutableType${cap(exe.name)}`;
      row.contract_instance_wasm_hash = exe.wasmHash;
      if (exe.wasmHash === null) {
        const asset = decodeSacInstanceAsset(decodeScVal(val));
        if (asset) this.sacAssets.set(contractId, asset);
      }
    }
    // Only a Vec key can be a SAC balance; decode just those (small) values with the SDK.
    if (scValType(id.key) === SCV_VEC) {
      const key = decodeScVal(id.key);
      const balance = val ? decodeSacBalance(key, decodeScVal(val)) : undefined;
      if (balance) {
        row.balance_holder = balance.holder;
        row.balance = balance.amount.toString();
      } else if (change === CHANGE_REMOVED) {
        row.balance_holder = sacBalanceHolder(key) ?? null;
      }
    }
    const isBalanceOrInstance = row.balance_holder !== null || row.contract_instance_type !== null;
    const asset = this.sacAssets.get(contractId) ?? (contractId === this.nativeId ? { type: 'native' as const, code: null, issuer: null } : undefined);
    if (asset && isBalanceOrInstance) {
      row.asset_type = asset.type;
      row.asset_code = asset.code;
      row.asset_issuer = asset.issuer;
    }
    return row;
  }
}
