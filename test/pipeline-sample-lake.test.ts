// The generated sample lake: valid galexie layout, decodable with the SDK alone, and our
// source + processors (fast and SDK decode) produce exactly the rows the generator reports
// and that an independent SDK walk of the raw XDR counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Asset, xdr } from '@stellar/stellar-sdk';
import { generateSampleLake, type SampleLakeOptions, type SampleLakeSummary } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';
import type { LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { contractDataProcessor } from './support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from './support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { rawDecompress } from './pipeline-helpers.js';

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const key = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, key));
    else out.push(key);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------
// Independent reference: zstd-wasm + xdr.LedgerCloseMetaBatch.fromXDR, counted as the
// fixtures README counts (no src/pipeline code involved).
// ---------------------------------------------------------------------------------------

interface Reference {
  ledgers: xdr.LedgerCloseMeta[];
  dataRows: number;
  events: number;
  txs: number;
  failed: number;
  evictedData: number;
  kinds: Set<string>;
}

async function referenceDecode(dir: string, s: SampleLakeSummary, perFile: number): Promise<Reference> {
  const config = JSON.parse(readFileSync(join(dir, '.config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(config, {
    networkPassphrase: s.networkPassphrase,
    version: '1.0',
    compression: 'zstd',
    ledgersPerBatch: perFile,
    batchesPerPartition: 64000,
  });
  const files = listFiles(dir).filter((k) => k !== '.config.json');
  assert.equal(files.length, s.files);
  const ref: Reference = { ledgers: [], dataRows: 0, events: 0, txs: 0, failed: 0, evictedData: 0, kinds: new Set() };
  // Keys sort newest first (reversed hex), so read them in ledger order.
  const byStart = files
    .map((key) => {
      const m = /^([0-9A-F]{8})--(\d+)-(\d+)\/([0-9A-F]{8})--(\d+)(?:-(\d+))?\.xdr\.zstd$/.exec(key);
      assert.ok(m, `galexie key ${key}`);
      const [pStart, pEnd, start] = [Number(m[2]), Number(m[3]), Number(m[5])];
      assert.equal(parseInt(m[1]!, 16), 0xffffffff - pStart, key);
      assert.equal(parseInt(m[4]!, 16), 0xffffffff - start, key);
      assert.equal(pStart % 64000, 0);
      assert.equal(pEnd, pStart + 64000 * perFile - 1);
      assert.equal(m[6] === undefined ? start : Number(m[6]), start + perFile - 1);
      return { key, start };
    })
    .sort((a, b) => a.start - b.start);
  for (const { key, start } of byStart) {
    const batch = xdr.LedgerCloseMetaBatch.fromXDR(await rawDecompress(join(dir, key)));
    assert.equal(batch.startSequence(), start);
    assert.equal(batch.endSequence(), start + perFile - 1);
    ref.ledgers.push(...batch.ledgerCloseMeta());
  }
  const networkId = sha256(Buffer.from(s.networkPassphrase));
  for (const lcm of ref.ledgers) {
    assert.equal(lcm.switch(), s.metaVersion);
    const body = lcm.switch() === 1 ? lcm.v1() : lcm.v2();
    // Every result's hash is the hash of an envelope in the tx set (signature payload rule).
    const envHashes = new Set<string>();
    for (const phase of body.txSet().v1TxSet().phases()) {
      const envs =
        phase.switch() === 0 ? phase.v0Components().flatMap((c) => c.txsMaybeDiscountedFee().txes()) : phase.parallelTxsComponent().executionStages().flat(2);
      for (const env of envs) {
        const tagged = Buffer.concat([networkId, Buffer.from([0, 0, 0, 2]) /* ENVELOPE_TYPE_TX */, env.v1().tx().toXDR()]);
        envHashes.add(sha256(tagged).toString('hex'));
      }
    }
    for (const tp of body.txProcessing()) {
      const pair = tp.result();
      assert.ok(envHashes.has(pair.transactionHash().toString('hex')), 'tx hash matches an envelope');
      ref.txs++;
      if (pair.result().result().switch().name !== 'txSuccess') ref.failed++;
      const meta = tp.txApplyProcessing();
      const m = meta.switch() === 3 ? meta.v3() : meta.v4();
      for (const c of [...m.txChangesBefore(), ...m.operations().flatMap((o) => o.changes()), ...m.txChangesAfter()]) {
        const kind = c.switch().name;
        const type = kind === 'ledgerEntryRemoved' ? c.removed().switch().name : (c.value() as xdr.LedgerEntry).data().switch().name;
        if (type !== 'contractData') continue;
        ref.kinds.add(kind);
        if (kind !== 'ledgerEntryState') ref.dataRows++;
      }
      const events =
        meta.switch() === 3
          ? (meta.v3().sorobanMeta()?.events() ?? [])
          : meta
              .v4()
              .operations()
              .flatMap((o) => o.events());
      ref.events += events.filter((e) => e.type().name === 'contract').length;
    }
    ref.evictedData += body.evictedKeys().filter((k) => k.switch().name === 'contractData').length;
  }
  return ref;
}

async function collect(dir: string, s: SampleLakeSummary): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  const src = new DataLakeSource({ reader: new FsObjectReader(dir), startLedger: s.firstLedger, endLedger: s.lastLedger, numWorkers: 4, bufferSize: 16 });
  for await (const l of src) out.push(l);
  return out;
}

const comparable = (rows: ContractDataRow[] | ContractEventRow[]): unknown =>
  JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? v.toString() : v)));

function checkLake(name: string, opts: SampleLakeOptions): void {
  test(`sample lake (${name}): layout, independent decode and processor counts agree with the generator`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-sample-'));
    try {
      const s = await generateSampleLake(dir, opts);
      const perFile = opts.ledgersPerFile ?? 1;
      assert.equal(s.ledgers, opts.ledgers ?? 300);
      assert.equal(s.lastLedger - s.firstLedger + 1, s.ledgers);
      assert.ok(s.contracts >= 24, `a few dozen contracts (${s.contracts})`);

      const ref = await referenceDecode(dir, s, perFile);
      assert.equal(ref.ledgers.length, s.ledgers);
      assert.equal(ref.dataRows, s.contractDataChanges, 'generator vs SDK count: contract-data changes');
      assert.equal(ref.events, s.contractEvents, 'generator vs SDK count: contract events');
      assert.equal(ref.txs, s.transactions);
      assert.equal(ref.failed, s.failedTransactions);
      assert.equal(ref.evictedData, s.evictedContractData);
      assert.ok(s.failedTransactions > 0 && s.evictedContractData > 0);
      const expectedKinds = ['ledgerEntryCreated', 'ledgerEntryUpdated', 'ledgerEntryRemoved', 'ledgerEntryState'];
      if (s.metaVersion === 2) expectedKinds.push('ledgerEntryRestored');
      assert.deepEqual([...ref.kinds].sort(), expectedKinds.sort());

      const ledgers = await collect(dir, s);
      assert.deepEqual(
        ledgers.map((l) => l.sequence),
        ref.ledgers.map((_, i) => s.firstLedger + i),
      );
      const gaps = ledgers.slice(1).map((l, i) => l.closeTime - ledgers[i]!.closeTime);
      assert.ok(
        gaps.every((g) => g >= 4 && g <= 6),
        'close times ~5 s apart',
      );
      const days = new Set(ledgers.map((l) => new Date(l.closeTime * 1000).toISOString().slice(0, 10)));
      assert.equal(days.size, 2, 'crosses a UTC day boundary');

      const rows = {
        fast: { data: [] as ContractDataRow[], events: [] as ContractEventRow[] },
        sdk: { data: [] as ContractDataRow[], events: [] as ContractEventRow[] },
      };
      for (const mode of ['fast', 'sdk'] as const) {
        const data = contractDataProcessor({ networkPassphrase: s.networkPassphrase, decode: mode });
        const events = contractEventsProcessor({ decode: mode });
        for (const l of ledgers) {
          rows[mode].data.push(...data.rows(l));
          rows[mode].events.push(...events.rows(l));
        }
        assert.equal(rows[mode].data.length, s.contractDataChanges, `${mode}: ContractData rows`);
        assert.equal(rows[mode].events.length, s.contractEvents, `${mode}: ContractEvents rows`);
      }
      assert.deepEqual(comparable(rows.fast.data), comparable(rows.sdk.data), 'fast and SDK contract_data rows');
      assert.deepEqual(comparable(rows.fast.events), comparable(rows.sdk.events), 'fast and SDK contract_events rows');
      const withEvictions = contractDataProcessor({ networkPassphrase: s.networkPassphrase, includeEvictions: true });
      assert.equal(
        ledgers.reduce((n, l) => n + withEvictions.rows(l).length, 0),
        s.contractDataChanges + s.evictedContractData,
      );

      // Content the tables are meant to exercise.
      const data = rows.fast.data;
      const balances = data.filter((r) => r.balance !== null);
      assert.ok(
        balances.some((r) => BigInt(r.balance!) >= 1n << 64n),
        'SAC balances beyond 2^64',
      );
      // Balances name only the native asset (its contract id follows from the network); a SAC's
      // instance entries name theirs, so a join on contract_id names every balance's asset.
      assert.deepEqual(new Set(balances.map((r) => r.asset_type)), new Set(['native', null]));
      const instanceAsset = new Map(
        data.filter((r) => r.contract_instance_type === 'ContractExecutableTypeContractExecutableStellarAsset').map((r) => [r.contract_id, r.asset_type]),
      );
      assert.deepEqual(
        new Set(balances.map((r) => r.asset_type ?? instanceAsset.get(r.contract_id))),
        new Set(['native', 'credit_alphanum4', 'credit_alphanum12']),
      );
      assert.ok(balances.every((r) => r.balance_holder!.startsWith('C')));
      assert.ok(data.some((r) => r.asset_code === 'USDC' && r.asset_issuer?.startsWith('G')));
      const wasm = new Set(
        data.filter((r) => r.contract_instance_type === 'ContractExecutableTypeContractExecutableWasm').map((r) => r.contract_instance_wasm_hash),
      );
      assert.equal(wasm.size, 4, 'four Wasm codes');
      assert.equal(
        data.filter((r) => r.contract_instance_type === 'ContractExecutableTypeContractExecutableStellarAsset' && r.ledger_entry_change === 0).length,
        5,
      );
      assert.deepEqual(new Set(data.map((r) => r.contract_durability)), new Set(['ContractDataDurabilityTemporary', 'ContractDataDurabilityPersistent']));
      assert.ok(new Set(data.map((r) => r.contract_id)).size >= 24);
      assert.ok(data.filter((r) => r.ledger_entry_change === 0).every((r) => r.expiration_ledger_seq !== null && r.expiration_ledger_seq > r.ledger_sequence));
      assert.ok(data.some((r) => r.deleted));

      const events = rows.fast.events;
      const sacEvents = events.filter((e) => e.topics!.length === 4);
      assert.ok(sacEvents.some((e) => e.topics![0] === '{"symbol":"transfer"}') && sacEvents.some((e) => e.topics![0] === '{"symbol":"mint"}'));
      for (const e of sacEvents) {
        assert.match(e.topics![1]!, /^\{"address":"[GC][A-Z2-7]{55}"\}$/);
        assert.match(e.topics![3]!, /^\{"string":"(native|[A-Z]+:G[A-Z2-7]{55})"\}$/);
        assert.match(e.data!, /^\{"i128":"\d+"\}$/);
      }
      assert.ok(sacEvents.some((e) => BigInt((JSON.parse(e.data!) as { i128: string }).i128) >= 1n << 64n));
      assert.ok(events.every((e) => e.in_successful_contract_call && e.contract_id?.startsWith('C')));
      assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'unique event ids');
      const nativeSac = rows.fast.data.find((r) => r.asset_type === 'native')!.contract_id;
      assert.equal(nativeSac, Asset.native().contractId(s.networkPassphrase), 'native SAC id derives from the passphrase');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

checkLake('defaults: 300 ledgers, meta v1/v3, 1 ledger per file', {});
checkLake('meta v2/v4, 4 ledgers per file, seed 7', { metaVersion: 2, ledgersPerFile: 4, seed: 7, ledgers: 200, startLedger: 63_900 });

test('sample lake: deterministic per seed', async () => {
  const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'cdp-sample-')));
  try {
    const [a, b, c] = await Promise.all([
      generateSampleLake(dirs[0]!, { ledgers: 20, seed: 3 }),
      generateSampleLake(dirs[1]!, { ledgers: 20, seed: 3 }),
      generateSampleLake(dirs[2]!, { ledgers: 20, seed: 4 }),
    ]);
    assert.deepEqual(a, b);
    const bytes = (d: string): Buffer[] => listFiles(d).map((k) => readFileSync(join(d, k)));
    assert.deepEqual(bytes(dirs[0]!), bytes(dirs[1]!));
    assert.notDeepEqual(bytes(dirs[0]!), bytes(dirs[2]!));
    assert.notDeepEqual(a, c);
    await assert.rejects(generateSampleLake(dirs[0]!, { ledgers: 10, ledgersPerFile: 4 }), /must divide/);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
