// contract_data, hubble profile: stellar-etl's contract_data_test.go vector, the SAC asset and
// balance rules, per-ledger compaction, and the real fixtures checked against an independent
// SDK decode and the Rust stellar-xdr JSON oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Asset, Keypair, StrKey, hash, scValToNative, xdr } from '@stellar/stellar-sdk';
import { contractDataProcessor } from './support/processors.js';
import type { HubbleContractDataRow } from '../packages/lake/src/datasets/contract-data-hubble.js';
import { contractData } from '../packages/lake/src/datasets/contract-data.js';
import { optionsFrom } from '../packages/lake/src/datasets/dataset.js';
import { ledgerRecordFromBytes, type LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE, PUBNET_FILE, rawDecompress } from './pipeline-helpers.js';
import { CREATED, RESTORED, dataEntry, ledgerKey, ledgerWithChanges, remove, sha256, update, type TxChanges } from './support/ledger-changes.js';
import { scValJsonOracle } from './support/xdr-json-oracle.js';

const PUBNET = 'Public Global Stellar Network ; September 2015';
const STANDALONE = 'Standalone Network ; February 2017';
const hubble = (networkPassphrase = 'unit test', decode?: 'fast' | 'sdk') =>
  contractDataProcessor<HubbleContractDataRow>({ profile: 'hubble', networkPassphrase, decode });
const rowsOf = async (txs: TxChanges[], passphrase?: string): Promise<HubbleContractDataRow[]> =>
  hubble(passphrase).rows(await ledgerWithChanges(10, 1000, txs));

test('stellar-etl contract_data_test.go: every column of the UPDATED instance-as-key entry', async () => {
  const scStr = xdr.ScVal.scvString('a');
  const key = xdr.ScVal.scvContractInstance(
    new xdr.ScContractInstance({
      executable: xdr.ContractExecutable.contractExecutableWasm(Buffer.alloc(32)),
      storage: [new xdr.ScMapEntry({ key: scStr, val: scStr })],
    }),
  );
  const post = dataEntry(Buffer.alloc(32), key, xdr.ScVal.scvBool(true), 24229503);
  const pre = dataEntry(Buffer.alloc(32), key, xdr.ScVal.scvBool(false), 24229000);
  const rows = await rowsOf([{ operations: [update(pre, post)] }]);
  assert.equal(rows.length, 1);
  const keyB64 = 'AAAAEwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAABAAAADgAAAAFhAAAAAAAADgAAAAFhAAAA';
  assert.deepEqual(rows[0], {
    contract_id: 'CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSC4',
    contract_key_type: 'ScValTypeScvContractInstance',
    contract_durability: 'ContractDataDurabilityPersistent',
    // The Go test mocks AssetFromContractData (native) and ContractBalanceFromContractData (0 for
    // a zero holder); the real functions name no asset for an entry whose key is not the
    // instance key and no balance for a non-Vec key, so these stay empty.
    asset_code: '',
    asset_issuer: '',
    asset_type: '',
    balance_holder: '',
    balance: '',
    last_modified_ledger: 24229503,
    ledger_entry_change: 1,
    deleted: false,
    closed_at: BigInt(Date.parse('1970-01-01T00:16:40Z')) * 1000n,
    ledger_sequence: 10,
    ledger_key_hash: 'abfc33272095a9df4c310cff189040192a8aee6f6a23b6b462889114d80728ca',
    key: JSON.stringify(keyB64),
    key_decoded:
      '{"contract_instance":{"executable":{"wasm":"0000000000000000000000000000000000000000000000000000000000000000"},"storage":[{"key":{"string":"a"},"val":{"string":"a"}}]}}',
    val: JSON.stringify('AAAAAAAAAAE='),
    val_decoded: '{"bool":true}',
    contract_data_xdr:
      'AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAQAAAA4AAAABYQAAAAAAAA4AAAABYQAAAAAAAAEAAAAAAAAAAQ==',
    ledger_key_hash_base_64:
      'AAAABgAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAQAAAA4AAAABYQAAAAAAAA4AAAABYQAAAAAAAAE=',
  });
  assert.deepEqual(
    Object.keys(rows[0]!),
    contractData.tables.hubble!.columns.list.map((c) => c.name),
  );
});

test('Hubble column order and types: the airflow schema without batch_id, batch_run_date, batch_insert_ts', () => {
  const t = contractData.tables.hubble!;
  const bq: Record<string, string> = { string: 'STRING', json: 'JSON', int64: 'INTEGER', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' };
  assert.deepEqual(
    t.fields.map((f) => `${f.name}:${bq[f.type]}`),
    [
      'contract_id:STRING',
      'contract_key_type:STRING',
      'contract_durability:STRING',
      'asset_code:STRING',
      'asset_issuer:STRING',
      'asset_type:STRING',
      'balance_holder:STRING',
      'balance:STRING',
      'last_modified_ledger:INTEGER',
      'ledger_entry_change:INTEGER',
      'deleted:BOOLEAN',
      'closed_at:TIMESTAMP',
      'ledger_sequence:INTEGER',
      'ledger_key_hash:STRING',
      'key:JSON',
      'key_decoded:JSON',
      'val:JSON',
      'val_decoded:JSON',
      'contract_data_xdr:STRING',
      'ledger_key_hash_base_64:STRING',
    ],
  );
  // stellar-etl writes every field (empty strings, zeros), so no column is null.
  assert.ok(t.fields.every((f) => f.optional !== true));
});

// --- Stellar Asset Contract rules --------------------------------------------------------------

const issuer = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 7));
const sym = (s: string): xdr.ScVal => xdr.ScVal.scvSymbol(s);
const map = (pairs: Array<[xdr.ScVal, xdr.ScVal]>): xdr.ScVal => xdr.ScVal.scvMap(pairs.map(([key, val]) => new xdr.ScMapEntry({ key, val })));

function sacInstance(assetInfo: xdr.ScVal): xdr.ScVal {
  return xdr.ScVal.scvContractInstance(
    new xdr.ScContractInstance({
      executable: xdr.ContractExecutable.contractExecutableStellarAsset(),
      storage: [new xdr.ScMapEntry({ key: xdr.ScVal.scvVec([sym('AssetInfo')]), val: assetInfo })],
    }),
  );
}
const creditInfo = (kind: string, code: string): xdr.ScVal =>
  xdr.ScVal.scvVec([
    sym(kind),
    map([
      [sym('asset_code'), xdr.ScVal.scvString(code)],
      [sym('issuer'), xdr.ScVal.scvBytes(issuer.rawPublicKey())],
    ]),
  ]);
const contractIdOf = (asset: Asset, passphrase: string): Buffer => StrKey.decodeContract(asset.contractId(passphrase));
const instanceRow = async (contractId: Buffer, info: xdr.ScVal, passphrase = 'unit test') =>
  (await rowsOf([{ operations: [[CREATED(dataEntry(contractId, xdr.ScVal.scvLedgerKeyContractInstance(), sacInstance(info), 10))]] }], passphrase))[0]!;

test('asset columns: only on a SAC instance entry whose contract id derives from the asset it declares', async () => {
  const usdc = new Asset('USDC', issuer.publicKey());
  let r = await instanceRow(contractIdOf(usdc, 'unit test'), creditInfo('AlphaNum4', 'USDC'));
  assert.deepEqual([r.asset_type, r.asset_code, r.asset_issuer], ['credit_alphanum4', 'USDC', issuer.publicKey()]);
  const long = new Asset('LONGCODE12', issuer.publicKey());
  r = await instanceRow(contractIdOf(long, 'unit test'), creditInfo('AlphaNum12', 'LONGCODE12'));
  assert.deepEqual([r.asset_type, r.asset_code, r.asset_issuer], ['credit_alphanum12', 'LONGCODE12', issuer.publicKey()]);
  // Forged: the same AssetInfo in another contract, or the right contract on another network.
  for (const row of [
    await instanceRow(sha256(Buffer.from('forger')), creditInfo('AlphaNum4', 'USDC')),
    await instanceRow(contractIdOf(usdc, 'unit test'), creditInfo('AlphaNum4', 'USDC'), 'other network'),
  ])
    assert.deepEqual([row.asset_type, row.asset_code, row.asset_issuer], ['', '', '']);
  // The native SAC stores Vec[Symbol("Native")]; stellar-etl requires two elements, so no asset.
  r = await instanceRow(contractIdOf(Asset.native(), 'unit test'), xdr.ScVal.scvVec([sym('Native')]));
  assert.equal(r.asset_type, '');
  r = await instanceRow(contractIdOf(Asset.native(), 'unit test'), xdr.ScVal.scvVec([sym('Native'), xdr.ScVal.scvVoid()]));
  assert.deepEqual([r.asset_type, r.asset_code, r.asset_issuer], ['native', '', '']);
  assert.equal(r.contract_key_type, 'ScValTypeScvLedgerKeyContractInstance');
});

test('balance columns: contract holders only, exactly {amount, authorized, clawback}, amount >= 0', async () => {
  const sac = contractIdOf(new Asset('USDC', issuer.publicKey()), 'unit test');
  const holder = sha256(Buffer.from('holder'));
  const balanceKey = (address: xdr.ScAddress): xdr.ScVal => xdr.ScVal.scvVec([sym('Balance'), xdr.ScVal.scvAddress(address)]);
  // Each case its own holder (one ledger cannot create one entry twice).
  let n = 0;
  const other = (): xdr.ScAddress => xdr.ScAddress.scAddressTypeContract(sha256(Buffer.from(`other ${n++}`)) as unknown as xdr.ContractId);
  const contractHolder = xdr.ScAddress.scAddressTypeContract(holder as unknown as xdr.ContractId);
  const accountHolder = xdr.ScAddress.scAddressTypeAccount(xdr.PublicKey.publicKeyTypeEd25519(issuer.rawPublicKey()));
  const i128 = (v: bigint): xdr.ScVal =>
    xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: xdr.Int64.fromString(String(v >> 64n)), lo: xdr.Uint64.fromString(String(BigInt.asUintN(64, v))) }));
  const balance = (amount: xdr.ScVal, extra: Array<[xdr.ScVal, xdr.ScVal]> = []): xdr.ScVal =>
    map([[sym('amount'), amount], [sym('authorized'), xdr.ScVal.scvBool(true)], [sym('clawback'), xdr.ScVal.scvBool(false)], ...extra]);
  const big = (1n << 100n) + 3n;
  const zeroHolder = other();
  const cases: Array<[xdr.ScAddress, xdr.ScVal, string, string]> = [
    [contractHolder, balance(i128(big)), StrKey.encodeContract(holder), big.toString()],
    [accountHolder, balance(i128(5n)), '', ''],
    [other(), balance(i128(-1n)), '', ''],
    [other(), balance(i128(5n), [[sym('extra'), xdr.ScVal.scvVoid()]]), '', ''],
    [
      other(),
      map([
        [sym('amount'), i128(5n)],
        [sym('clawback'), xdr.ScVal.scvBool(false)],
        [sym('authorized'), xdr.ScVal.scvBool(true)],
      ]),
      '',
      '',
    ],
    [
      other(),
      map([
        [sym('amount'), i128(5n)],
        [sym('authorized'), xdr.ScVal.scvU32(1)],
        [sym('clawback'), xdr.ScVal.scvBool(false)],
      ]),
      '',
      '',
    ],
    [
      other(),
      map([
        [sym('amount'), xdr.ScVal.scvU64(xdr.Uint64.fromString('5'))],
        [sym('authorized'), xdr.ScVal.scvBool(true)],
        [sym('clawback'), xdr.ScVal.scvBool(false)],
      ]),
      '',
      '',
    ],
    [zeroHolder, balance(i128(0n)), StrKey.encodeContract(zeroHolder.contractId() as unknown as Buffer), '0'],
  ];
  const rows = await rowsOf(cases.map(([address, val], i) => ({ operations: [[CREATED(dataEntry(sac, balanceKey(address), val, 10 + i))]] })));
  assert.deepEqual(
    rows.map((r) => [r.balance_holder, r.balance, r.asset_type]),
    cases.map(([, , h, b]) => [h, b, '']),
  );
});

test('nonce entries have no rows; other key types do', async () => {
  const cid = sha256(Buffer.from('account contract'));
  const nonce = xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: xdr.Int64.fromString('42') }));
  const rows = await rowsOf([
    {
      operations: [
        [
          CREATED(dataEntry(cid, nonce, xdr.ScVal.scvVoid(), 10, xdr.ContractDataDurability.temporary())),
          CREATED(dataEntry(cid, sym('Admin'), xdr.ScVal.scvVoid(), 10)),
        ],
      ],
    },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.contract_key_type, r.contract_durability]),
    [['ScValTypeScvSymbol', 'ContractDataDurabilityPersistent']],
  );
});

// --- compaction -----------------------------------------------------------------------------

test('compaction: one row per entry per ledger, final state; removals show the entry as it was before the ledger', async () => {
  const cid = sha256(Buffer.from('counter'));
  const e = (k: string, v: number, lm: number) => dataEntry(cid, sym(k), xdr.ScVal.scvU32(v), lm);
  const rows = await rowsOf([
    { operations: [[CREATED(e('x', 1, 10))], update(e('y', 1, 7), e('y', 2, 10)), [CREATED(e('z', 1, 10))], remove(e('w', 1, 8))] },
    { operations: [update(e('x', 1, 10), e('x', 2, 10)), remove(e('y', 2, 10)), remove(e('z', 1, 10)), [CREATED(e('w', 5, 10))]] },
    { before: [RESTORED(e('r', 1, 3))], operations: [remove(e('r', 1, 3))] },
  ]);
  const view = rows.map((r) => [JSON.parse(r.key_decoded).symbol, r.ledger_entry_change, r.deleted, JSON.parse(r.val_decoded).u32, r.last_modified_ledger]);
  assert.deepEqual(view, [
    ['x', 0, false, 2, 10], // created then updated: CREATED with the last value
    ['y', 2, true, 1, 7], // updated then removed: REMOVED with the pre-ledger image (Go keeps the first pre)
    // z: created then removed within the ledger: no row
    ['w', 1, false, 5, 10], // removed then created again: UPDATED
    ['r', 2, true, 1, 3], // restored then removed: REMOVED (SuppressRemoveAfterRestoreChange=false)
  ]);
  // The default profile keeps one row per change: 1+1+1+1 (first tx) + 4 (second) + 2 (third).
  assert.equal(
    contractDataProcessor().rows(
      await ledgerWithChanges(10, 1000, [
        { operations: [[CREATED(e('x', 1, 10))], update(e('y', 1, 7), e('y', 2, 10)), [CREATED(e('z', 1, 10))], remove(e('w', 1, 8))] },
        { operations: [update(e('x', 1, 10), e('x', 2, 10)), remove(e('y', 2, 10)), remove(e('z', 1, 10)), [CREATED(e('w', 5, 10))]] },
        { before: [RESTORED(e('r', 1, 3))], operations: [remove(e('r', 1, 3))] },
      ]),
    ).length,
    10,
  );
});

test('configuration: the hubble profile needs a network passphrase and takes no include_evictions', () => {
  assert.throws(
    () => contractData.open!({ profile: 'hubble', networkPassphrase: undefined, options: optionsFrom({}) }),
    /hubble profile needs the network passphrase/,
  );
  assert.throws(
    () => contractData.open!({ profile: 'hubble', networkPassphrase: 'x', options: optionsFrom({ include_evictions: true }) }),
    /'include_evictions' applies to the default profile only/,
  );
});

// --- real fixtures --------------------------------------------------------------------------

interface RefEntry {
  change: string;
  entry: xdr.LedgerEntry;
  keyHash: string;
}

/** Independent reference: the last CREATED/UPDATED image per contract-data key, off the SDK objects. */
function refFinalEntries(lcm: xdr.LedgerCloseMeta): Map<string, RefEntry> {
  const out = new Map<string, RefEntry>();
  const procs = lcm.switch() === 1 ? lcm.v1().txProcessing() : lcm.v2().txProcessing();
  for (const tp of procs) {
    const meta = tp.txApplyProcessing();
    const m = meta.switch() === 3 ? meta.v3() : meta.v4();
    for (const c of [...m.txChangesBefore(), ...m.operations().flatMap((o) => o.changes()), ...m.txChangesAfter()]) {
      const kind = c.switch().name;
      if (kind !== 'ledgerEntryCreated' && kind !== 'ledgerEntryUpdated') continue;
      const entry = c.value() as xdr.LedgerEntry;
      if (entry.data().switch().name !== 'contractData') continue;
      const keyHash = hash(ledgerKey(entry).toXDR()).toString('hex');
      out.set(keyHash, { change: out.get(keyHash)?.change ?? kind, entry, keyHash });
    }
  }
  return out;
}

async function checkAgainstReference(l: LedgerRecord, passphrase: string): Promise<HubbleContractDataRow[]> {
  const oracle = await scValJsonOracle();
  const rows = hubble(passphrase).rows(l);
  const ref = refFinalEntries(l.meta());
  assert.equal(rows.length, ref.size);
  for (const r of rows) {
    const { change, entry } = ref.get(r.ledger_key_hash)!;
    const d = entry.data().contractData();
    assert.equal(r.ledger_entry_change, change === 'ledgerEntryCreated' ? 0 : 1);
    assert.equal(r.contract_id, StrKey.encodeContract(d.contract().contractId() as unknown as Buffer));
    assert.equal(r.last_modified_ledger, entry.lastModifiedLedgerSeq());
    assert.equal(r.ledger_sequence, l.sequence);
    assert.equal(r.closed_at, BigInt(l.closeTime) * 1_000_000n);
    assert.equal(JSON.parse(r.key), d.key().toXDR('base64'));
    assert.equal(JSON.parse(r.val), d.val().toXDR('base64'));
    assert.equal(r.key_decoded, oracle(d.key().toXDR('base64')));
    assert.equal(r.val_decoded, oracle(d.val().toXDR('base64')));
    assert.equal(r.contract_data_xdr, d.toXDR('base64'));
    assert.equal(r.ledger_key_hash_base_64, ledgerKey(entry).toXDR('base64'));
    assert.equal(r.deleted, false);
  }
  return rows;
}

test('pubnet 53312000: 9 temporary CREATED + the instance UPDATED = 10 rows, values as the SDK decodes them', async () => {
  const l = ledgerRecordFromBytes((await rawDecompress(PUBNET_FILE)).subarray(12));
  const rows = await checkAgainstReference(l, PUBNET);
  assert.equal(rows.length, 10);
  assert.equal(
    rows.filter((r) => r.ledger_entry_change === 0 && r.contract_durability === 'ContractDataDurabilityTemporary' && r.contract_key_type === 'ScValTypeScvU128')
      .length,
    9,
  );
  const [inst] = rows.filter((r) => r.ledger_entry_change === 1);
  assert.equal(inst!.contract_key_type, 'ScValTypeScvLedgerKeyContractInstance');
  assert.equal(inst!.key_decoded, '"ledger_key_contract_instance"');
  assert.ok(rows.every((r) => r.contract_id.startsWith('CALI2BYU') && r.asset_type === '' && r.balance === ''));
});

test('load test 85/88: 500 CREATED / 500 UPDATED SAC balances of contract holders', async () => {
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const counts: Record<number, number[]> = {};
  for (const l of ledgers) {
    const rows = await checkAgainstReference(l, STANDALONE);
    counts[l.sequence] = [rows.filter((r) => r.ledger_entry_change === 0).length, rows.filter((r) => r.ledger_entry_change === 1).length];
    for (const r of rows) {
      const d = xdr.ContractDataEntry.fromXDR(r.contract_data_xdr, 'base64');
      const [tag, holder] = scValToNative(d.key()) as [string, string];
      const { amount } = scValToNative(d.val()) as { amount: bigint };
      assert.equal(tag, 'Balance');
      assert.ok(holder.startsWith('C'));
      assert.equal(r.balance_holder, holder);
      assert.equal(r.balance, amount.toString());
      assert.equal(r.contract_id, 'CDMLFMKMMD7MWZP3FKUBZPVHTUEDLSX4BYGYKH4GCESXYHS3IHQ4EIG4');
      assert.equal(r.asset_type, ''); // balance entries never name the asset in stellar-etl
    }
  }
  assert.deepEqual(counts, { 84: [0, 0], 85: [500, 0], 88: [0, 500] });
});

test('the fast scanner and the SDK walk give identical hubble rows', async () => {
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  ledgers.push(ledgerRecordFromBytes((await rawDecompress(PUBNET_FILE)).subarray(12)));
  for (const l of ledgers) {
    const fresh = (): LedgerRecord => ledgerRecordFromBytes(l.bytes);
    assert.deepEqual(hubble(STANDALONE, 'fast').rows(fresh()), hubble(STANDALONE, 'sdk').rows(fresh()), `ledger ${l.sequence}`);
  }
});
