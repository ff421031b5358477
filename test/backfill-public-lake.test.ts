// config/examples/pubnet-aws-open-data.yaml against a stand-in for the AWS Open Data lake: a
// generated pubnet-passphrase lake in a public-read Ceph bucket named aws-public-blockchain
// under v1.1/stellar/ledgers/pubnet, read by `cdp-parquet run` with no AWS keys anywhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { S3Store } from '../packages/lake/src/storage/index.js';
import { generateSampleLake, type SampleLakeSummary } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { duckObjects } from './support/duckdb.js';
import { uploadDir } from './support/upload-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUCKET = 'aws-public-blockchain';
const PREFIX = 'v1.1/stellar/ledgers/pubnet';
const PUBNET = 'Public Global Stellar Network ; September 2015';

/** The environment minus every AWS setting: the child has no keys, profile or region to find. */
function keylessEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), ...args], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, err }));
  });
}

const s3 = await startOrSkip('S3 server', startS3);
describe('the AWS Open Data example on an anonymous bucket', { skip: s3.skip || (s3.server?.name !== 'ceph' && 'fauxqs has no bucket policies') }, () => {
  let work: string;
  let sample: SampleLakeSummary;
  let admin: S3Store;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'cdp-public-lake-'));
    sample = await generateSampleLake(join(work, 'lake'), { ledgers: 40, startLedger: 50_457_424, networkPassphrase: PUBNET, seed: 5 });
    admin = await S3Store.create({ bucket: BUCKET, endpoint: s3.server!.endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    await admin.ensureBucket();
    const sdk = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({ region: 'us-east-1', endpoint: s3.server!.endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    await client.send(
      new sdk.PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
          ],
        }),
      }),
    );
    client.destroy();
    assert.equal(await uploadDir(admin, join(work, 'lake'), PREFIX), sample.files + 1);
  });
  after(async () => {
    if (admin !== undefined) {
      for await (const e of admin.list(`${PREFIX}/`)) await admin.delete(e.key);
      await admin.close();
    }
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    await s3.server?.stop();
  });

  it('runs with no credentials and stores every row of the range', { timeout: 120_000 }, async () => {
    const out = join(work, 'parquet');
    const r = await runCli(
      ['run', 'packages/lake/config/examples/pubnet-aws-open-data.yaml', '--quiet'],
      keylessEnv({
        S3_ENDPOINT: s3.server!.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        SOURCE_REGION: 'us-east-1',
        START_LEDGER: String(sample.firstLedger),
        END_LEDGER: String(sample.lastLedger),
        OUTPUT_DIR: out,
      }),
    );
    assert.equal(r.code, 0, r.err);
    const [data] = await duckObjects<{ n: bigint; lo: number; hi: number }>(
      `SELECT count(*) AS n, min(ledger_sequence) AS lo, max(ledger_sequence) AS hi FROM read_parquet('${out}/stellar/contract_data/**/*.parquet')`,
    );
    assert.equal(Number(data!.n), sample.contractDataChanges);
    assert.ok(data!.lo >= sample.firstLedger && data!.hi <= sample.lastLedger);
    const [events] = await duckObjects<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${out}/stellar/contract_events/**/*.parquet')`);
    assert.equal(Number(events!.n), sample.contractEvents);
  });

  it("the same run signed with the environment's keys is refused by a private bucket: the example really sends none", { timeout: 120_000 }, async () => {
    // Control for the test above: with the policy removed, only a signed request could read.
    const sdk = await import('@aws-sdk/client-s3');
    const client = new sdk.S3Client({ region: 'us-east-1', endpoint: s3.server!.endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    await client.send(new sdk.DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    client.destroy();
    const r = await runCli(
      ['run', 'packages/lake/config/examples/pubnet-aws-open-data.yaml', '--quiet'],
      keylessEnv({
        S3_ENDPOINT: s3.server!.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        SOURCE_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
        START_LEDGER: String(sample.firstLedger),
        END_LEDGER: String(sample.firstLedger + 2),
        OUTPUT_DIR: join(work, 'denied'),
      }),
    );
    assert.notEqual(r.code, 0);
    assert.match(r.err, /permission|AccessDenied|403/);
  });
});
