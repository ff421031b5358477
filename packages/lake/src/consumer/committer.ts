/**
 * Makes finished files durable: intent checkpoint, upload of the staged bytes under the
 * final key (retried with backoff), rejects, then the checkpoint round. Kept apart from
 * the message flow so the durability rules read in one place.
 */
import { backoffDelay, StorageError, type ObjectStore, type RetryPolicy } from '../storage/index.js';
import { writeCheckpoint, type Checkpoint, type PendingFile } from './checkpoint.js';
import type { LogFn } from './consumer.js';
import { dataKey, rejectsKey, stateKey } from './file-naming.js';
import type { ConsumerMetrics } from './metrics.js';
import { contentHash, rejectLine, type RejectBuffer } from './rejects.js';
import type { FinishedFile } from './table-writer.js';

/** A finished file waiting for (or retrying) its commit. */
export interface UnsavedFile {
  file: FinishedFile;
  /** First ledger handed to the file (accepted or rejected), for the checkpoint bound. */
  firstOffered: number;
  uploaded: boolean;
  rejectsTaken: boolean;
  schemaWritten: boolean;
}

/** What the committer needs to know about a table to compute its checkpoint. */
export interface TableCheckpointState {
  readonly name: string;
  /** The last checkpoint written (or loaded), undefined for a table never checkpointed. */
  durable: Checkpoint | undefined;
  /** Committed files whose ledgers the checkpoint has not yet passed. */
  pendingFiles: PendingFile[];
  /** Lowest ledger of this table with rows not yet in a committed file (pending ledger, open file). */
  lowestUncommitted(): number | undefined;
}

export interface CommitterOptions {
  store: ObjectStore;
  prefix: string;
  /** Where checkpoints and inferred schemas go (LakeScope). */
  checkpointDir: string;
  schemaDir: string;
  dryRun: boolean;
  uploadPolicy: RetryPolicy;
  log: LogFn;
  debug: boolean;
  metrics: ConsumerMetrics;
  now: () => number;
  /** The first ledger of the stretch a table's next checkpoint vouches for (run-span.ts). */
  since?: (t: TableCheckpointState) => number | undefined;
}

const PERMANENT = new Set(['invalid', 'permission', 'not_found', 'aborted']);
/**
 * Uploads of one group that run at the same time: a group is at most MAX_UNSAVED_FILES + 1
 * files (commit-lane.ts), so about all of them. An upload mostly waits (fsyncs, HTTP round
 * trips) and a busy message flow waits for the whole group when it hits backpressure, so the
 * group's uploads overlap their waits instead of queueing behind each other.
 */
const UPLOADS_AT_ONCE = 16;
const enc = new TextEncoder();

export class Committer {
  constructor(private readonly o: CommitterOptions) {}

  keyOf(f: FinishedFile): string {
    return dataKey(this.o.prefix, f.table, f.partition, f.first, f.last, f.part);
  }

  /**
   * The highest ledger `t` may checkpoint: everything of t at or below it is durable. Below
   * its lowest uncommitted row, and never beyond the last complete ledger.
   */
  safeLedger(t: TableCheckpointState, completeLedger: number, unsaved: readonly UnsavedFile[], rejects: RejectBuffer): number {
    let min = t.lowestUncommitted() ?? Infinity;
    for (const u of unsaved) if (u.file.table === t.name && !u.uploaded) min = Math.min(min, u.firstOffered);
    min = Math.min(min, rejects.minLedger(t.name) ?? Infinity);
    const safe = Math.min(min === Infinity ? completeLedger : min - 1, completeLedger);
    return Math.max(safe, t.durable?.ledger ?? -1);
  }

  async writeCheckpoint(t: TableCheckpointState, ledger: number): Promise<void> {
    const pending = t.pendingFiles.filter((p) => p.last > ledger);
    const cp: Checkpoint = { table: t.name, ledger, pending, ...this.stretch(t, ledger) };
    if (!this.o.dryRun) await this.retrying(`checkpoint of ${t.name}`, () => writeCheckpoint(this.o.store, this.o.checkpointDir, cp));
    if (this.o.debug) this.o.log('debug', `checkpoint ${t.name} = ${ledger}${pending.length > 0 ? ` (pending ${pending.map((p) => p.key).join(', ')})` : ''}`);
    t.durable = cp;
    t.pendingFiles = pending;
  }

  /**
   * The stretch a checkpoint at `ledger` vouches for: its first ledger (run-span.ts) and the
   * rows committed in it, the files the checkpoint now passes added to those it passed
   * before (a new stretch starts from none).
   */
  private stretch(t: TableCheckpointState, ledger: number): Pick<Checkpoint, 'since' | 'rows'> {
    const since = this.o.since?.(t);
    if (since === undefined) return {};
    const before = t.durable !== undefined && t.durable.since === since ? t.durable.rows : 0;
    if (before === undefined) return { since };
    let rows = before;
    for (const p of t.pendingFiles) {
      if (p.last > ledger) continue;
      if (p.rows === undefined) return { since };
      rows += p.rows;
    }
    return { since, rows };
  }

  /**
   * Commits a group of finished files (those waiting together); the caller runs the
   * checkpoint round afterwards. One intent checkpoint per table lists every file of the
   * group before any of them is uploaded, then the uploads run side by side: a store's
   * latency (an fsync, an HTTP round trip) is paid once per group, not once per file. A file
   * that fails leaves the group to be retried; those that made it are not uploaded again.
   */
  async commitGroup(group: readonly UnsavedFile[], tableOf: (name: string) => TableCheckpointState, rejects: RejectBuffer): Promise<void> {
    const todo: UnsavedFile[] = [];
    for (const u of group) {
      const f = u.file;
      if (!u.rejectsTaken) {
        for (const r of f.rejected) rejects.addRecord(r.rec, r.reason, this.o.now());
        this.o.metrics.rejected_records += f.rejected.length;
        this.o.metrics.unknown_fields_dropped += f.droppedFields;
        u.rejectsTaken = true;
      }
      if (f.rows === 0) u.uploaded = true;
      if (!u.uploaded) todo.push(u);
    }
    if (todo.length === 0) return;
    // Schemas in file order: a later file of the same table may carry a newer version.
    for (const u of todo) {
      const f = u.file;
      if (f.schema === undefined || u.schemaWritten) continue;
      const bytes = enc.encode(JSON.stringify(f.schema, null, 1));
      if (!this.o.dryRun)
        await this.retrying(`schema of ${f.table}`, () => this.o.store.put(stateKey(this.o.schemaDir, f.table), bytes, { contentType: 'application/json' }));
      this.o.log('info', `schema of ${f.table} is now v${f.schema.version} (${f.schema.fields.length} columns)`);
      u.schemaWritten = true;
    }
    // Intent: every key is on record before any byte of it can be visible (see checkpoint.ts).
    const tables = new Map<string, TableCheckpointState>();
    for (const u of todo) {
      const t = tableOf(u.file.table);
      tables.set(t.name, t);
      const key = this.keyOf(u.file);
      if (!t.pendingFiles.some((p) => p.key === key)) t.pendingFiles.push({ key, last: u.file.last, rows: u.file.rows });
    }
    // The intent never moves a ledger forward (a table's first one says "nothing yet"): only
    // the checkpoint round does, where tables without a checkpoint go first. Otherwise a crash
    // right after this write could resume past rows of a table that has no checkpoint yet.
    // Settled, not raced: a retry must not start while a write of the same checkpoint runs.
    await settleAll([...tables.values()].map((t) => this.writeCheckpoint(t, t.durable?.ledger ?? -1)));
    throwFirstRejection(await inParallel(todo, UPLOADS_AT_ONCE, (u) => this.commitFile(u)));
  }

  private async commitFile(u: UnsavedFile): Promise<void> {
    const f = u.file;
    const key = this.keyOf(f);
    if (this.o.dryRun) {
      this.o.log('info', `dry_run: would write ${this.o.store.describe(key)} (${f.rows} rows, ${f.bytes} bytes, ledgers ${f.first}-${f.last})`);
    } else {
      await this.upload(key, f);
      if (this.o.debug) this.o.log('debug', `wrote ${this.o.store.describe(key)} (${f.rows} rows, ${f.bytes} bytes)`);
    }
    u.uploaded = true;
    await f.staged.dispose();
    const m = this.o.metrics;
    m.files_written++;
    m.records_written += f.rows;
    m.bytes_written += f.bytes;
    m.last_flush_time = Math.floor(this.o.now() / 1000);
  }

  private async upload(key: string, f: FinishedFile): Promise<void> {
    await this.retrying(key, async () => {
      const w = await this.o.store.openWriter(key, {
        contentType: 'application/vnd.apache.parquet',
        sizeHint: f.bytes,
        metadata: { table: f.table, 'first-ledger': String(f.first), 'last-ledger': String(f.last), rows: String(f.rows) },
      });
      // replayInto aborts the writer on failure: no partial object is left under the key.
      await f.staged.replayInto(w);
    });
  }

  /**
   * The stores retry each request with backoff; this outer loop retries a whole operation
   * (e.g. a multipart upload whose session died) a few more times, with backoff and jitter,
   * before the error reaches `process`. Operations are idempotent (same key, same bytes).
   */
  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const policy = this.o.uploadPolicy;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const permanent = err instanceof StorageError && PERMANENT.has(err.code);
        if (permanent || attempt >= policy.maxAttempts) throw err;
        const delay = backoffDelay(policy, attempt - 1);
        this.o.metrics.storage_retries++;
        this.o.log('warn', `${what}: attempt ${attempt}/${policy.maxAttempts} failed, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Writes the rejects at or below `upTo` as JSON Lines, one object per table. */
  async writeRejects(rejects: RejectBuffer, upTo: number): Promise<void> {
    const groups = rejects.take(upTo);
    const failed = [];
    let error: unknown;
    for (const [table, entries] of groups) {
      if (error !== undefined) {
        failed.push(...entries);
        continue;
      }
      const ledgers = entries.map((e) => e.fileLedger);
      const body = entries.map(rejectLine).join('\n') + '\n';
      // The content hash keeps two batches of the same ledger range apart (a late reject of a
      // ledger already written) while a replay of the same rejects overwrites its own file.
      const key = rejectsKey(this.o.prefix, table, Math.min(...ledgers), Math.max(...ledgers), contentHash(entries));
      try {
        if (this.o.dryRun) this.o.log('info', `dry_run: would write ${entries.length} rejects to ${this.o.store.describe(key)}`);
        else await this.retrying(key, () => this.o.store.put(key, enc.encode(body), { contentType: 'application/x-ndjson' }));
        this.o.log('warn', `${entries.length} rejected rows of ${table} written to ${key}`);
      } catch (err) {
        error = err;
        failed.push(...entries);
      }
    }
    if (error !== undefined) {
      rejects.restore(failed);
      throw error;
    }
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; settles every one. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!);
        results[i] = { status: 'fulfilled', value: undefined };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Waits for every promise, then throws the first failure (none is left running unobserved). */
export async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  throwFirstRejection(await Promise.allSettled(promises));
}

function throwFirstRejection(results: readonly PromiseSettledResult<void>[]): void {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
