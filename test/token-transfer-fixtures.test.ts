// The real fixture ledgers (../shared/fixtures/stellar): every transaction reconciles with its
// ledger entry changes, and what the events say is checked against the ledger by other means
// (fees against the results, load-test transfers against the contract events as the SDK decodes them).
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { Address, scValToNative, xdr } from '@stellar/stellar-sdk';
import { tokenTransferEvents, verifyTokenTransfers } from '../packages/lake/src/stellar/token-transfer/index.js';
import { tokenTransferRow } from '../packages/lake/src/datasets/token-transfers.js';
import { AssetResolver } from '../packages/lake/src/stellar/token-transfer/assets.js';
import { ledgerTransactions } from '../packages/lake/src/stellar/token-transfer/ledger-transactions.js';
import { transactionEvents } from '../packages/lake/src/stellar/token-transfer/transaction-events.js';
import { transactionMismatches } from '../packages/lake/src/stellar/token-transfer/verify.js';
import type { FixtureLedger } from './support/token-transfer-fixtures.js';
import { loadTestLedgers, pubnetLedger, testnetLedgers } from './support/token-transfer-fixtures.js';

let all: FixtureLedger[] = [];
before(async () => {
  all = [await pubnetLedger(), ...(await testnetLedgers()), ...(await loadTestLedgers())];
});

const txCount = (l: FixtureLedger): number => ledgerTransactions(l.meta, l.passphrase).length;

describe('reconciliation on every fixture ledger', () => {
  it('every transaction of every ledger reconciles (163 pubnet, 17 testnet, 200 load-test transactions)', () => {
    assert.deepEqual(
      all.map((l) => [l.name, txCount(l)]),
      [
        ['pubnet 53312000', 163],
        ['testnet FFFFFC1A--997.xdr.zstd', 7],
        ['testnet FFFFFC19--998.xdr.zstd', 7],
        ['testnet FFFFFC18--999.xdr.zstd', 3],
        ['load test 84', 0],
        ['load test 85', 100],
        ['load test 88', 100],
      ],
    );
    for (const l of all) {
      assert.deepEqual(verifyTokenTransfers(l.meta, l.passphrase), [], l.name);
      assert.doesNotThrow(() => tokenTransferEvents(l.meta, l.passphrase, { verify: true }), l.name);
    }
  });
  it("the check is not vacuous: leaving out any transaction's fee charge breaks that transaction", () => {
    for (const l of all) {
      const assets = new AssetResolver(l.passphrase);
      for (const tx of ledgerTransactions(l.meta, l.passphrase)) {
        const { fee, operations } = transactionEvents(tx, assets, { skipped: () => {} });
        const mismatches = transactionMismatches(tx, [...fee.slice(1), ...operations]);
        assert.equal(mismatches.length, 1, `${l.name} ${tx.hash}`);
        assert.equal(mismatches[0]!.actual - mismatches[0]!.expected, fee[0]!.amount);
      }
    }
  });
});

describe('pubnet ledger 53312000 (protocol 21, meta v3)', () => {
  it("fees first in apply order; each transaction's fee events add up to its result's feeCharged", () => {
    const l = all[0]!;
    const { events, skipped } = tokenTransferEvents(l.meta, l.passphrase);
    assert.deepEqual(skipped, []);
    assert.deepEqual(
      events.slice(0, 163).map((e) => [e.kind, e.txIndex, e.opIndex]),
      Array.from({ length: 163 }, (_, i) => ['fee', i + 1, null]),
    );
    const charged = new Map<string, bigint>();
    for (const e of events) if (e.kind === 'fee') charged.set(e.txHash, (charged.get(e.txHash) ?? 0n) + e.amount);
    for (const tx of ledgerTransactions(l.meta, l.passphrase)) assert.equal(charged.get(tx.hash), BigInt(tx.result.result().feeCharged().toString()), tx.hash);
    // One Soroban transaction, refunded right after its own operation events (before protocol 23).
    const refunds = events.filter((e) => e.kind === 'fee' && e.amount < 0n);
    assert.equal(refunds.length, 1);
    const at = events.indexOf(refunds[0]!);
    assert.ok(at > 163);
    assert.ok(events.slice(163, at).every((e) => e.txIndex <= refunds[0]!.txIndex));
    assert.ok(events.slice(at + 1).every((e) => e.txIndex > refunds[0]!.txIndex));
    assert.deepEqual([events.length, events.filter((e) => e.kind === 'transfer').length], [296, 132]);
  });
});

describe('load-test ledgers 85 and 88 (protocol 23, meta v4, native SAC transfers)', () => {
  /** The contract events named "transfer", decoded by the SDK: [from, to, amount]. */
  function sdkTransfers(meta: xdr.LedgerCloseMeta): Array<[string, string, bigint]> {
    const out: Array<[string, string, bigint]> = [];
    for (const tp of meta.v2().txProcessing()) {
      for (const op of tp.txApplyProcessing().v4().operations()) {
        for (const ev of op.events()) {
          const [name, from, to] = ev.body().v0().topics();
          if (scValToNative(name!) !== 'transfer') continue;
          out.push([Address.fromScVal(from!).toString(), Address.fromScVal(to!).toString(), scValToNative(ev.body().v0().data()) as bigint]);
        }
      }
    }
    return out;
  }

  it('one transfer row per transfer event, with exact amounts', () => {
    for (const l of all.filter((x) => x.name === 'load test 85' || x.name === 'load test 88')) {
      const { events, skipped } = tokenTransferEvents(l.meta, l.passphrase, { verify: true });
      assert.deepEqual(skipped, []);
      const expected = sdkTransfers(l.meta);
      assert.equal(expected.length, 1000, l.name);
      const rows = events.filter((e) => e.kind === 'transfer').map(tokenTransferRow);
      assert.deepEqual(
        rows.map((r) => [r.from, r.to, BigInt(r.amount_raw)]),
        expected,
        l.name,
      );
      for (const r of rows) {
        assert.equal(r.asset, 'native');
        assert.equal(r.contract_id, 'CDMLFMKMMD7MWZP3FKUBZPVHTUEDLSX4BYGYKH4GCESXYHS3IHQ4EIG4');
        assert.equal(r.amount, Number(r.amount_raw) * 0.0000001);
      }
      // 100 transactions: 100 charges first, 100 refunds last (protocol 23).
      assert.deepEqual(
        events.slice(0, 100).map((e) => [e.kind, e.txIndex]),
        Array.from({ length: 100 }, (_, i) => ['fee', i + 1]),
      );
      assert.deepEqual(
        events.slice(-100).map((e) => [e.kind, e.txIndex, e.amount < 0n]),
        Array.from({ length: 100 }, (_, i) => ['fee', i + 1, true]),
      );
    }
  });
});
