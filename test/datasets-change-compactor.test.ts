// The change compactor against the cases of stellar/go ingest/change_compactor_test.go
// (transitions from each recorded change type, the 1000-payment squash, CAP-63 TTL updates),
// plus the pre/post pairing of LedgerEntryChange lists and errors naming ledger, tx and key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keypair, StrKey, xdr } from '@stellar/stellar-sdk';
import { ChangeCompactor } from '../packages/lake/src/stellar/change-compactor.js';
import { changesWithEntries, pairChanges } from '../packages/lake/src/stellar/change-pairs.js';
import { ChangeSequenceError, type EntryChange, type EntryKeying } from '../packages/lake/src/stellar/entry-change.js';
import { contractDataProcessor, ttlProcessor } from './support/processors.js';
import type { HubbleContractDataRow } from '../packages/lake/src/datasets/contract-data-hubble.js';
import type { HubbleTtlRow } from '../packages/lake/src/datasets/ttl.js';
import { CREATED, REMOVED, RESTORED, UPDATED, dataEntry, ledgerKey, ledgerWithChanges, remove, sha256, ttlEntry, update } from './support/ledger-changes.js';

const [C, U, R, S, RS] = [0, 1, 2, 3, 4] as const;

/** An account entry as the Go tests use them: its id, last-modified ledger and balance. */
interface Acct {
  id: string;
  lm: number;
  balance?: number;
}
const accountKeying: EntryKeying<Acct> = {
  key: (e) => e.id,
  describe: (e) =>
    xdr.LedgerKey.account(new xdr.LedgerKeyAccount({ accountId: xdr.PublicKey.publicKeyTypeEd25519(StrKey.decodeEd25519PublicKey(e.id)) })).toXDR('base64'),
};
const A = 'GC3C4AKRBQLHOJ45U4XG35ESVWRDECWO5XLDGYADO6DPR3L7KIDVUMML';
const B = 'GAJ2T6NQ6TDZRVRSNWM3JC7L3TG4H7UBCVK3GUHKP3TQ5NQ3LM4JGBTJ';
// The ledger key in the Go tests' error messages (LedgerKey of account A).
const A_KEY = 'AAAAAAAAAAC2LgFRDBZ3J52nLm30kq2iMgrO7dYzYAN3hvjtf1IHWg==';
const acct = (lm: number, balance?: number, id = A): Acct => ({ id, lm, balance });
const ch = (type: number, pre: Acct | undefined, post: Acct | undefined): EntryChange<Acct> => ({ type, pre, post });

function compactorWith(first: EntryChange<Acct>): ChangeCompactor<Acct> {
  const c = new ChangeCompactor(accountKeying);
  c.add(first);
  assert.equal(c.changes().length, 1);
  assert.equal(c.changes()[0]!.type, first.type);
  return c;
}
const rejects = (c: ChangeCompactor<Acct>, change: EntryChange<Acct>, message: string): void =>
  assert.throws(
    () => c.add(change),
    (e: unknown) => e instanceof ChangeSequenceError && e.message === message,
  );

test('recorded CREATED: create and restore fail, an update stays CREATED, a removal cancels the entry', () => {
  const setup = (): ChangeCompactor<Acct> => compactorWith(ch(C, undefined, acct(11)));
  rejects(setup(), ch(C, undefined, acct(12)), `can't create an entry that already exists (ledger key = ${A_KEY})`);
  rejects(setup(), ch(RS, undefined, acct(11)), `can't restore an entry that is already active (ledger key = ${A_KEY})`);
  let c = setup();
  c.add(ch(U, acct(11), acct(12)));
  assert.deepEqual(c.changes(), [ch(C, undefined, acct(12))]);
  c = setup();
  c.add(ch(R, acct(11), undefined));
  assert.deepEqual(c.changes(), []);
});

test('recorded UPDATED: create and restore fail, an update takes the new post, a removal keeps the first pre', () => {
  const setup = (): ChangeCompactor<Acct> => compactorWith(ch(U, acct(10), acct(11)));
  rejects(setup(), ch(C, undefined, acct(12)), `can't create an entry that already exists (ledger key = ${A_KEY})`);
  rejects(setup(), ch(RS, undefined, acct(11)), `can't restore an entry that is already active (ledger key = ${A_KEY})`);
  let c = setup();
  c.add(ch(U, acct(11), acct(12)));
  assert.deepEqual(c.changes(), [ch(U, acct(10), acct(12))]);
  c = setup();
  c.add(ch(R, acct(11), undefined));
  assert.deepEqual(c.changes(), [ch(R, acct(10), undefined)]);
});

test('recorded REMOVED: a create becomes UPDATED (pre kept); update, removal and restore fail', () => {
  const setup = (): ChangeCompactor<Acct> => compactorWith(ch(R, acct(10), undefined));
  const c = setup();
  c.add(ch(C, undefined, acct(12)));
  assert.deepEqual(c.changes(), [ch(U, acct(10), acct(12))]);
  rejects(setup(), ch(U, acct(10), acct(12)), `can't update an entry that was previously removed (ledger key = ${A_KEY})`);
  rejects(setup(), ch(R, acct(11), undefined), `can't remove an entry that was previously removed (ledger key = ${A_KEY})`);
  rejects(setup(), ch(RS, undefined, acct(11)), `can't restore an entry that is already active (ledger key = ${A_KEY})`);
});

test('recorded RESTORED (SuppressRemoveAfterRestoreChange=false): an update stays RESTORED, a removal is REMOVED with its own pre', () => {
  const restoredEntry = acct(1);
  const setup = (): ChangeCompactor<Acct> => compactorWith(ch(RS, undefined, restoredEntry));
  rejects(setup(), ch(C, undefined, restoredEntry), `can't create an entry that already exists (ledger key = ${A_KEY})`);
  rejects(setup(), ch(RS, undefined, restoredEntry), `can't restore an entry that is already active (ledger key = ${A_KEY})`);
  let c = setup();
  c.add(ch(U, restoredEntry, acct(2)));
  assert.deepEqual(c.changes(), [ch(RS, undefined, acct(2))]);
  c = setup();
  c.add(ch(R, restoredEntry, undefined));
  assert.deepEqual(c.changes(), [ch(R, restoredEntry, undefined)]);
});

test('1000 payments between two accounts squash into two UPDATED changes with the final balances', () => {
  const c = new ChangeCompactor(accountKeying);
  for (let i = 1; i <= 1000; i++) {
    c.add(ch(U, acct(10, 2000 - i + 1, B), acct(12, 2000 - i, B)));
    c.add(ch(U, acct(10, 2000 + i - 1, A), acct(12, 2000 + i, A)));
  }
  const out = c.changes();
  assert.equal(out.length, 2);
  assert.ok(out.every((x) => x.type === U));
  assert.deepEqual(
    out.map((x) => [x.post!.id, x.post!.balance]),
    [
      [B, 1000],
      [A, 3000],
    ],
  ); // first-seen order
});

test('changes come out in first-seen entry order; a cancelled and re-created entry keeps its place', () => {
  const c = new ChangeCompactor(accountKeying);
  const ids = [Keypair.random(), Keypair.random(), Keypair.random()].map((k) => k.publicKey());
  c.add(ch(C, undefined, acct(5, 0, ids[0])));
  c.add(ch(U, acct(4, 0, ids[1]), acct(5, 1, ids[1])));
  c.add(ch(R, acct(5, 0, ids[0]), undefined)); // cancels ids[0]
  c.add(ch(C, undefined, acct(5, 0, ids[2])));
  c.add(ch(C, undefined, acct(5, 9, ids[0]))); // created again
  assert.deepEqual(
    c.changes().map((x) => [x.post!.id, x.type]),
    [
      [ids[0], C],
      [ids[1], U],
      [ids[2], C],
    ],
  );
});

test('pairing: UPDATED and REMOVED take the STATE or RESTORED image right before them; STATE alone gives nothing', () => {
  const l = (change: number, e: Acct) => ({ change, entry: e });
  assert.deepEqual(pairChanges([l(C, acct(1)), l(S, acct(1)), l(U, acct(2)), l(RS, acct(3)), l(R, acct(3)), l(S, acct(4))], accountKeying), [
    ch(C, undefined, acct(1)),
    ch(U, acct(1), acct(2)),
    ch(RS, undefined, acct(3)),
    ch(R, acct(3), undefined),
  ]);
  assert.throws(() => pairChanges([l(U, acct(2))], accountKeying), /UPDATED not preceded by the entry's STATE or RESTORED image/);
  assert.throws(() => pairChanges([l(C, acct(1)), l(R, acct(1))], accountKeying), /REMOVED not preceded/);
  assert.throws(() => pairChanges([l(S, acct(1, 0, B)), l(U, acct(2))], accountKeying), new RegExp(`ledger key = ${A_KEY.replace(/[+/=]/g, '.')}`));
  // The lenient per-change reading (default profiles): a REMOVED without a STATE keeps no entry.
  assert.deepEqual(
    changesWithEntries([l(S, acct(1)), l(R, acct(1)), l(R, acct(1, 0, B))], accountKeying).map((x) => x.entry),
    [acct(1), undefined],
  );
});

// --- through ledgers: the hubble extractors compact per ledger ---------------------------------

const CID = sha256(Buffer.from('contract'));
const key = (n: number): xdr.ScVal => xdr.ScVal.scvU32(n);
const val = (n: number): xdr.ScVal => xdr.ScVal.scvU64(xdr.Uint64.fromString(String(n)));

test('CAP-63: several updates of one TTL in a ledger keep the largest live_until_ledger_seq', async () => {
  const h = Buffer.alloc(32, 1);
  const hubble = () => ttlProcessor<HubbleTtlRow>({ profile: 'hubble' });
  // Go's TestCompactTTLUpdates: updates to 13, 15, 12 -> 15; created 15 then 30, 22 -> 30; restored 15 then 30, 22 -> 30.
  const l1 = await ledgerWithChanges(12, 1000, [
    { operations: [update(ttlEntry(h, 11, 10), ttlEntry(h, 13, 12))] },
    { operations: [update(ttlEntry(h, 11, 10), ttlEntry(h, 15, 12))] },
    { operations: [update(ttlEntry(h, 11, 10), ttlEntry(h, 12, 12))] },
  ]);
  assert.deepEqual(
    hubble()
      .rows(l1)
      .map((r) => [r.key_hash, r.live_until_ledger_seq, r.ledger_entry_change]),
    [[h.toString('hex'), 15, U]],
  );
  for (const first of [CREATED, RESTORED]) {
    const l = await ledgerWithChanges(12, 1000, [
      { operations: [[first(ttlEntry(h, 15, 12))]] },
      { operations: [update(ttlEntry(h, 15, 12), ttlEntry(h, 30, 12))] },
      { operations: [update(ttlEntry(h, 15, 12), ttlEntry(h, 22, 12))] },
    ]);
    assert.deepEqual(
      hubble()
        .rows(l)
        .map((r) => [r.live_until_ledger_seq, r.ledger_entry_change]),
      [[30, first === CREATED ? C : RS]],
    );
    // The default profile keeps every change.
    assert.deepEqual(
      ttlProcessor()
        .rows(l)
        .map((r) => r.live_until_ledger_seq),
      [15, 30, 22],
    );
  }
});

test('an invalid change sequence stops the ledger with an error naming the ledger, the transaction and the key', async () => {
  const e0 = dataEntry(CID, key(1), val(1), 9);
  const keyB64 = ledgerKey(e0).toXDR('base64');
  const hubble = () => contractDataProcessor<HubbleContractDataRow>({ profile: 'hubble', networkPassphrase: 'unit test' });
  const updateAfterRemove = await ledgerWithChanges(10, 1000, [{ operations: [remove(e0)] }, { operations: [update(e0, dataEntry(CID, key(1), val(2), 10))] }]);
  assert.throws(
    () => hubble().rows(updateAfterRemove),
    (e: unknown) =>
      e instanceof ChangeSequenceError &&
      e.ledger === 10 &&
      e.txIndex === 2 &&
      e.message === `ledger 10: transaction 2: can't update an entry that was previously removed (ledger key = ${keyB64})`,
  );
  const createTwice = await ledgerWithChanges(10, 1000, [{ operations: [[CREATED(e0)], [CREATED(e0)]] }]);
  assert.throws(() => hubble().rows(createTwice), /^ChangeSequenceError: ledger 10: transaction 1: can't create an entry that already exists/);
  const bareUpdate = await ledgerWithChanges(10, 1000, [{ operations: [[UPDATED(e0)]] }]);
  assert.throws(
    () => hubble().rows(bareUpdate),
    (e: unknown) =>
      e instanceof ChangeSequenceError &&
      e.message === `ledger 10: transaction 1: UPDATED not preceded by the entry's STATE or RESTORED image (ledger key = ${keyB64})`,
  );
  const bareRemove = await ledgerWithChanges(10, 1000, [{ operations: [[REMOVED(e0)]] }]);
  assert.throws(() => hubble().rows(bareRemove), /transaction 1: REMOVED not preceded/);
  // The default profile reads change by change and has no such rule.
  assert.equal(contractDataProcessor().rows(updateAfterRemove).length, 2);
});
