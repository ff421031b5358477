// The same contract, run against every backend on a real server: local FS, S3 on Ceph RGW
// (or fauxqs with CDP_S3_SERVER=fauxqs), GCS on the firebase-tools emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { contentTypeOfName, FsStore, GcsStore, S3Store, StorageError, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';

const MiB = 1024 * 1024;
const RUN = `run-${Date.now().toString(36)}`;

/** Deterministic pseudo-random bytes (xorshift32): cheap to make and to compare. */
export function pattern(size: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed | 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/** Streams `data` through a writer in uneven chunks, as a Parquet writer would. */
async function streamIn(store: ObjectStore, key: string, data: Uint8Array, meta?: Record<string, string>): Promise<void> {
  const w = await store.openWriter(key, { contentType: 'application/vnd.apache.parquet', metadata: meta });
  const sizes = [1, 1000, 64 * 1024, 3 * MiB + 7, 333_333];
  let off = 0;
  for (let i = 0; off < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - off);
    await w.write(data.subarray(off, off + n));
    off += n;
  }
  assert.equal(w.bytesWritten, data.length);
  await w.close();
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  assert.ok(
    Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length)),
    `${what}: bytes differ`,
  );
}

async function collect(it: AsyncIterable<{ key: string; size: number }>): Promise<{ key: string; size: number }[]> {
  const out = [];
  for await (const e of it) out.push(e);
  return out;
}

/** Deletes every object under the store's prefix (test data cleanup). */
export async function emptyStore(store: ObjectStore): Promise<void> {
  for await (const e of store.list('')) await store.delete(e.key);
}

/**
 * What a backend keeps besides the bytes. The FS store keeps no user metadata (a directory
 * tree has no place for it that users do not see) and reports the content type its file
 * name implies; S3 and GCS keep both as given.
 */
export interface StoreTraits {
  customMetadata: boolean;
}

/** What `head` should answer for an object written with `contentType` and `metadata` under `key`. */
function expectedInfo(
  traits: StoreTraits,
  key: string,
  contentType: string | undefined,
  metadata: Record<string, string>,
): { metadata: Record<string, string>; contentType: string | undefined } {
  if (traits.customMetadata) return { metadata, contentType };
  return { metadata: {}, contentType: contentTypeOfName(key) };
}

/** Registers the contract tests; `store()` is read lazily because servers start in before(). */
export function contract(
  name: string,
  store: () => ObjectStore,
  extra: { pendingUploads?: (prefix: string) => Promise<unknown[]>; traits?: StoreTraits } = {},
): void {
  const traits = extra.traits ?? { customMetadata: true };
  const sizes: [string, number][] = [
    ['0 B', 0],
    ['1 B', 1],
    ['5 MiB - 1', 5 * MiB - 1],
    ['5 MiB + 1', 5 * MiB + 1],
    ['60 MiB', 60 * MiB],
  ];
  for (const [label, size] of sizes) {
    it(`${name}: streamed round trip of ${label}`, async () => {
      const s = store();
      const key = `rt/${size}.parquet`;
      const data = pattern(size, size + 1);
      const meta = { format: 'parquet', generator: 'cdp-parquet', 'ledger-range': '100-163' };
      await streamIn(s, key, data, meta);
      sameBytes(await s.get(key), data, label);
      const h = await s.head(key);
      assert.equal(h?.size, size);
      const want = expectedInfo(traits, key, 'application/vnd.apache.parquet', meta);
      assert.equal(h?.contentType, want.contentType);
      assert.deepEqual(h?.metadata, want.metadata);
    });
  }

  it(`${name}: put and metadata round trip`, async () => {
    const s = store();
    await s.put('meta/checkpoint.json', new TextEncoder().encode('{"ledger":42}'), { contentType: 'application/json', metadata: { Kind: 'checkpoint' } });
    assert.equal(new TextDecoder().decode(await s.get('meta/checkpoint.json')), '{"ledger":42}');
    const h = await s.head('meta/checkpoint.json');
    assert.deepEqual(h, { size: 13, ...expectedInfo(traits, 'meta/checkpoint.json', 'application/json', { kind: 'checkpoint' }) });
    // Overwrite replaces content and metadata.
    await s.put('meta/checkpoint.json', new TextEncoder().encode('{}'));
    assert.equal((await s.head('meta/checkpoint.json'))?.size, 2);
    assert.equal((await s.head('meta/checkpoint.json'))?.metadata.kind, undefined);
    // A name that implies no content type.
    await s.put('meta/blob', new Uint8Array(3), { contentType: 'application/octet-stream' });
    assert.equal((await s.head('meta/blob'))?.contentType, traits.customMetadata ? 'application/octet-stream' : undefined);
  });

  it(`${name}: putIfAbsent creates once, whoever asks`, async () => {
    const s = store();
    const enc = new TextEncoder();
    assert.equal(await s.putIfAbsent('once/lease.json', enc.encode('{"holder":"a"}'), { contentType: 'application/json' }), true);
    assert.equal(await s.putIfAbsent('once/lease.json', enc.encode('{"holder":"b"}')), false);
    assert.equal(new TextDecoder().decode(await s.get('once/lease.json')), '{"holder":"a"}');
    // Eight contenders at once: exactly one wins, and the object is the winner's.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.putIfAbsent('once/race.json', enc.encode(`{"holder":${i}}`))));
    assert.equal(results.filter((r) => r).length, 1, `winners: ${JSON.stringify(results)}`);
    assert.equal(new TextDecoder().decode(await s.get('once/race.json')), `{"holder":${results.indexOf(true)}}`);
    // Once deleted, the key can be created again.
    await s.delete('once/lease.json');
    assert.equal(await s.putIfAbsent('once/lease.json', enc.encode('{"holder":"c"}')), true);
    assert.deepEqual(
      (await collect(s.list('once/'))).map((e) => e.key),
      ['once/lease.json', 'once/race.json'],
    );
  });

  it(`${name}: ranged and suffix reads`, async () => {
    const s = store();
    const data = pattern(100_000, 7);
    await s.put('range/obj', data);
    sameBytes(await s.get('range/obj', { offset: 10, length: 90 }), data.subarray(10, 100), 'offset+length');
    sameBytes(await s.get('range/obj', { offset: 99_990 }), data.subarray(99_990), 'offset to end');
    sameBytes(await s.get('range/obj', { offset: 99_990, length: 1000 }), data.subarray(99_990), 'length past end');
    sameBytes(await s.get('range/obj', { suffix: 8 }), data.subarray(100_000 - 8), 'suffix 8 (Parquet footer)');
    sameBytes(await s.get('range/obj', { suffix: 200_000 }), data, 'suffix longer than object');
    assert.equal((await s.get('range/obj', { suffix: 0 })).length, 0);
  });

  it(`${name}: list by prefix with paging`, async () => {
    const s = store();
    const keys = ['list/a/1', 'list/a/2', 'list/a-b', 'list/b/x/y', 'list/c', 'list/d', 'list/e'];
    for (const [i, k] of keys.entries()) await s.put(k, pattern(i + 1, i + 1));
    const all = await collect(s.list('list/', { pageSize: 2 }));
    assert.deepEqual(
      all.map((e) => e.key),
      [...keys].sort(),
    );
    assert.deepEqual(
      all.map((e) => e.size),
      [...keys].sort().map((k) => keys.indexOf(k) + 1),
    );
    assert.deepEqual(
      (await collect(s.list('list/a'))).map((e) => e.key),
      ['list/a-b', 'list/a/1', 'list/a/2'],
    );
    assert.deepEqual(await collect(s.list('nothing-here/')), []);
  });

  it(`${name}: delete`, async () => {
    const s = store();
    await s.put('del/x', pattern(10, 3));
    await s.delete('del/x');
    assert.equal(await s.head('del/x'), null);
    await assert.rejects(s.get('del/x'), (e: unknown) => e instanceof StorageError && e.code === 'not_found');
    await s.delete('del/x'); // missing is fine
  });

  it(`${name}: nothing visible before close; abort leaves nothing`, async () => {
    const s = store();
    const w = await s.openWriter('abort/obj.parquet');
    await w.write(pattern(12 * MiB, 9)); // past the multipart / resumable threshold
    assert.equal(await s.head('abort/obj.parquet'), null, 'visible before close');
    await w.abort(new Error('test abort'));
    assert.equal(await s.head('abort/obj.parquet'), null);
    assert.deepEqual(await collect(s.list('abort/')), []);
    if (extra.pendingUploads) assert.deepEqual(await extra.pendingUploads('abort/'), [], 'pending multipart uploads after abort');
    await assert.rejects(async () => w.write(new Uint8Array(1)), StorageError);
    // Abort of a writer that never sent anything.
    const w2 = await s.openWriter('abort/small');
    await w2.write(pattern(100, 1));
    await w2.abort();
    assert.equal(await s.head('abort/small'), null);
  });

  it(`${name}: keys that could escape the base are rejected`, async () => {
    const s = store();
    for (const bad of ['../x', 'a/../../x', '/abs', 'a//b', '', 'a/./b']) {
      await assert.rejects(s.put(bad, new Uint8Array(1)), (e: unknown) => e instanceof StorageError && e.code === 'invalid', bad);
    }
  });
}

describe('fs store', () => {
  let dir: string;
  let s: FsStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdp-fs-'));
    s = new FsStore({ root: dir });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  contract('fs', () => s, { traits: { customMetadata: false } });
  it('fs: leaves no temp files and no metadata files in the tree', async () => {
    const { readdirSync } = await import('node:fs');
    assert.ok(!readdirSync(dir).includes('abort'), 'aborted writes left their directory behind');
    assert.deepEqual(readdirSync(join(dir, 'meta')).sort(), ['blob', 'checkpoint.json']);
    assert.deepEqual(readdirSync(join(dir, 'rt')).sort(), ['0.parquet', '1.parquet', '5242879.parquet', '5242881.parquet', '62914560.parquet']);
    assert.deepEqual(readdirSync(join(dir, 'once')).sort(), ['lease.json', 'race.json']);
  });
});

const s3 = await startOrSkip('S3 server', startS3);
describe('s3 store', { skip: s3.skip }, () => {
  let store: S3Store;
  before(async () => {
    store = await S3Store.create({
      bucket: 'contract',
      prefix: `${RUN}/`,
      endpoint: s3.server!.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: S3_CREDENTIALS,
      partSize: 5 * MiB,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 10_000,
    });
    await store.ensureBucket();
  });
  after(async () => {
    // Ceph runs on an in-memory OSD shared by every test run: leave nothing behind.
    if (store !== undefined) await emptyStore(store);
    await store?.close();
    await s3.server?.stop();
  });
  contract(`s3 (${s3.server?.name})`, () => store, { pendingUploads: (p) => store.pendingUploads(p) });

  it('s3: permanent errors fail fast and name backend, bucket and key', { skip: s3.server?.name !== 'ceph' && 'fauxqs accepts any credentials' }, async () => {
    const bad = await S3Store.create({
      bucket: 'contract',
      endpoint: s3.server!.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' },
    });
    // Fast means without retries (attempts === 1), which does not depend on the machine's speed.
    const err = await bad.put('k/denied', new Uint8Array(1)).catch((e: unknown) => e);
    assert.ok(err instanceof StorageError && err.code === 'permission' && err.attempts === 1, String(err));
    assert.match(err.message, /PutObject failed on s3 bucket "contract" key "k\/denied": permission: SignatureDoesNotMatch/);
    await bad.close();
    const missing = await S3Store.create({ bucket: 'no-such-bucket-here', endpoint: s3.server!.endpoint, forcePathStyle: true, credentials: S3_CREDENTIALS });
    const e2 = await missing.put('k', new Uint8Array(1)).catch((e: unknown) => e);
    assert.ok(e2 instanceof StorageError && e2.code === 'not_found' && /NoSuchBucket/.test(e2.message), String(e2));
    await missing.close();
  });
});

const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());
describe('gcs store', { skip: gcs.skip }, () => {
  let store: GcsStore;
  before(async () => {
    store = await GcsStore.create({
      bucket: 'contract',
      prefix: `${RUN}/`,
      endpoint: gcs.server!.endpoint,
      resumableThreshold: 5 * MiB,
      stallTimeoutMs: 10_000,
    });
  });
  after(async () => {
    await store?.close();
    await gcs.server?.stop();
  });
  contract('gcs', () => store);
});
