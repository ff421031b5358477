import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckRows as duck } from './support/duckdb.js';
import { waitFor } from './support/wait.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { parsePipelineYaml } from '../packages/lake/src/pipeline/config/pipeline-config.js';
import { PipelineRun } from '../packages/lake/src/pipeline/host/pipeline-runner.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';
import { contractDataProcessor } from './support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from './support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Rows per ledger straight from the processors, the count the lake must hold. */
async function processorCounts(lake: string, first: number, last: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const data = contractDataProcessor({ networkPassphrase: 'Standalone Network ; February 2017' });
  const events = contractEventsProcessor();
  for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: first, endLedger: last }).ledgers()) {
    for (const m of [...data.process(l), ...events.process(l)]) {
      const key = `${m.metadata.table}:${l.sequence}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

test("data lake -> ContractData + ContractEvents -> SaveToParquet (FS) -> DuckDB counts per ledger equal the processors'", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-e2e-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 80, startLedger: 127_960, seed: 7 });
  const out = join(dir, 'parquet');
  const [spec] = parsePipelineYaml(
    `
name: e2e
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${lake}, network: standalone, start_ledger: ${sample.firstLedger}, end_ledger: ${sample.lastLedger}, num_workers: 3}}
processors: [{type: ContractData}, {type: ContractEvents}]
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: stellar, partition_by: ledger_day, buffer_size: 200, compression: zstd}}]
`,
    {},
  );
  const run = await PipelineRun.create(spec!);
  const stats = await run.run();
  assert.equal(stats.ledgers, 80);
  assert.equal(stats.rows, sample.contractDataChanges + sample.contractEvents);

  const expected = await processorCounts(lake, sample.firstLedger, sample.lastLedger);
  const got = new Map<string, number>();
  for (const [table, col] of [
    ['contract_data', 'ledger_sequence'],
    ['contract_events', 'ledger'],
  ] as const) {
    const rows = await duck(`SELECT ${col}, count(*) FROM read_parquet('${out}/stellar/${table}/**/*.parquet', hive_partitioning = true) GROUP BY 1`);
    for (const [ledger, n] of rows) got.set(`${table}:${ledger}`, Number(n));
  }
  assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
  // Partitions follow the ledger close time: the sample crosses midnight UTC.
  const days = await duck(
    `SELECT DISTINCT year, month, day FROM read_parquet('${out}/stellar/contract_data/**/*.parquet', hive_partitioning = true) ORDER BY ALL`,
  );
  assert.deepEqual(
    days.map((d) => d.join('-')),
    ['2024-12-31', '2025-01-01'],
  );
  const [check] = await duck(`SELECT count(*) FILTER (WHERE strftime(closed_at, '%Y-%m-%d') <> printf('%04d-%02d-%02d', year::INT, month::INT, day::INT))
    FROM read_parquet('${out}/stellar/contract_data/**/*.parquet', hive_partitioning = true)`);
  assert.equal(check![0], 0n);

  // A second run resumes after the checkpoint: nothing is written twice.
  const again = await PipelineRun.create(spec!);
  const second = await again.run();
  assert.equal(second.rows, 0);
  const [total] = await duck(`SELECT count(*) FROM read_parquet('${out}/stellar/contract_data/**/*.parquet')`);
  assert.equal(Number(total![0]), sample.contractDataChanges);
});

test('cdp-parquet run: exit 0, metrics endpoint, SIGTERM flushes and checkpoints; example configs load', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-run-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 40, startLedger: 127_980, seed: 3 });
  const env = {
    ...process.env,
    SAMPLE_LAKE: lake,
    LAKE_DIR: join(dir, 'out'),
    START_LEDGER: String(sample.firstLedger),
    END_LEDGER: String(sample.lastLedger),
  };
  const ok = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), 'run', join(ROOT, 'packages/lake/config/examples/demo.yaml'), '--quiet'],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /done: \[demo\]/);
  const files = await readdir(join(dir, 'out', 'stellar', '_checkpoints'));
  // (dot files beside them are the FS store's object-metadata sidecars)
  assert.deepEqual(files.filter((f) => !f.startsWith('.')).sort(), [
    'contract_code.json',
    'contract_data.json',
    'contract_events.json',
    'token_transfers.json',
    'ttl.json',
  ]);

  // Tail mode (no end ledger) runs until SIGTERM, serving metrics meanwhile.
  const yaml = join(dir, 'tail.yaml');
  await writeFile(yaml, (await readFile(join(ROOT, 'packages/lake/config/examples/demo.yaml'), 'utf8')).replace(/end_ledger: .*/, 'end_ledger: 0'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), 'run', yaml, '--metrics-port', '0'], {
    cwd: ROOT,
    env: { ...env, LAKE_DIR: join(dir, 'tail-out') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no metrics line: ${stderr}`)), 120_000);
    const poll = setInterval(() => {
      const m = /metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(stderr);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    }, 50);
  });
  let metrics = '';
  await waitFor(
    async () => {
      metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /cdp_pipeline_current_ledger\{pipeline="demo"\} 128019/.test(metrics);
    },
    'the tail run to reach the last ledger (metrics endpoint)',
    { intervalMs: 100 },
  );
  assert.match(metrics, /cdp_pipeline_ledgers_processed\{pipeline="demo"\} 40/);
  assert.match(metrics, /cdp_save_to_parquet_/);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /SIGTERM: stopping sources, flushing consumers/);
  const cp = JSON.parse(await readFile(join(dir, 'tail-out', 'stellar', '_checkpoints', 'contract_data.json'), 'utf8')) as { ledger: number };
  assert.equal(cp.ledger, sample.lastLedger);

  // Every example config parses, and the FS ones build their whole pipeline.
  for (const name of ['demo', 'fs', 's3', 'gcs', 'jsonl']) {
    const text = await readFile(join(ROOT, 'packages/lake/config/examples', `${name}.yaml`), 'utf8');
    const specs = parsePipelineYaml(text, { SOURCE_BUCKET: 'b', OUTPUT_BUCKET: 'o', START_LEDGER: '100', OUTPUT_DIR: join(dir, 'x'), LAKE_PATH: lake });
    assert.ok(specs.length >= 1, name);
    if (name === 'fs' || name === 'demo') await (await PipelineRun.create(specs[0]!)).close();
  }
});

test('a ledger the decoder cannot read stops the run naming ledger, transaction and XDR type; nothing of it is stored and the checkpoints stay below it', async () => {
  const { readdir: ls } = await import('node:fs/promises');
  const { xdr } = await import('@stellar/stellar-sdk');
  const { loadZstdWasm } = await import('../packages/writer/src/codecs/zstd-wasm.js');
  const { zstdDecompress } = await import('../packages/lake/src/pipeline/source/zstd.js');
  const dir = await mkdtemp(join(tmpdir(), 'cdp-bad-xdr-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 12, startLedger: 500, seed: 3 });
  // Ledger 506's first transaction gets TransactionMeta arm 9, which no protocol defines.
  const bad = 506;
  const partition = join(
    lake,
    (await ls(lake)).find((n) => n.includes('--'))!,
  );
  const file = join(
    partition,
    (await ls(partition)).find((n) => n.endsWith(`--${bad}.xdr.zstd`))!,
  );
  const raw = await zstdDecompress(new Uint8Array(await readFile(file)));
  const batch = xdr.LedgerCloseMetaBatch.fromXDR(Buffer.from(raw));
  const lcm = batch.ledgerCloseMeta()[0]!;
  const txs = lcm.switch() === 1 ? lcm.v1().txProcessing() : lcm.v2().txProcessing();
  assert.ok(txs.length > 0);
  const meta = txs[0]!.txApplyProcessing().toXDR();
  const at = Buffer.from(raw).indexOf(meta);
  new DataView(raw.buffer, raw.byteOffset).setUint32(at, 9);
  await writeFile(file, (await loadZstdWasm()).compress(raw, 3));

  const out = join(dir, 'parquet');
  const [spec] = parsePipelineYaml(
    `
name: bad
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${lake}, network: standalone, start_ledger: ${sample.firstLedger}, end_ledger: ${sample.lastLedger}}}
processors: [{type: ContractData}, {type: ContractEvents}]
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: stellar, partition_by: ledger_range, ledgers_per_file: 3}}]
`,
    {},
  );
  const run = await PipelineRun.create(spec!);
  await assert.rejects(run.run(), (e: Error) => /^ledger 506: transaction 1: cannot decode XDR TransactionMeta: no arm for discriminant 9/.test(e.message));
  for (const [table, col] of [
    ['contract_data', 'ledger_sequence'],
    ['contract_events', 'ledger'],
  ] as const) {
    const [[max]] = (await duck(`SELECT max(${col}) FROM read_parquet('${out}/stellar/${table}/**/*.parquet')`)) as [[number]];
    assert.ok(Number(max) < bad, `${table}: no rows of ledger ${bad} or later (max ${max})`);
    const cp = JSON.parse(await readFile(join(out, 'stellar/_checkpoints', `${table}.json`), 'utf8')) as { ledger: number };
    assert.equal(cp.ledger, bad - 1, `${table}: checkpoint just below the bad ledger`);
  }
});

test('TokenTransfers in a pipeline: reconciled at run time (verify), every event stored once, skipped events counted in the metrics', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-tt-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 40, startLedger: 9_000, seed: 11 });
  const out = join(dir, 'parquet');
  const [spec] = parsePipelineYaml(
    `
name: tt
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${lake}, start_ledger: ${sample.firstLedger}, end_ledger: ${sample.lastLedger}}}
processors: [{type: TokenTransfers, config: {verify: true}}]
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: stellar}}]
`,
    {},
  );
  const warnings: string[] = [];
  const run = await PipelineRun.create(spec!, (level, msg) => {
    if (level === 'warn') warnings.push(msg);
  });
  const stats = await run.run();
  const { tokenTransfers } = await import('../packages/lake/src/datasets/token-transfers.js');
  const { optionsFrom } = await import('../packages/lake/src/datasets/dataset.js');
  const ex = tokenTransfers.open!({ profile: 'default', networkPassphrase: sample.networkPassphrase, options: optionsFrom({}) });
  const expected = new Map<number, number>();
  for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: sample.firstLedger, endLedger: sample.lastLedger }).ledgers()) {
    const n = ex.extract(l).length;
    if (n > 0) expected.set(l.sequence, n);
  }
  assert.ok([...expected.values()].reduce((a, b) => a + b, 0) > 100);
  const rows = await duck(`SELECT ledger_sequence, count(*) FROM read_parquet('${out}/stellar/token_transfers/**/*.parquet') GROUP BY 1 ORDER BY 1`);
  assert.deepEqual(new Map(rows.map(([l, n]) => [Number(l), Number(n)])), expected);
  assert.equal(
    stats.rows,
    [...expected.values()].reduce((a, b) => a + b, 0),
  );
  const [[fees, refunds]] =
    await duck(`SELECT count(*) FILTER (WHERE event_topic = 'fee' AND operation_id IS NULL), count(*) FILTER (WHERE amount_raw LIKE '-%')
    FROM read_parquet('${out}/stellar/token_transfers/**/*.parquet')`);
  assert.ok(Number(fees) > 0 && Number(refunds) >= 0);
  const skipped = ex.counters!().skipped_events!;
  assert.equal(warnings.filter((w) => /skipped a "\w+" event of contract C[A-Z2-7]{55}/.test(w)).length, skipped);
  assert.match(run.prometheus(), new RegExp(`cdp_pipeline_processor_skipped_events\\{pipeline="tt",processor="TokenTransfers"\\} ${skipped}\\n`));
});
