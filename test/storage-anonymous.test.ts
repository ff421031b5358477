// `anonymous: true` on the S3 and GCS stores: unsigned requests and no credential lookup, for
// public buckets. S3 on Ceph RGW with a public-read bucket beside a private one; GCS on the
// emulator (which has no auth, so a recording proxy shows what the client sent).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GcsStore, openStore, S3Store, StorageError, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { RecordingProxy, type RecordedRequest } from './support/recording-proxy.js';

const RUN = Date.now().toString(36);

/** Admin calls the store does not offer: a bucket policy letting anyone list and read, and removing a bucket. */
async function s3Admin<T>(
  endpoint: string,
  fn: (sdk: typeof import('@aws-sdk/client-s3'), client: import('@aws-sdk/client-s3').S3Client) => Promise<T>,
): Promise<T> {
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
  try {
    return await fn(sdk, client);
  } finally {
    client.destroy();
  }
}

export function publicReadPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
    ],
  });
}
const enc = new TextEncoder();

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.list(prefix)) out.push(e.key);
  return out;
}

function assertUnsigned(requests: readonly RecordedRequest[]): void {
  assert.ok(requests.length > 0, 'no request went through the proxy');
  for (const r of requests) {
    assert.equal(r.headers.authorization, undefined, `${r.method} ${r.path} carries Authorization: ${String(r.headers.authorization)}`);
    assert.doesNotMatch(r.path, /X-Amz-Signature|X-Amz-Credential/i, `${r.method} ${r.path} is presigned`);
    assert.equal(r.headers['x-amz-security-token'], undefined);
  }
}

const s3 = await startOrSkip('S3 server', startS3);
describe('anonymous S3', { skip: s3.skip || (s3.server?.name !== 'ceph' && 'fauxqs has no bucket policies') }, () => {
  const publicBucket = `anon-public-${RUN}`;
  const privateBucket = `anon-private-${RUN}`;
  let admin: S3Store;
  let adminPrivate: S3Store;
  let proxy: RecordingProxy;
  before(async () => {
    const endpoint = s3.server!.endpoint;
    admin = await S3Store.create({ bucket: publicBucket, endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    adminPrivate = await S3Store.create({ bucket: privateBucket, endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    await admin.ensureBucket();
    await adminPrivate.ensureBucket();
    await s3Admin(endpoint, (sdk, c) => c.send(new sdk.PutBucketPolicyCommand({ Bucket: publicBucket, Policy: publicReadPolicy(publicBucket) })));
    for (const k of ['lake/.config.json', 'lake/a/1.xdr.zstd', 'lake/a/2.xdr.zstd']) {
      await admin.put(k, enc.encode(k));
      await adminPrivate.put(k, enc.encode(k));
    }
    proxy = await RecordingProxy.start(endpoint);
  });
  after(async () => {
    await proxy?.stop();
    for (const store of [admin, adminPrivate]) {
      if (store === undefined) continue;
      for (const k of await keys(store, '')) await store.delete(k);
      await s3Admin(s3.server!.endpoint, (sdk, c) => c.send(new sdk.DeleteBucketCommand({ Bucket: store.bucket })));
      await store.close();
    }
    await s3.server?.stop();
  });

  it('reads and lists a public-read bucket with no credentials, every request unsigned', async () => {
    const anon = await openStore({ url: `s3://${publicBucket}/lake`, endpoint: proxy.endpoint, force_path_style: true, anonymous: true });
    try {
      assert.deepEqual(await keys(anon, ''), ['.config.json', 'a/1.xdr.zstd', 'a/2.xdr.zstd']);
      assert.equal(new TextDecoder().decode(await anon.get('a/2.xdr.zstd')), 'lake/a/2.xdr.zstd');
      assert.equal(new TextDecoder().decode(await anon.get('a/1.xdr.zstd', { suffix: 4 })), 'zstd');
      assertUnsigned(proxy.requests);
    } finally {
      await anon.close?.();
    }
  });

  it('ignores credentials in the environment: a private bucket refuses the anonymous client, and so do writes', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // Valid keys for this server: a client that looked them up would be let in.
    process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
    const anonPrivate = await S3Store.create({ bucket: privateBucket, endpoint: s3.server!.endpoint, forcePathStyle: true, anonymous: true });
    const anonPublic = await S3Store.create({ bucket: publicBucket, endpoint: s3.server!.endpoint, forcePathStyle: true, anonymous: true });
    const chain = await S3Store.create({ bucket: privateBucket, endpoint: s3.server!.endpoint, forcePathStyle: true });
    try {
      // The control: the same environment, not anonymous, reads the private bucket.
      assert.equal(new TextDecoder().decode(await chain.get('lake/.config.json')), 'lake/.config.json');
      const denied = await anonPrivate.get('lake/.config.json').catch((e: unknown) => e);
      assert.ok(denied instanceof StorageError && denied.code === 'permission', String(denied));
      const write = await anonPublic.put('lake/new', enc.encode('x')).catch((e: unknown) => e);
      assert.ok(write instanceof StorageError && write.code === 'permission', String(write));
    } finally {
      for (const [k, v] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await anonPrivate.close();
      await anonPublic.close();
      await chain.close();
    }
  });
});

const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());
describe('anonymous GCS', { skip: gcs.skip }, () => {
  let proxy: RecordingProxy;
  before(async () => {
    const admin = await GcsStore.create({ bucket: 'anon', prefix: RUN, endpoint: gcs.server!.endpoint });
    for (const k of ['.config.json', 'a/1.xdr.zstd']) await admin.put(k, enc.encode(k));
    proxy = await RecordingProxy.start(gcs.server!.endpoint);
  });
  after(async () => {
    await proxy?.stop();
    await gcs.server?.stop();
  });

  it('reads and lists through the emulator with every request unsigned', async () => {
    const anon = await openStore({ url: `gs://anon/${RUN}`, endpoint: proxy.endpoint, anonymous: true });
    assert.deepEqual(await keys(anon, ''), ['.config.json', 'a/1.xdr.zstd']);
    assert.equal(new TextDecoder().decode(await anon.get('a/1.xdr.zstd')), 'a/1.xdr.zstd');
    assert.equal((await anon.head('.config.json'))?.size, '.config.json'.length);
    assertUnsigned(proxy.requests);
  });

  it('looks up no credentials on the real endpoint: it fails on the request, not on Application Default Credentials', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/cdp-parquet-test-key.json';
    try {
      const opts = { bucket: `cdp-parquet-no-such-bucket-${RUN}`, requestTimeoutMs: 10_000, retry: { maxAttempts: 1 } };
      const anon = await GcsStore.create({ ...opts, anonymous: true });
      const signed = await GcsStore.create(opts);
      const anonErr = await anon.get('x').catch((e: unknown) => e);
      const signedErr = await signed.get('x').catch((e: unknown) => e);
      assert.ok(anonErr instanceof StorageError, String(anonErr));
      assert.ok(signedErr instanceof StorageError, String(signedErr));
      // The control: the client that looks credentials up fails on the missing key file.
      assert.match(signedErr.message, /cdp-parquet-test-key\.json|credentials/i);
      assert.doesNotMatch(anonErr.message, /cdp-parquet-test-key\.json|credentials/i);
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });
});
