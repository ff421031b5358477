// SaveToParquet end to end on real object stores: S3 (Ceph RGW, or fauxqs with
// CDP_S3_SERVER=fauxqs) and the GCS emulator. The lake is downloaded and read with DuckDB
// (hive partitions); a second consumer on the same prefix resumes from the stored checkpoints.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SaveToParquet } from '../packages/lake/src/consumer/index.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import { GcsStore, S3Store, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { duck, messagesFor, rowsIn } from './consumer-helpers.js';

const tables = datasetCatalog();

const RUN = `consumer-${Date.now().toString(36)}`;
const quiet = (): void => undefined;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function download(store: ObjectStore, prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-cloud-'));
  dirs.push(dir);
  for await (const e of store.list(prefix)) {
    const path = join(dir, e.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await store.get(e.key));
  }
  return dir;
}

/** Archives ledgers 1..40 in two runs (restart at 21) and checks the lake with DuckDB. */
async function roundTrip(store: ObjectStore, config: Record<string, unknown>): Promise<void> {
  const prefix = String(config.path_prefix);
  const first = await SaveToParquet.create(config, { tables, store, log: quiet });
  for (const m of messagesFor(1, 20)) await first.process(m);
  await first.close();
  const second = await SaveToParquet.create(config, { tables, store, log: quiet });
  assert.deepEqual(second.checkpoints(), { contract_data: 20, contract_events: 20 });
  assert.equal(second.resumeLedger(), 21);
  for (const m of messagesFor(15, 40)) await second.process(m); // overlap: dropped, not duplicated
  await second.close();

  const local = await download(store, `${prefix}/`);
  const rows = await duck<{
    l: number;
    n: bigint;
    day: bigint;
    bal: string;
  }>(`SELECT ledger_sequence AS l, count(*) AS n, any_value(day) AS day, max(balance)::VARCHAR AS bal
    FROM read_parquet('${local}/${prefix}/contract_data/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`);
  const expected = messagesFor(1, 40).filter((m) => m.metadata.table === 'contract_data');
  for (let l = 1; l <= 40; l++) {
    const r = rows.find((x) => x.l === l);
    assert.equal(r === undefined ? 0 : Number(r.n), rowsIn(l, 'contract_data'), `ledger ${l}`);
    if (r === undefined) continue;
    const mine = expected.filter((m) => m.metadata.ledger_sequence === l);
    assert.equal(Number(r.day), new Date(mine[0]!.payload.closed_at as string).getUTCDate());
    assert.equal(
      r.bal,
      mine
        .map((m) => BigInt(m.payload.balance as string))
        .reduce((a, b) => (a > b ? a : b))
        .toString(),
    );
  }
  const [ev] = await duck<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${local}/${prefix}/contract_events/**/*.parquet', hive_partitioning = true)`);
  assert.equal(Number(ev!.n), messagesFor(1, 40).filter((m) => m.metadata.table === 'contract_events').length);
}

const s3 = await startOrSkip('S3 server', startS3);
describe('SaveToParquet on S3', { skip: s3.skip }, () => {
  let store: S3Store;
  after(async () => {
    await store?.close();
    await s3.server?.stop();
  });

  it('round trip through a store passed in, with restart', async () => {
    store = await S3Store.create({
      bucket: 'consumer',
      prefix: '',
      endpoint: s3.server!.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: S3_CREDENTIALS,
    });
    await store.ensureBucket();
    await roundTrip(store, { storage_type: 'S3', bucket_name: 'consumer', path_prefix: `${RUN}/a`, buffer_size: 8 });
  });

  it('at start-up, aborts the multipart uploads a killed run left open under its prefix (and only there)', async () => {
    const { S3Client, CreateMultipartUploadCommand, UploadPartCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: s3.server!.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3_CREDENTIALS });
    try {
      const open = async (key: string): Promise<void> => {
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'consumer', Key: key }));
        await client.send(new UploadPartCommand({ Bucket: 'consumer', Key: key, UploadId, PartNumber: 1, Body: new Uint8Array(1024) }));
      };
      await open(`${RUN}/c/contract_data/ledger_day=2024-01-15/contract_data-1-9.parquet`);
      await open(`${RUN}/other/contract_data/contract_data-1-9.parquet`);
      assert.equal((await store.pendingUploads(`${RUN}/c/`)).length, 1);
      const logs: string[] = [];
      const c = await SaveToParquet.create(
        { storage_type: 'S3', bucket_name: 'consumer', path_prefix: `${RUN}/c` },
        { tables, store, log: (_l, m) => logs.push(m) },
      );
      assert.deepEqual(await store.pendingUploads(`${RUN}/c/`), []);
      assert.ok(
        logs.some((m) => /aborted 1 unfinished multipart upload/.test(m)),
        logs.join('\n'),
      );
      assert.equal((await store.pendingUploads(`${RUN}/other/`)).length, 1, 'another prefix is left alone');
      await c.close();
      await store.abortPendingUploads(`${RUN}/other/`);
    } finally {
      client.destroy();
    }
  });

  it('opens the store from the config alone (endpoint, region, force_path_style)', async () => {
    const env = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
    try {
      const config = {
        storage_type: 'S3',
        bucket_name: 'consumer',
        path_prefix: `${RUN}/b`,
        endpoint: s3.server!.endpoint,
        region: 'us-east-1',
        force_path_style: true,
        compression: 'zstd',
      };
      const c = await SaveToParquet.create(config, { tables, log: quiet });
      for (const m of messagesFor(1, 10)) await c.process(m);
      await c.close();
      const local = await download(store, `${RUN}/b/`);
      const [r] = await duck<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${local}/${RUN}/b/contract_data/**/*.parquet')`);
      assert.equal(Number(r!.n), messagesFor(1, 10).filter((m) => m.metadata.table === 'contract_data').length);
    } finally {
      if (env.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = env.id;
      if (env.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = env.secret;
    }
  });
});

const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());
describe('SaveToParquet on GCS', { skip: gcs.skip }, () => {
  let store: GcsStore;
  after(async () => {
    await store?.close();
    await gcs.server?.stop();
  });

  it('round trip with restart', async () => {
    store = await GcsStore.create({ bucket: 'consumer', prefix: '', endpoint: gcs.server!.endpoint });
    await roundTrip(store, { storage_type: 'GCS', bucket_name: 'consumer', path_prefix: `${RUN}/g`, buffer_size: 8, partition_by: 'hour' });
  });
});
