import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parsePipelineYaml, PipelineConfigError } from '../packages/lake/src/pipeline/config/pipeline-config.js';
import { createSource, parseMessageLine } from '../packages/lake/src/pipeline/host/sources.js';
import { checkLakesNotShared, createProcessors } from '../packages/lake/src/pipeline/host/components.js';
import { StdoutConsumer } from '../packages/lake/src/pipeline/host/stdout-consumer.js';
import { PipelineRun } from '../packages/lake/src/pipeline/host/pipeline-runner.js';
import type { PipelineMessage } from '../packages/lake/src/pipeline/message.js';

const TESTNET_LAKE = new URL('../../shared/fixtures/stellar/datalake-testnet-p20', import.meta.url).pathname;
const PUBNET_DIR = new URL('../../shared/fixtures/stellar', import.meta.url).pathname;

test('flat and multi-pipeline YAML shapes, with ${VAR} and ${VAR:-default}', () => {
  const flat = parsePipelineYaml(
    `
name: one
source: {type: FSBufferedStorageSourceAdapter, config: {path: \${LAKE}, start_ledger: \${START:-5}, endpoint: \${NOPE:-}}}
processors: [{type: ContractData}]
consumers: [{type: StdoutConsumer}]
`,
    { LAKE: '/x' },
  );
  assert.equal(flat.length, 1);
  assert.equal(flat[0]!.name, 'one');
  assert.deepEqual(flat[0]!.source.config, { path: '/x', start_ledger: 5 });
  assert.equal(flat[0]!.processors[0]!.type, 'ContractData');

  const multi = parsePipelineYaml(
    `
pipelines:
  a:
    source: {type: JSONLSource}
    consumers: [{type: StdoutConsumer}]
  b:
    source: {type: JSONLSource, config: {path: f.jsonl}}
    consumers: [{type: StdoutConsumer, config: {pretty: true}}]
`,
    {},
  );
  assert.deepEqual(
    multi.map((p) => p.name),
    ['a', 'b'],
  );
  assert.equal(multi[1]!.consumers[0]!.config.pretty, true);
});

test('config errors name the pipeline, the component and the key', async () => {
  assert.throws(
    () => parsePipelineYaml('source: {type: JSONLSource}\nconsumer: []\n', {}),
    (e: Error) => e instanceof PipelineConfigError && /pipeline 'default'.*unknown key 'consumer'.*did you mean 'consumers'/.test(e.message),
  );
  assert.throws(
    () => parsePipelineYaml('source: {type: JSONLSource, config: {path: ${MISSING}}}\nconsumers: [{type: StdoutConsumer}]\n', {}),
    /MISSING is not set/,
  );
  const [spec] = parsePipelineYaml(
    `
name: p1
source: {type: FSBufferedStorageSourceAdapter, config: {path: /tmp, start_ledger: 3, end_leger: 9}}
consumers: [{type: StdoutConsumer}]
`,
    {},
  );
  await assert.rejects(
    createSource(spec!.source),
    /pipeline 'p1' source \(FSBufferedStorageSourceAdapter\).*unknown config key 'end_leger'.*did you mean 'end_ledger'/,
  );
  const [bad] = parsePipelineYaml('source: {type: NoSuchSource}\nconsumers: [{type: StdoutConsumer}]\n', {});
  await assert.rejects(createSource(bad!.source), /unknown source type 'NoSuchSource'; known: .*JSONLSource/);
  await assert.rejects(createProcessors([{ type: 'Nope', config: {}, where: 'x' }], undefined), /unknown processor type 'Nope'; known: ContractData/);
  const [badInt] = parsePipelineYaml(
    'source: {type: FSBufferedStorageSourceAdapter, config: {path: /tmp, start_ledger: abc}}\nconsumers: [{type: StdoutConsumer}]\n',
    {},
  );
  await assert.rejects(createSource(badInt!.source), /config key 'start_ledger' must be an integer/);
});

test('a processor config names an unknown profile or key with the allowed values, and one table has one producer', async () => {
  await assert.rejects(
    createProcessors([{ type: 'ContractData', config: { profile: 'bigquery' }, where: "pipeline 'p' processors[0] (ContractData)" }], undefined),
    (e: Error) =>
      e instanceof PipelineConfigError && /processors\[0\] \(ContractData\): config key 'profile' must be one of default.*got "bigquery"/.test(e.message),
  );
  await assert.rejects(
    createProcessors([{ type: 'ContractEvents', config: { include_evictions: true }, where: 'w' }], undefined),
    /w: unknown config key 'include_evictions'.*known keys: profile, network_passphrase, network/,
  );
  await assert.rejects(
    createProcessors([{ type: 'ContractData', config: { incude_evictions: true }, where: 'w' }], undefined),
    /unknown config key 'incude_evictions' \(did you mean 'include_evictions'\?\)/,
  );
  await assert.rejects(
    createProcessors(
      [
        { type: 'ContractData', config: {}, where: 'a' },
        { type: 'ContractDataProcessor', config: {}, where: 'b' },
      ],
      undefined,
    ),
    /b: writes table contract_data, as a does/,
  );
  const ok = await createProcessors([{ type: 'ContractDataProcessor', config: { include_evictions: 'true', network: 'testnet' }, where: 'w' }], undefined);
  assert.equal(ok.extractors[0]!.table, 'contract_data');
});

test('two SaveToParquet consumers on one lake (store + path_prefix) are refused, naming both; different prefixes are fine', async () => {
  const yaml = (prefixB: string, dirB = '/tmp/lake') =>
    parsePipelineYaml(
      `
pipelines:
  data:
    source: {type: JSONLSource}
    consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: /tmp/lake, path_prefix: stellar}}]
  events:
    source: {type: JSONLSource}
    consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${dirB}, path_prefix: ${prefixB}}}]
`,
      {},
    );
  await assert.rejects(
    checkLakesNotShared(yaml('stellar')),
    (e: Error) =>
      e instanceof PipelineConfigError &&
      /pipeline 'events' consumers\[0\].*writes to \/tmp\/lake\/stellar, as pipeline 'data' consumers\[0\].*does/.test(e.message),
  );
  await assert.rejects(checkLakesNotShared(yaml('stellar/', '/tmp/../tmp/lake')), PipelineConfigError, 'the same directory and prefix spelled differently');
  await checkLakesNotShared(yaml('stellar-events'));
  await checkLakesNotShared(yaml('stellar', '/tmp/other-lake'));
});

test('JSON lines: good lines parse, bad lines are reported with their number', () => {
  const ok = parseMessageLine('{"payload":{"a":1},"metadata":{"table":"t","ledger_sequence":5}}', 1);
  assert.equal(typeof ok, 'object');
  assert.equal((ok as PipelineMessage).payload.a, 1);
  assert.match(parseMessageLine('{not json', 7) as string, /^line 7: invalid JSON/);
  assert.match(parseMessageLine('{"metadata":{}}', 3) as string, /^line 3: missing 'payload'/);
});

test('StdoutConsumer output feeds JSONLSource (bytes as base64, bigints as strings)', async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const consumer = new StdoutConsumer(out);
  await consumer.process({
    payload: { b: new Uint8Array([1, 2, 3]), n: 2n ** 70n, s: 'x' },
    metadata: { table: 't', ledger_sequence: 9, ledger_close_time: '2024-01-01T00:00:00.000Z' },
  });
  const dir = await mkdtemp(join(tmpdir(), 'cdp-host-'));
  const file = join(dir, 'in.jsonl');
  await writeFile(file, Buffer.concat(chunks).toString() + 'garbage line\n');
  const [spec] = parsePipelineYaml(`source: {type: JSONLSource, config: {path: ${file}, on_bad_line: skip}}\nconsumers: [{type: StdoutConsumer}]\n`, {});
  const source = await createSource(spec!.source);
  assert.equal(source.kind, 'messages');
  const got: PipelineMessage[] = [];
  if (source.kind === 'messages') for await (const m of source.messages(new AbortController().signal)) got.push(m);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.payload.b, 'AQID');
  assert.equal(got[0]!.payload.n, (2n ** 70n).toString());
  assert.equal(got[0]!.metadata.ledger_sequence, 9);
});

test('runner: testnet lake through both extractors, in order, with close times', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-run-'));
  const yaml = join(dir, 'p.yaml');
  await writeFile(
    yaml,
    `
name: t
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${TESTNET_LAKE}, start_ledger: 997, end_ledger: 999, num_workers: 2}}
processors: [{type: ContractData}, {type: ContractEvents}]
consumers: [{type: StdoutConsumer}]
`,
  );
  const [spec] = parsePipelineYaml(await readFile(yaml, 'utf8'), {});
  const run = await PipelineRun.create(spec!);
  const stats = await run.run({});
  assert.equal(stats.ledgers, 3);
  assert.equal(stats.currentLedger, 999);
  assert.equal(stats.rows, 0); // classic-only testnet ledgers: no contract data, no events
  assert.equal(stats.currentCloseTime, Date.parse('2024-02-06T19:00:49Z'));
});

test('runner: ledger processors after a message source are rejected; ledger source needs an extractor', async () => {
  const [a] = parsePipelineYaml('source: {type: JSONLSource}\nprocessors: [{type: ContractData}]\nconsumers: [{type: StdoutConsumer}]\n', {});
  await assert.rejects(PipelineRun.create(a!), /delivers rows, not ledgers/);
  const [b] = parsePipelineYaml(
    `source: {type: FSBufferedStorageSourceAdapter, config: {path: ${PUBNET_DIR}, start_ledger: 1}}\nconsumers: [{type: StdoutConsumer}]\n`,
    {},
  );
  await assert.rejects(PipelineRun.create(b!), /needs at least one ledger processor/);
});

test('Filter keeps matching rows of its table and passes other tables through', async () => {
  const { FilterProcessor } = await import('../packages/lake/src/pipeline/host/filter-processor.js');
  const { ConfigReader } = await import('../packages/lake/src/pipeline/config/config-reader.js');
  const f = FilterProcessor.fromConfig(new ConfigReader({ table: 'contract_events', field: 'contract_id', values: ['CA', 'CB'] }, 'f'));
  const msg = (table: string, id: string): PipelineMessage => ({
    payload: { contract_id: id },
    metadata: { table, ledger_sequence: 1, ledger_close_time: '' },
  });
  assert.equal(f.process(msg('contract_events', 'CA')).length, 1);
  assert.equal(f.process(msg('contract_events', 'CZ')).length, 0);
  assert.equal(f.process(msg('contract_data', 'CZ')).length, 1);
  const ex = FilterProcessor.fromConfig(new ConfigReader({ field: 'metadata.ledger_sequence', values: [1], exclude: true }, 'g'));
  assert.equal(ex.process(msg('t', 'x')).length, 0);
  assert.throws(() => FilterProcessor.fromConfig(new ConfigReader({ field: 'x', values: [], bogus: 1 }, 'h')), /'values' must be a non-empty list/);
  assert.throws(
    () => FilterProcessor.fromConfig(new ConfigReader({ field: 'x', values: ['a'], tabel: 'y' }, 'h')),
    /unknown config key 'tabel' \(did you mean 'table'\?\)/,
  );
});

test('runner: a JSON-lines input that fails part way through a ledger leaves that ledger for the restart; every message is stored once', async () => {
  const { duckObjects } = await import('./support/duckdb.js');
  const dir = await mkdtemp(join(tmpdir(), 'cdp-jsonl-cut-'));
  const line = (ledger: number, i: number): string =>
    JSON.stringify({
      payload: { ledger, i, note: `l${ledger}-${i}` },
      metadata: { table: 'notes', ledger_sequence: ledger, ledger_close_time: new Date(Date.UTC(2024, 0, 1) + ledger * 5000).toISOString() },
    });
  const lines: string[] = [];
  for (let ledger = 1; ledger <= 6; ledger++) for (let i = 0; i < 3; i++) lines.push(line(ledger, i));
  const file = join(dir, 'in.jsonl');
  const yaml = `source: {type: JSONLSource, config: {path: ${file}}}\nconsumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${join(dir, 'lake')}}}]\n`;
  // A bad line after two of ledger 5's three messages: the run fails there (on_bad_line: fail).
  await writeFile(file, [...lines.slice(0, 14), 'not json', ...lines.slice(14)].join('\n') + '\n');
  const [spec] = parsePipelineYaml(yaml, {});
  await assert.rejects((await PipelineRun.create(spec!)).run({}), /line 15/);
  // The producer fixes its output and sends everything again; the consumer drops what it stored.
  await writeFile(file, lines.join('\n') + '\n');
  await (await PipelineRun.create(parsePipelineYaml(yaml, {})[0]!)).run({});
  const rows = await duckObjects<{ ledger: bigint; n: bigint }>(
    `SELECT ledger, count(*) AS n FROM read_parquet('${dir}/lake/**/*.parquet') GROUP BY 1 ORDER BY 1`,
  );
  // Before the fix the first run stored ledger 5's first two messages as if ledger 5 were
  // whole; the second run then dropped all three as already stored.
  assert.deepEqual(
    rows.map((r) => [Number(r.ledger), Number(r.n)]),
    [
      [1, 3],
      [2, 3],
      [3, 3],
      [4, 3],
      [5, 3],
      [6, 3],
    ],
  );
});
