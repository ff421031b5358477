// Transactions and ledgers for the token transfer tests. `ledgerTx` builds the processor's
// per-transaction input directly (as the Go tests build an ingest.LedgerTransaction);
// `ledgerWith` puts complete transactions into a copy of a real ledger, so that the
// ledger-level entry points (envelope matching by hash, ordering) run on them.
import { TransactionBuilder, xdr } from '@stellar/stellar-sdk';
import type { LedgerTx } from '../../packages/lake/src/stellar/token-transfer/ledger-transactions.js';
import { PASSPHRASE, muxedOf, someTxAccount } from './token-transfer-xdr.js';

const i64 = (v: bigint | number): xdr.Int64 => xdr.Int64.fromString(v.toString());

export interface TxSpec {
  ops?: xdr.Operation[];
  /** One per operation; defaults to a result the processor does not read. */
  results?: xdr.OperationResult[];
  /** Changes per operation (meta operations). */
  opChanges?: xdr.LedgerEntryChange[][];
  memo?: xdr.Memo;
  source?: xdr.MuxedAccount;
  seqNum?: bigint;
  /** Fee source of a fee bump envelope. */
  feeBump?: xdr.MuxedAccount;
  /** A v0 envelope (ed25519 source, time bounds as the only precondition). */
  v0?: boolean;
  soroban?: boolean;
  failed?: boolean;
  feeCharged?: bigint;
  feeChanges?: xdr.LedgerEntryChange[];
  changesBefore?: xdr.LedgerEntryChange[];
  changesAfter?: xdr.LedgerEntryChange[];
  postApplyFeeChanges?: xdr.LedgerEntryChange[];
  metaVersion?: 2 | 3 | 4;
  /** v3: the Soroban meta's events; v4: per operation. */
  sorobanEvents?: xdr.ContractEvent[];
  opEvents?: xdr.ContractEvent[][];
  /** v4 transaction-level events. */
  txEvents?: xdr.TransactionEvent[];
}

export interface TxPlace {
  ledgerSequence?: number;
  closeTime?: number;
  protocolVersion?: number;
  index?: number;
  hash?: string;
}

/** Go tests' defaults: ledger 12345 closing at 1234500, protocol 20, first transaction, hash 01010101 00... */
export const SOME_TX_HASH = `01010101${'00'.repeat(28)}`;

const emptyFootprint = (): xdr.SorobanTransactionData =>
  new xdr.SorobanTransactionData({
    ext: new xdr.SorobanTransactionDataExt(0),
    resources: new xdr.SorobanResources({
      footprint: new xdr.LedgerFootprint({ readOnly: [], readWrite: [] }),
      instructions: 0,
      diskReadBytes: 0,
      writeBytes: 0,
    }),
    resourceFee: i64(100),
  });

export function envelopeOf(s: TxSpec): xdr.TransactionEnvelope {
  const ops = s.ops ?? [];
  const memo = s.memo ?? xdr.Memo.memoNone();
  const source = s.source ?? muxedOf(someTxAccount);
  const seqNum = i64(s.seqNum ?? 54321n);
  if (s.v0) {
    return xdr.TransactionEnvelope.envelopeTypeTxV0(
      new xdr.TransactionV0Envelope({
        tx: new xdr.TransactionV0({
          sourceAccountEd25519: source.ed25519(),
          fee: 100 * Math.max(ops.length, 1),
          seqNum,
          timeBounds: new xdr.TimeBounds({ minTime: xdr.Uint64.fromString('0'), maxTime: xdr.Uint64.fromString('1700000000') }),
          memo,
          operations: ops,
          ext: new xdr.TransactionV0Ext(0),
        }),
        signatures: [],
      }),
    );
  }
  const tx = new xdr.Transaction({
    sourceAccount: source,
    fee: 100 * Math.max(ops.length, 1),
    seqNum,
    cond: xdr.Preconditions.precondNone(),
    memo,
    operations: ops,
    ext: s.soroban ? new xdr.TransactionExt(1, emptyFootprint()) : new xdr.TransactionExt(0),
  });
  const v1 = new xdr.TransactionV1Envelope({ tx, signatures: [] });
  if (!s.feeBump) return xdr.TransactionEnvelope.envelopeTypeTx(v1);
  return xdr.TransactionEnvelope.envelopeTypeTxFeeBump(
    new xdr.FeeBumpTransactionEnvelope({
      tx: new xdr.FeeBumpTransaction({
        feeSource: s.feeBump,
        fee: i64(1000),
        innerTx: xdr.FeeBumpTransactionInnerTx.envelopeTypeTx(v1),
        ext: new xdr.FeeBumpTransactionExt(0),
      }),
      signatures: [],
    }),
  );
}

function resultOf(s: TxSpec, hash: string): xdr.TransactionResult {
  const opResults = s.results ?? (s.ops ?? []).map(() => xdr.OperationResult.opInner(xdr.OperationResultTr.payment(xdr.PaymentResult.paymentSuccess())));
  const feeCharged = i64(s.feeCharged ?? 100n);
  const ext = new xdr.TransactionResultExt(0);
  if (s.feeBump) {
    const innerResult = new xdr.InnerTransactionResult({
      feeCharged,
      ext: new xdr.InnerTransactionResultExt(0),
      result: s.failed ? xdr.InnerTransactionResultResult.txFailed(opResults) : xdr.InnerTransactionResultResult.txSuccess(opResults),
    });
    const pair = new xdr.InnerTransactionResultPair({ transactionHash: Buffer.from(hash, 'hex'), result: innerResult });
    return new xdr.TransactionResult({
      feeCharged,
      ext,
      result: s.failed ? xdr.TransactionResultResult.txFeeBumpInnerFailed(pair) : xdr.TransactionResultResult.txFeeBumpInnerSuccess(pair),
    });
  }
  return new xdr.TransactionResult({
    feeCharged,
    ext,
    result: s.failed ? xdr.TransactionResultResult.txFailed(opResults) : xdr.TransactionResultResult.txSuccess(opResults),
  });
}

export function metaOf(s: TxSpec): xdr.TransactionMeta {
  const n = (s.ops ?? []).length;
  const changes = (i: number): xdr.LedgerEntryChange[] => s.opChanges?.[i] ?? [];
  const version = s.metaVersion ?? 3;
  const ext = new xdr.ExtensionPoint(0);
  if (version === 4) {
    return new xdr.TransactionMeta(
      4,
      new xdr.TransactionMetaV4({
        ext,
        txChangesBefore: s.changesBefore ?? [],
        txChangesAfter: s.changesAfter ?? [],
        sorobanMeta: null,
        diagnosticEvents: [],
        operations: s.failed ? [] : Array.from({ length: n }, (_, i) => new xdr.OperationMetaV2({ ext, changes: changes(i), events: s.opEvents?.[i] ?? [] })),
        events: s.txEvents ?? [],
      }),
    );
  }
  const operations = s.failed ? [] : Array.from({ length: n }, (_, i) => new xdr.OperationMeta({ changes: changes(i) }));
  if (version === 2) {
    return new xdr.TransactionMeta(2, new xdr.TransactionMetaV2({ txChangesBefore: s.changesBefore ?? [], operations, txChangesAfter: s.changesAfter ?? [] }));
  }
  const sorobanMeta = s.sorobanEvents
    ? new xdr.SorobanTransactionMeta({
        ext: new xdr.SorobanTransactionMetaExt(0),
        events: s.sorobanEvents,
        returnValue: xdr.ScVal.scvVoid(),
        diagnosticEvents: [],
      })
    : null;
  return new xdr.TransactionMeta(
    3,
    new xdr.TransactionMetaV3({ ext, txChangesBefore: s.changesBefore ?? [], operations, txChangesAfter: s.changesAfter ?? [], sorobanMeta }),
  );
}

/** The processor's view of one transaction, built directly. */
export function ledgerTx(s: TxSpec = {}, place: TxPlace = {}): LedgerTx {
  const hash = place.hash ?? SOME_TX_HASH;
  const env = envelopeOf(s);
  return {
    ledgerSequence: place.ledgerSequence ?? 12345,
    closeTime: place.closeTime ?? 12345 * 100,
    protocolVersion: place.protocolVersion ?? 20,
    index: place.index ?? 1,
    hash,
    result: new xdr.TransactionResultPair({ transactionHash: Buffer.from(hash, 'hex'), result: resultOf(s, hash) }),
    meta: metaOf(s),
    feeChanges: s.feeChanges ?? [],
    postApplyFeeChanges: s.postApplyFeeChanges ?? [],
    envelope: () => env,
  };
}

/** Hash of an envelope as the SDK computes it (independent of the processor's own hashing). */
export const sdkHash = (env: xdr.TransactionEnvelope, passphrase = PASSPHRASE): string => TransactionBuilder.fromXDR(env, passphrase).hash().toString('hex');

/**
 * A copy of a ledger (LedgerCloseMeta v1 or v2) holding exactly these transactions, applied
 * in the given order, with the envelopes put into the transaction set in reverse order.
 */
export function ledgerWith(template: xdr.LedgerCloseMeta, specs: TxSpec[], protocolVersion: number, passphrase = PASSPHRASE): xdr.LedgerCloseMeta {
  const copy = xdr.LedgerCloseMeta.fromXDR(template.toXDR());
  const body = copy.switch() === 2 ? copy.v2() : copy.v1();
  body.ledgerHeader().header().ledgerVersion(protocolVersion);
  const envelopes = specs.map(envelopeOf);
  const processing = specs.map((s, i) => {
    const hash = sdkHash(envelopes[i]!, passphrase);
    const result = new xdr.TransactionResultPair({ transactionHash: Buffer.from(hash, 'hex'), result: resultOf(s, hash) });
    const common = { result, feeProcessing: s.feeChanges ?? [], txApplyProcessing: metaOf(s) };
    return copy.switch() === 2
      ? new xdr.TransactionResultMetaV1({ ext: new xdr.ExtensionPoint(0), ...common, postTxApplyFeeProcessing: s.postApplyFeeChanges ?? [] })
      : new xdr.TransactionResultMeta(common);
  });
  const component = xdr.TxSetComponent.txsetCompTxsMaybeDiscountedFee(
    new xdr.TxSetComponentTxsMaybeDiscountedFee({ baseFee: null, txes: [...envelopes].reverse() }),
  );
  body
    .txSet()
    .v1TxSet()
    .phases([new xdr.TransactionPhase(0, [component])]);
  (body.txProcessing as (v: unknown) => unknown)(processing);
  return copy;
}
