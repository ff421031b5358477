/**
 * Token transfers: every movement of value as one row (transfer, mint, burn, clawback, fee),
 * classic operations and Soroban tokens alike, as the Stellar SDK's token transfer processor
 * models them and stellar-etl exports them (TokenTransferOutput; Hubble's token_transfers_raw).
 * The events come from src/stellar/token-transfer; this module is their table. Both profiles
 * have stellar-etl's columns and values; only the table name differs.
 */
import { StrKey } from '@stellar/stellar-sdk';
import type { LedgerRecord } from '../stellar/ledger-record.js';
import { toid } from '../stellar/toid.js';
import { muxedAddress } from '../stellar/token-transfer/addresses.js';
import type { SkippedEvent, TokenTransferEvent } from '../stellar/token-transfer/event.js';
import { TOKEN_TRANSFER_KINDS } from '../stellar/token-transfer/event.js';
import { tokenTransferEvents } from '../stellar/token-transfer/processor.js';
import { col, defineColumns, type RowOf } from './columns.js';
import { defineTable, type Dataset, type Extractor, type ExtractorSettings } from './dataset.js';

const columns = defineColumns({
  transaction_hash: col.string('Hash of the transaction, lower-case hex'),
  transaction_id: col.int64('TOID of the transaction: ledger << 32 | apply-order index << 12'),
  operation_id: col.nullable(col.int64('TOID of the operation (1-based index in the low 12 bits); null for fee events')),
  event_topic: col.string('transfer, mint, burn, clawback or fee'),
  from: col.nullable(col.string('Holder the amount leaves (G, C, B or L strkey); null for mint')),
  to: col.nullable(col.string('Holder the amount reaches; null for burn, clawback and fee')),
  asset: col.string("'native' or 'asset_type:code:issuer'; empty for SEP-41 tokens that are not a Stellar Asset Contract"),
  asset_type: col.string('native, credit_alphanum4 (code of 1-4 characters) or credit_alphanum12; empty for SEP-41 tokens'),
  asset_code: col.nullable(col.string('Asset code; null for XLM and SEP-41 tokens')),
  asset_issuer: col.nullable(col.string('Issuer account; null for XLM and SEP-41 tokens')),
  amount: col.double('amount_raw as float64 times 0.0000001, as stellar-etl computes it'),
  amount_raw: col.string('Exact amount in the smallest unit, decimal (the whole i128 range); negative only for fee refunds'),
  contract_id: col.string('C strkey of the token contract (for classic assets, the Stellar Asset Contract)'),
  ledger_sequence: col.int64('Ledger sequence number'),
  closed_at: col.timestampUs('Ledger close time, UTC'),
  to_muxed: col.nullable(col.string('M address of the destination when the event carries destination information')),
  to_muxed_id: col.nullable(col.string('Muxed id of the destination, decimal (0 when the information is a text or hash memo)')),
});
export type TokenTransferRow = RowOf<typeof columns>;

const rowMeaning = 'One movement of value: a transfer, mint, burn, clawback or fee (a fee refund is a negative fee).';
export const tokenTransfersDefault = defineTable({ name: 'token_transfers', version: '1', profile: 'default', rowMeaning, columns });
export const tokenTransfersHubble = defineTable({ name: 'token_transfers_raw', version: '1', profile: 'hubble', rowMeaning, columns });

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

/** An event as stellar-etl's row (internal/transform/token_transfer.go). */
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

class TokenTransfersExtractor implements Extractor<TokenTransferRow> {
  private skippedCount = 0;

  constructor(
    readonly table: typeof tokenTransfersDefault,
    private readonly passphrase: string,
    private readonly verify: boolean,
    private readonly warn: (msg: string) => void,
  ) {}

  extract(ledger: LedgerRecord): TokenTransferRow[] {
    const onSkipped = (s: SkippedEvent): void => {
      this.skippedCount++;
      this.warn(
        `token transfers: ledger ${s.ledgerSequence}, transaction ${s.txHash}, operation ${s.opIndex}: skipped a "${s.topic}" event of contract ${s.contractAddress ?? '(none)'}: ${s.reason}`,
      );
    };
    return tokenTransferEvents(ledger.meta(), this.passphrase, { verify: this.verify, onSkipped }).events.map(tokenTransferRow);
  }

  counters(): Record<string, number> {
    return { skipped_events: this.skippedCount };
  }
}

export const tokenTransfers: Dataset = {
  processor: 'TokenTransfers',
  processorAliases: ['TokenTransfer', 'TokenTransferProcessor'],
  description: 'Every movement of value: transfers, mints, burns, clawbacks and fees of classic assets and Soroban tokens (CAP-67, SEP-41).',
  options: [
    {
      name: 'verify',
      kind: 'bool',
      description:
        "Reconcile each transaction's events with its balance changes; a mismatch stops the run naming the ledger, transaction, holder and both amounts (default false).",
    },
  ],
  tables: { default: tokenTransfersDefault, hubble: tokenTransfersHubble },
  open: (s: ExtractorSettings) => {
    if (s.networkPassphrase === undefined) {
      throw new Error(
        'TokenTransfers needs the network passphrase (asset contract ids depend on it): set network or network_passphrase on the processor or the source',
      );
    }
    const table = s.profile === 'hubble' ? tokenTransfersHubble : tokenTransfersDefault;
    return new TokenTransfersExtractor(table, s.networkPassphrase, s.options.bool('verify') ?? false, s.warn ?? (() => undefined));
  },
};
