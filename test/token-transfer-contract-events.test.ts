// Token events emitted by contracts (SEP-41, Stellar Asset Contract), transaction meta v3 and
// v4, and v4 fee events, with the test vectors of the Go processor (stellar/go
// processors/token_transfer/contract_events_test.go). Where Go rejects a token-named event
// with an error that it then drops, this processor skips and counts it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { xdr } from '@stellar/stellar-sdk';
import type { MuxedInfo, TokenAsset, TokenTransferEvent } from '../packages/lake/src/stellar/token-transfer/event.js';
import { TokenTransferError } from '../packages/lake/src/stellar/token-transfer/errors.js';
import { eventsOfTx, feeEvent, hashInfo, idInfo, textInfo, tokenAsset } from './support/token-transfer-expect.js';
import {
  addr,
  bytesv,
  contractEvent,
  feeTxEvent,
  i128,
  i128parts,
  invokeOp,
  sacIdOf,
  scMap,
  someContract1,
  someContract2,
  someContractId1,
  someContractId2,
  str,
  sym,
  tokenEvent,
  u64v,
} from './support/token-transfer-events.js';
import { ledgerTx } from './support/token-transfer-tx.js';
import { ONE, accountChange, eth, randomAccount, sacOf, someTxAccount, usdc, xlm } from './support/token-transfer-xdr.js';

type Mode = 'v3' | 'v4' | 'v4-unified';
const xlmFee = (amount: bigint): xdr.TransactionEvent => feeTxEvent(sacIdOf(xlm), [sym('fee'), addr(someTxAccount)], i128(amount));

/** Runs the events as those of a Soroban transaction's InvokeHostFunction operation. */
function run(events: xdr.ContractEvent[], mode: Mode, memo?: xdr.Memo) {
  const tx = ledgerTx({
    ops: [invokeOp()],
    soroban: true,
    memo,
    metaVersion: mode === 'v3' ? 3 : 4,
    feeChanges: accountChange(someTxAccount, 1000n * ONE, 999n * ONE),
    ...(mode === 'v3' ? { sorobanEvents: events } : { opEvents: [events] }),
    ...(mode === 'v4-unified' ? { txEvents: [xlmFee(ONE)] } : {}),
  });
  return eventsOfTx(tx);
}

interface Seen {
  kind: string;
  from: string | null;
  to: string | null;
  amount: bigint;
  asset: TokenAsset | null;
  contract: string;
  muxed: MuxedInfo | null;
}
const seen = (e: TokenTransferEvent): Seen => ({
  kind: e.kind,
  from: e.from,
  to: e.to,
  amount: e.amount,
  asset: e.asset,
  contract: e.contractAddress,
  muxed: e.toMuxedInfo,
});
const one = (events: xdr.ContractEvent[], mode: Mode, memo?: xdr.Memo): Seen => {
  const r = run(events, mode, memo);
  assert.deepEqual(r.skipped, []);
  assert.equal(r.operations.length, 1);
  return seen(r.operations[0]!);
};
/** SEP-11 name of an asset, as a SAC puts it in its events' last topic. */
const labelOf = (a: xdr.Asset): string => {
  const t = tokenAsset(a);
  return t.native ? 'native' : `${t.code}:${t.issuer}`;
};
const expect = (
  kind: string,
  from: string | null,
  to: string | null,
  amount: bigint,
  contract: string,
  asset: xdr.Asset | null = null,
  muxed: MuxedInfo | null = null,
): Seen => ({ kind, from, to, amount, asset: asset ? tokenAsset(asset) : null, contract, muxed });

describe('meta v3 contract events (Go: TestValidContractEventsV3)', () => {
  const nonSacLabels = ['someNonSep11AssetString', labelOf(xlm), labelOf(usdc)];
  it('SEP-41 token events (any asset label, contract not its SAC): no classic asset', () => {
    for (const label of nonSacLabels) {
      assert.deepEqual(
        one([tokenEvent('transfer', someContract1, someContract2, i128(1000n), label, someContractId1)], 'v3'),
        expect('transfer', someContract1, someContract2, 1000n, someContract1),
      );
      assert.deepEqual(
        one([tokenEvent('mint', someContract2, someContract1, i128(500n), label, someContractId1)], 'v3'),
        expect('mint', null, someContract1, 500n, someContract1),
      );
      assert.deepEqual(
        one([tokenEvent('burn', randomAccount, '', i128(300n), label, someContractId1)], 'v3'),
        expect('burn', randomAccount, null, 300n, someContract1),
      );
      assert.deepEqual(
        one([tokenEvent('clawback', someContract1, someContract2, i128(200n), label, someContractId1)], 'v3'),
        expect('clawback', someContract2, null, 200n, someContract1),
      );
    }
  });
  it('SAC events (asset label matching the contract): the classic asset', () => {
    for (const asset of [xlm, usdc, eth]) {
      const label = labelOf(asset);
      const id = sacIdOf(asset);
      const c = sacOf(asset);
      assert.deepEqual(
        one([tokenEvent('transfer', randomAccount, someContract1, i128(1000n), label, id)], 'v3'),
        expect('transfer', randomAccount, someContract1, 1000n, c, asset),
      );
      assert.deepEqual(
        one([tokenEvent('mint', randomAccount, someContract1, i128(500n), label, id)], 'v3'),
        expect('mint', null, someContract1, 500n, c, asset),
      );
      assert.deepEqual(one([tokenEvent('burn', randomAccount, '', i128(300n), label, id)], 'v3'), expect('burn', randomAccount, null, 300n, c, asset));
      assert.deepEqual(
        one([tokenEvent('clawback', someContract1, randomAccount, i128(200n), label, id)], 'v3'),
        expect('clawback', randomAccount, null, 200n, c, asset),
      );
    }
  });
  it('an amount beyond 64 bits is kept exactly (hi 5000, lo 1000)', () => {
    const r = one([tokenEvent('transfer', someContract1, someContract2, i128parts(5000n, 1000n), 'x', someContractId1)], 'v3');
    assert.equal(r.amount, (5000n << 64n) + 1000n);
    assert.equal(r.amount.toString(), '92233720368547758081000');
  });
  it('negative and extreme i128 amounts', () => {
    for (const v of [-1n, -(1n << 127n), (1n << 127n) - 1n]) {
      assert.equal(one([tokenEvent('transfer', someContract1, someContract2, i128(v), '', someContractId1)], 'v3').amount, v);
    }
  });
  it('a v3 SAC transfer from or to the issuer is a mint or burn (before CAP-67 the SAC called them transfers)', () => {
    const label = 'USDC:GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN';
    const issuer = 'GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN';
    assert.deepEqual(
      one([tokenEvent('transfer', issuer, someContract1, i128(7n), label, sacIdOf(usdc))], 'v3'),
      expect('mint', null, someContract1, 7n, sacOf(usdc), usdc),
    );
    assert.deepEqual(
      one([tokenEvent('transfer', randomAccount, issuer, i128(7n), label, sacIdOf(usdc))], 'v3'),
      expect('burn', randomAccount, null, 7n, sacOf(usdc), usdc),
    );
  });
  it('no muxed information for pre-23 Soroban events, even with a memo (Go: TestNoMuxedInfoInPreProtocol23SorobanTxEvents)', () => {
    const ev = tokenEvent('transfer', someContract1, randomAccount, i128(1000n), 'native', sacIdOf(xlm));
    assert.deepEqual(one([ev], 'v3', xdr.Memo.memoId(xdr.Uint64.fromString('999'))), expect('transfer', someContract1, randomAccount, 1000n, sacOf(xlm), xlm));
  });
});

describe('token-named events of another shape are skipped and counted (Go: TestInvalidEventsV3, TestV4InvalidEvents)', () => {
  const cases: Array<[string, xdr.ContractEvent, Mode, RegExp]> = [
    ['a system event', tokenEvent('transfer', randomAccount, someContract1, i128(1000n), 'asset', someContractId1), 'v3', /not a contract event/],
    ['no contract id', tokenEvent('transfer', randomAccount, someContract1, i128(1000n), 'asset', null), 'v3', /contract id/],
    ['only the name', contractEvent(someContractId1, [sym('transfer')], i128(1000n)), 'v3', /1 topics/],
    [
      'amount is a string',
      contractEvent(someContractId1, [sym('transfer'), addr(randomAccount), addr(someContract1)], str('1000')),
      'v3',
      /amount is scvString/,
    ],
    ['transfer without to', contractEvent(someContractId1, [sym('transfer'), addr(randomAccount)], i128(1000n)), 'v3', /needs a to topic/],
    [
      'transfer from a string',
      contractEvent(someContractId1, [sym('transfer'), str('not an address'), addr(someContract1)], i128(1000n)),
      'v3',
      /from topic is scvString/,
    ],
    [
      'transfer to a string',
      contractEvent(someContractId1, [sym('transfer'), addr(randomAccount), str('not an address')], i128(1000n)),
      'v3',
      /to topic is scvString/,
    ],
    ['v3 mint without to', contractEvent(someContractId1, [sym('mint'), addr(randomAccount)], i128(1000n)), 'v3', /needs a to topic/],
    ['v3 mint with a bad admin', contractEvent(someContractId1, [sym('mint'), str('not an address'), addr(someContract1)], i128(1000n)), 'v3', /admin topic/],
    ['v3 mint to a string', contractEvent(someContractId1, [sym('mint'), addr(randomAccount), str('not an address')], i128(1000n)), 'v3', /to topic/],
    ['v3 clawback without from', contractEvent(someContractId1, [sym('clawback'), addr(randomAccount)], i128(1000n)), 'v3', /needs a from topic/],
    [
      'v3 clawback with a bad admin',
      contractEvent(someContractId1, [sym('clawback'), str('not an address'), addr(randomAccount)], i128(1000n)),
      'v3',
      /admin topic/,
    ],
    [
      'v3 clawback from a string',
      contractEvent(someContractId1, [sym('clawback'), addr(someContract1), str('not an address')], i128(1000n)),
      'v3',
      /from topic/,
    ],
    ['burn without from', contractEvent(someContractId1, [sym('burn')], i128(1000n)), 'v3', /1 topics/],
    ['burn from a string', contractEvent(someContractId1, [sym('burn'), str('not an address')], i128(1000n)), 'v3', /from topic/],
    [
      'v3 data map (maps are v4 only)',
      contractEvent(someContractId1, [sym('burn'), addr(randomAccount)], scMap([['amount', i128(1n)]])),
      'v3',
      /amount is scvMap/,
    ],
    [
      'v4 map without amount',
      contractEvent(someContractId1, [sym('transfer'), addr(randomAccount), addr(someContract1)], scMap([['to_muxed_id', u64v(12345n)]])),
      'v4',
      /no "amount"/,
    ],
    [
      'v4 map with a symbol to_muxed_id',
      contractEvent(
        someContractId1,
        [sym('transfer'), addr(randomAccount), addr(someContract1)],
        scMap([
          ['amount', i128(1000n)],
          ['to_muxed_id', sym('invalid_type')],
        ]),
      ),
      'v4',
      /to_muxed_id is scvSymbol/,
    ],
  ];
  cases[0]![1].type(xdr.ContractEventType.system());
  for (const [name, ev, mode, reason] of cases) {
    it(name, () => {
      const r = run([ev], mode);
      assert.deepEqual(r.operations, []);
      assert.equal(r.skipped.length, 1);
      const s = r.skipped[0]!;
      assert.match(s.reason, reason);
      assert.equal(s.txHash, r.fee[0]!.txHash);
      assert.equal(s.ledgerSequence, 12345);
      assert.equal(s.opIndex, 1);
      assert.equal(s.contractAddress, ev.contractId() ? someContract1 : null);
    });
  }
  it('events with other names are not token events: neither emitted nor counted', () => {
    const r = run(
      [
        tokenEvent('unknown_event', randomAccount, someContract1, i128(1000n), 'asset', someContractId1),
        contractEvent(someContractId1, [str('transfer'), addr(randomAccount), addr(someContract1)], i128(1000n)), // name is a string, not a symbol
        contractEvent(someContractId1, [], i128(1000n)),
        contractEvent(someContractId1, [sym('approve'), addr(randomAccount), addr(someContract1)], i128(1n)),
      ],
      'v3',
    );
    assert.deepEqual([r.operations, r.skipped], [[], []]);
  });
  it('an unparseable SAC asset label keeps the event, without a classic asset', () => {
    const ev = tokenEvent('transfer', randomAccount, someContract1, i128(1000n), 'not:a:valid:asset', someContractId1);
    assert.deepEqual(one([ev], 'v3'), expect('transfer', randomAccount, someContract1, 1000n, someContract1));
  });
});

describe('SAC recognition (Go: TestSacAssetValidation, TestVersionSpecificSACValidation)', () => {
  const xlmId = sacIdOf(xlm);
  const base = [sym('transfer'), addr(randomAccount), addr(someContract1)];
  const assetOf = (topics: xdr.ScVal[], id: Buffer, mode: Mode = 'v3'): TokenAsset | null => one([contractEvent(id, topics, i128(1000n))], mode).asset;
  it('matching contract id: the asset is set', () => assert.deepEqual(assetOf([...base, str('native')], xlmId), { native: true }));
  it('label of XLM on another contract: no asset', () => assert.equal(assetOf([...base, str('native')], someContractId2), null));
  it('five topics: no asset', () => assert.equal(assetOf([...base, str('native'), str('extra topic')], xlmId), null));
  it('burn with exactly three topics: asset set', () => assert.deepEqual(assetOf([sym('burn'), addr(randomAccount), str('native')], xlmId), { native: true }));
  it('last topic not a string: no asset', () => assert.equal(assetOf([...base, i128(12345n)], xlmId), null));
  it('empty label: no asset', () => assert.equal(assetOf([...base, str('')], xlmId), null));
  it('two assets in the label: no asset', () => assert.equal(assetOf([...base, str('native,native')], xlmId), null));
  const versions: Array<[Mode, string, number, boolean]> = [
    ['v3', 'transfer', 4, true],
    ['v3', 'mint', 4, true],
    ['v4', 'mint', 3, true],
    ['v4', 'mint', 4, false],
    ['v3', 'clawback', 4, true],
    ['v4', 'clawback', 3, true],
    ['v3', 'burn', 3, true],
    ['v4', 'burn', 3, true],
  ];
  for (const [mode, name, count, isSac] of versions) {
    it(`${mode} ${name} with ${count} topics: ${isSac ? 'SAC' : 'not a SAC event'}`, () => {
      const topics = [sym(name), ...Array.from({ length: count - 2 }, () => addr(randomAccount)), str('native')];
      assert.deepEqual(assetOf(topics, xlmId, mode), isSac ? { native: true } : null);
    });
  }
});

describe('meta v4 contract events (Go: TestValidContractEventsV4, TestValidSep41EventsWithExtraTopicsAndDataV4)', () => {
  const withMuxed = (v: xdr.ScVal): xdr.ScVal =>
    scMap([
      ['amount', i128(1000n)],
      ['to_muxed_id', v],
    ]);
  for (const mode of ['v4', 'v4-unified'] as const) {
    it(`${mode}: SEP-41 events, direct amount or map with to_muxed_id (id, text, hash)`, () => {
      const t = [sym('transfer'), addr(someContract1), addr(someContract2), str('someNonSep11AssetString')];
      assert.deepEqual(one([contractEvent(someContractId1, t, i128(1000n))], mode), expect('transfer', someContract1, someContract2, 1000n, someContract1));
      assert.deepEqual(one([contractEvent(someContractId1, t, withMuxed(u64v(12345n)))], mode).muxed, idInfo(12345n));
      assert.deepEqual(one([contractEvent(someContractId1, t, withMuxed(xdr.ScVal.scvString('hello world')))], mode).muxed, textInfo('hello world'));
      const hash = Array.from({ length: 32 }, (_, i) => i + 1);
      assert.deepEqual(one([contractEvent(someContractId1, t, withMuxed(bytesv(Uint8Array.from(hash))))], mode).muxed, hashInfo(...hash));
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('mint'), addr(someContract1), str('x')], i128(1000n))], mode),
        expect('mint', null, someContract1, 1000n, someContract1),
      );
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('clawback'), addr(someContract1), str('x')], i128(1000n))], mode),
        expect('clawback', someContract1, null, 1000n, someContract1),
      );
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('burn'), addr(randomAccount), str('x')], i128(1000n))], mode),
        expect('burn', randomAccount, null, 1000n, someContract1),
      );
    });
    it(`${mode}: SAC events without admin topics, with and without muxed id`, () => {
      const id = sacIdOf(xlm);
      const c = sacOf(xlm);
      const n = str('native');
      assert.deepEqual(
        one([contractEvent(id, [sym('transfer'), addr(randomAccount), addr(someContract1), n], i128(1000n))], mode),
        expect('transfer', randomAccount, someContract1, 1000n, c, xlm),
      );
      assert.deepEqual(
        one([contractEvent(id, [sym('transfer'), addr(randomAccount), addr(someContract1), n], withMuxed(u64v(99999n)))], mode),
        expect('transfer', randomAccount, someContract1, 1000n, c, xlm, idInfo(99999n)),
      );
      assert.deepEqual(one([contractEvent(id, [sym('mint'), addr(randomAccount), n], i128(1000n))], mode), expect('mint', null, randomAccount, 1000n, c, xlm));
      assert.deepEqual(
        one([contractEvent(id, [sym('mint'), addr(randomAccount), n], withMuxed(u64v(99999n)))], mode),
        expect('mint', null, randomAccount, 1000n, c, xlm, idInfo(99999n)),
      );
      assert.deepEqual(
        one([contractEvent(id, [sym('burn'), addr(randomAccount), n], withMuxed(u64v(99999n)))], mode),
        expect('burn', randomAccount, null, 1000n, c, xlm, idInfo(99999n)),
      );
      assert.deepEqual(
        one([contractEvent(id, [sym('clawback'), addr(randomAccount), n], i128(1000n))], mode),
        expect('clawback', randomAccount, null, 1000n, c, xlm),
      );
    });
    it(`${mode}: extra topics and extra map keys are allowed; a spoofed two-asset label gives no asset`, () => {
      const extra = [str('some random extra topic 1'), str('some random extra topic 2')];
      const data = scMap([
        ['amount', i128(1000n)],
        ['to_muxed_id', u64v(999n)],
        ['some random key', str('some random value')],
      ]);
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('transfer'), addr(randomAccount), addr(someContract1), ...extra, str('native,native')], i128(1000n))], mode),
        expect('transfer', randomAccount, someContract1, 1000n, someContract1),
      );
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('mint'), addr(someContract1), ...extra], data)], mode),
        expect('mint', null, someContract1, 1000n, someContract1, null, idInfo(999n)),
      );
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('burn'), addr(someContract1), ...extra], scMap([['amount', i128(1000n)]]))], mode),
        expect('burn', someContract1, null, 1000n, someContract1),
      );
      assert.deepEqual(
        one([contractEvent(someContractId1, [sym('clawback'), addr(someContract1), ...extra], data)], mode),
        expect('clawback', someContract1, null, 1000n, someContract1, null, idInfo(999n)),
      );
    });
  }
});

describe('v4 fee events (Go: TestV4FeeEventParsing)', () => {
  const fees = (txEvents: xdr.TransactionEvent[]) => eventsOfTx(ledgerTx({ metaVersion: 4, txEvents, failed: true })).fee;
  const feeOf = (amount: xdr.ScVal, topics = [sym('fee'), addr(randomAccount)], id = sacIdOf(xlm)): xdr.TransactionEvent => feeTxEvent(id, topics, amount);
  const stage = xdr.TransactionEventStage;
  it('one fee event', () => assert.deepEqual(fees([feeOf(i128(100n))]), [feeEvent(randomAccount, 100n)]));
  it('a charge and a refund', () => {
    const refund = feeTxEvent(sacIdOf(xlm), [sym('fee'), addr(randomAccount)], i128(-20n), stage.transactionEventStageAfterAllTxes());
    assert.deepEqual(fees([feeOf(i128(100n)), refund]), [feeEvent(randomAccount, 100n), feeEvent(randomAccount, -20n)]);
  });
  it('other transaction-level events are passed over', () => {
    assert.deepEqual(fees([feeOf(i128(100n)), feeOf(i128(100n), [sym('foo')])]), [feeEvent(randomAccount, 100n)]);
  });
  const errors: Array<[string, xdr.TransactionEvent[], RegExp]> = [
    ['three fee events', [feeOf(i128(100n)), feeOf(i128(-5n)), feeOf(i128(-10n))], /3 fee events/],
    ['extra topic', [feeOf(i128(100n), [sym('fee'), addr(randomAccount), str('extra field')])], /3 topics/],
    ['amount not i128', [feeOf(str('not a valid amount'))], /amount is scvString/],
    ['not the XLM contract', [feeOf(i128(100n), undefined, someContractId1)], /not the XLM contract/],
  ];
  for (const [name, txEvents, message] of errors) {
    it(`error: ${name}`, () =>
      assert.throws(
        () => fees(txEvents),
        (e: unknown) => e instanceof TokenTransferError && message.test(e.message) && /ledger 12345, transaction 0101/.test(e.message),
      ));
  }
  it('error: v4 meta with events but no fee event', () => {
    assert.throws(
      () => fees([feeOf(i128(100n), [sym('foo')])]),
      (e: unknown) => e instanceof TokenTransferError && /no fee event/.test(e.message),
    );
  });
});
