import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Address, hash, scValToNative, xdr } from '@stellar/stellar-sdk';
import { contractDataProcessor } from './support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { ledgerRecordFromBytes } from '../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE, PUBNET_FILE, rawDecompress } from './pipeline-helpers.js';

// ---------------------------------------------------------------------------------------
// Independent reference: walks the SDK objects directly, in the way the fixtures README
// counts changes, without any of src/pipeline's helpers.
// ---------------------------------------------------------------------------------------

interface RefChange {
  kind: string; // ledgerEntryCreated | ledgerEntryUpdated | ledgerEntryRemoved | ledgerEntryRestored | ledgerEntryState
  contract: string;
  keyType: string;
  durability: string;
  key: xdr.ScVal;
  val: xdr.ScVal | undefined;
  keyHash: string;
  lastModified: number | undefined;
}

function refChanges(lcm: xdr.LedgerCloseMeta): { changes: RefChange[]; ttl: Map<string, number> } {
  const procs = lcm.switch() === 1 ? lcm.v1().txProcessing() : lcm.v2().txProcessing();
  const changes: RefChange[] = [];
  const ttl = new Map<string, number>();
  for (const tp of procs) {
    const meta = tp.txApplyProcessing();
    const m = meta.switch() === 3 ? meta.v3() : meta.v4();
    const all = [...m.txChangesBefore(), ...m.operations().flatMap((o) => o.changes()), ...m.txChangesAfter()];
    for (const c of all) {
      const kind = c.switch().name;
      if (kind === 'ledgerEntryRemoved') {
        const k = c.removed();
        if (k.switch().name !== 'contractData') continue;
        const d = k.contractData();
        changes.push({
          kind,
          contract: Address.fromScAddress(d.contract()).toString(),
          keyType: d.key().switch().name,
          durability: d.durability().name,
          key: d.key(),
          val: undefined,
          keyHash: hash(k.toXDR()).toString('hex'),
          lastModified: undefined,
        });
        continue;
      }
      const e = c.value() as xdr.LedgerEntry;
      if (e.data().switch().name === 'ttl') {
        ttl.set(e.data().ttl().keyHash().toString('hex'), e.data().ttl().liveUntilLedgerSeq());
        continue;
      }
      if (e.data().switch().name !== 'contractData') continue;
      const d = e.data().contractData();
      const lk = xdr.LedgerKey.contractData(new xdr.LedgerKeyContractData({ contract: d.contract(), key: d.key(), durability: d.durability() }));
      changes.push({
        kind,
        contract: Address.fromScAddress(d.contract()).toString(),
        keyType: d.key().switch().name,
        durability: d.durability().name,
        key: d.key(),
        val: d.val(),
        keyHash: hash(lk.toXDR()).toString('hex'),
        lastModified: e.lastModifiedLedgerSeq(),
      });
    }
  }
  return { changes, ttl };
}

const b = (u: Uint8Array | null): string | null => (u === null ? null : Buffer.from(u).toString('hex'));

function assertMatchesReference(rows: ContractDataRow[], ref: RefChange[], ttl: Map<string, number>, seq: number): void {
  const expected = ref.filter((c) => c.kind !== 'ledgerEntryState');
  assert.equal(rows.length, expected.length);
  rows.forEach((row, i) => {
    const c = expected[i]!;
    assert.equal(row.contract_id, c.contract);
    assert.equal(row.contract_key_type.toLowerCase(), `scvaltype${c.keyType}`.toLowerCase());
    assert.equal(row.contract_durability.toLowerCase(), `contractdatadurability${c.durability}`);
    assert.equal(row.ledger_key_hash, c.keyHash);
    assert.equal(b(row.key_xdr), c.key.toXDR('hex'));
    if (c.val) assert.equal(b(row.val_xdr), c.val.toXDR('hex'));
    assert.equal(row.ledger_sequence, seq);
    assert.equal(row.deleted, c.kind === 'ledgerEntryRemoved');
    assert.equal(row.ledger_entry_change, { ledgerEntryCreated: 0, ledgerEntryUpdated: 1, ledgerEntryRemoved: 2, ledgerEntryRestored: 4 }[c.kind]);
    if (c.lastModified !== undefined) assert.equal(row.last_modified_ledger, c.lastModified);
    assert.equal(row.expiration_ledger_seq, ttl.get(c.keyHash) ?? null);
  });
}

test('pubnet 53312000: 9 temporary CREATED + the instance STATE/UPDATED pair once = 10 rows', async () => {
  const raw = await rawDecompress(PUBNET_FILE);
  const lcm = xdr.LedgerCloseMetaBatch.fromXDR(raw).ledgerCloseMeta()[0]!;
  const { changes, ttl } = refChanges(lcm);
  assert.equal(changes.length, 11); // README: 9 CREATED + 1 STATE + 1 UPDATED

  const record = ledgerRecordFromBytes(raw.subarray(12));
  const proc = contractDataProcessor({ networkPassphrase: 'Public Global Stellar Network ; September 2015' });
  const msgs = proc.process(record);
  assert.equal(msgs.length, 10);
  const rows = msgs.map((m) => m.payload as unknown as ContractDataRow);
  assertMatchesReference(rows, changes, ttl, 53312000);

  for (const m of msgs) {
    assert.equal(m.metadata.table, 'contract_data');
    assert.equal(m.metadata.ledger_sequence, 53312000);
    assert.equal(m.metadata.ledger_close_time, Date.parse('2024-09-02T10:50:19.000Z') / 1000);
  }
  const created = rows.filter((r) => r.ledger_entry_change === 0);
  assert.equal(created.length, 9);
  for (const r of created) {
    assert.equal(r.contract_id.slice(0, 8), 'CALI2BYU');
    assert.equal(r.contract_key_type, 'ScValTypeScvU128');
    assert.equal(r.contract_durability, 'ContractDataDurabilityTemporary');
    assert.equal(r.closed_at, BigInt(Date.parse('2024-09-02T10:50:19.000Z')) * 1000n);
    assert.equal(r.last_modified_ledger, 53312000);
    assert.equal(r.expiration_ledger_seq, 53329281); // from the TTL entries created alongside
    assert.equal(r.balance, null);
  }
  const [inst] = rows.filter((r) => r.ledger_entry_change === 1);
  assert.ok(inst);
  assert.equal(inst.contract_key_type, 'ScValTypeScvLedgerKeyContractInstance');
  assert.equal(inst.contract_durability, 'ContractDataDurabilityPersistent');
  assert.equal(inst.contract_instance_type, 'ContractExecutableTypeContractExecutableWasm');
  const refInst = changes.find((c) => c.kind === 'ledgerEntryUpdated')!;
  assert.equal(inst.contract_instance_wasm_hash, refInst.val!.instance().executable().wasmHash().toString('hex'));
  assert.equal(inst.expiration_ledger_seq, null); // its TTL was not touched in this ledger
  assert.equal(inst.asset_type, null); // a Wasm contract, not a SAC
  assert.equal(new Set(rows.map((r) => r.ledger_key_hash)).size, 10);
});

test('load test 84/85/88: 0, 500 CREATED, 500 UPDATED SAC balance rows', async () => {
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const proc = contractDataProcessor({ networkPassphrase: 'Standalone Network ; February 2017' });
  const counts: Record<number, number> = {};
  for (const l of ledgers) {
    const rows = proc.rows(l);
    counts[l.sequence] = rows.length;
    const { changes, ttl } = refChanges(l.meta());
    assertMatchesReference(rows, changes, ttl, l.sequence);
    for (const [i, r] of rows.entries()) {
      const c = changes.filter((x) => x.kind !== 'ledgerEntryState')[i]!;
      // SAC balance: key Vec[Symbol("Balance"), Address], value Map{amount, authorized, clawback}.
      const key = scValToNative(c.key) as [string, string];
      const val = scValToNative(c.val!) as { amount: bigint };
      assert.equal(key[0], 'Balance');
      assert.equal(r.balance_holder, key[1]);
      assert.equal(r.balance, val.amount);
      assert.equal(r.contract_id, 'CDMLFMKMMD7MWZP3FKUBZPVHTUEDLSX4BYGYKH4GCESXYHS3IHQ4EIG4');
      assert.equal(r.asset_type, 'native'); // the native SAC id for this passphrase
      assert.equal(r.contract_key_type, 'ScValTypeScvVec');
      assert.equal(r.contract_durability, 'ContractDataDurabilityPersistent');
    }
    if (l.sequence === 85) {
      assert.ok(rows.every((r) => r.ledger_entry_change === 0 && r.expiration_ledger_seq !== null));
      assert.equal(changes.filter((c) => c.kind === 'ledgerEntryCreated').length, 500);
    }
    if (l.sequence === 88) {
      assert.ok(rows.every((r) => r.ledger_entry_change === 1));
      // README: 500 STATE + 500 UPDATED -> 500 rows.
      assert.equal(changes.filter((c) => c.kind === 'ledgerEntryState').length, 500);
    }
  }
  assert.deepEqual(counts, { 84: 0, 85: 500, 88: 500 });
});

test('balances are exact i128 decimals; removals take the value of the preceding STATE', async () => {
  // Build a ledger from the load-test ledger 88 with its changes rewritten: a huge balance
  // and an UPDATED turned into a REMOVED (STATE before it stays).
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const lcm = xdr.LedgerCloseMeta.fromXDR(ledgers[2]!.meta().toXDR());
  const meta = lcm.v2().txProcessing()[0]!.txApplyProcessing().v4();
  const ops = meta.operations();
  const changes = ops[0]!.changes();
  const updIdx = changes.findIndex((c) => c.switch().name === 'ledgerEntryUpdated');
  const upd = changes[updIdx]!.updated();
  const d = upd.data().contractData();
  const big = (1n << 126n) + 12345n;
  const amount = xdr.ScVal.scvI128(
    new xdr.Int128Parts({ hi: xdr.Int64.fromString((big >> 64n).toString()), lo: xdr.Uint64.fromString((big & ((1n << 64n) - 1n)).toString()) }),
  );
  d.val(
    xdr.ScVal.scvMap([
      new xdr.ScMapEntry({ key: xdr.ScVal.scvSymbol('amount'), val: amount }),
      new xdr.ScMapEntry({ key: xdr.ScVal.scvSymbol('authorized'), val: xdr.ScVal.scvBool(true) }),
      new xdr.ScMapEntry({ key: xdr.ScVal.scvSymbol('clawback'), val: xdr.ScVal.scvBool(false) }),
    ]),
  );
  const nextUpd = changes.findIndex((c, i) => i > updIdx && c.switch().name === 'ledgerEntryUpdated');
  const removedEntry = changes[nextUpd]!.updated().data().contractData();
  const stateBefore = changes[nextUpd - 1]!;
  assert.equal(stateBefore.switch().name, 'ledgerEntryState');
  changes[nextUpd] = xdr.LedgerEntryChange.ledgerEntryRemoved(
    xdr.LedgerKey.contractData(
      new xdr.LedgerKeyContractData({ contract: removedEntry.contract(), key: removedEntry.key(), durability: removedEntry.durability() }),
    ),
  );
  const record = ledgerRecordFromBytes(new Uint8Array(lcm.toXDR()));
  const rows = contractDataProcessor().rows(record);
  assert.equal(rows.length, 500);
  const bigRow = rows.find((r) => r.balance === big);
  assert.ok(bigRow, 'i128 balance above 2^64 kept exactly');
  const removed = rows.filter((r) => r.deleted);
  assert.equal(removed.length, 1);
  assert.equal(removed[0]!.ledger_entry_change, 2);
  const prev = stateBefore.state();
  assert.equal(b(removed[0]!.val_xdr), prev.data().contractData().val().toXDR('hex'));
  assert.equal(removed[0]!.last_modified_ledger, prev.lastModifiedLedgerSeq());
  assert.equal(removed[0]!.balance_holder, (scValToNative(removedEntry.key()) as string[])[1]);
  // Without a passphrase the native SAC is not recognisable from balance entries alone.
  assert.equal(bigRow.asset_type, null);
});
