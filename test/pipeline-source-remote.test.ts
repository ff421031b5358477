// The data-lake source on real object stores: the testnet fixture lake and a generated
// sample lake are uploaded to S3 (Ceph RGW; fauxqs with CDP_S3_SERVER=fauxqs) and to the GCS
// emulator, then read through sources built by createSource from pipeline config, and must
// deliver exactly the ledgers (sequence, close time, bytes) the FS source delivers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GcsStore, S3Store, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { createSource, type LedgerSource } from '../packages/lake/src/pipeline/host/sources.js';
import { LedgerMissingError } from '../packages/lake/src/pipeline/source/datalake-source.js';
import type { LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { contractDataProcessor } from './support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from './support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { generateSampleLake, type SampleLakeSummary } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { TESTNET_LAKE } from './pipeline-helpers.js';
import { uploadDir as upload } from './support/upload-dir.js';

const RUN = `lake-${Date.now().toString(36)}`;
const BUCKET = 'datalake';

async function open(type: string, config: Record<string, unknown>): Promise<LedgerSource> {
  const s = await createSource({ type, config, where: `test source (${type})` });
  assert.equal(s.kind, 'ledgers');
  return s as LedgerSource;
}

async function drain(source: LedgerSource): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  const ac = new AbortController();
  try {
    for await (const l of source.ledgers(source.range, ac.signal)) out.push(l);
  } finally {
    ac.abort();
    await source.close();
  }
  return out;
}

function sameLedgers(actual: LedgerRecord[], expected: LedgerRecord[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ledger count`);
  actual.forEach((l, i) => {
    const e = expected[i]!;
    assert.equal(l.sequence, e.sequence, `${what}: sequence #${i}`);
    assert.equal(l.closeTime, e.closeTime, `${what}: close time of ${e.sequence}`);
    assert.ok(Buffer.from(l.bytes).equals(Buffer.from(e.bytes)), `${what}: bytes of ledger ${e.sequence}`);
  });
}

let sampleDir: string;
let sample: SampleLakeSummary;
let fsTestnet: LedgerRecord[];
let fsSample: LedgerRecord[];

before(async () => {
  sampleDir = mkdtempSync(join(tmpdir(), 'cdp-remote-lake-'));
  // Protocol 23 meta, crossing the 64,000 partition boundary, 2 ledgers per file.
  sample = await generateSampleLake(sampleDir, { ledgers: 120, startLedger: 63_940, metaVersion: 2, ledgersPerFile: 2, seed: 11 });
  fsTestnet = await drain(await open('FSBufferedStorageSourceAdapter', { path: TESTNET_LAKE, start_ledger: 997, end_ledger: 999 }));
  fsSample = await drain(await open('FSBufferedStorageSourceAdapter', { path: sampleDir, start_ledger: sample.firstLedger, end_ledger: sample.lastLedger }));
  assert.deepEqual(
    fsTestnet.map((l) => l.sequence),
    [997, 998, 999],
  );
  assert.equal(fsSample.length, sample.ledgers);
});

after(() => rmSync(sampleDir, { recursive: true, force: true }));

/** The checks shared by both clouds; `base` is the source config minus range and prefix. */
function remoteSuite(name: string, type: string, base: () => Record<string, unknown>): void {
  it(`${name}: testnet fixture lake equals the FS source`, async () => {
    const got = await drain(await open(type, { ...base(), path_prefix: `${RUN}/testnet`, start_ledger: 997, end_ledger: 999, num_workers: 2, buffer_size: 3 }));
    sameLedgers(got, fsTestnet, `${name} testnet`);
  });

  it(`${name}: generated sample lake (2 partitions, 2 ledgers per file) equals the FS source, rows too`, async () => {
    const got = await drain(
      await open(type, {
        ...base(),
        path_prefix: `${RUN}/sample`,
        start_ledger: sample.firstLedger,
        end_ledger: sample.lastLedger,
        num_workers: 4,
        buffer_size: 10,
      }),
    );
    sameLedgers(got, fsSample, `${name} sample`);
    const data = contractDataProcessor({ networkPassphrase: sample.networkPassphrase });
    const events = contractEventsProcessor();
    assert.equal(
      got.reduce((n, l) => n + data.rows(l).length, 0),
      sample.contractDataChanges,
    );
    assert.equal(
      got.reduce((n, l) => n + events.rows(l).length, 0),
      sample.contractEvents,
    );
  });

  it(`${name}: a start inside a multi-ledger file and a prefix given in bucket_name`, async () => {
    const cfg = base();
    const got = await drain(
      await open(type, {
        ...cfg,
        bucket_name: `${String(cfg.bucket_name)}/${RUN}`,
        path_prefix: 'sample',
        start_ledger: 63_999,
        end_ledger: 64_004,
      }),
    );
    sameLedgers(
      got,
      fsSample.filter((l) => l.sequence >= 63_999 && l.sequence <= 64_004),
      `${name} bucket_name prefix`,
    );
  });

  it(`${name}: a bounded range past the end of the lake fails with the missing ledger named`, async () => {
    const src = await open(type, { ...base(), path_prefix: `${RUN}/testnet`, start_ledger: 998, end_ledger: 1000, retry_limit: 0 });
    await assert.rejects(drain(src), (e: unknown) => e instanceof LedgerMissingError && e.ledger === 1000);
  });
}

const s3 = await startOrSkip('S3 server', startS3);
describe('data-lake source on S3', { skip: s3.skip }, () => {
  let store: S3Store;
  const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  before(async () => {
    store = await S3Store.create({ bucket: BUCKET, endpoint: s3.server!.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3_CREDENTIALS });
    await store.ensureBucket();
    assert.equal(await upload(store, TESTNET_LAKE, `${RUN}/testnet`), 4);
    assert.equal(await upload(store, sampleDir, `${RUN}/sample`), sample.files + 1);
    // createSource has no credential keys; the S3 client falls back to the AWS environment chain.
    process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
  });
  after(async () => {
    for (const [k, v] of [
      ['AWS_ACCESS_KEY_ID', savedEnv.id],
      ['AWS_SECRET_ACCESS_KEY', savedEnv.secret],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await store?.close();
    await s3.server?.stop();
  });
  remoteSuite(`s3 (${s3.server?.name})`, 'S3BufferedStorageSourceAdapter', () => ({
    bucket_name: BUCKET,
    endpoint: s3.server!.endpoint,
    region: 'us-east-1',
    force_path_style: true,
  }));
});

const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());
describe('data-lake source on GCS', { skip: gcs.skip }, () => {
  let store: GcsStore;
  before(async () => {
    store = await GcsStore.create({ bucket: BUCKET, endpoint: gcs.server!.endpoint });
    assert.equal(await upload(store, TESTNET_LAKE, `${RUN}/testnet`), 4);
    assert.equal(await upload(store, sampleDir, `${RUN}/sample`), sample.files + 1);
  });
  after(async () => {
    await store?.close();
    await gcs.server?.stop();
  });
  remoteSuite('gcs', 'GCSBufferedStorageSourceAdapter', () => ({ bucket_name: BUCKET, endpoint: gcs.server!.endpoint }));
});
