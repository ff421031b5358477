// Whole ledgers through the public entry points: envelopes matched to results by hash,
// the Go processor's event order before and from protocol 23, reconciliation and its
// run-time check, skipped events and bad input.
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { xdr } from '@stellar/stellar-sdk';
import {
  TokenTransferError,
  TokenTransferMismatchError,
  tokenTransferEvents,
  verifyTokenTransfers,
} from '../packages/lake/src/stellar/token-transfer/index.js';
import type { SkippedEvent, TokenTransferEvent } from '../packages/lake/src/stellar/token-transfer/index.js';
import { addr, contractEvent, feeTxEvent, i128, invokeOp, sacIdOf, someContract1, someContractId1, str, sym } from './support/token-transfer-events.js';
import { loadTestLedgers, testnetLedgers } from './support/token-transfer-fixtures.js';
import type { TxSpec } from './support/token-transfer-tx.js';
import { envelopeOf, ledgerWith, sdkHash } from './support/token-transfer-tx.js';
import {
  ONE,
  PASSPHRASE,
  accountA,
  accountB,
  accountChange,
  cbEntry,
  claimCbOp,
  muxedOf,
  paymentOp,
  someBalanceId,
  someTxAccount,
  state,
  xlm,
} from './support/token-transfer-xdr.js';

let v1Template: xdr.LedgerCloseMeta; // testnet 997: LedgerCloseMeta v1, protocol 20
let v2Template: xdr.LedgerCloseMeta; // load test 84: LedgerCloseMeta v2, protocol 23, no transactions
before(async () => {
  v1Template = (await testnetLedgers()).find((l) => l.name.includes('997'))!.meta;
  v2Template = (await loadTestLedgers())[0]!.meta;
});

const sacTransfer = (from: string, to: string, amount: bigint): xdr.ContractEvent =>
  contractEvent(sacIdOf(xlm), [sym('transfer'), addr(from), addr(to), str('native')], i128(amount));
const feeEvents = (from: string, charged: bigint, refund = 0n): xdr.TransactionEvent[] => [
  feeTxEvent(sacIdOf(xlm), [sym('fee'), addr(from)], i128(charged)),
  ...(refund ? [feeTxEvent(sacIdOf(xlm), [sym('fee'), addr(from)], i128(-refund), xdr.TransactionEventStage.transactionEventStageAfterAllTxes())] : []),
];

/** An XLM payment that reconciles: fee changes, the payer's and payee's balance changes; v4 also carries core's events. */
function payment(from: string, to: string, amount: bigint, unified: boolean): TxSpec {
  const start = 1000n * ONE;
  return {
    source: muxedOf(from),
    ops: [paymentOp(undefined, muxedOf(to), xlm, amount)],
    feeCharged: 100n,
    feeChanges: accountChange(from, start, start - 100n),
    opChanges: [[...accountChange(from, start - 100n, start - 100n - amount), ...accountChange(to, start, start + amount)]],
    ...(unified ? { metaVersion: 4 as const, txEvents: feeEvents(from, 100n), opEvents: [[sacTransfer(from, to, amount)]] } : {}),
  };
}

/** A Soroban transaction sending XLM to a contract and refunded 300 of its 500 fee: before 23 in txChangesAfter, from 23 after all transactions. */
function sorobanTransfer(from: string, amount: bigint, protocol: number): TxSpec {
  const start = 1000n * ONE;
  const refund = accountChange(from, start - 500n - amount, start - 200n - amount);
  return {
    source: muxedOf(from),
    ops: [invokeOp()],
    soroban: true,
    feeChanges: accountChange(from, start, start - 500n),
    opChanges: [accountChange(from, start - 500n, start - 500n - amount)],
    ...(protocol >= 23
      ? { metaVersion: 4 as const, txEvents: feeEvents(from, 500n, 300n), opEvents: [[sacTransfer(from, someContract1, amount)]], postApplyFeeChanges: refund }
      : { sorobanEvents: [sacTransfer(from, someContract1, amount)], changesAfter: refund }),
  };
}

const brief = (e: TokenTransferEvent): string => `${e.kind} tx${e.txIndex}${e.opIndex ? ` op${e.opIndex}` : ''} ${e.amount}`;

describe('event order of a ledger', () => {
  it('before protocol 23: all fees, then per transaction its operations and its refund', () => {
    const lcm = ledgerWith(
      v1Template,
      [payment(accountA, accountB, 5n * ONE, false), sorobanTransfer(someTxAccount, 3n * ONE, 20), payment(accountB, accountA, ONE, false)],
      20,
    );
    const { events } = tokenTransferEvents(lcm, PASSPHRASE, { verify: true });
    assert.deepEqual(events.map(brief), [
      'fee tx1 100',
      'fee tx2 500',
      'fee tx3 100',
      `transfer tx1 op1 ${5n * ONE}`,
      `transfer tx2 op1 ${3n * ONE}`,
      'fee tx2 -300',
      `transfer tx3 op1 ${ONE}`,
    ]);
  });
  it('from protocol 23: all fees, all operations, then all refunds', () => {
    const lcm = ledgerWith(
      v2Template,
      [payment(accountA, accountB, 5n * ONE, true), sorobanTransfer(someTxAccount, 3n * ONE, 23), payment(accountB, accountA, ONE, true)],
      23,
    );
    const { events } = tokenTransferEvents(lcm, PASSPHRASE, { verify: true });
    assert.deepEqual(events.map(brief), [
      'fee tx1 100',
      'fee tx2 500',
      'fee tx3 100',
      `transfer tx1 op1 ${5n * ONE}`,
      `transfer tx2 op1 ${3n * ONE}`,
      `transfer tx3 op1 ${ONE}`,
      'fee tx2 -300',
    ]);
  });
  it('the order follows the ledger protocol, not the meta version', () => {
    const lcm = ledgerWith(v2Template, [sorobanTransfer(someTxAccount, 3n * ONE, 20), payment(accountB, accountA, ONE, false)], 23);
    assert.deepEqual(tokenTransferEvents(lcm, PASSPHRASE).events.map(brief), [
      'fee tx1 500',
      'fee tx2 100',
      `transfer tx1 op1 ${3n * ONE}`,
      `transfer tx2 op1 ${ONE}`,
      'fee tx1 -300',
    ]);
  });
});

describe('transactions matched with their envelopes', () => {
  const specs: TxSpec[] = [
    { ...payment(accountA, accountB, 2n, false), v0: true },
    payment(accountB, accountA, 3n, false),
    { ...payment(someTxAccount, accountA, 4n, false), feeBump: muxedOf(accountB), feeChanges: accountChange(accountB, 1000n * ONE, 1000n * ONE - 100n) },
  ];
  it('v0, v1 and fee bump envelopes, in another order in the set, by hash', () => {
    const lcm = ledgerWith(v1Template, specs, 20);
    const { events } = tokenTransferEvents(lcm, PASSPHRASE, { verify: true });
    const hashes = specs.map((s) => sdkHash(envelopeOf(s)));
    assert.deepEqual(
      events.map((e) => [e.kind, e.txIndex, e.txHash, e.from, e.amount]),
      [
        ['fee', 1, hashes[0], accountA, 100n],
        ['fee', 2, hashes[1], accountB, 100n],
        ['fee', 3, hashes[2], accountB, 100n],
        ['transfer', 1, hashes[0], accountA, 2n],
        ['transfer', 2, hashes[1], accountB, 3n],
        ['transfer', 3, hashes[2], someTxAccount, 4n],
      ],
    );
  });
  it('another network passphrase matches no envelope: an error naming ledger and transaction', () => {
    const lcm = ledgerWith(v1Template, specs, 20);
    assert.throws(
      () => tokenTransferEvents(lcm, 'another network'),
      (e: unknown) =>
        e instanceof TokenTransferError &&
        e.ledgerSequence === 997 &&
        e.txHash === sdkHash(envelopeOf(specs[0]!)) &&
        /no envelope .* has this hash/.test(e.message),
    );
  });
});

describe('reconciliation', () => {
  // The payee's entry shows 1 stroop less than the payment moved.
  const short = (): TxSpec => {
    const s = payment(accountA, accountB, 5n * ONE, false);
    s.opChanges = [[...accountChange(accountA, 1000n * ONE - 100n, 995n * ONE - 100n), ...accountChange(accountB, 1000n * ONE, 1005n * ONE - 1n)]];
    return s;
  };
  it('reconciling transactions give no mismatch', () => {
    assert.deepEqual(verifyTokenTransfers(ledgerWith(v1Template, [payment(accountA, accountB, 5n * ONE, false)], 20), PASSPHRASE), []);
  });
  it('a mismatch names ledger, transaction, holder, asset and both amounts', () => {
    const lcm = ledgerWith(v1Template, [payment(accountB, accountA, ONE, false), short()], 20);
    assert.deepEqual(verifyTokenTransfers(lcm, PASSPHRASE), [
      { ledgerSequence: 997, txHash: sdkHash(envelopeOf(short())), holder: accountB, asset: 'native', expected: 5n * ONE - 1n, actual: 5n * ONE },
    ]);
  });
  it('a holder only the events know of is a mismatch too', () => {
    const s = payment(accountA, accountB, 5n * ONE, false);
    s.opChanges = [accountChange(accountA, 1000n * ONE - 100n, 995n * ONE - 100n)];
    assert.deepEqual(
      verifyTokenTransfers(ledgerWith(v1Template, [s], 20), PASSPHRASE).map((m) => [m.holder, m.expected, m.actual]),
      [[accountB, 0n, 5n * ONE]],
    );
  });
  it('with verify, a mismatch stops the run with an error naming it; without, the events come out', () => {
    const lcm = ledgerWith(v1Template, [short()], 20);
    assert.throws(
      () => tokenTransferEvents(lcm, PASSPHRASE, { verify: true }),
      (e: unknown) =>
        e instanceof TokenTransferMismatchError &&
        e.mismatches.length === 1 &&
        e.message.includes(
          `ledger 997, transaction ${sdkHash(envelopeOf(short()))}: ${accountB} native: ledger entry changes ${5n * ONE - 1n}, events ${5n * ONE}`,
        ),
    );
    assert.equal(tokenTransferEvents(lcm, PASSPHRASE).events.length, 2);
  });
});

describe('bad input', () => {
  it('a token-named event of another shape is skipped, counted and reported with contract and transaction', () => {
    const spec: TxSpec = {
      ...sorobanTransfer(someTxAccount, 3n * ONE, 20),
      sorobanEvents: [sacTransfer(someTxAccount, someContract1, 3n * ONE), contractEvent(someContractId1, [sym('transfer'), addr(accountA)], i128(1n))],
    };
    const reported: SkippedEvent[] = [];
    const lcm = ledgerWith(v1Template, [spec], 20);
    const r = tokenTransferEvents(lcm, PASSPHRASE, { verify: true, onSkipped: (s) => reported.push(s) });
    assert.deepEqual(r.events.map(brief), ['fee tx1 500', `transfer tx1 op1 ${3n * ONE}`, 'fee tx1 -300']);
    assert.equal(r.skipped.length, 1);
    assert.deepEqual(reported, r.skipped);
    assert.deepEqual(
      { ...r.skipped[0], reason: undefined },
      {
        ledgerSequence: 997,
        txHash: sdkHash(envelopeOf(spec)),
        opIndex: 1,
        contractAddress: someContract1,
        topic: 'transfer',
        reason: undefined,
      },
    );
  });
  it('an asset that cannot be resolved is an error naming ledger and transaction', () => {
    const spec: TxSpec = { ops: [claimCbOp(someBalanceId)], opChanges: [[state(cbEntry(someBalanceId, xlm, ONE))]] };
    assert.throws(
      () => tokenTransferEvents(ledgerWith(v1Template, [spec], 20), PASSPHRASE),
      (e: unknown) =>
        e instanceof TokenTransferError &&
        e.ledgerSequence === 997 &&
        e.txHash === sdkHash(envelopeOf(spec)) &&
        e.opIndex === 1 &&
        /cannot be resolved/.test(e.message),
    );
  });
  it('arguments and options are checked, naming what is wrong', () => {
    const lcm = ledgerWith(v1Template, [], 20);
    assert.throws(() => tokenTransferEvents({} as xdr.LedgerCloseMeta, PASSPHRASE), /meta must be an xdr.LedgerCloseMeta/);
    assert.throws(() => tokenTransferEvents(lcm, ''), /networkPassphrase must be a non-empty string/);
    assert.throws(() => tokenTransferEvents(lcm, PASSPHRASE, { verfy: true } as never), /unknown option "verfy"/);
    assert.throws(() => tokenTransferEvents(lcm, PASSPHRASE, { verify: 'yes' } as never), /"verify" must be a boolean/);
    assert.throws(() => tokenTransferEvents(lcm, PASSPHRASE, { onSkipped: 1 } as never), /"onSkipped" must be a function/);
    assert.throws(() => verifyTokenTransfers(lcm, 7 as never), /networkPassphrase/);
    assert.deepEqual(tokenTransferEvents(lcm, PASSPHRASE), { events: [], skipped: [] });
  });
});
