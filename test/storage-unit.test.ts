// Server-free parts of the storage layer: backoff, error classification, key rules, part
// sizing, URL parsing and FS specifics (~ expansion, temp files, listing order).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FsStore,
  StorageError,
  backoffDelay,
  classifyError,
  expandHome,
  fsRootOf,
  openStore,
  partSizeFor,
  withRetry,
} from '../packages/lake/src/storage/index.js';

const MiB = 1024 * 1024;
/** Above Linux's pid_max (4,194,304 at most): no process has it. */
const DEAD_PID = 9_999_999;
const ctx = { backend: 's3' as const, bucket: 'b', key: 'k', operation: 'Op' };

describe('retry', () => {
  it('full jitter stays inside a doubling, capped window', () => {
    const p = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(p, 0, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(p, 3, () => 0.5),
      400,
    );
    assert.equal(
      backoffDelay(p, 10, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(p, 2, () => 0),
      0,
    );
  });

  it('retries transient errors up to maxAttempts, naming backend, bucket and key', async () => {
    let calls = 0;
    const err = await withRetry(ctx, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, async () => {
      calls++;
      throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    }).catch((e: unknown) => e);
    assert.equal(calls, 3);
    assert.ok(err instanceof StorageError);
    assert.equal(err.code, 'network');
    assert.equal(err.attempts, 3);
    assert.match(err.message, /^Op failed on s3 bucket "b" key "k" after 3 attempts: network/);
  });

  it('fails fast on permanent errors', async () => {
    let calls = 0;
    const err = await withRetry(ctx, { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 }, async () => {
      calls++;
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    }).catch((e: unknown) => e);
    assert.equal(calls, 1);
    assert.ok(err instanceof StorageError && err.code === 'permission' && !err.transient);
  });

  it('succeeds after transient failures', async () => {
    let calls = 0;
    const v = await withRetry(ctx, { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 }, async () => {
      if (++calls < 3) throw Object.assign(new Error('busy'), { $metadata: { httpStatusCode: 503 } });
      return 'ok';
    });
    assert.equal(v, 'ok');
    assert.equal(calls, 3);
  });

  it('classifies SDK, HTTP and socket errors', () => {
    const e = (o: Record<string, unknown>): Error => Object.assign(new Error('x'), o);
    assert.equal(classifyError(e({ $metadata: { httpStatusCode: 429 } })), 'throttled');
    assert.equal(classifyError(e({ name: 'SlowDown' })), 'throttled');
    assert.equal(classifyError(e({ status: 500 })), 'server');
    assert.equal(classifyError(e({ code: 404 })), 'not_found');
    assert.equal(classifyError(e({ name: 'NoSuchBucket' })), 'not_found');
    assert.equal(classifyError(e({ name: 'TimeoutError' })), 'timeout');
    assert.equal(classifyError(new TypeError('fetch failed', { cause: e({ code: 'ECONNREFUSED' }) })), 'network');
    assert.equal(classifyError(new Error('bug')), 'unknown');
  });
});

describe('part sizing', () => {
  it('grows so that an unknown-size upload fits in 10,000 parts', () => {
    assert.equal(partSizeFor(1, 8 * MiB), 8 * MiB);
    assert.equal(partSizeFor(1000, 8 * MiB), 8 * MiB);
    assert.equal(partSizeFor(1001, 8 * MiB), 16 * MiB);
    let total = 0;
    for (let n = 1; n <= 10_000; n++) total += partSizeFor(n, 8 * MiB);
    assert.ok(total >= 5 * 1024 * 1024 * MiB, 'reaches the 5 TiB object limit');
  });
  it('uses the size hint to pick the first part size', () => {
    assert.equal(partSizeFor(1, 8 * MiB, 100 * 1024 * MiB), 12 * MiB);
    assert.equal(partSizeFor(1, 8 * MiB, 512 * MiB), 8 * MiB);
  });
});

describe('urls', () => {
  it('parses file, ~, s3 and gs forms', async () => {
    assert.equal(fsRootOf('file:///data/lake'), '/data/lake');
    assert.equal(fsRootOf('file://~/lake'), join(homedir(), 'lake'));
    assert.equal(fsRootOf('~/lake'), join(homedir(), 'lake'));
    assert.equal(expandHome('~'), homedir());
    const fs = await openStore('file:///tmp/x');
    assert.equal(fs.kind, 'fs');
    assert.equal(fs.describe('a/b'), '/tmp/x/a/b');
    const s3 = await openStore({
      url: 's3://bucket/some/prefix/',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      force_path_style: true,
      max_attempts: 2,
    });
    assert.equal(s3.kind, 's3');
    assert.equal(s3.describe('k'), 's3://bucket/some/prefix/k');
    await s3.close?.();
    const gs = await openStore({ url: 'gs://bkt/p', endpoint: 'http://127.0.0.1:1' });
    assert.equal(gs.describe('k'), 'gs://bkt/p/k');
    await assert.rejects(openStore('ftp://x/y'), /unsupported storage URL scheme/);
    await assert.rejects(openStore('s3://bucket/../x'), StorageError);
  });
});

describe('fs specifics', () => {
  it('expands ~ and refuses keys outside the base', async () => {
    const s = new FsStore({ root: '~/some-lake' });
    assert.equal(s.root, join(homedir(), 'some-lake'));
    await assert.rejects(s.put('.cdp-tmp-x', new Uint8Array(1)), /reserved/);
    await assert.rejects(s.get('../../etc/passwd'), (e: unknown) => e instanceof StorageError && e.code === 'invalid');
  });

  it('writes through a temp file in the target directory and renames on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-fs-unit-'));
    try {
      const s = new FsStore({ root: dir });
      const w = await s.openWriter('a/b/c.parquet');
      await w.write(new Uint8Array([1, 2, 3]));
      const during = readdirSync(join(dir, 'a/b'));
      assert.equal(during.length, 1);
      assert.match(during[0]!, /^\.cdp-tmp-c\.parquet-/);
      assert.equal(await s.head('a/b/c.parquet'), null);
      await w.close();
      assert.deepEqual(readdirSync(join(dir, 'a/b')), ['c.parquet']);
      assert.deepEqual([...(await s.get('a/b/c.parquet'))], [1, 2, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a directory pruned by a concurrent delete while a write makes it is made again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-fs-unit-'));
    try {
      const s = new FsStore({ root: dir });
      // What a concurrent delete's pruning does to a write between its mkdir and its temp file:
      // the directories vanish (the mkdir's fsync of a parent or the open then fails with ENOENT).
      const store = s as unknown as { ensureDir(d: string): Promise<void> };
      const ensureDir = store.ensureDir.bind(s);
      let vanish = 2;
      store.ensureDir = async (d: string) => {
        await ensureDir(d);
        if (vanish-- > 0) {
          rmSync(join(dir, 'a'), { recursive: true });
          throw Object.assign(new Error(`ENOENT: no such file or directory, open '${d}'`), { code: 'ENOENT' });
        }
      };
      await s.put('a/b/c.json', new Uint8Array([7]));
      assert.deepEqual([...(await s.get('a/b/c.json'))], [7]);
      assert.equal(vanish, -1, 'the directory was made three times');
      vanish = 1;
      assert.equal(await s.putIfAbsent('a/d/e.json', new Uint8Array([8])), true);
      assert.deepEqual([...(await s.get('a/d/e.json'))], [8]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a delete leaves no empty directory behind, as an object store has no prefix without keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-fs-unit-'));
    try {
      const s = new FsStore({ root: dir });
      await s.put('a/b/c/x.json', new Uint8Array([1]));
      await s.put('a/y.json', new Uint8Array([2]));
      const open = await s.openWriter('a/b/d/z.json');
      await s.delete('a/b/c/x.json');
      assert.deepEqual(readdirSync(dir, { recursive: true }).sort(), ['a', 'a/b', 'a/b/d', `a/b/d/${readdirSync(join(dir, 'a/b/d'))[0]}`, 'a/y.json']);
      await s.delete('a/y.json');
      assert.deepEqual(readdirSync(dir), ['a'], "a writer's directory stays while its temp file is there");
      await open.abort();
      assert.deepEqual(readdirSync(dir), [], 'an aborted write leaves nothing');
      await s.put('a/b/c/x.json', new Uint8Array([3]));
      await s.delete('a/b/c/x.json');
      assert.deepEqual(readdirSync(dir), []);
      for await (const e of s.list('')) assert.fail(`listed ${e.key}`);
      // A killed writer's temp file (its process gone), removed by abortPendingUploads.
      mkdirSync(join(dir, 'k/l'), { recursive: true });
      writeFileSync(join(dir, 'k/l', `.cdp-tmp-z.json-${DEAD_PID}-0123456789ab`), 'x');
      assert.equal(await s.abortPendingUploads('', new Date(Date.now() + 60_000)), 1);
      assert.deepEqual(readdirSync(dir), [], "a dead writer's directory is removed with its temp file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
