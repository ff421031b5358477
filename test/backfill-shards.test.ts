// SaveToParquet as shards of one backfill on FS: shards share a lake without touching each
// other's files or state, a finished shard writes nothing when re-run, a second copy of a
// shard is refused, a shard whose lease ran out stops writing, recovery after a crash stays
// inside the shard's range, and a lake that contradicts the plan is refused before anything
// is written. Clocks are injected; nothing waits on wall-clock time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { SaveToParquet, type SaveToParquetDeps } from '../packages/lake/src/consumer/index.js';
import { allShards, assignShard, planShards, type ShardAssignment } from '../packages/lake/src/consumer/shard-plan.js';
import { LeaseHeldError, LeaseLostError } from '../packages/lake/src/consumer/shard-lease.js';
import { ShardLakeError } from '../packages/lake/src/consumer/shard-preflight.js';
import { verifyLake } from '../packages/lake/src/backfill/verify-lake.js';
import { FsStore } from '../packages/lake/src/storage/index.js';
import { duck, messagesFor, rowsIn } from './consumer-helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cdp-shards-'));
  dirs.push(d);
  return d;
}

const quiet: SaveToParquetDeps['log'] = () => undefined;
const CONFIG = { storage_type: 'FS', path_prefix: 'lake', buffer_size: 7, rotation_interval_minutes: 0 };

/** Every file under `dir` with its size and modification time: a lake's state, to compare. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${statSync(p).size} ${statSync(p).mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

function clock(start = Date.UTC(2025, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

async function openShard(dir: string, a: ShardAssignment, deps: SaveToParquetDeps = {}): Promise<SaveToParquet> {
  return SaveToParquet.create({ ...CONFIG, local_path: dir }, { log: quiet, shard: a, ...deps });
}

/** Feeds ledgers [from, to] as the host does (a ledger's rows in one batch, then declared complete). */
async function feed(c: SaveToParquet, from: number, to: number): Promise<void> {
  for (let l = from; l <= to; l++) {
    await c.processBatch(messagesFor(l, l));
    await c.ledgerComplete(l);
  }
}

async function runShard(dir: string, a: ShardAssignment, deps: SaveToParquetDeps = {}): Promise<void> {
  const c = await openShard(dir, a, deps);
  const from = c.resumeLedger() ?? a.start;
  if (from <= a.end) await feed(c, from, a.end);
  await c.close();
}

async function assertRowsExactlyOnce(dir: string, first: number, last: number): Promise<void> {
  for (const [table, col] of [
    ['contract_data', 'ledger_sequence'],
    ['contract_events', 'ledger'],
  ] as const) {
    const rows = await duck<{ l: number; n: bigint }>(`SELECT ${col} AS l, count(*) AS n FROM read_parquet('${dir}/lake/${table}/**/*.parquet') GROUP BY 1`);
    const got = new Map(rows.map((r) => [Number(r.l), Number(r.n)]));
    for (let l = first; l <= last; l++) assert.equal(got.get(l) ?? 0, rowsIn(l, table), `${table} ledger ${l}`);
    assert.ok([...got.keys()].every((l) => l >= first && l <= last));
  }
}

describe('shards of one backfill on FS', () => {
  it('write into one lake at the same time, each only its own ledgers and state, and verify passes', async () => {
    const dir = tempDir();
    const plan = planShards(1, 90, 3, 1);
    await Promise.all(allShards(plan).map((a) => runShard(dir, a)));
    await assertRowsExactlyOnce(dir, 1, 90);
    const shardsDir = join(dir, 'lake/_shards/1-90');
    assert.deepEqual(readdirSync(shardsDir).sort(), ['plan.json', 'shard-0-of-3', 'shard-1-of-3', 'shard-2-of-3']);
    for (const a of allShards(plan)) {
      const progress = JSON.parse(readFileSync(join(shardsDir, `shard-${a.index}-of-3/progress.json`), 'utf8')) as { done_through: number; complete: boolean };
      assert.deepEqual([progress.done_through, progress.complete], [a.end, true]);
      // No lease left behind after a clean finish.
      assert.ok(!readdirSync(join(shardsDir, `shard-${a.index}-of-3`)).some((n) => n.startsWith('lease-')));
    }
    const report = await verifyLake({ store: new FsStore({ root: join(dir, 'lake') }), prefix: '', start: 1, end: 90 });
    assert.ok(report.ok, JSON.stringify(report.defects));
    // Each file's footer names its shard.
    const [kv] = await duck<{ v: string }>(
      `SELECT decode(value) AS v FROM parquet_kv_metadata('${dir}/lake/contract_data/**/*.parquet') WHERE decode(key) = 'cdp.shard' LIMIT 1`,
    );
    assert.match(kv!.v, /^[0-2]\/3$/);
  });

  it('a finished shard re-run writes nothing, and a second copy of a running shard is refused', async () => {
    const dir = tempDir();
    const plan = planShards(1, 40, 2, 1);
    const [a0, a1] = allShards(plan) as [ShardAssignment, ShardAssignment];
    await runShard(dir, a0);
    const before = snapshot(dir);
    const again = await openShard(dir, a0);
    assert.equal(again.resumeLedger(), a0.end + 1);
    await again.close();
    assert.deepEqual(snapshot(dir), before);

    const running = await openShard(dir, a1);
    await feed(running, a1.start, a1.start + 3);
    const second = await openShard(dir, a1).catch((e: unknown) => e);
    assert.ok(second instanceof LeaseHeldError, String(second));
    assert.match(second.message, /shard 1\/2 \(ledgers 21-40\) .* is being run by .*a second copy refuses to start/);
    await feed(running, a1.start + 4, a1.end);
    await running.close();
    await assertRowsExactlyOnce(dir, 1, 40);
  });

  it('a shard whose lease ran out stops writing at once and lets the next holder take over', async () => {
    const dir = tempDir();
    const a = assignShard(planShards(1, 30, 1, 1), 0);
    const c1 = clock();
    const first = await openShard(dir, a, { now: c1.now, lease: { ttlMs: 60_000 } });
    await feed(first, 1, 10);
    await first.flush();
    // The process stalls past its lease (no renewal happened: the timer runs on real time).
    c1.advance(61_000);
    const refused = await first.processBatch(messagesFor(11, 11)).catch((e: unknown) => e);
    assert.ok(refused instanceof LeaseLostError, String(refused));
    // A new holder takes the shard over and finishes it.
    const second = await openShard(dir, a, { now: c1.now, lease: { ttlMs: 60_000 } });
    assert.equal(second.resumeLedger(), 11);
    await feed(second, 11, 30);
    await second.close();
    // The old holder's close stores nothing more (its writes are refused) and reports the loss.
    await assert.rejects(first.close(), LeaseLostError);
    await assertRowsExactlyOnce(dir, 1, 30);
  });

  it("recovery after a crash removes only what lies in the shard's own range", async () => {
    const dir = tempDir();
    const plan = planShards(1, 40, 2, 1);
    const [a0, a1] = allShards(plan) as [ShardAssignment, ShardAssignment];
    await runShard(dir, a1);
    const lakeBefore = snapshot(join(dir, 'lake'));
    // Temp files left by a killed writer (a process that no longer exists), one in each shard's range.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const day = join(dir, 'lake/contract_data/year=2024/month=01/day=15');
    mkdirSync(day, { recursive: true });
    const mine = join(day, `.cdp-tmp-contract_data-3-9.parquet-${dead}-0123456789ab`);
    const theirs = join(day, `.cdp-tmp-contract_data-25-30.parquet-${dead}-0123456789ab`);
    writeFileSync(mine, 'partial');
    writeFileSync(theirs, 'partial');
    await runShard(dir, a0);
    assert.deepEqual(
      readdirSync(day).filter((n) => n.startsWith('.cdp-tmp-')),
      [theirs.slice(day.length + 1)],
    );
    rmSync(theirs);
    // Shard 1's files and state (and the plan) are exactly as it left them.
    const now = snapshot(join(dir, 'lake'));
    for (const f of lakeBefore) assert.ok(now.includes(f), `${f} changed`);
    await assertRowsExactlyOnce(dir, 1, 40);
  });

  it('a lake that contradicts the plan is refused before anything is written', async () => {
    // Files of an unsharded run inside the shard's range.
    const dir = tempDir();
    const unsharded = await SaveToParquet.create({ ...CONFIG, local_path: dir }, { log: quiet });
    await feed(unsharded, 1, 12);
    await unsharded.close();
    const before = snapshot(dir);
    const a = assignShard(planShards(1, 40, 2, 1), 0);
    const err = await openShard(dir, a).catch((e: unknown) => e);
    assert.ok(err instanceof ShardLakeError, String(err));
    assert.match(
      err.message,
      /shard 0\/2 \(ledgers 1-20 of a plan over 1-40 in 2 shards, unit 1\): the lake .* contradicts the plan: lake\/contract_\w+\/.*-1-\d+\.parquet holds ledgers 1-\d+ of this shard, but the shard's checkpoints \(none for contract_\w+\) did not write it/,
    );
    assert.deepEqual(snapshot(dir), before);

    // Another plan over the same range.
    const other = tempDir();
    await runShard(other, assignShard(planShards(1, 40, 2, 1), 1));
    const before2 = snapshot(other);
    const err2 = await openShard(other, assignShard(planShards(1, 40, 4, 1), 0)).catch((e: unknown) => e);
    assert.ok(err2 instanceof ShardLakeError, String(err2));
    assert.match(err2.message, /records a plan over ledgers 1-40 in 2 shards, unit 1, and this run plans ledgers 1-40 in 4 shards, unit 1/);
    // An overlapping range.
    const err3 = await openShard(other, assignShard(planShards(30, 60, 2, 1), 0)).catch((e: unknown) => e);
    assert.ok(err3 instanceof ShardLakeError && /records a plan over ledgers 1-40/.test(err3.message), String(err3));
    assert.deepEqual(snapshot(other), before2);

    // A file across the shard's boundary (written by a plan cut elsewhere).
    const across = tempDir();
    await runShard(across, assignShard(planShards(1, 40, 1, 1), 0));
    rmSync(join(across, 'lake/_shards'), { recursive: true });
    const err4 = await openShard(across, assignShard(planShards(1, 40, 2, 1), 1)).catch((e: unknown) => e);
    assert.ok(err4 instanceof ShardLakeError && /holds ledgers \d+-\d+, across the shard's boundary/.test(err4.message), String(err4));
  });

  it('a shard without a single row still proves its ledgers processed', async () => {
    const dir = tempDir();
    const a = assignShard(planShards(1000, 1099, 1, 1), 0);
    const c = await openShard(dir, a);
    for (let l = a.start; l <= a.end; l++) await c.ledgerComplete(l);
    await c.close();
    const progress = JSON.parse(readFileSync(join(dir, 'lake/_shards/1000-1099/shard-0-of-1/progress.json'), 'utf8')) as {
      done_through: number;
      complete: boolean;
    };
    assert.deepEqual([progress.done_through, progress.complete], [1099, true]);
    const report = await verifyLake({ store: new FsStore({ root: join(dir, 'lake') }), prefix: '', start: 1000, end: 1099, tables: ['contract_data'] });
    assert.ok(report.ok, JSON.stringify(report.defects));
    // Without the progress manifest nothing would prove it.
    rmSync(join(dir, 'lake/_shards/1000-1099/shard-0-of-1/progress.json'));
    const bare = await verifyLake({ store: new FsStore({ root: join(dir, 'lake') }), prefix: '', start: 1000, end: 1099, tables: ['contract_data'] });
    assert.deepEqual(
      bare.defects.map((d) => [d.kind, d.ledgers]),
      [['missing', [1000, 1099]]],
    );
  });
});
