// `verify` on FS, S3 (Ceph RGW) and GCS (emulator): a lake written by two shards passes;
// then each kind of defect is planted (a removed file, a file of another cut over the same
// ledgers, garbage under a data file's name, a cut-off file, a file moved to another day, a
// lease, a file committed after a checkpoint, an unfinished upload) and each is reported;
// a shard that never ran leaves its ledgers missing. The CLI exits 1 on a defect, 0 without.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SaveToParquet } from '../packages/lake/src/consumer/index.js';
import { allShards, planShards } from '../packages/lake/src/consumer/shard-plan.js';
import { verifyLake, type DefectKind, type VerifyReport } from '../packages/lake/src/backfill/verify-lake.js';
import { FsStore, GcsStore, S3Store, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';
import { messagesFor, rowsIn } from './consumer-helpers.js';
import { uploadDir } from './support/upload-dir.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN = `verify-${Date.now().toString(36)}`;
const LAST = 60;
const work = mkdtempSync(join(tmpdir(), 'cdp-verify-'));
const enc = new TextEncoder();

// Both servers start before any hook or suite is registered: a suite registered after a
// top-level await can run after the root's after() hook (which removes the work directory).
const s3 = await startOrSkip('S3 server', startS3);
const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());

async function feed(c: SaveToParquet, from: number, to: number): Promise<void> {
  for (let l = from; l <= to; l++) {
    await c.processBatch(messagesFor(l, l));
    await c.ledgerComplete(l);
  }
}

/** A lake of ledgers 1..60 written by two shards (lake/), and an unsharded lake cut differently over 30..40 (other/). */
before(async () => {
  const cfg = { storage_type: 'FS', local_path: join(work, 'written'), path_prefix: 'lake', buffer_size: 7, rotation_interval_minutes: 0 };
  await Promise.all(
    allShards(planShards(1, LAST, 2, 1)).map(async (a) => {
      const c = await SaveToParquet.create(cfg, { log: () => undefined, shard: a });
      await feed(c, a.start, a.end);
      await c.close();
    }),
  );
  const other = await SaveToParquet.create({ ...cfg, local_path: join(work, 'other'), buffer_size: 3 }, { log: () => undefined });
  await feed(other, 30, 40);
  await other.close();
});
after(() => rmSync(work, { recursive: true, force: true }));

async function keys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.list(prefix)) out.push(e.key);
  return out;
}

function expectKinds(r: VerifyReport, want: Partial<Record<DefectKind, (detail: string) => boolean>>): void {
  for (const [kind, match] of Object.entries(want)) {
    const found = r.defects.filter((d) => d.kind === kind);
    assert.ok(
      found.some((d) => match!(`${d.key ?? ''} ${d.detail}`)),
      `no ${kind} defect as expected among:\n${r.defects.map((d) => `${d.kind}: ${d.detail}`).join('\n')}`,
    );
  }
}

/**
 * The checks on one backend. `lake` is a store rooted at a fresh copy of the written lake;
 * `plantUpload` leaves an unfinished upload the backend can list (FS temp file, S3 multipart).
 */
function suite(name: string, open: (copy: string) => Promise<ObjectStore>, plantUpload?: (store: ObjectStore, key: string) => Promise<void>): void {
  it(`${name}: the lake two shards wrote holds every ledger exactly once`, async () => {
    const store = await open('clean');
    const r = await verifyLake({ store, prefix: '', start: 1, end: LAST });
    assert.ok(r.ok, r.defects.map((d) => d.detail).join('\n'));
    const want = (t: string) => Array.from({ length: LAST }, (_, i) => rowsIn(i + 1, t)).reduce((a, b) => a + b, 0);
    assert.deepEqual(
      r.tables.map((t) => [t.table, t.rows]),
      [
        ['contract_data', want('contract_data')],
        ['contract_events', want('contract_events')],
      ],
    );
    assert.ok(r.files_checked >= 4 && r.bytes_read > 0);
    await store.close?.();
  });

  it(`${name}: each planted defect is reported`, async () => {
    const store = await open('planted');
    const all = await keys(store);
    const data = all.filter((k) => k.startsWith('contract_data/')).sort();
    const events = all.filter((k) => k.startsWith('contract_events/')).sort();
    // A file removed (shard 0's second contract_data file).
    const removed = data[1]!;
    await store.delete(removed);
    // The same ledgers again, cut differently (another run's file over 30..40).
    const otherStore = new FsStore({ root: join(work, 'other/lake') });
    const dupKey = (await keys(otherStore, 'contract_events/')).sort()[1]!;
    await store.put(dupKey, await otherStore.get(dupKey));
    // Garbage under a data file's name, and a file cut off half way.
    const garbage = 'contract_data/year=2024/month=01/day=16/contract_data-55-56.parquet';
    await store.put(garbage, enc.encode('this is not parquet at all'));
    const cut = data[4]!;
    const bytes = await store.get(cut);
    await store.put(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // A file moved to the next day's partition.
    const moved = events.find((k) => k.includes('day=15'))!;
    const movedTo = moved.replace('day=15', 'day=16');
    await store.put(movedTo, await store.get(moved));
    await store.delete(moved);
    // Leftovers: a live lease, a file committed after its checkpoint, an unfinished upload.
    const lease = '_shards/1-60/shard-1-of-2/lease-000003.json';
    await store.put(lease, enc.encode(JSON.stringify({ holder: 'node-7/1234/abcd', generation: 3, expires_at: Date.now() + 3_600_000 })));
    const cpKey = '_shards/1-60/shard-1-of-2/checkpoints/contract_data.json';
    const cp = JSON.parse(new TextDecoder().decode(await store.get(cpKey))) as { pending: unknown[] };
    const pendingKey = data.at(-1)!;
    cp.pending.push({ key: pendingKey, last: LAST });
    await store.put(cpKey, enc.encode(JSON.stringify(cp)));
    const uploadKey = 'contract_data/year=2024/month=01/day=16/contract_data-57-58.parquet';
    await plantUpload?.(store, uploadKey);

    const r = await verifyLake({ store, prefix: '', start: 1, end: LAST });
    assert.equal(r.ok, false);
    expectKinds(r, {
      missing: (d) => /contract_data: shard 0\/2 committed \d+ rows in ledgers 1-30, the files there hold \d+: \d+ rows are in no file/.test(d),
      duplicate: (d) => d.includes(dupKey) && /held by two files/.test(d),
      unreadable: (d) => d.includes(garbage) && /not a Parquet file/.test(d),
      truncated: (d) => d.includes(cut) && /cut off/.test(d),
      outside_partition: (d) => d.includes(movedTo) && /belong in year=2024\/month=01\/day=15/.test(d),
      leftover: (d) => d.includes(lease) && /held by node-7\/1234\/abcd, live until/.test(d),
    });
    expectKinds(r, { leftover: (d) => d.includes(pendingKey) && /committed after the last checkpoint of contract_data/.test(d) });
    if (plantUpload !== undefined) expectKinds(r, { leftover: (d) => d.includes(uploadKey) && /unfinished write/.test(d) });
    await store.close?.();
  });

  it(`${name}: ledgers of a shard that never ran are missing, with the shard named`, async () => {
    const store = await open('half');
    for (const k of await keys(store)) {
      if (k.startsWith('_shards/1-60/shard-1-of-2/') || /-(3[1-9]|[45]\d|60)-\d+\.parquet$/.test(k)) await store.delete(k);
    }
    const r = await verifyLake({ store, prefix: '', start: 1, end: LAST });
    const missing = r.defects.filter((d) => d.kind === 'missing');
    assert.deepEqual(
      missing.map((d) => [d.table, d.ledgers]),
      [
        ['contract_data', [31, 60]],
        ['contract_events', [31, 60]],
      ],
    );
    assert.match(missing[0]!.detail, /a shard of the plan _shards\/1-60\/plan.json has not recorded any progress there/);
    await store.close?.();
  });
}

describe('verify on FS', () => {
  suite(
    'fs',
    async (copy) => {
      const dir = join(work, `fs-${copy}`);
      cpSync(join(work, 'written/lake'), dir, { recursive: true });
      return new FsStore({ root: dir });
    },
    async (store, key) => {
      // A temp file of a writer that was killed (its process is gone).
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      const path = join((store as FsStore).root, key);
      writeFileSync(join(dirname(path), `.cdp-tmp-${key.slice(key.lastIndexOf('/') + 1)}-${dead}-0123456789ab`), 'partial');
    },
  );

  it('fs: the CLI prints the report and exits 0 on a whole lake, 1 with the defects (--json)', () => {
    const dir = join(work, 'fs-clean');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), 'verify', ...args], { cwd: ROOT, encoding: 'utf8' });
    const ok = cli(dir, '--start', '1', '--end', String(LAST), '--quiet');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /OK: every table holds every ledger of 1-60 exactly once/);
    const bad = cli(join(work, 'fs-planted'), '--start', '1', '--end', String(LAST), '--json', '--quiet');
    assert.equal(bad.status, 1, bad.stderr);
    const report = JSON.parse(bad.stdout) as VerifyReport;
    assert.equal(report.ok, false);
    assert.ok(report.counts.truncated >= 1 && report.counts.leftover >= 3, JSON.stringify(report.counts));
    const usage = cli(dir, '--start', '10');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--start and --end are required/);
  });
});

describe('verify on S3', { skip: s3.skip }, () => {
  const stores: S3Store[] = [];
  after(async () => {
    for (const s of stores) {
      await s.abortPendingUploads('', new Date(Date.now() + 60_000));
      for (const k of await keys(s)) await s.delete(k);
      await s.close();
    }
    await s3.server?.stop();
  });
  suite(
    `s3 (${s3.server?.name})`,
    async (copy) => {
      const opts = { bucket: 'verify', endpoint: s3.server!.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3_CREDENTIALS };
      const root = await S3Store.create(opts);
      await root.ensureBucket();
      await uploadDir(root, join(work, 'written/lake'), `${RUN}/${copy}`);
      await root.close();
      const store = await S3Store.create({ ...opts, prefix: `${RUN}/${copy}` });
      stores.push(await S3Store.create({ ...opts, prefix: `${RUN}/${copy}` }));
      return store;
    },
    async (store, key) => {
      const w = await store.openWriter(key);
      await w.write(new Uint8Array(9 * 1024 * 1024)); // past one 8 MiB part: a multipart upload starts
      // Never closed nor aborted, as a killed process leaves it; wait until the server lists it.
      const s = store as S3Store;
      for (let i = 0; i < 200 && (await s.pendingUploads('')).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal((await s.pendingUploads('')).length, 1);
    },
  );
});

describe('verify on GCS', { skip: gcs.skip }, () => {
  after(async () => {
    await gcs.server?.stop();
  });
  suite('gcs', async (copy) => {
    const root = await GcsStore.create({ bucket: 'verify', endpoint: gcs.server!.endpoint });
    await uploadDir(root, join(work, 'written/lake'), `${RUN}/${copy}`);
    return GcsStore.create({ bucket: 'verify', prefix: `${RUN}/${copy}`, endpoint: gcs.server!.endpoint });
  });
});
