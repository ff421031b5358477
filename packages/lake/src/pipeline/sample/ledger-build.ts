import { xdr } from '@stellar/stellar-sdk';
import { contractEvent, i128, i64, sha256, u64 } from './entries.js';
import type { TxOutcome } from './world.js';

/**
 * Assembles generated transactions into a LedgerCloseMeta:
 *  - version 1 (protocol 22 style): TransactionResultMeta + TransactionMeta v3, contract
 *    events in sorobanMeta.events, fee refunds in txChangesAfter, LedgerCloseMetaExt v1;
 *  - version 2 (protocol 23 style): TransactionResultMetaV1 + TransactionMeta v4, contract
 *    events per operation, a transaction-level `fee` event from the native asset contract
 *    (which the ContractEvents processor must not count), refunds in postTxApplyFeeProcessing.
 * Hashes chain like a real ledger: header hash = SHA-256(header XDR), txSetHash = SHA-256 of
 * the generalized tx set, txSetResultHash = SHA-256 of the result set.
 */

export type MetaVersion = 1 | 2;

export interface LedgerInput {
  version: MetaVersion;
  sequence: number;
  closeTime: number;
  previousLedgerHash: Buffer;
  txs: TxOutcome[];
  evicted: xdr.LedgerKey[];
  nativeSacId: Buffer;
  /** Seeded filler for hashes we do not model (bucket list). */
  bucketListHash: Buffer;
}

function resultPair(t: TxOutcome): xdr.TransactionResultPair {
  const inner = t.success ? xdr.TransactionResultResult.txSuccess([t.opResult]) : xdr.TransactionResultResult.txFailed([t.opResult]);
  return new xdr.TransactionResultPair({
    transactionHash: t.hash,
    result: new xdr.TransactionResult({ feeCharged: i64(t.feeCharged), result: inner, ext: new xdr.TransactionResultExt(0) }),
  });
}

function metaV3(t: TxOutcome): xdr.TransactionMeta {
  const sorobanMeta = t.soroban
    ? new xdr.SorobanTransactionMeta({
        ext: new xdr.SorobanTransactionMetaExt(
          1,
          new xdr.SorobanTransactionMetaExtV1({
            ext: new xdr.ExtensionPoint(0),
            totalNonRefundableResourceFeeCharged: i64(t.feeCharged / 2n),
            totalRefundableResourceFeeCharged: i64(t.feeCharged / 3n),
            rentFeeCharged: i64(t.feeCharged / 7n),
          }),
        ),
        events: t.events,
        returnValue: t.returnValue,
        diagnosticEvents: t.diagnostics.map((event) => new xdr.DiagnosticEvent({ inSuccessfulContractCall: t.success, event })),
      })
    : null;
  return new xdr.TransactionMeta(
    3,
    new xdr.TransactionMetaV3({
      ext: new xdr.ExtensionPoint(0),
      txChangesBefore: t.txChangesBefore,
      operations: t.success ? [new xdr.OperationMeta({ changes: t.opChanges })] : [],
      txChangesAfter: t.txChangesAfter,
      sorobanMeta,
    }),
  );
}

function metaV4(t: TxOutcome, nativeSacId: Buffer): xdr.TransactionMeta {
  const feeEvent = (stage: xdr.TransactionEventStage, amount: bigint): xdr.TransactionEvent =>
    new xdr.TransactionEvent({
      stage,
      event: contractEvent(
        nativeSacId,
        [xdr.ScVal.scvSymbol('fee'), xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeAccount(t.source.keypair.xdrAccountId()))],
        i128(amount),
      ),
    });
  const events = [feeEvent(xdr.TransactionEventStage.transactionEventStageBeforeAllTxes(), t.feeCharged + t.refund)];
  if (t.refund > 0n) events.push(feeEvent(xdr.TransactionEventStage.transactionEventStageAfterTx(), -t.refund));
  return new xdr.TransactionMeta(
    4,
    new xdr.TransactionMetaV4({
      ext: new xdr.ExtensionPoint(0),
      txChangesBefore: t.txChangesBefore,
      operations: t.success ? [new xdr.OperationMetaV2({ ext: new xdr.ExtensionPoint(0), changes: t.opChanges, events: t.events })] : [],
      txChangesAfter: [],
      sorobanMeta: t.soroban
        ? new xdr.SorobanTransactionMetaV2({ ext: new xdr.SorobanTransactionMetaExt(0), returnValue: t.success ? t.returnValue : null })
        : null,
      events,
      diagnosticEvents: t.diagnostics.map((event) => new xdr.DiagnosticEvent({ inSuccessfulContractCall: t.success, event })),
    }),
  );
}

function txSet(version: MetaVersion, previousLedgerHash: Buffer, txs: TxOutcome[]): xdr.GeneralizedTransactionSet {
  const classic = txs.filter((t) => !t.soroban).map((t) => t.envelope);
  const soroban = txs.filter((t) => t.soroban).map((t) => t.envelope);
  const component = (envs: xdr.TransactionEnvelope[]): xdr.TxSetComponent[] =>
    envs.length === 0
      ? []
      : [xdr.TxSetComponent.txsetCompTxsMaybeDiscountedFee(new xdr.TxSetComponentTxsMaybeDiscountedFee({ baseFee: i64(100), txes: envs }))];
  // Protocol 23 puts Soroban txs in a parallel phase: stages of clusters of transactions.
  const sorobanPhase =
    version === 2
      ? new xdr.TransactionPhase(1, new xdr.ParallelTxsComponent({ baseFee: i64(100), executionStages: soroban.length ? [[soroban]] : [] }))
      : new xdr.TransactionPhase(0, component(soroban));
  return new xdr.GeneralizedTransactionSet(
    1,
    new xdr.TransactionSetV1({
      previousLedgerHash,
      phases: [new xdr.TransactionPhase(0, component(classic)), sorobanPhase],
    }),
  );
}

/** Builds the LedgerCloseMeta; returns it with its header hash (the next ledger's previous hash). */
export function buildLedger(input: LedgerInput): { meta: xdr.LedgerCloseMeta; hash: Buffer } {
  const { version, txs } = input;
  // Apply order: classic phase first, then Soroban, as core applies them.
  const ordered = [...txs.filter((t) => !t.soroban), ...txs.filter((t) => t.soroban)];
  const set = txSet(version, input.previousLedgerHash, ordered);
  const pairs = ordered.map(resultPair);
  const header = new xdr.LedgerHeader({
    ledgerVersion: version === 2 ? 23 : 22,
    previousLedgerHash: input.previousLedgerHash,
    scpValue: new xdr.StellarValue({
      txSetHash: sha256(set.toXDR()),
      closeTime: u64(input.closeTime),
      upgrades: [],
      ext: xdr.StellarValueExt.stellarValueBasic(),
    }),
    txSetResultHash: sha256(new xdr.TransactionResultSet({ results: pairs }).toXDR()),
    bucketListHash: input.bucketListHash,
    ledgerSeq: input.sequence,
    totalCoins: i64(1_000_000_000_000_000_000n),
    feePool: i64(BigInt(input.sequence) * 1000n),
    inflationSeq: 0,
    idPool: u64(input.sequence * 4),
    baseFee: 100,
    baseReserve: 5_000_000,
    maxTxSetSize: 1000,
    skipList: [Buffer.alloc(32), Buffer.alloc(32), Buffer.alloc(32), Buffer.alloc(32)],
    ext: new xdr.LedgerHeaderExt(0),
  });
  const hash = sha256(header.toXDR());
  const ledgerHeader = new xdr.LedgerHeaderHistoryEntry({ hash, header, ext: new xdr.LedgerHeaderHistoryEntryExt(0) });
  const feeProcessing = (t: TxOutcome): xdr.LedgerEntryChange[] => t.feeChanges;
  const common = {
    ledgerHeader,
    txSet: set,
    upgradesProcessing: [],
    scpInfo: [],
    totalByteSizeOfLiveSorobanState: u64(50_000_000 + input.sequence * 100),
    evictedKeys: input.evicted,
  };
  if (version === 1) {
    const txProcessing = ordered.map(
      (t) => new xdr.TransactionResultMeta({ result: resultPair(t), feeProcessing: feeProcessing(t), txApplyProcessing: metaV3(t) }),
    );
    const ext = new xdr.LedgerCloseMetaExt(1, new xdr.LedgerCloseMetaExtV1({ ext: new xdr.ExtensionPoint(0), sorobanFeeWrite1Kb: i64(3500) }));
    return { meta: new xdr.LedgerCloseMeta(1, new xdr.LedgerCloseMetaV1({ ext, ...common, txProcessing, unused: [] })), hash };
  }
  const txProcessing = ordered.map(
    (t) =>
      new xdr.TransactionResultMetaV1({
        ext: new xdr.ExtensionPoint(0),
        result: resultPair(t),
        feeProcessing: feeProcessing(t),
        txApplyProcessing: metaV4(t, input.nativeSacId),
        postTxApplyFeeProcessing: t.txChangesAfter,
      }),
  );
  return { meta: new xdr.LedgerCloseMeta(2, new xdr.LedgerCloseMetaV2({ ext: new xdr.LedgerCloseMetaExt(0), ...common, txProcessing })), hash };
}
