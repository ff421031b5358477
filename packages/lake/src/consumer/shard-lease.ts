/**
 * A lease that lets one process at a time run a shard, with no coordination service: only
 * the store's conditional create (ObjectStore.putIfAbsent).
 *
 * Leases are numbered objects `lease-<generation>.json` in the shard's directory, each
 * saying who holds it and until when. To take a shard, a process creates the generation
 * after the newest one, and only if that one has expired (or there is none): of several
 * processes trying at once, the conditional create lets exactly one win. The holder renews
 * by rewriting its own object with a later expiry, after checking that no newer generation
 * exists; a holder that finds one, or that could not renew before its lease ran out, has
 * lost the lease and must stop writing. A holder that dies simply stops renewing, and its
 * lease expires after `ttlMs`. Expiry compares the holder's clock with the contender's, so
 * the machines' clocks must agree to well within the TTL (NTP does).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { StorageError, type ObjectStore } from '../storage/index.js';
import { joinKey } from './file-naming.js';

export interface LeaseOptions {
  /** How long a lease lasts without renewal (ms). */
  ttlMs: number;
  /** How long to wait for another holder's lease to expire before giving up (ms; 0: refuse at once). */
  waitMs: number;
  now: () => number;
  /** Waits `ms` (tests pass a fake that moves their clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Who we are, for the lease object and messages (default host/pid/random). */
  holder?: string;
  /** What the lease is for, for messages (e.g. the shard). */
  what: string;
}

export interface LeaseBody {
  holder: string;
  host: string;
  pid: number;
  generation: number;
  acquired_at: string;
  expires_at: number;
  ttl_ms: number;
}

/** Another live process holds the lease. */
export class LeaseHeldError extends Error {
  constructor(
    readonly what: string,
    readonly held: LeaseBody,
    readonly now: number,
  ) {
    super(
      `${what} is being run by ${held.holder} (lease ${held.generation} expires at ${new Date(held.expires_at).toISOString()}, ` +
        `in ${Math.max(0, Math.round((held.expires_at - now) / 1000))} s); a second copy refuses to start`,
    );
    this.name = 'LeaseHeldError';
  }
}

/** We held the lease and no longer do: stop writing. */
export class LeaseLostError extends Error {
  constructor(
    readonly what: string,
    reason: string,
  ) {
    super(`${what}: lease lost (${reason}); this process stops writing`);
    this.name = 'LeaseLostError';
  }
}

const LEASE_NAME = /^lease-(\d+)\.json$/;
const enc = new TextEncoder();
const dec = new TextDecoder();

function leaseKey(dir: string, generation: number): string {
  return joinKey(dir, `lease-${String(generation).padStart(6, '0')}.json`);
}

/** The lease objects in `dir`, newest first. */
export async function listLeases(store: ObjectStore, dir: string): Promise<{ key: string; generation: number }[]> {
  const out: { key: string; generation: number }[] = [];
  for await (const e of store.list(`${dir}/lease-`)) {
    const m = LEASE_NAME.exec(e.key.slice(dir.length + 1));
    if (m !== null) out.push({ key: e.key, generation: Number(m[1]) });
  }
  return out.sort((a, b) => b.generation - a.generation);
}

export async function readLease(store: ObjectStore, key: string): Promise<LeaseBody | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key);
  } catch (err) {
    if (err instanceof StorageError && err.code === 'not_found') return undefined;
    throw err;
  }
  try {
    const v = JSON.parse(dec.decode(bytes)) as Partial<LeaseBody>;
    if (typeof v.expires_at !== 'number' || typeof v.holder !== 'string') throw new Error('fields missing');
    return v as LeaseBody;
  } catch {
    // Unreadable: nobody can renew it as it is, so it counts as expired.
    return { holder: 'unknown (unreadable lease)', host: '', pid: 0, generation: 0, acquired_at: '', expires_at: 0, ttl_ms: 0 };
  }
}

export class ShardLease {
  private lost: LeaseLostError | undefined;

  private constructor(
    private readonly store: ObjectStore,
    private readonly dir: string,
    private readonly opts: LeaseOptions,
    private body: LeaseBody,
  ) {}

  get generation(): number {
    return this.body.generation;
  }

  get expiresAt(): number {
    return this.body.expires_at;
  }

  get holder(): string {
    return this.body.holder;
  }

  /** Set once the lease is lost; the holder must stop writing. */
  get lostError(): LeaseLostError | undefined {
    return this.lost;
  }

  static async acquire(store: ObjectStore, dir: string, opts: LeaseOptions): Promise<ShardLease> {
    const holder = opts.holder ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const giveUpAt = opts.now() + opts.waitMs;
    for (;;) {
      const [newest] = await listLeases(store, dir);
      let generation = 1;
      if (newest !== undefined) {
        const held = await readLease(store, newest.key);
        if (held === undefined) continue; // released between the listing and the read
        const now = opts.now();
        if (held.expires_at > now) {
          if (now >= giveUpAt) throw new LeaseHeldError(opts.what, held, now);
          await sleep(Math.max(1, Math.min(held.expires_at - now, giveUpAt - now, 5_000)));
          continue;
        }
        generation = newest.generation + 1;
      }
      const now = opts.now();
      const body: LeaseBody = {
        holder,
        host: hostname(),
        pid: process.pid,
        generation,
        acquired_at: new Date(now).toISOString(),
        expires_at: now + opts.ttlMs,
        ttl_ms: opts.ttlMs,
      };
      if (await store.putIfAbsent(leaseKey(dir, generation), enc.encode(JSON.stringify(body)), { contentType: 'application/json' })) {
        const lease = new ShardLease(store, dir, opts, body);
        await lease.dropOlder();
        return lease;
      }
      // Another process took this generation first: look again.
    }
  }

  /** Removes the expired generations before ours (best effort: they are only history). */
  private async dropOlder(): Promise<void> {
    for (const l of await listLeases(this.store, this.dir)) {
      if (l.generation < this.body.generation) await this.store.delete(l.key).catch(() => undefined);
    }
  }

  /**
   * Extends the lease by ttlMs. Throws (and stays lost) when a newer generation exists or
   * when the lease had already run out: from then on another process may hold the shard.
   */
  async renew(): Promise<void> {
    this.check();
    const now = this.opts.now();
    const [newest] = await listLeases(this.store, this.dir);
    if (newest === undefined || newest.generation !== this.body.generation) {
      throw this.lose(newest === undefined ? 'its object was removed' : `lease ${newest.generation} was taken after ours (${this.body.generation})`);
    }
    const body = { ...this.body, expires_at: now + this.opts.ttlMs };
    await this.store.put(leaseKey(this.dir, body.generation), enc.encode(JSON.stringify(body)), { contentType: 'application/json' });
    this.body = body;
  }

  /**
   * Throws unless the lease is ours right now: not lost, and not past its expiry (a renewal
   * that did not happen in time means another process may already hold the shard).
   */
  check(): void {
    if (this.lost !== undefined) throw this.lost;
    if (this.opts.now() >= this.body.expires_at) throw this.lose(`it expired at ${new Date(this.body.expires_at).toISOString()} before it was renewed`);
  }

  private lose(reason: string): LeaseLostError {
    this.lost ??= new LeaseLostError(this.opts.what, reason);
    return this.lost;
  }

  /** Gives the shard up: removes our lease object (unless it was lost, then nothing of ours is left to remove). */
  async release(): Promise<void> {
    if (this.lost !== undefined) return;
    this.lost = new LeaseLostError(this.opts.what, 'released');
    await this.store.delete(leaseKey(this.dir, this.body.generation));
  }
}
