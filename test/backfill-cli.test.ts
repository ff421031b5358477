// `--shard` on the command line: I/N and auto (the environment of each scheduler), and every
// kind of bad input stopped with an error naming the flag and the values (exit code 2)
// before anything is written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseShardArg } from '../packages/lake/src/cli/shard-arg.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('--shard I/N and auto', () => {
  it('reads the index and count each scheduler sets', () => {
    assert.deepEqual(parseShardArg('3/8', {}), { index: 3, count: 8 });
    assert.deepEqual(parseShardArg(' 0 / 1 ', {}), { index: 0, count: 1 });
    assert.deepEqual(parseShardArg('auto', { CLOUD_RUN_TASK_INDEX: '5', CLOUD_RUN_TASK_COUNT: '16' }), { index: 5, count: 16 });
    assert.deepEqual(parseShardArg('auto', { JOB_COMPLETION_INDEX: '7', CDP_SHARD_COUNT: '64' }), { index: 7, count: 64 });
    assert.deepEqual(parseShardArg('auto', { JOB_COMPLETION_INDEX: '7' }, '64'), { index: 7, count: 64 });
    assert.deepEqual(parseShardArg('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '2', AWS_BATCH_JOB_ARRAY_SIZE: '4' }), { index: 2, count: 4 });
    assert.deepEqual(parseShardArg('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '2' }, '4'), { index: 2, count: 4 });
  });

  it('refuses what cannot be a shard, naming the flag and the values', () => {
    const bad: [string, NodeJS.ProcessEnv, string | undefined, RegExp][] = [
      ['4/4', {}, undefined, /--shard 4\/4: the shard index must be an integer from 0 to 3 \(the count is 4\), got 4/],
      ['0/0', {}, undefined, /--shard 0\/0: the shard count must be an integer >= 1, got 0/],
      ['-1/4', {}, undefined, /--shard -1\/4: .* got -1/],
      ['three', {}, undefined, /--shard "three": expected I\/N/],
      ['1/4', {}, '4', /--shard-count is only for --shard auto/],
      ['auto', {}, undefined, /--shard auto: none of CLOUD_RUN_TASK_INDEX, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set/],
      [
        'auto',
        { JOB_COMPLETION_INDEX: '3' },
        undefined,
        /--shard auto: JOB_COMPLETION_INDEX=3 gives the index .* nothing gives the count: pass --shard-count N or set CDP_SHARD_COUNT/,
      ],
      ['auto', { JOB_COMPLETION_INDEX: 'x', CDP_SHARD_COUNT: '4' }, undefined, /--shard auto: JOB_COMPLETION_INDEX must be an integer, got "x"/],
      ['auto', { CLOUD_RUN_TASK_INDEX: '9', CLOUD_RUN_TASK_COUNT: '4' }, undefined, /--shard auto \(9\/4\): the shard index must be an integer from 0 to 3/],
      [
        'auto',
        { AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_BATCH_JOB_ARRAY_SIZE: '4' },
        '8',
        /--shard auto: the shard count is 8 by --shard-count but 4 by AWS_BATCH_JOB_ARRAY_SIZE/,
      ],
    ];
    for (const [raw, env, count, message] of bad) assert.throws(() => parseShardArg(raw, env, count), message, `${raw} ${JSON.stringify(env)} ${count}`);
  });
});

describe('cdp-parquet run --shard: bad input stops before anything is written', () => {
  let work: string;
  let lakeDir: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdp-shard-cli-'));
    lakeDir = join(work, 'source');
    await generateSampleLake(lakeDir, { ledgers: 20, startLedger: 128_000, seed: 4 });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  function pipeline(name: string, extra = ''): string {
    const path = join(work, `${name}.yaml`);
    writeFileSync(
      path,
      `name: ${name}
source:
  type: FSBufferedStorageSourceAdapter
  config: { path: ${lakeDir}, network: standalone, start_ledger: 128000, end_ledger: \${END:-128019} }
processors:
  - type: ContractData
consumers:
  - type: SaveToParquet
    config: { storage_type: FS, local_path: ${join(work, 'out', name)}, path_prefix: lake${extra} }
`,
    );
    return path;
  }

  function run(args: string[], env: Record<string, string> = {}): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), 'run', ...args, '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return { status: r.status, stderr: r.stderr };
  }

  it('no end ledger, more shards than aligned units, options without --shard', () => {
    const p = pipeline('bad');
    const noEnd = run([p, '--shard', '0/2'], { END: '0' });
    assert.equal(noEnd.status, 2, noEnd.stderr);
    assert.match(noEnd.stderr, /--shard 0\/2: a sharded run needs an end ledger \(the range starts at 128000 and has no end\)/);
    const aligned = run([pipeline('aligned', ', partition_by: ledger_range, ledgers_per_file: 10'), '--shard', '0/3']);
    assert.equal(aligned.status, 2, aligned.stderr);
    assert.match(aligned.stderr, /--shard 0\/3: ledgers 128000-128019 touch 2 aligned unit\(s\) of 10 ledger\(s\), fewer than the 3 shards/);
    const count = run([p, '--shard-count', '4']);
    assert.equal(count.status, 2);
    assert.match(count.stderr, /--shard-count needs --shard auto/);
    const lease = run([p, '--lease-wait', '30']);
    assert.equal(lease.status, 2);
    assert.match(lease.stderr, /--lease-ttl and --lease-wait need --shard/);
    assert.ok(!existsSync(join(work, 'out')), 'something was written');
  });

  it("a lake an unsharded run wrote over the shard's range", () => {
    const p = pipeline('taken');
    assert.equal(run([p]).status, 0);
    const before = readdirSync(join(work, 'out/taken/lake'), { recursive: true }).sort();
    const r = run([p, '--shard', '1/2']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /--shard 1\/2: .*shard 1\/2 \(ledgers 128010-128019 of a plan over 128000-128019 in 2 shards, unit 1\): the lake .* contradicts the plan: lake\/contract_data\/.*\.parquet holds ledgers \d+-\d+, (across the shard's boundary|of this shard, but)/,
    );
    assert.deepEqual(readdirSync(join(work, 'out/taken/lake'), { recursive: true }).sort(), before);
  });

  it('a source that delivers rows, not ledgers', () => {
    const path = join(work, 'jsonl.yaml');
    writeFileSync(
      path,
      `name: jsonl\nsource:\n  type: JSONLSource\n  config: { path: ${join(work, 'none.jsonl')} }\nconsumers:\n  - type: SaveToParquet\n    config: { storage_type: FS, local_path: ${join(work, 'out-jsonl')} }\n`,
    );
    const r = run([path, '--shard', '0/2']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--shard 0\/2: pipeline 'jsonl': JSONLSource delivers rows, not ledgers, so it cannot be split into shards/);
  });
});
