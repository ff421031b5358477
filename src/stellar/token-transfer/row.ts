import { StrKey } from '@stellar/stellar-sdk';
import { muxedAddress } from './addresses.js';
import type { TokenTransferEvent } from './event.js';
import { TOKEN_TRANSFER_KINDS } from './event.js';

/**
 * The `token_transfers` table: one row per event, the columns of stellar-etl's
 * TokenTransferOutput (internal/transform/token_transfer.go; BigQuery token_transfers_raw)
 * in their order, with stellar-etl's values.
 */
export type TokenTransferColumnType = 'string' | 'int64' | 'double' | 'timestamp_us';

export interface TokenTransferColumn {
  readonly name: keyof TokenTransferRow;
  readonly type: TokenTransferColumnType;
  readonly nullable: boolean;
  readonly description: string;
}

export const TOKEN_TRANSFER_COLUMNS: readonly TokenTransferColumn[] = Object.freeze([
  { name: 'transaction_hash', type: 'string', nullable: false, description: 'Hash of the transaction, lower-case hex' },
  { name: 'transaction_id', type: 'int64', nullable: false, description: 'TOID of the transaction: ledger << 32 | apply-order index << 12' },
  { name: 'operation_id', type: 'int64', nullable: true, description: 'TOID of the operation (1-based index in the low 12 bits); null for fee events' },
  { name: 'event_topic', type: 'string', nullable: false, description: 'transfer, mint, burn, clawback or fee' },
  { name: 'from', type: 'string', nullable: true, description: 'Holder the amount leaves (G, C, B or L strkey); null for mint' },
  { name: 'to', type: 'string', nullable: true, description: 'Holder the amount reaches; null for burn, clawback and fee' },
  { name: 'asset', type: 'string', nullable: false, description: "'native' or 'asset_type:code:issuer'; empty for SEP-41 tokens that are not a Stellar Asset Contract" },
  { name: 'asset_type', type: 'string', nullable: false, description: 'native, credit_alphanum4 (code of 1-4 characters) or credit_alphanum12; empty for SEP-41 tokens' },
  { name: 'asset_code', type: 'string', nullable: true, description: 'Asset code; null for XLM and SEP-41 tokens' },
  { name: 'asset_issuer', type: 'string', nullable: true, description: 'Issuer account; null for XLM and SEP-41 tokens' },
  { name: 'amount', type: 'double', nullable: false, description: 'amount_raw as float64 times 0.0000001, as stellar-etl computes it' },
  { name: 'amount_raw', type: 'string', nullable: false, description: 'Exact amount in the smallest unit, decimal; negative only for fee refunds' },
  { name: 'contract_id', type: 'string', nullable: false, description: 'C strkey of the token contract (for classic assets, the Stellar Asset Contract)' },
  { name: 'ledger_sequence', type: 'int64', nullable: false, description: 'Ledger sequence number' },
  { name: 'closed_at', type: 'timestamp_us', nullable: false, description: 'Ledger close time, UTC' },
  { name: 'to_muxed', type: 'string', nullable: true, description: 'M address of the destination when the event carries destination information' },
  { name: 'to_muxed_id', type: 'string', nullable: true, description: 'Muxed id of the destination, decimal (0 when the information is a text or hash memo)' },
] satisfies TokenTransferColumn[]);

export interface TokenTransferRow {
  transaction_hash: string;
  transaction_id: bigint;
  operation_id: bigint | null;
  event_topic: string;
  from: string | null;
  to: string | null;
  asset: string;
  asset_type: string;
  asset_code: string | null;
  asset_issuer: string | null;
  amount: number;
  amount_raw: string;
  contract_id: string;
  ledger_sequence: number;
  closed_at: bigint;
  to_muxed: string | null;
  to_muxed_id: string | null;
}

/** Total Order ID (Horizon, stellar-etl): ledger sequence, 20 bits of transaction index, 12 bits of operation index. */
export function toid(ledger: number, txIndex: number, opIndex: number): bigint {
  if (!Number.isInteger(txIndex) || txIndex < 0 || txIndex >= 1 << 20) throw new RangeError(`toid: transaction index ${txIndex} out of range`);
  if (!Number.isInteger(opIndex) || opIndex < 0 || opIndex >= 1 << 12) throw new RangeError(`toid: operation index ${opIndex} out of range`);
  return (BigInt(ledger) << 32n) | (BigInt(txIndex) << 12n) | BigInt(opIndex);
}

/**
 * The destination's M address and id as stellar-etl writes them: the id of the muxed
 * information, which is 0 for a text or hash memo, on the `to` account; an empty address
 * when `to` is not an account.
 */
function toMuxed(e: TokenTransferEvent): { to_muxed: string | null; to_muxed_id: string | null } {
  if (!e.toMuxedInfo) return { to_muxed: null, to_muxed_id: null };
  const id = e.toMuxedInfo.type === 'id' ? e.toMuxedInfo.id : 0n;
  const account = e.to !== null && StrKey.isValidEd25519PublicKey(e.to) ? StrKey.decodeEd25519PublicKey(e.to) : undefined;
  return { to_muxed: account ? muxedAddress(account, id) : '', to_muxed_id: id.toString() };
}

function checkEvent(e: TokenTransferEvent): void {
  if (typeof e !== 'object' || e === null) throw new TypeError('tokenTransferRow: event must be an object');
  if (!TOKEN_TRANSFER_KINDS.includes(e.kind)) throw new TypeError(`tokenTransferRow: unknown event kind ${JSON.stringify(e.kind)} (transaction ${e.txHash})`);
  if (typeof e.amount !== 'bigint') throw new TypeError(`tokenTransferRow: amount must be a bigint (transaction ${e.txHash})`);
  for (const k of ['ledgerSequence', 'closeTime', 'txIndex'] as const) {
    if (!Number.isSafeInteger(e[k]) || e[k] < 0) throw new TypeError(`tokenTransferRow: ${k} must be a non-negative integer (transaction ${e.txHash})`);
  }
}

export function tokenTransferRow(e: TokenTransferEvent): TokenTransferRow {
  checkEvent(e);
  const a = e.asset;
  const assetType = a === null ? '' : a.native ? 'native' : a.code.length > 4 ? 'credit_alphanum12' : 'credit_alphanum4';
  const muxed = toMuxed(e);
  return {
    transaction_hash: e.txHash,
    transaction_id: toid(e.ledgerSequence, e.txIndex, 0),
    operation_id: e.opIndex === null ? null : toid(e.ledgerSequence, e.txIndex, e.opIndex),
    event_topic: e.kind,
    from: e.from,
    to: e.to,
    asset: a === null ? '' : a.native ? 'native' : `${assetType}:${a.code}:${a.issuer}`,
    asset_type: assetType,
    asset_code: a === null || a.native ? null : a.code,
    asset_issuer: a === null || a.native ? null : a.issuer,
    // stellar-etl: strconv.ParseFloat(amount_raw) * 0.0000001. Number(bigint) rounds to nearest, ties to even, as ParseFloat does.
    amount: Number(e.amount) * 0.0000001,
    amount_raw: e.amount.toString(),
    contract_id: e.contractAddress,
    ledger_sequence: e.ledgerSequence,
    closed_at: BigInt(e.closeTime) * 1_000_000n,
    to_muxed: muxed.to_muxed,
    to_muxed_id: muxed.to_muxed_id,
  };
}
