// The local proof of a sharded backfill against Ceph RGW: four `cdp-parquet run --shard auto`
// processes, each given its index the way a scheduler gives it (Cloud Run Jobs, a Kubernetes
// Indexed Job, an AWS Batch array job), share one S3 lake. Some are killed with SIGKILL at
// points a seeded RNG picks (a lease taken, a checkpoint written, progress past a random
// ledger: conditions polled on the lake, never a fixed delay), restarted, killed again; a
// second copy of a running shard is refused; a finished shard re-run writes nothing. Then
// `verify` must pass and DuckDB must find the lake's rows equal to a single-process run's.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { S3Store } from '../packages/lake/src/storage/index.js';
import { allShards, alignmentUnit, planShards, type ShardAssignment } from '../packages/lake/src/consumer/shard-plan.js';
import { generateSampleLake, type SampleLakeSummary } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { duckObjects } from './support/duckdb.js';
import { rng } from './support/rng.js';
import { uploadDir } from './support/upload-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN = `proof-${Date.now().toString(36)}`;
const BUCKET = 'proof';
const FIRST = 128_000;
const LEDGERS = 800;
const LAST = FIRST + LEDGERS - 1;
const SHARDS = 4;
const SEED = Number(process.env.CDP_PROOF_SEED ?? 23);

/** The environment each scheduler gives copy `i` of a container (plus what our image adds). */
function schedulerEnv(i: number): { env: Record<string, string>; args: string[]; via: string } {
  switch (i % 4) {
    case 0:
      return { via: 'Cloud Run Jobs', env: { CLOUD_RUN_TASK_INDEX: String(i), CLOUD_RUN_TASK_COUNT: String(SHARDS) }, args: [] };
    case 1:
      return { via: 'Kubernetes Indexed Job', env: { JOB_COMPLETION_INDEX: String(i), CDP_SHARD_COUNT: String(SHARDS) }, args: [] };
    case 2:
      return { via: 'AWS Batch array job', env: { AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ARRAY_SIZE: String(SHARDS) }, args: [] };
    default:
      return { via: 'Kubernetes Indexed Job, count flag', env: { JOB_COMPLETION_INDEX: String(i) }, args: ['--shard-count', String(SHARDS)] };
  }
}

function pipelineYaml(endpoint: string, lake: { kind: 's3'; prefix: string } | { kind: 'fs'; dir: string }): string {
  const consumer =
    lake.kind === 's3'
      ? `storage_type: S3\n      bucket_name: ${BUCKET}\n      path_prefix: ${lake.prefix}\n      endpoint: ${endpoint}\n      region: us-east-1`
      : `storage_type: FS\n      local_path: ${lake.dir}\n      path_prefix: lake`;
  return `name: proof
source:
  type: S3BufferedStorageSourceAdapter
  config:
    bucket_name: ${BUCKET}
    path_prefix: ${RUN}/source
    endpoint: ${endpoint}
    region: us-east-1
    force_path_style: true
    network: standalone
    start_ledger: ${FIRST}
    end_ledger: ${LAST}
    buffer_size: 10
    num_workers: 2
processors:
  - type: ContractData
  - type: ContractEvents
consumers:
  - type: SaveToParquet
    config:
      ${consumer}
      partition_by: ledger_range
      ledgers_per_file: 20
      buffer_size: 40
      rotation_interval_minutes: 0
      encode_workers: 0
`;
}

interface Child {
  proc: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
}

function cli(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stdout?.resume();
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, err })),
  );
  return { proc, exit };
}

const s3 = await startOrSkip('S3 server', startS3);
describe('sharded backfill, killed and restarted, against Ceph RGW', { skip: s3.skip }, () => {
  let work: string;
  let sample: SampleLakeSummary;
  let store: S3Store;
  let yaml: string;
  const lakePrefix = `${RUN}/lake`;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdp-proof-'));
    sample = await generateSampleLake(join(work, 'source'), { ledgers: LEDGERS, startLedger: FIRST, seed: 17 });
    store = await S3Store.create({ bucket: BUCKET, endpoint: s3.server!.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3_CREDENTIALS });
    await store.ensureBucket();
    await uploadDir(store, join(work, 'source'), `${RUN}/source`);
    yaml = join(work, 'sharded.yaml');
    writeFileSync(yaml, pipelineYaml(s3.server!.endpoint, { kind: 's3', prefix: lakePrefix }));
    writeFileSync(join(work, 'single.yaml'), pipelineYaml(s3.server!.endpoint, { kind: 'fs', dir: join(work, 'single') }));
  });
  after(async () => {
    if (store !== undefined) {
      await store.abortPendingUploads(`${RUN}/`, new Date(Date.now() + 60_000));
      for await (const e of store.list(`${RUN}/`)) await store.delete(e.key);
      await store.close();
    }
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    await s3.server?.stop();
  });

  /** What the lake says about shard `a`: lease taken, a checkpoint written, progress so far. */
  async function shardState(a: ShardAssignment): Promise<{ lease: boolean; checkpoint: boolean; done: number }> {
    const dir = `${lakePrefix}/_shards/${FIRST}-${LAST}/shard-${a.index}-of-${SHARDS}/`;
    let lease = false;
    let checkpoint = false;
    let done = a.start - 1;
    for await (const e of store.list(dir)) {
      if (/lease-\d+\.json$/.test(e.key)) lease = true;
      if (e.key.includes('/checkpoints/')) checkpoint = true;
      if (e.key.endsWith('progress.json')) {
        try {
          done = (JSON.parse(new TextDecoder().decode(await store.get(e.key))) as { done_through: number }).done_through;
        } catch {
          /* being rewritten */
        }
      }
    }
    return { lease, checkpoint, done };
  }

  /** Waits for `cond` on the shard's state (polling the lake), then SIGKILLs; false if the child ended first. */
  async function killWhen(child: Child, a: ShardAssignment, cond: (s: Awaited<ReturnType<typeof shardState>>) => boolean): Promise<boolean> {
    let ended = false;
    void child.exit.then(() => {
      ended = true;
    });
    const deadline = Date.now() + 120_000;
    while (!ended && Date.now() < deadline) {
      if (cond(await shardState(a))) {
        child.proc.kill('SIGKILL');
        const r = await child.exit;
        return r.signal === 'SIGKILL';
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  function runShard(i: number, extra: string[] = []): Child {
    const s = schedulerEnv(i);
    return cli(['run', yaml, '--shard', 'auto', ...s.args, '--lease-ttl', '5', '--lease-wait', '60', '--quiet', ...extra], s.env);
  }

  it("every ledger's rows are stored exactly once and equal a single-process run's", { timeout: 600_000 }, async () => {
    const random = rng(SEED);
    const plan = planShards(FIRST, LAST, SHARDS, alignmentUnit([1, 20]));
    const shards = allShards(plan);
    const conditions: [string, (a: ShardAssignment) => (s: Awaited<ReturnType<typeof shardState>>) => boolean][] = [
      ['its lease is taken', () => (s) => s.lease],
      ['a checkpoint is written', () => (s) => s.checkpoint],
      [
        'its progress passes a random ledger',
        (a) => {
          const target = a.start + Math.floor(random() * (a.end - a.start) * 0.7);
          return (s) => s.done >= target;
        },
      ],
    ];
    const log: string[] = [`seed ${SEED}`];
    let kills = 0;
    // Round 1: all shards start; the RNG picks which are killed and when (at least two).
    // Shard 1 is not among them: a second copy of it is started while it runs, which its
    // lease must refuse. It holds a long lease and is paused meanwhile, so that it is
    // certainly running however slowly the copy starts.
    const victims = new Set(shards.filter((a) => a.index !== 1 && random() < 0.6).map((a) => a.index));
    while (victims.size < 2) victims.add([0, 2, 3][Math.floor(random() * 3)]!);
    const running = shards.map((a) => runShard(a.index, a.index === 1 ? ['--lease-ttl', '600'] : []));
    const s1 = shards[1]!;
    let s1ended = false;
    void running[1]!.exit.then(() => {
      s1ended = true;
    });
    while (!s1ended && !(await shardState(s1)).lease) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!s1ended, 'shard 1 ended before its lease showed');
    running[1]!.proc.kill('SIGSTOP');
    const copy = await runShard(1, ['--lease-wait', '0']).exit;
    running[1]!.proc.kill('SIGCONT');
    log.push(`second copy of shard 1: exit ${copy.code}`);
    assert.notEqual(copy.code, 0, 'a second copy of a running shard must not run');
    assert.match(copy.err, /shard 1\/4 \(ledgers \d+-\d+\) of .* is being run by .*a second copy refuses to start/);
    await Promise.all(
      shards.map(async (a) => {
        if (!victims.has(a.index)) return;
        const [what, cond] = conditions[Math.floor(random() * conditions.length)]!;
        const landed = await killWhen(running[a.index]!, a, cond(a));
        log.push(`round 1: shard ${a.index} killed when ${what}: ${landed ? 'killed' : 'it had finished'}`);
        if (landed) kills++;
      }),
    );
    for (const [i, c] of running.entries()) {
      if (victims.has(i)) continue;
      const r = await c.exit;
      assert.equal(r.code, 0, `shard ${i} (${log.join('; ')}): ${r.err}`);
    }
    // Round 2: the killed ones restart (waiting out their dead lease); one is killed again.
    const killed = [...victims];
    const again = killed[Math.floor(random() * killed.length)]!;
    const restarted = new Map(killed.map((i) => [i, runShard(i)]));
    {
      const a = shards[again]!;
      const before = (await shardState(a)).done;
      const target = before + 1 + Math.floor(random() * Math.max(1, (a.end - before) * 0.5));
      const landed = await killWhen(restarted.get(again)!, a, (s) => s.done >= Math.min(target, a.end - 1));
      log.push(`round 2: shard ${again} killed again past ledger ${target}: ${landed ? 'killed' : 'it had finished'}`);
      if (landed) kills++;
      else assert.equal((await restarted.get(again)!.exit).code, 0);
    }
    for (const [i, c] of restarted) {
      if (i === again) continue;
      const r = await c.exit;
      assert.equal(r.code, 0, `restarted shard ${i} (${log.join('; ')}): ${r.err}`);
    }
    // Round 3: the last one finishes.
    const last = await runShard(again).exit;
    assert.equal(last.code, 0, `shard ${again} (${log.join('; ')}): ${last.err}`);
    assert.ok(kills >= 2, `only ${kills} kills landed (${log.join('; ')})`);

    // A finished shard run again writes nothing.
    const listing = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const e of store.list(`${lakePrefix}/`)) out.push(`${e.key} ${e.size}`);
      return out;
    };
    const before = await listing();
    const rerun = await runShard(0).exit;
    assert.equal(rerun.code, 0, rerun.err);
    assert.match(rerun.err, /nothing to do/);
    assert.deepEqual(await listing(), before);

    // verify, as a deployment's last step does.
    const verify = await cli(
      [
        'verify',
        `s3://${BUCKET}/${lakePrefix}`,
        '--start',
        String(FIRST),
        '--end',
        String(LAST),
        '--endpoint',
        s3.server!.endpoint,
        '--force-path-style',
        '--quiet',
      ],
      {},
    ).exit;
    assert.equal(verify.code, 0, `verify failed (${log.join('; ')}): ${verify.err}`);

    // The same rows as one process writes, each exactly once.
    const single = await cli(['run', join(work, 'single.yaml'), '--quiet'], {}).exit;
    assert.equal(single.code, 0, single.err);
    const local = join(work, 'sharded');
    for await (const e of store.list(`${lakePrefix}/`)) {
      if (!e.key.endsWith('.parquet')) continue;
      const path = join(local, e.key.slice(lakePrefix.length + 1));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, await store.get(e.key));
    }
    for (const [table, rows] of [
      ['contract_data', sample.contractDataChanges],
      ['contract_events', sample.contractEvents],
    ] as const) {
      const a = `read_parquet('${local}/${table}/**/*.parquet', hive_partitioning = false)`;
      const b = `read_parquet('${work}/single/lake/${table}/**/*.parquet', hive_partitioning = false)`;
      const [counts] = await duckObjects<{ a: bigint; b: bigint }>(`SELECT (SELECT count(*) FROM ${a}) AS a, (SELECT count(*) FROM ${b}) AS b`);
      assert.deepEqual([Number(counts!.a), Number(counts!.b)], [rows, rows], `${table} row counts (${log.join('; ')})`);
      // Every column: rows do not depend on where a run starts (see the datasets' extractors).
      const [diff] = await duckObjects<{ n: bigint }>(
        `SELECT count(*) AS n FROM ((SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) UNION ALL (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}))`,
      );
      assert.equal(Number(diff!.n), 0, `${table}: the sharded lake's rows differ from the single run's (${log.join('; ')})`);
    }
  });
});
