// A minimal LedgerCloseMeta v2 around given transaction results and metas (header fields the
// extractors do not read are zero), for tests that need exact, hand-made transactions.
import { xdr } from '@stellar/stellar-sdk';

export interface TxSpec {
  hash: Buffer;
  successful: boolean;
  meta: xdr.TransactionMeta;
}

const i64 = (v: bigint | number): xdr.Int64 => xdr.Int64.fromString(String(v));
const u64 = (v: bigint | number): xdr.Uint64 => xdr.Uint64.fromString(String(v));
const zero32 = (): Buffer => Buffer.alloc(32);

export function ledgerCloseMeta(sequence: number, closeTime: number, txs: readonly TxSpec[]): xdr.LedgerCloseMeta {
  const header = new xdr.LedgerHeader({
    ledgerVersion: 23,
    previousLedgerHash: zero32(),
    scpValue: new xdr.StellarValue({ txSetHash: zero32(), closeTime: u64(closeTime), upgrades: [], ext: xdr.StellarValueExt.stellarValueBasic() }),
    txSetResultHash: zero32(),
    bucketListHash: zero32(),
    ledgerSeq: sequence,
    totalCoins: i64(0),
    feePool: i64(0),
    inflationSeq: 0,
    idPool: u64(0),
    baseFee: 100,
    baseReserve: 5_000_000,
    maxTxSetSize: 1000,
    skipList: [zero32(), zero32(), zero32(), zero32()],
    ext: new xdr.LedgerHeaderExt(0),
  });
  const txProcessing = txs.map(
    (t) =>
      new xdr.TransactionResultMetaV1({
        ext: new xdr.ExtensionPoint(0),
        result: new xdr.TransactionResultPair({
          transactionHash: t.hash,
          result: new xdr.TransactionResult({
            feeCharged: i64(300),
            result: t.successful ? xdr.TransactionResultResult.txSuccess([]) : xdr.TransactionResultResult.txFailed([]),
            ext: new xdr.TransactionResultExt(0),
          }),
        }),
        feeProcessing: [],
        txApplyProcessing: t.meta,
        postTxApplyFeeProcessing: [],
      }),
  );
  return new xdr.LedgerCloseMeta(
    2,
    new xdr.LedgerCloseMetaV2({
      ext: new xdr.LedgerCloseMetaExt(0),
      ledgerHeader: new xdr.LedgerHeaderHistoryEntry({ hash: zero32(), header, ext: new xdr.LedgerHeaderHistoryEntryExt(0) }),
      txSet: new xdr.GeneralizedTransactionSet(1, new xdr.TransactionSetV1({ previousLedgerHash: zero32(), phases: [] })),
      txProcessing,
      upgradesProcessing: [],
      scpInfo: [],
      totalByteSizeOfLiveSorobanState: u64(0),
      evictedKeys: [],
    }),
  );
}
