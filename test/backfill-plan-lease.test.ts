// Shard planning (ranges, alignment, bad input) and the shard lease (conditional create,
// expiry, renewal, take-over), on the FS store with an injected clock: no wall-clock waits.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { alignmentUnit, allShards, assignShard, checkShardSpec, planShards, ShardPlanError } from '../packages/lake/src/consumer/shard-plan.js';
import { LeaseHeldError, LeaseLostError, listLeases, ShardLease } from '../packages/lake/src/consumer/shard-lease.js';
import { FsStore } from '../packages/lake/src/storage/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function store(): FsStore {
  const d = mkdtempSync(join(tmpdir(), 'cdp-lease-'));
  dirs.push(d);
  return new FsStore({ root: d, fsync: false });
}

describe('shard plan', () => {
  it('shards cover the range exactly once, contiguously, cut only at multiples of the unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom(1, 8, 64, 100, 10_000),
        (start, length, count, unit) => {
          const end = start + length;
          const units = Math.floor(end / unit) - Math.floor(start / unit) + 1;
          if (units < count) {
            assert.throws(() => planShards(start, end, count, unit), ShardPlanError);
            return;
          }
          const shards = allShards(planShards(start, end, count, unit));
          assert.equal(shards.length, count);
          assert.equal(shards[0]!.start, start);
          assert.equal(shards.at(-1)!.end, end);
          for (const [i, s] of shards.entries()) {
            assert.ok(s.start <= s.end, `shard ${i} is empty`);
            if (i > 0) {
              assert.equal(s.start, shards[i - 1]!.end + 1);
              assert.equal(s.start % unit, 0, `shard ${i} starts at ${s.start}, not a multiple of ${unit}`);
            }
          }
          // As even as whole units allow.
          const sizes = shards.map((s) => Math.floor(s.end / unit) - Math.floor(s.start / unit) + 1);
          assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `units per shard ${sizes.join(',')}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the Soroban era in 64 shards of whole 64,000-ledger galexie partitions', () => {
    const plan = planShards(50_457_424, 60_457_423, 64, alignmentUnit([64_000, 1]));
    const s = assignShard(plan, 1);
    assert.equal(plan.unit, 64_000);
    assert.equal(s.start % 64_000, 0);
    assert.deepEqual([assignShard(plan, 0).start, assignShard(plan, 63).end], [50_457_424, 60_457_423]);
  });

  it('the unit is the least common multiple of the alignments', () => {
    assert.equal(alignmentUnit([]), 1);
    assert.equal(alignmentUnit([8, 10_000]), 10_000);
    assert.equal(alignmentUnit([64, 100]), 1600);
    assert.throws(() => alignmentUnit([0]), /positive integer, got 0/);
  });

  it('bad input names the values', () => {
    assert.throws(() => checkShardSpec({ index: 4, count: 4 }), /from 0 to 3 \(the count is 4\), got 4/);
    assert.throws(() => checkShardSpec({ index: 0, count: 0 }), /count must be an integer >= 1, got 0/);
    assert.throws(() => checkShardSpec({ index: -1, count: 2 }), /got -1/);
    assert.throws(() => planShards(100, undefined, 2, 1), /needs an end ledger \(the range starts at 100/);
    assert.throws(() => planShards(100, 50, 2, 1), /end ledger 50 is before the start ledger 100/);
    assert.throws(() => planShards(1000, 1099, 4, 64), /ledgers 1000-1099 touch 3 aligned unit\(s\) of 64 ledger\(s\), fewer than the 4 shards/);
    assert.throws(() => assignShard(planShards(1, 100, 2, 1), 2), /from 0 to 1/);
  });
});

describe('shard lease', () => {
  const clock = () => {
    let t = Date.UTC(2025, 0, 1);
    return {
      now: () => t,
      advance: (ms: number) => {
        t += ms;
      },
      sleep: async (ms: number) => {
        t += ms;
      },
    };
  };

  it('a second holder is refused while the first is live, and takes over once it expired', async () => {
    const s = store();
    const c = clock();
    const opts = { ttlMs: 60_000, waitMs: 0, now: c.now, what: 'shard 0/2' };
    const a = await ShardLease.acquire(s, 'x/shard-0-of-2', { ...opts, holder: 'A' });
    assert.equal(a.generation, 1);
    c.advance(59_000);
    const refused = await ShardLease.acquire(s, 'x/shard-0-of-2', { ...opts, holder: 'B' }).catch((e: unknown) => e);
    assert.ok(refused instanceof LeaseHeldError, String(refused));
    assert.match(refused.message, /shard 0\/2 is being run by A \(lease 1 expires at 2025-01-01T00:01:00.000Z, in 1 s\)/);
    // A renews: B is still refused a minute later.
    await a.renew();
    c.advance(59_000);
    await assert.rejects(ShardLease.acquire(s, 'x/shard-0-of-2', { ...opts, holder: 'B' }), LeaseHeldError);
    // A stops renewing (it died): its lease runs out and B takes generation 2, removing 1.
    c.advance(2_000);
    const b = await ShardLease.acquire(s, 'x/shard-0-of-2', { ...opts, holder: 'B' });
    assert.equal(b.generation, 2);
    assert.deepEqual(
      (await listLeases(s, 'x/shard-0-of-2')).map((l) => l.generation),
      [2],
    );
    // A comes back: it must not write any more.
    assert.throws(() => a.check(), LeaseLostError);
    await assert.rejects(a.renew(), LeaseLostError);
    b.check();
    await b.release();
    assert.deepEqual(await listLeases(s, 'x/shard-0-of-2'), []);
    assert.throws(() => b.check(), /released/);
  });

  it('a holder whose lease was taken over notices on its next renewal', async () => {
    const s = store();
    const c = clock();
    const opts = { ttlMs: 10_000, waitMs: 0, now: c.now, what: 'shard 1/4' };
    const a = await ShardLease.acquire(s, 'd', { ...opts, holder: 'A' });
    c.advance(10_001);
    const b = await ShardLease.acquire(s, 'd', { ...opts, holder: 'B' });
    const err = await a.renew().catch((e: unknown) => e);
    assert.ok(err instanceof LeaseLostError);
    assert.match(err.message, /expired at/);
    b.check();
  });

  it("with waitMs, a contender waits for a dead holder's lease to expire instead of refusing", async () => {
    const s = store();
    const c = clock();
    await ShardLease.acquire(s, 'w', { ttlMs: 30_000, waitMs: 0, now: c.now, holder: 'dead', what: 'w' });
    const started = c.now();
    const b = await ShardLease.acquire(s, 'w', { ttlMs: 30_000, waitMs: 45_000, now: c.now, sleep: c.sleep, holder: 'B', what: 'w' });
    assert.equal(b.generation, 2);
    assert.ok(c.now() - started >= 30_000 && c.now() - started <= 35_000, `waited ${c.now() - started} ms`);
    // Not long enough: refused after waiting.
    await assert.rejects(ShardLease.acquire(s, 'w', { ttlMs: 30_000, waitMs: 10_000, now: c.now, sleep: c.sleep, holder: 'C', what: 'w' }), LeaseHeldError);
  });

  it('of many contenders at once exactly one gets the lease', async () => {
    const s = store();
    const c = clock();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => ShardLease.acquire(s, 'race', { ttlMs: 60_000, waitMs: 0, now: c.now, holder: `P${i}`, what: 'race' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof LeaseHeldError, String(r.reason));
    assert.deepEqual(readdirSync(join(s.root, 'race')), ['lease-000001.json']);
  });
});
