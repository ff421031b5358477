// The hubble ledger-entry tables through a pipeline (YAML `profile: hubble`) and SaveToParquet,
// queried with DuckDB in the way Hubble's documentation queries them: the latest balance per
// holder from contract_data, contract_data joined to ttl by key hash, contract code. Expected
// values come from an independent walk of the same ledgers' SDK objects. The default profiles
// of ttl and contract_code run over a generated sample lake, counts checked per ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hash, scValToNative, xdr } from '@stellar/stellar-sdk';
import { duckObjects } from './support/duckdb.js';
import { parsePipelineYaml } from '../packages/lake/src/pipeline/config/pipeline-config.js';
import { PipelineRun } from '../packages/lake/src/pipeline/host/pipeline-runner.js';
import { GalexieLayout, type DataLakeSchema } from '../packages/lake/src/pipeline/source/galexie-layout.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { LOAD_TEST_FILE, zstd } from './pipeline-helpers.js';
import { contractCodeProcessor, ttlProcessor } from './support/processors.js';
import { CREATED, codeEntry, keyHashOf, ledgerKey, metaWithChanges, remove, restamp, sha256, ttlEntry, update } from './support/ledger-changes.js';

const STANDALONE = 'Standalone Network ; February 2017';

async function writeLake(dir: string, metas: xdr.LedgerCloseMeta[], first: number): Promise<void> {
  const schema: DataLakeSchema = { networkPassphrase: STANDALONE, version: '1.0', compression: 'zstd', ledgersPerBatch: 1, batchesPerPartition: 64000 };
  const layout = new GalexieLayout(schema);
  const z = await zstd();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.config.json'), JSON.stringify(schema));
  for (const [i, meta] of metas.entries()) {
    const seq = first + i;
    const path = join(dir, ...layout.objectKey(seq).split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, z.compress(new xdr.LedgerCloseMetaBatch({ startSequence: seq, endSequence: seq, ledgerCloseMeta: [meta] }).toXDR(), 3));
  }
}

async function runPipeline(yaml: string): Promise<void> {
  const [spec] = parsePipelineYaml(yaml, {});
  await (await PipelineRun.create(spec!)).run();
}

type Changes = xdr.LedgerEntryChange[];
function allChanges(lcm: xdr.LedgerCloseMeta): Changes {
  return lcm
    .v2()
    .txProcessing()
    .flatMap((tp) => {
      const m = tp.txApplyProcessing().v4();
      return [...m.txChangesBefore(), ...m.operations().flatMap((o) => o.changes()), ...m.txChangesAfter()];
    });
}
const entryOf = (c: xdr.LedgerEntryChange): xdr.LedgerEntry => c.value() as xdr.LedgerEntry;
const isLive = (c: xdr.LedgerEntryChange): boolean => c.switch().name === 'ledgerEntryCreated' || c.switch().name === 'ledgerEntryUpdated';

function withAmount(e: xdr.LedgerEntry, amount: bigint, lastModified: number): xdr.LedgerEntry {
  const copy = xdr.LedgerEntry.fromXDR(e.toXDR());
  copy.lastModifiedLedgerSeq(lastModified);
  const amountEntry = copy
    .data()
    .contractData()
    .val()
    .map()!
    .find((m) => m.key().sym().toString() === 'amount')!;
  amountEntry.val(xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: xdr.Int64.fromString('0'), lo: xdr.Uint64.fromString(String(amount)) })));
  return copy;
}

test('hubble profile -> SaveToParquet -> DuckDB: latest balance per holder, ttl joined by key hash, contract code', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-hubble-'));
  const [, l85, l88] = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const first = 300;
  const m0 = restamp(l85!.meta(), first, 1_735_689_600);
  const m1 = restamp(l88!.meta(), first + 1, 1_735_689_605);
  // Ledger 302: one balance updated twice, one removed (with its TTL), one TTL extended twice
  // (CAP-63: the larger stands), a Wasm uploaded with its TTL.
  const balances = allChanges(m1)
    .filter((c) => c.switch().name === 'ledgerEntryUpdated')
    .map(entryOf)
    .filter((e) => e.data().switch().name === 'contractData');
  const [e1, e2, e3] = balances;
  const ttls = new Map(
    allChanges(m0)
      .filter(isLive)
      .map(entryOf)
      .filter((e) => e.data().switch().name === 'ttl')
      .map((e) => [e.data().ttl().keyHash().toString('hex'), e]),
  );
  const ttlOf = (e: xdr.LedgerEntry): xdr.LedgerEntry => ttls.get(keyHashOf(e).toString('hex'))!;
  const t3 = ttlOf(e3!);
  const live3 = t3.data().ttl().liveUntilLedgerSeq();
  const wasm = sha256(Buffer.from('the wasm'));
  const code = codeEntry(wasm, first + 2, [1000, 20, 3, 4, 5, 6, 7, 8, 9, 4096]);
  const m2 = await metaWithChanges(first + 2, 1_735_689_610, [
    { operations: [update(e1!, withAmount(e1!, 111n, first + 2)), update(t3, ttlEntry(keyHashOf(e3!), live3 + 100, first + 2))] },
    {
      operations: [
        update(withAmount(e1!, 111n, first + 2), withAmount(e1!, 222n, first + 2)),
        remove(e2!),
        remove(ttlOf(e2!)),
        update(ttlEntry(keyHashOf(e3!), live3 + 100, first + 2), ttlEntry(keyHashOf(e3!), live3 + 50, first + 2)),
      ],
    },
    { operations: [[CREATED(code), CREATED(ttlEntry(keyHashOf(code), first + 5000, first + 2))]] },
  ]);
  const metas = [m0, m1, m2];
  await writeLake(join(dir, 'lake'), metas, first);
  const out = join(dir, 'parquet');
  await runPipeline(`
name: hubble
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${join(dir, 'lake')}, network: standalone, start_ledger: ${first}, end_ledger: ${first + 2}}}
processors:
  - {type: ContractData, config: {profile: hubble}}
  - {type: TtlProcessor, config: {profile: hubble}}
  - {type: ContractCode, config: {profile: hubble}}
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: hubble, partition_by: ledger_day, compression: zstd}}]
`);

  // Independent reference: balances per holder and TTLs per key hash, replaying the SDK objects.
  const balanceOf = new Map<string, bigint>();
  const liveUntil = new Map<string, number>();
  for (const m of metas) {
    for (const c of allChanges(m)) {
      const kind = c.switch().name;
      if (kind === 'ledgerEntryRemoved') {
        const k = c.removed();
        if (k.switch().name === 'contractData') balanceOf.delete((scValToNative(k.contractData().key()) as string[])[1]!);
        if (k.switch().name === 'ttl') liveUntil.delete(k.ttl().keyHash().toString('hex'));
      } else if (isLive(c)) {
        const d = entryOf(c).data();
        if (d.switch().name === 'contractData')
          balanceOf.set((scValToNative(d.contractData().key()) as string[])[1]!, (scValToNative(d.contractData().val()) as { amount: bigint }).amount);
        if (d.switch().name === 'ttl') {
          const k = d.ttl().keyHash().toString('hex');
          liveUntil.set(k, Math.max(liveUntil.get(k) ?? 0, d.ttl().liveUntilLedgerSeq()));
        }
      }
    }
  }
  assert.equal(balanceOf.size, 499);
  const files = (t: string): string => `read_parquet('${out}/hubble/${t}/**/*.parquet', hive_partitioning = true)`;

  // Latest balance per holder: the last row of each (contract, holder), unless it is a removal.
  const latest = await duckObjects<{ balance_holder: string; balance: string }>(`
    SELECT balance_holder, balance FROM (
      SELECT balance_holder, balance, deleted,
             row_number() OVER (PARTITION BY contract_id, balance_holder ORDER BY ledger_sequence DESC) AS rn
      FROM ${files('contract_data')} WHERE balance_holder <> '')
    WHERE rn = 1 AND NOT deleted ORDER BY balance_holder`);
  assert.deepEqual(new Map(latest.map((r) => [r.balance_holder, BigInt(r.balance)])), balanceOf);
  const holder1 = (scValToNative(e1!.data().contractData().key()) as string[])[1]!;
  assert.equal(latest.find((r) => r.balance_holder === holder1)!.balance, '222');

  // Rows per ledger: compaction leaves one row per entry per ledger; 302 has e1 (UPDATED) and e2 (REMOVED).
  const perLedger = await duckObjects<{ ledger_sequence: bigint; n: bigint; removed: bigint }>(`
    SELECT ledger_sequence, count(*) AS n, count(*) FILTER (WHERE deleted) AS removed FROM ${files('contract_data')} GROUP BY 1 ORDER BY 1`);
  assert.deepEqual(
    perLedger.map((r) => [Number(r.ledger_sequence), Number(r.n), Number(r.removed)]),
    [
      [300, 500, 0],
      [301, 500, 0],
      [302, 2, 1],
    ],
  );

  // JSON columns are JSON in DuckDB: the holder inside key_decoded is the balance_holder column.
  const [json] = await duckObjects<{ t: string; mismatched: bigint; checked: bigint }>(`
    SELECT any_value(typeof(key_decoded)) AS t, count(*) FILTER (WHERE json_extract_string(key_decoded, '$.vec[1].address') <> balance_holder) AS mismatched,
           count(*) AS checked FROM ${files('contract_data')} WHERE balance_holder <> ''`);
  assert.deepEqual([json!.t, Number(json!.mismatched), Number(json!.checked)], ['JSON', 0, 1002]);

  // Live entries with their TTLs: latest contract_data row per key joined to the latest ttl row per key hash.
  const joined = await duckObjects<{ ledger_key_hash: string; live_until_ledger_seq: bigint | null }>(`
    WITH cd AS (SELECT ledger_key_hash, deleted FROM (SELECT *, row_number() OVER (PARTITION BY ledger_key_hash ORDER BY ledger_sequence DESC) AS rn FROM ${files('contract_data')}) WHERE rn = 1),
         t AS (SELECT key_hash, live_until_ledger_seq, deleted FROM (SELECT *, row_number() OVER (PARTITION BY key_hash ORDER BY ledger_sequence DESC) AS rn FROM ${files('ttl')}) WHERE rn = 1)
    SELECT cd.ledger_key_hash, t.live_until_ledger_seq FROM cd LEFT JOIN t ON t.key_hash = cd.ledger_key_hash AND NOT t.deleted
    WHERE NOT cd.deleted`);
  assert.equal(joined.length, 499);
  for (const r of joined) assert.equal(Number(r.live_until_ledger_seq), liveUntil.get(r.ledger_key_hash), r.ledger_key_hash);
  const k3 = keyHashOf(e3!).toString('hex');
  assert.equal(Number(joined.find((r) => r.ledger_key_hash === k3)!.live_until_ledger_seq), live3 + 100);

  const codes = await duckObjects<Record<string, unknown>>(
    `SELECT contract_code_hash, ledger_entry_change, n_instructions, n_data_segment_bytes, ledger_key_hash, ledger_key_hash_base_64 FROM ${files('contract_code')}`,
  );
  assert.deepEqual(codes, [
    {
      contract_code_hash: wasm.toString('hex'),
      ledger_entry_change: 0n,
      n_instructions: 1000n,
      n_data_segment_bytes: 4096n,
      ledger_key_hash: hash(ledgerKey(code).toXDR()).toString('hex'),
      ledger_key_hash_base_64: ledgerKey(code).toXDR('base64'),
    },
  ]);
  const [codeTtl] = await duckObjects<{ live: bigint }>(
    `SELECT t.live_until_ledger_seq AS live FROM ${files('contract_code')} c JOIN ${files('ttl')} t ON t.key_hash = c.ledger_key_hash`,
  );
  assert.equal(Number(codeTtl!.live), first + 5000);
});

test("default profiles of ttl and contract_code over a sample lake: Parquet rows per ledger equal the processors'", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-ttl-code-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 60, startLedger: 127_960, seed: 11, metaVersion: 2 });
  const out = join(dir, 'parquet');
  await runPipeline(`
name: ledger-entries
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${lake}, network: standalone, start_ledger: ${sample.firstLedger}, end_ledger: ${sample.lastLedger}}}
processors: [{type: Ttl}, {type: ContractCodeProcessor}]
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: stellar, partition_by: ledger_day, buffer_size: 500}}]
`);
  const expected = new Map<string, number>();
  const procs = { ttl: ttlProcessor(), contract_code: contractCodeProcessor() };
  for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: sample.firstLedger, endLedger: sample.lastLedger }).ledgers()) {
    for (const [table, p] of Object.entries(procs)) {
      const n = p.rows(l).length;
      if (n > 0) expected.set(`${table}:${l.sequence}`, n);
    }
  }
  const got = new Map<string, number>();
  for (const table of Object.keys(procs)) {
    for (const r of await duckObjects<{ l: bigint; n: bigint }>(
      `SELECT ledger_sequence AS l, count(*) AS n FROM read_parquet('${out}/stellar/${table}/**/*.parquet', hive_partitioning = true) GROUP BY 1`,
    )) {
      got.set(`${table}:${r.l}`, Number(r.n));
    }
  }
  assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
  // The sample uploads its Wasm in its first ledger and extends TTLs throughout.
  assert.ok(
    [...expected.keys()].some((k) => k.startsWith('contract_code:')),
    'contract code rows',
  );
  assert.ok([...expected.keys()].filter((k) => k.startsWith('ttl:')).length > 10, 'ttl rows in many ledgers');
  const [nulls] = await duckObjects<{ n: bigint }>(
    `SELECT count(*) AS n FROM read_parquet('${out}/stellar/contract_code/**/*.parquet') WHERE n_instructions IS NULL AND contract_code_ext_v = 0`,
  );
  assert.ok(Number(nulls!.n) > 0, 'v0 code entries have null cost inputs');
});
