import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import type { PipelineMessage } from '../message.js';
import { closeTimeToIso } from '../message.js';
import type { LedgerRecord } from '../source/ledger-record.js';
import type { LedgerProcessor } from './processor.js';
import { entryChanges, evictedKeys, transactions } from '../stellar/ledger-view.js';
import { scAddressToString } from '../stellar/scval-json.js';
import type { SacAsset } from '../stellar/sac.js';
import { decodeSacBalance, decodeSacInstanceAsset, nativeSacContractId, sacBalanceHolder } from '../stellar/sac.js';

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
}

export const CHANGE_CREATED = 0;
export const CHANGE_UPDATED = 1;
export const CHANGE_REMOVED = 2;
export const CHANGE_STATE = 3;
export const CHANGE_RESTORED = 4;

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export function ledgerKeyHash(key: xdr.LedgerKey): string {
  return createHash('sha256').update(key.toXDR()).digest('hex');
}

function contractDataKey(d: xdr.ContractDataEntry | xdr.LedgerKeyContractData): xdr.LedgerKey {
  return xdr.LedgerKey.contractData(
    new xdr.LedgerKeyContractData({ contract: d.contract(), key: d.key(), durability: d.durability() }),
  );
}

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
    const lcm = ledger.meta();
    const closedAt = closeTimeToIso(ledger.closeTime);
    const ttl = new Map<string, number>();
    const rows: ContractDataRow[] = [];
    for (const tx of transactions(lcm)) {
      const state = new Map<string, xdr.LedgerEntry>();
      for (const { change } of entryChanges(tx.meta)) {
        const arm = change.switch().value;
        if (arm === CHANGE_REMOVED) {
          const key = change.removed();
          if (key.switch().name !== 'contractData') continue;
          const hash = ledgerKeyHash(key);
          const before = state.get(hash);
          rows.push(this.row(ledger.sequence, closedAt, arm, hash, key.contractData(), before));
          continue;
        }
        const entry = change.value() as xdr.LedgerEntry;
        const data = entry.data();
        if (data.switch().name === 'ttl') {
          ttl.set(data.ttl().keyHash().toString('hex'), data.ttl().liveUntilLedgerSeq());
          continue;
        }
        if (data.switch().name !== 'contractData') continue;
        const hash = ledgerKeyHash(contractDataKey(data.contractData()));
        if (arm === CHANGE_STATE) {
          state.set(hash, entry);
          continue;
        }
        rows.push(this.row(ledger.sequence, closedAt, arm, hash, data.contractData(), entry));
      }
    }
    if (this.options.includeEvictions) {
      for (const key of evictedKeys(lcm)) {
        if (key.switch().name !== 'contractData') continue;
        rows.push(this.row(ledger.sequence, closedAt, CHANGE_REMOVED, ledgerKeyHash(key), key.contractData(), undefined));
      }
    }
    for (const r of rows) r.expiration_ledger_seq = ttl.get(r.ledger_key_hash) ?? null;
    return rows;
  }

  /** `entry` is the entry after the change, or for removals the STATE image before it. */
  private row(
    seq: number, closedAt: string, change: number, hash: string,
    id: xdr.ContractDataEntry | xdr.LedgerKeyContractData, entry: xdr.LedgerEntry | undefined,
  ): ContractDataRow {
    const contractId = scAddressToString(id.contract());
    const key = id.key();
    const val = entry?.data().contractData().val();
    const row: ContractDataRow = {
      contract_id: contractId,
      contract_key_type: `ScValType${cap(key.switch().name)}`,
      contract_durability: `ContractDataDurability${cap(id.durability().name)}`,
      asset_code: null, asset_issuer: null, asset_type: null,
      balance_holder: null, balance: null,
      last_modified_ledger: entry ? entry.lastModifiedLedgerSeq() : null,
      ledger_entry_change: change,
      deleted: change === CHANGE_REMOVED,
      closed_at: closedAt,
      ledger_sequence: seq,
      ledger_key_hash: hash,
      key_xdr: bytes(key.toXDR()),
      val_xdr: val ? bytes(val.toXDR()) : null,
      contract_instance_type: null, contract_instance_wasm_hash: null,
      expiration_ledger_seq: null,
    };
    if (val && val.switch().name === 'scvContractInstance') {
      const exe = val.instance().executable();
      row.contract_instance_type = `ContractExecutableType${cap(exe.switch().name)}`;
      if (exe.switch().name === 'contractExecutableWasm') row.contract_instance_wasm_hash = exe.wasmHash().toString('hex');
      const asset = decodeSacInstanceAsset(val);
      if (asset) this.sacAssets.set(contractId, asset);
    }
    const balance = decodeSacBalance(key, val);
    if (balance) {
      row.balance_holder = balance.holder;
      row.balance = balance.amount.toString();
    } else if (change === CHANGE_REMOVED) {
      row.balance_holder = sacBalanceHolder(key) ?? null;
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
