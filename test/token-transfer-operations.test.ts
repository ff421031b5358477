// Events derived from classic operations (transaction meta before v4), with the test vectors
// of the Go processor (stellar/go processors/token_transfer/token_transfer_processor_test.go):
// inputs and expected events transcribed as facts.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { StrKey, xdr } from '@stellar/stellar-sdk';
import type { TokenTransferEvent } from '../packages/lake/src/stellar/token-transfer/event.js';
import { TokenTransferError } from '../packages/lake/src/stellar/token-transfer/errors.js';
import { revocationBalanceId } from '../packages/lake/src/stellar/token-transfer/pool-events.js';
import { burnEvent, clawbackEvent, eventsOfTx, feeEvent, hashInfo, idInfo, mintEvent, textInfo, transferEvent } from './support/token-transfer-expect.js';
import type { TxPlace, TxSpec } from './support/token-transfer-tx.js';
import { ledgerTx } from './support/token-transfer-tx.js';
import {
  ONE,
  accountA,
  accountB,
  accountChange,
  accountId,
  balanceId,
  balanceStrkey,
  btc,
  btcIssuer,
  cbEntry,
  claimCbOp,
  clawbackCbOp,
  clawbackOp,
  createAccountOp,
  createCbResult,
  created,
  eth,
  ethIssuer,
  inflationOp,
  inflationResult,
  lpBtcEth,
  lpDepositOp,
  lpEntry,
  lpEthUsdc,
  lpWithdrawOp,
  manageBuyOfferOp,
  manageBuyOfferResult,
  manageSellOfferOp,
  manageSellOfferResult,
  mergeOp,
  mergeResult,
  muxedOf,
  muxedWithId,
  op,
  orderBookAtom,
  paymentOp,
  poolAtom,
  poolStrkey,
  removedCb,
  removedLp,
  setTrustLineFlagsOp,
  someBalanceId,
  someTxAccount,
  state,
  strictReceiveOp,
  strictReceiveResult,
  strictSendOp,
  strictSendResult,
  updated,
  usdc,
  usdcIssuer,
  xlm,
} from './support/token-transfer-xdr.js';

/** The events of the transaction's single operation (Go: EventsFromOperation). */
const opEvents = (spec: TxSpec, place?: TxPlace): TokenTransferEvent[] => eventsOfTx(ledgerTx(spec, place)).operations;

const A = muxedOf(accountA);
const B = muxedOf(accountB);
const muxedA = muxedWithId(accountA, 123n);
const muxedB = muxedWithId(accountB, 234n);
const usdcAccount = muxedOf(usdcIssuer);
const ethAccount = muxedOf(ethIssuer);
const btcAccount = muxedOf(btcIssuer);
const lpBtcEthKey = poolStrkey(lpBtcEth);
const lpEthUsdcKey = poolStrkey(lpEthUsdc);
const someBalanceKey = balanceStrkey(someBalanceId);

describe('fee events derived from the result and fee changes', () => {
  it('Soroban failed transaction without refund: the fee changes give the fee', () => {
    const tx = ledgerTx({ soroban: true, failed: true, feeChanges: accountChange(someTxAccount, 1000n * ONE, 999n * ONE) });
    const events = eventsOfTx(tx);
    assert.deepEqual(events.fee, [feeEvent(someTxAccount, ONE)]);
    assert.deepEqual(events.operations, []);
  });

  it('Soroban failed transaction with a refund in txChangesAfter: charge, then negative refund', () => {
    const tx = ledgerTx({
      soroban: true,
      failed: true,
      feeChanges: accountChange(someTxAccount, 1000n * ONE, 700n * ONE),
      changesAfter: accountChange(someTxAccount, 700n * ONE, 730n * ONE),
    });
    assert.deepEqual(eventsOfTx(tx).fee, [feeEvent(someTxAccount, 300n * ONE), feeEvent(someTxAccount, -30n * ONE)]);
  });

  it('Soroban refund from protocol 23 comes from the post-apply fee changes', () => {
    const tx = ledgerTx(
      {
        soroban: true,
        failed: true,
        feeChanges: accountChange(someTxAccount, 1000n * ONE, 700n * ONE),
        postApplyFeeChanges: accountChange(someTxAccount, 700n * ONE, 710n * ONE),
      },
      { protocolVersion: 23 },
    );
    assert.deepEqual(eventsOfTx(tx).fee, [feeEvent(someTxAccount, 300n * ONE), feeEvent(someTxAccount, -10n * ONE)]);
  });

  it('failed fee bump transaction: the outer fee source pays feeCharged', () => {
    const tx = ledgerTx({ feeBump: muxedOf(someTxAccount), source: A, failed: true, feeCharged: ONE / 100n });
    assert.deepEqual(eventsOfTx(tx), { fee: [feeEvent(someTxAccount, ONE / 100n)], operations: [], skipped: [] });
  });

  it('failed v1 transaction: the source pays feeCharged, operations give nothing', () => {
    const tx = ledgerTx({ failed: true, feeCharged: ONE / 10_000n, ops: [paymentOp(A, B, xlm, ONE)] });
    assert.deepEqual(eventsOfTx(tx), { fee: [feeEvent(someTxAccount, ONE / 10_000n)], operations: [], skipped: [] });
  });
});

describe('create account, merge, inflation', () => {
  it('account creation is an XLM transfer', () => {
    assert.deepEqual(opEvents({ ops: [createAccountOp(A, accountB, 100n * ONE)] }), [transferEvent(accountA, accountB, 100n * ONE, xlm)]);
  });

  it('account merge moves the source balance', () => {
    const events = opEvents({ ops: [mergeOp(A, B)], results: [mergeResult(100n * ONE)] });
    assert.deepEqual(events, [transferEvent(accountA, accountB, 100n * ONE, xlm)]);
  });

  it('inflation payouts are XLM mints', () => {
    const events = opEvents({
      ops: [inflationOp()],
      results: [
        inflationResult([
          [accountA, 111n * ONE],
          [accountB, 123n * ONE],
        ]),
      ],
    });
    assert.deepEqual(events, [mintEvent(accountA, 111n * ONE, xlm), mintEvent(accountB, 123n * ONE, xlm)]);
  });
});

describe('XLM reconciliation before protocol 8', () => {
  const old = (changes: xdr.LedgerEntryChange[], o = paymentOp(A, B, xlm, 70n * ONE)): TokenTransferEvent[] =>
    opEvents({ ops: [o], opChanges: [changes] }, { protocolVersion: 5 });

  it('source gained 90 instead of losing 70: a mint of 160 first', () => {
    assert.deepEqual(old(accountChange(accountA, 1000n * ONE, 1090n * ONE)), [
      mintEvent(accountA, 160n * ONE, xlm),
      transferEvent(accountA, accountB, 70n * ONE, xlm),
    ]);
  });
  it('source lost 200 instead of 70: a burn of 130 last', () => {
    assert.deepEqual(old(accountChange(accountA, 1000n * ONE, 800n * ONE)), [
      transferEvent(accountA, accountB, 70n * ONE, xlm),
      burnEvent(accountA, 130n * ONE, xlm),
    ]);
  });
  it('source lost only 20: a mint of 50', () => {
    assert.deepEqual(old(accountChange(accountA, 1000n * ONE, 980n * ONE)), [
      mintEvent(accountA, 50n * ONE, xlm),
      transferEvent(accountA, accountB, 70n * ONE, xlm),
    ]);
  });
  it('no change of the source at all: a mint of 70', () => {
    assert.deepEqual(old([]), [mintEvent(accountA, 70n * ONE, xlm), transferEvent(accountA, accountB, 70n * ONE, xlm)]);
  });
  it('zero payment from the transaction account that gained 20: mint', () => {
    assert.deepEqual(old(accountChange(someTxAccount, 1000n * ONE, 1020n * ONE), paymentOp(undefined, B, xlm, 0n)), [
      mintEvent(someTxAccount, 20n * ONE, xlm),
      transferEvent(someTxAccount, accountB, 0n, xlm),
    ]);
  });
  it('zero payment from the transaction account that lost 20: burn', () => {
    assert.deepEqual(old(accountChange(someTxAccount, 1000n * ONE, 980n * ONE), paymentOp(undefined, B, xlm, 0n)), [
      transferEvent(someTxAccount, accountB, 0n, xlm),
      burnEvent(someTxAccount, 20n * ONE, xlm),
    ]);
  });
  it('the operation changes are read from TransactionMeta v2 as well (ledgers of that era)', () => {
    assert.deepEqual(
      opEvents(
        { metaVersion: 2, ops: [paymentOp(A, B, xlm, 70n * ONE)], opChanges: [accountChange(accountA, 1000n * ONE, 1090n * ONE)] },
        { protocolVersion: 5 },
      ),
      [mintEvent(accountA, 160n * ONE, xlm), transferEvent(accountA, accountB, 70n * ONE, xlm)],
    );
  });
  it('from protocol 8 on there is no reconciliation event', () => {
    assert.deepEqual(
      opEvents({ ops: [paymentOp(A, B, xlm, 70n * ONE)], opChanges: [accountChange(accountA, 1000n * ONE, 1090n * ONE)] }, { protocolVersion: 8 }),
      [transferEvent(accountA, accountB, 70n * ONE, xlm)],
    );
  });
});

describe('destination muxed information', () => {
  const textMemo = xdr.Memo.memoText('some dest memo');
  const hashMemo = xdr.Memo.memoHash(Buffer.concat([Buffer.from([1, 2, 3]), Buffer.alloc(29)]));
  const idMemo = xdr.Memo.memoId(xdr.Uint64.fromString('999'));
  const cases: Array<[string, TxSpec, TokenTransferEvent[]]> = [
    ['G to M, USDC transfer', { ops: [paymentOp(A, muxedB, usdc, 100n * ONE)] }, [transferEvent(accountA, accountB, 100n * ONE, usdc, idInfo(234n))]],
    ['issuer to M, USDC mint', { ops: [paymentOp(usdcAccount, muxedB, usdc, 100n * ONE)] }, [mintEvent(accountB, 100n * ONE, usdc, idInfo(234n))]],
    [
      'G to G with a text memo',
      { memo: textMemo, ops: [paymentOp(A, B, usdc, 100n * ONE)] },
      [transferEvent(accountA, accountB, 100n * ONE, usdc, textInfo('some dest memo'))],
    ],
    [
      'issuer to G with a hash memo: mint',
      { memo: hashMemo, ops: [paymentOp(usdcAccount, B, usdc, 100n * ONE)] },
      [mintEvent(accountB, 100n * ONE, usdc, hashInfo(1, 2, 3))],
    ],
    [
      'G to M plus a memo: the muxed id wins',
      { memo: textMemo, ops: [paymentOp(A, muxedB, usdc, 100n * ONE)] },
      [transferEvent(accountA, accountB, 100n * ONE, usdc, idInfo(234n))],
    ],
    [
      'issuer to M plus a memo: the muxed id wins',
      { memo: hashMemo, ops: [paymentOp(usdcAccount, muxedB, usdc, 100n * ONE)] },
      [mintEvent(accountB, 100n * ONE, usdc, idInfo(234n))],
    ],
    [
      'issuer pays itself: a transfer, not a burn',
      { memo: xdr.Memo.memoText(':fire: burn :fire:'), ops: [paymentOp(usdcAccount, usdcAccount, usdc, 100n * ONE)] },
      [transferEvent(usdcIssuer, usdcIssuer, 100n * ONE, usdc, textInfo(':fire: burn :fire:'))],
    ],
    [
      'path payment, BTC issuer to M: mint',
      { ops: [strictSendOp(btcAccount, muxedB, btc, btc)], results: [strictSendResult([], 100n * ONE)] },
      [mintEvent(accountB, 100n * ONE, btc, idInfo(234n))],
    ],
    [
      'path payment strict receive, G to M',
      { ops: [strictReceiveOp(A, muxedB, btc, btc, 100n * ONE)], results: [strictReceiveResult([])] },
      [transferEvent(accountA, accountB, 100n * ONE, btc, idInfo(234n))],
    ],
    [
      'path payment, G to G with an id memo',
      { memo: idMemo, ops: [strictReceiveOp(A, B, btc, btc, 100n * ONE)], results: [strictReceiveResult([])] },
      [transferEvent(accountA, accountB, 100n * ONE, btc, idInfo(999n))],
    ],
    [
      'trades carry no muxed information',
      {
        memo: xdr.Memo.memoText('wont appear in output'),
        ops: [manageSellOfferOp()],
        results: [manageSellOfferResult([orderBookAtom(accountA, xlm, 3n * ONE, usdc, ONE)])],
      },
      [transferEvent(accountA, someTxAccount, 3n * ONE, xlm), transferEvent(someTxAccount, accountA, ONE, usdc)],
    ],
    [
      'claiming a claimable balance carries the memo',
      {
        memo: xdr.Memo.memoText('will appear in output'),
        ops: [claimCbOp(someBalanceId, A)],
        opChanges: [[state(cbEntry(someBalanceId, xlm, ONE)), removedCb(someBalanceId)]],
      },
      [transferEvent(someBalanceKey, accountA, ONE, xlm, textInfo('will appear in output'))],
    ],
    [
      'pool withdrawal carries the memo',
      {
        memo: xdr.Memo.memoText('will appear in output'),
        ops: [lpWithdrawOp(lpBtcEth)],
        opChanges: [[state(lpEntry(lpBtcEth, btc, eth, 5n * ONE, 10n * ONE)), removedLp(lpBtcEth)]],
      },
      [
        transferEvent(lpBtcEthKey, someTxAccount, 5n * ONE, btc, textInfo('will appear in output')),
        transferEvent(lpBtcEthKey, someTxAccount, 10n * ONE, eth, textInfo('will appear in output')),
      ],
    ],
  ];
  for (const [name, spec, expected] of cases) it(name, () => assert.deepEqual(opEvents(spec), expected));
});

describe('payments', () => {
  const cases: Array<[string, xdr.Operation, TokenTransferEvent[]]> = [
    ['G to G, XLM transfer', paymentOp(A, B, xlm, 100n * ONE), [transferEvent(accountA, accountB, 100n * ONE, xlm)]],
    ['G to G, USDC transfer', paymentOp(A, B, usdc, 100n * ONE), [transferEvent(accountA, accountB, 100n * ONE, usdc)]],
    ['M to G, USDC transfer', paymentOp(muxedA, B, usdc, 100n * ONE), [transferEvent(accountA, accountB, 100n * ONE, usdc)]],
    ['issuer to G, USDC mint', paymentOp(usdcAccount, B, usdc, 100n * ONE), [mintEvent(accountB, 100n * ONE, usdc)]],
    ['G to issuer, USDC burn', paymentOp(A, usdcAccount, usdc, 100n * ONE), [burnEvent(accountA, 100n * ONE, usdc)]],
    ['M to issuer, USDC burn', paymentOp(muxedA, usdcAccount, usdc, 100n * ONE), [burnEvent(accountA, 100n * ONE, usdc)]],
  ];
  for (const [name, o, expected] of cases) it(name, () => assert.deepEqual(opEvents({ ops: [o] }), expected));
});

describe('offers', () => {
  it('manage buy offer crossing two offers: four transfers', () => {
    const events = opEvents({
      ops: [manageBuyOfferOp()],
      results: [manageBuyOfferResult([orderBookAtom(accountA, usdc, ONE, xlm, 5n * ONE), orderBookAtom(accountB, usdc, 2n * ONE, xlm, 10n * ONE)])],
    });
    assert.deepEqual(events, [
      transferEvent(accountA, someTxAccount, ONE, usdc),
      transferEvent(someTxAccount, accountA, 5n * ONE, xlm),
      transferEvent(accountB, someTxAccount, 2n * ONE, usdc),
      transferEvent(someTxAccount, accountB, 10n * ONE, xlm),
    ]);
  });
  it('manage sell offer crossing two offers: four transfers', () => {
    const events = opEvents({
      memo: xdr.Memo.memoText('this is awesome'),
      ops: [manageSellOfferOp()],
      results: [manageSellOfferResult([orderBookAtom(accountA, xlm, 3n * ONE, usdc, ONE), orderBookAtom(accountB, xlm, 6n * ONE, usdc, 2n * ONE)])],
    });
    assert.deepEqual(events, [
      transferEvent(accountA, someTxAccount, 3n * ONE, xlm),
      transferEvent(someTxAccount, accountA, ONE, usdc),
      transferEvent(accountB, someTxAccount, 6n * ONE, xlm),
      transferEvent(someTxAccount, accountB, 2n * ONE, usdc),
    ]);
  });
  it('the USDC issuer buying its USDC back: burns', () => {
    const events = opEvents({
      ops: [manageBuyOfferOp(usdcAccount)],
      results: [manageBuyOfferResult([orderBookAtom(accountA, usdc, ONE, xlm, 5n * ONE), orderBookAtom(accountB, usdc, 2n * ONE, xlm, 10n * ONE)])],
    });
    assert.deepEqual(events, [
      burnEvent(accountA, ONE, usdc),
      transferEvent(usdcIssuer, accountA, 5n * ONE, xlm),
      burnEvent(accountB, 2n * ONE, usdc),
      transferEvent(usdcIssuer, accountB, 10n * ONE, xlm),
    ]);
  });
  it('the USDC issuer selling USDC: mints', () => {
    const events = opEvents({
      ops: [manageSellOfferOp(usdcAccount)],
      results: [manageSellOfferResult([orderBookAtom(accountA, xlm, 3n * ONE, usdc, ONE), orderBookAtom(accountB, xlm, 6n * ONE, usdc, 2n * ONE)])],
    });
    assert.deepEqual(events, [
      transferEvent(accountA, usdcIssuer, 3n * ONE, xlm),
      mintEvent(accountA, ONE, usdc),
      transferEvent(accountB, usdcIssuer, 6n * ONE, xlm),
      mintEvent(accountB, 2n * ONE, usdc),
    ]);
  });
});

describe('path payments', () => {
  const xlmSeller = 'GC7ERFCD7QLDFRSEPLYB3GYSWX6GYMCHLDL45N4S5Q2N5EJDOMOJ63V4';
  const ethSeller = 'GAUJETIZVEP2NRYLUESJ3LS66NVCEGMON4UDCBCSBEVPIID773P2W6AY';
  const bookAtoms = [orderBookAtom(xlmSeller, xlm, 5n * ONE, btc, ONE), orderBookAtom(ethSeller, eth, 2n * ONE, xlm, 10n * ONE)];
  const poolAtoms = [poolAtom(lpBtcEth, eth, 5n * ONE, btc, ONE), poolAtom(lpEthUsdc, usdc, 10n * ONE, eth, 3n * ONE)];

  // What the source trades on its way, the same for both directions: it sells (mints) BTC and buys the destination asset.
  const bookTrades = [
    transferEvent(xlmSeller, btcIssuer, 5n * ONE, xlm),
    mintEvent(xlmSeller, ONE, btc),
    transferEvent(ethSeller, btcIssuer, 2n * ONE, eth),
    transferEvent(btcIssuer, ethSeller, 10n * ONE, xlm),
  ];
  const poolTrades = [
    transferEvent(lpBtcEthKey, btcIssuer, 5n * ONE, eth),
    mintEvent(lpBtcEthKey, ONE, btc),
    transferEvent(lpEthUsdcKey, btcIssuer, 10n * ONE, usdc),
    transferEvent(btcIssuer, lpEthUsdcKey, 3n * ONE, eth),
  ];

  it('strict send by the BTC issuer through two offers: mint, transfers', () => {
    assert.deepEqual(opEvents({ ops: [strictSendOp(btcAccount, B, btc, eth)], results: [strictSendResult(bookAtoms, 100n * ONE)] }), [
      ...bookTrades,
      transferEvent(btcIssuer, accountB, 100n * ONE, eth),
    ]);
  });
  it('strict receive to the ETH issuer through two offers: mint, transfers, burn', () => {
    assert.deepEqual(opEvents({ ops: [strictReceiveOp(btcAccount, ethAccount, btc, eth, 6n * ONE)], results: [strictReceiveResult(bookAtoms)] }), [
      ...bookTrades,
      burnEvent(btcIssuer, 6n * ONE, eth),
    ]);
  });
  it('strict send through two pools', () => {
    assert.deepEqual(opEvents({ ops: [strictSendOp(btcAccount, B, btc, usdc)], results: [strictSendResult(poolAtoms, 100n * ONE)] }), [
      ...poolTrades,
      transferEvent(btcIssuer, accountB, 100n * ONE, usdc),
    ]);
  });
  it('strict receive through two pools to the USDC issuer: burn at the end', () => {
    assert.deepEqual(opEvents({ ops: [strictReceiveOp(btcAccount, usdcAccount, btc, usdc, 6n * ONE)], results: [strictReceiveResult(poolAtoms)] }), [
      ...poolTrades,
      burnEvent(btcIssuer, 6n * ONE, usdc),
    ]);
  });
});

describe('liquidity pools', () => {
  const entry = (ra: bigint, rb: bigint) => lpEntry(lpBtcEth, btc, eth, ra, rb);
  it('deposit creating the pool', () => {
    assert.deepEqual(opEvents({ ops: [lpDepositOp(lpBtcEth)], opChanges: [[created(entry(ONE, 3n * ONE))]] }), [
      transferEvent(someTxAccount, lpBtcEthKey, ONE, btc),
      transferEvent(someTxAccount, lpBtcEthKey, 3n * ONE, eth),
    ]);
  });
  it('deposit into an existing pool: reserve increases', () => {
    assert.deepEqual(opEvents({ ops: [lpDepositOp(lpBtcEth)], opChanges: [[state(entry(ONE, 3n * ONE)), updated(entry(5n * ONE, 10n * ONE))]] }), [
      transferEvent(someTxAccount, lpBtcEthKey, 4n * ONE, btc),
      transferEvent(someTxAccount, lpBtcEthKey, 7n * ONE, eth),
    ]);
  });
  it('deposit by the BTC issuer: mint into the pool', () => {
    assert.deepEqual(opEvents({ ops: [lpDepositOp(lpBtcEth, btcAccount)], opChanges: [[created(entry(ONE, 3n * ONE))]] }), [
      mintEvent(lpBtcEthKey, ONE, btc),
      transferEvent(btcIssuer, lpBtcEthKey, 3n * ONE, eth),
    ]);
  });
  it('withdrawal from an existing pool', () => {
    assert.deepEqual(opEvents({ ops: [lpWithdrawOp(lpBtcEth)], opChanges: [[state(entry(5n * ONE, 10n * ONE)), updated(entry(2n * ONE, 2n * ONE))]] }), [
      transferEvent(lpBtcEthKey, someTxAccount, 3n * ONE, btc),
      transferEvent(lpBtcEthKey, someTxAccount, 8n * ONE, eth),
    ]);
  });
  it('withdrawal removing the pool', () => {
    assert.deepEqual(opEvents({ ops: [lpWithdrawOp(lpBtcEth)], opChanges: [[state(entry(5n * ONE, 10n * ONE)), removedLp(lpBtcEth)]] }), [
      transferEvent(lpBtcEthKey, someTxAccount, 5n * ONE, btc),
      transferEvent(lpBtcEthKey, someTxAccount, 10n * ONE, eth),
    ]);
  });
  it('withdrawal by the ETH issuer: burn of its ETH', () => {
    assert.deepEqual(opEvents({ ops: [lpWithdrawOp(lpBtcEth, ethAccount)], opChanges: [[state(entry(5n * ONE, 10n * ONE)), removedLp(lpBtcEth)]] }), [
      transferEvent(lpBtcEthKey, ethIssuer, 5n * ONE, btc),
      burnEvent(lpBtcEthKey, 10n * ONE, eth),
    ]);
  });
  it('a deposit without the pool in its changes is an error naming ledger, transaction and operation', () => {
    assert.throws(
      () => opEvents({ ops: [lpDepositOp(lpBtcEth)] }),
      (err: unknown) =>
        err instanceof TokenTransferError &&
        err.ledgerSequence === 12345 &&
        err.opIndex === 1 &&
        /ledger 12345, transaction 01010101.*operation 1: liquidityPoolDeposit/.test(err.message),
    );
  });
});

describe('clawbacks and claimable balances', () => {
  it('clawback of XLM and of USDC', () => {
    assert.deepEqual(opEvents({ ops: [clawbackOp(A, xlm, 100n * ONE)] }), [clawbackEvent(accountA, 100n * ONE, xlm)]);
    assert.deepEqual(opEvents({ ops: [clawbackOp(B, usdc, ONE / 100n)] }), [clawbackEvent(accountB, ONE / 100n, usdc)]);
  });
  it('clawback of a claimable balance: amount and asset from the removed entry', () => {
    const claw = (asset: xdr.Asset, amount: bigint): TokenTransferEvent[] =>
      opEvents({ ops: [clawbackCbOp(someBalanceId)], opChanges: [[state(cbEntry(someBalanceId, asset, amount)), removedCb(someBalanceId)]] });
    assert.deepEqual(claw(xlm, 100n * ONE), [clawbackEvent(someBalanceKey, 100n * ONE, xlm)]);
    assert.deepEqual(claw(usdc, ONE / 1000n), [clawbackEvent(someBalanceKey, ONE / 1000n, usdc)]);
  });
  it('claiming: a transfer from the balance, a burn when the issuer claims', () => {
    const claim = (src: xdr.MuxedAccount, asset: xdr.Asset, amount: bigint): TokenTransferEvent[] =>
      opEvents({ ops: [claimCbOp(someBalanceId, src)], opChanges: [[state(cbEntry(someBalanceId, asset, amount)), removedCb(someBalanceId)]] });
    assert.deepEqual(claim(A, xlm, ONE), [transferEvent(someBalanceKey, accountA, ONE, xlm)]);
    assert.deepEqual(claim(usdcAccount, usdc, ONE / 1000n), [burnEvent(someBalanceKey, ONE / 1000n, usdc)]);
  });
  it('creating a claimable balance moves the amount to the balance id of the result', () => {
    const id = balanceId(Buffer.alloc(32, 9));
    const o = op(
      xdr.OperationBody.createClaimableBalance(new xdr.CreateClaimableBalanceOp({ asset: usdc, amount: xdr.Int64.fromString('5'), claimants: [] })),
      A,
    );
    assert.deepEqual(opEvents({ ops: [o], results: [createCbResult(id)] }), [transferEvent(accountA, balanceStrkey(id), 5n, usdc)]);
  });
  it('claiming a balance missing from the changes is an error: its asset cannot be resolved', () => {
    assert.throws(
      () => opEvents({ ops: [claimCbOp(someBalanceId, A)] }),
      (err: unknown) => err instanceof TokenTransferError && /operation 1: claimClaimableBalance: .*cannot be resolved/.test(err.message),
    );
  });
});

describe('trust line revocation pulling shares out of pools', () => {
  // The ids the protocol gives the balances (CAP-38), from the transaction source, its sequence number and the operation index.
  const idFor = (asset: xdr.Asset): xdr.ClaimableBalanceId => balanceId(revocationBalanceId(accountId(someTxAccount), 54321n, 0, lpBtcEth, asset));
  const btcBalance = idFor(btc);
  const ethBalance = idFor(eth);
  const revoke = (changes: xdr.LedgerEntryChange[]): TokenTransferEvent[] => opEvents({ ops: [setTrustLineFlagsOp()], opChanges: [changes] });
  const poolGone = [state(lpEntry(lpBtcEth, btc, eth, ONE, 2n * ONE)), removedLp(lpBtcEth)];

  it('no pool in the changes: no events', () => assert.deepEqual(revoke([]), []));
  it('an empty pool and no balances: no events', () => {
    assert.deepEqual(revoke([state(lpEntry(lpBtcEth, btc, eth, 0n, 0n)), removedLp(lpBtcEth)]), []);
  });
  it('a balance for each asset: two transfers from the pool', () => {
    assert.deepEqual(revoke([...poolGone, created(cbEntry(btcBalance, btc, ONE)), created(cbEntry(ethBalance, eth, 2n * ONE))]), [
      transferEvent(lpBtcEthKey, balanceStrkey(btcBalance), ONE, btc),
      transferEvent(lpBtcEthKey, balanceStrkey(ethBalance), 2n * ONE, eth),
    ]);
  });
  it('one balance only (the trustor issues the other asset): a transfer and a burn', () => {
    assert.deepEqual(revoke([...poolGone, created(cbEntry(btcBalance, btc, ONE))]), [
      transferEvent(lpBtcEthKey, balanceStrkey(btcBalance), ONE, btc),
      burnEvent(lpBtcEthKey, 2n * ONE, eth),
    ]);
  });
  it("one balance for the pool's second asset: the first asset is the burned one (assets compared by value)", () => {
    // Decoded entries never share asset objects; a comparison by identity would burn the balance's own asset.
    const ethFromXdr = xdr.Asset.fromXDR(eth.toXDR());
    assert.deepEqual(revoke([...poolGone, created(cbEntry(ethBalance, ethFromXdr, 2n * ONE))]), [
      transferEvent(lpBtcEthKey, balanceStrkey(ethBalance), 2n * ONE, eth),
      burnEvent(lpBtcEthKey, ONE, btc),
    ]);
  });
  it('the balance ids follow CAP-38: sha256 of the ENVELOPE_TYPE_POOL_REVOKE_OP_ID preimage', () => {
    // Independent encoding of HashIDPreimage.revokeID: type 7, source account, seqNum, opNum, pool id, asset.
    const raw = Buffer.concat([
      Buffer.from([0, 0, 0, 7]),
      accountId(someTxAccount).toXDR(),
      xdr.Int64.fromString('54321').toXDR(),
      Buffer.alloc(4),
      lpBtcEth,
      btc.toXDR(),
    ]);
    assert.equal(btcBalance.v0().toString('hex'), createHash('sha256').update(raw).digest('hex'));
    assert.ok(StrKey.isValidClaimableBalance(balanceStrkey(btcBalance)));
  });
});
