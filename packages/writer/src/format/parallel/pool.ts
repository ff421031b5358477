/**
 * One writer's side of parallel encoding (ChunkEncoders on encode threads): a session on a
 * set of encode threads (encode-threads.ts, encode-worker.ts), each thread owning whole
 * columns of this writer, because a column's pages must pass through one dictionary in
 * order. The writer keeps shredding into its PageBuffers; a full page is copied out and
 * posted to the column's worker; at the end of a row group every worker finishes its
 * chunks into ColumnChunkResults. The pool also tracks, per column, what the encoder's
 * bufferedSize() is (exactly once no page is in flight, else as an upper bound), so the
 * writer cuts row groups at the same rows as with encoders on its own thread.
 */
import type { PageBuffer } from '../column/page-buffer.js';
import type { ChunkEncoders } from '../chunk-encoders.js';
import type { ColumnChunkResult } from '../column-chunk.js';
import type { CompressionName } from '../../codecs/codec.js';
import { isBuiltinCodec, resolveCodecName } from '../../codecs/registry.js';
import { ParquetSchemaError } from '../errors.js';
import { packPage, type ChunkDone, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';
import { pageSizeBound } from './size-bound.js';
import { DistinctPagePolicy } from './distinct-pages.js';
import { DistinctTable } from './distinct-table.js';
import { SpareBuffers } from './spare-buffers.js';
import { threadsUnavailable } from './encode-thread.js';
import { EncodeThreads, type EncodeSession } from './encode-threads.js';

/** Pages and plain bytes one worker may have in flight before the writer waits. */
const MAX_PAGES_IN_FLIGHT = 32;
/**
 * Kept small: pages in flight count at their worst-case size against the row-group byte
 * limit, and near the limit the writer has to wait for them (see groupBytesBound).
 */
const MAX_BYTES_IN_FLIGHT = 12 * 1024 * 1024;

/** Value allocations given back by the workers that are kept for later pages (see SpareBuffers). */
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

interface Request {
  column: number;
  bound: number;
  plain: number;
  resolve(reply: FromWorker): void;
  reject(error: Error): void;
}

/** This writer's traffic with one thread. */
interface Slot {
  thread: number;
  /** Requests in the order posted; a worker answers a session's requests in the same order. */
  pending: Request[];
  pages: number;
  bytes: number;
}

/** What the threads need to set up this writer's session (WorkerInit without its session id). */
export type SessionInit = Omit<WorkerInit, 'session'>;

export class EncoderPool implements ChunkEncoders {
  private readonly owner: Int32Array;
  private readonly known: Float64Array;
  private readonly inflightBound: Float64Array;
  private readonly inflightPlain: Float64Array;
  /** Per column, as last reported: does its dictionary still take new values? (1 until told.) */
  private readonly dictionaryGrowing: Uint8Array;
  /** Which string columns send their pages as distinct-value tables (see packPage). */
  private readonly distinctPages: DistinctPagePolicy;
  /** Per string column, its open page's distinct-value table (see DistinctTable, betweenCalls). */
  private readonly tables: (DistinctTable | undefined)[] = [];
  private readonly spares = new SpareBuffers(MAX_SPARE_BYTES);
  private nextId = 0;
  private failure: Error | undefined;
  private ended = false;
  private session!: EncodeSession;
  private readonly slots: Slot[] = [];

  private constructor(
    /** The writer's open pages, one per column. */
    private readonly buffers: readonly PageBuffer[],
    private readonly codec: CompressionName,
    /** Threads started for this writer alone (options.workers as a count). */
    private readonly ownThreads: EncodeThreads | undefined,
  ) {
    const n = buffers.length;
    this.owner = new Int32Array(n).fill(-1);
    this.known = new Float64Array(n);
    this.inflightBound = new Float64Array(n);
    this.inflightPlain = new Float64Array(n);
    this.dictionaryGrowing = new Uint8Array(n).fill(1);
    this.distinctPages = new DistinctPagePolicy(n);
  }

  /**
   * Open a session for this writer and send the threads the writer's setup: on `workers`
   * shared threads, or on that many threads of its own (stopped by end()).
   */
  static async start(workers: number | EncodeThreads, init: SessionInit, buffers: readonly PageBuffer[], codec: CompressionName): Promise<EncoderPool> {
    const own = workers instanceof EncodeThreads ? undefined : await EncodeThreads.start(Math.max(1, Math.min(workers, buffers.length)));
    const pool = new EncoderPool(buffers, codec, own);
    try {
      pool.session = await (own ?? (workers as EncodeThreads)).open({
        message: (t, msg) => pool.onMessage(pool.slots[t]!, msg),
        failed: (err) => pool.fail(err),
      });
    } catch (err) {
      await own?.close();
      throw err;
    }
    for (let t = 0; t < pool.session.threads; t++) {
      pool.slots.push({ thread: t, pending: [], pages: 0, bytes: 0 });
      pool.session.post(t, { ...init, session: pool.session.id } satisfies WorkerInit, [], false);
    }
    return pool;
  }

  /**
   * Post the full pages to their workers, first waiting while a worker has too many in
   * flight (see MAX_PAGES_IN_FLIGHT).
   */
  encodePages(columns: readonly number[]): Promise<void> | undefined {
    for (const i of columns) if (!this.hasRoom(i)) return this.sendPagesWhenRoom(columns);
    for (const i of columns) this.sendPage(i);
    return undefined;
  }

  private async sendPagesWhenRoom(columns: readonly number[]): Promise<void> {
    for (const i of columns) {
      await this.room(i);
      this.sendPage(i);
    }
  }

  /** Throws the first worker failure, if any. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** False when the column's worker is at its in-flight limit (see room()). */
  private hasRoom(column: number): boolean {
    this.check();
    const slot = this.slots[this.route(column)]!;
    return slot.pages < MAX_PAGES_IN_FLIGHT && slot.bytes < MAX_BYTES_IN_FLIGHT;
  }

  /** Resolves once the column's worker is below its in-flight limit. */
  private async room(column: number): Promise<void> {
    const slot = this.slots[this.route(column)]!;
    while (!this.hasRoom(column)) await this.settled(slot.pending[0]!);
  }

  /**
   * Between writeRows calls (where the local encoders look the new values up in
   * its dictionaries): each string column whose pages go as distinct-value tables adds the
   * call's strings to its table and lets them go (DistinctTable), so they die young.
   */
  betweenCalls(): void {
    for (let i = 0; i < this.buffers.length; i++) {
      const store = this.buffers[i]!.store;
      if (store.kind !== 'bytes' || !DistinctTable.fits(store) || !this.distinctPages.wouldUse(i)) continue;
      const table = (this.tables[i] ??= new DistinctTable());
      table.extend(store);
      store.release(store.count, table.resolve);
    }
  }

  /** Post the column's open page to its worker and empty the buffer (like flushPage). */
  private sendPage(column: number): void {
    this.check();
    const b = this.buffers[column]!;
    if (b.levelCount === 0) return;
    const plain = b.estimatedSize();
    const tabled = this.distinctPages.use(column);
    let table = this.tables[column];
    if (tabled && table === undefined && b.store.kind === 'bytes') table = this.tables[column] = new DistinctTable();
    // A table betweenCalls filled during this page holds values whose strings are gone: it goes
    // with the page (betweenCalls fills one only for pages that go as tables).
    const { page, transfer, shape } = packPage(b, tabled || (table !== undefined && table.count > 0) ? table : undefined, this.spares);
    if (tabled && page.ids !== undefined) this.distinctPages.observe(column, page.offsets!.length - 1, page.valueCount);
    const bound = pageSizeBound(b, shape, this.codec, this.dictionaryGrowing[column] === 1);
    b.reset();
    this.inflightBound[column]! += bound;
    this.inflightPlain[column]! += plain;
    const slot = this.slots[this.route(column)]!;
    slot.pages++;
    slot.bytes += plain;
    this.post(slot, { type: 'page', session: this.session.id, id: this.nextId++, column, page }, transfer, { column, bound, plain });
  }

  /** Every column's bufferedSize() as last reported, plus its pages in flight at their bound (size-bound.ts). */
  groupBytesBound(): number {
    let total = 0;
    for (let i = 0; i < this.buffers.length; i++) total += this.known[i]! + this.inflightBound[i]! + this.buffers[i]!.estimatedSize();
    return total;
  }

  /** Like groupBytesBound, but counting pages in flight at their plain size. */
  groupBytesEstimate(): number {
    let total = 0;
    for (let i = 0; i < this.buffers.length; i++) total += this.known[i]! + this.inflightPlain[i]! + this.buffers[i]!.estimatedSize();
    return total;
  }

  /**
   * Wait, oldest pages first, until groupBytesBound() is under `limit` or no page is in
   * flight (the bound is exact then). Workers keep encoding the later pages meanwhile.
   */
  settleBelow(limit: number): Promise<void> | undefined {
    return this.inFlight() ? this.settle(limit) : undefined;
  }

  private inFlight(): boolean {
    return this.slots.some((s) => s.pages > 0);
  }

  private async settle(limit: number): Promise<void> {
    for (;;) {
      this.check();
      if (this.groupBytesBound() < limit) return;
      let slot: Slot | undefined;
      for (const s of this.slots) if (s.pages > 0 && (!slot || s.bytes > slot.bytes)) slot = s;
      if (!slot) return;
      await this.settled(slot.pending[0]!);
    }
  }

  /** Send the open pages, finish every column chunk, and return them in schema order. */
  async finishRowGroup(rowsInGroup: number): Promise<ColumnChunkResult[]> {
    this.check();
    const done: Promise<FromWorker>[] = [];
    for (let column = 0; column < this.buffers.length; column++) {
      this.sendPage(column);
      const slot = this.slots[this.route(column)]!;
      done.push(
        new Promise<FromWorker>((resolve, reject) => {
          this.post(slot, { type: 'finish', session: this.session.id, id: this.nextId++, column, rowsInGroup }, [], {
            column,
            bound: 0,
            plain: 0,
            resolve,
            reject,
          });
        }),
      );
    }
    const chunks = (await Promise.all(done)) as ChunkDone[];
    // The workers' writers start a new chunk (and dictionary) in finish().
    this.known.fill(0);
    this.dictionaryGrowing.fill(1);
    return chunks.map((c) => c.chunk);
  }

  /**
   * This writer is done (idempotent): pending requests are rejected and the threads drop
   * its state. Shared threads stay up for other writers; the writer's own are stopped.
   */
  async end(): Promise<void> {
    this.endSession();
    await this.ownThreads?.close();
  }

  private endSession(): void {
    if (this.ended) return;
    this.ended = true;
    this.failure ??= new Error('parquet encode session has ended');
    this.rejectAll(this.failure);
    this.session.end();
  }

  /**
   * The worker that owns `column`. Routing is decided once, on first use, for all columns:
   * greedily by each column's plain bytes per row so far (plus a per-value cost), heaviest
   * first onto the least loaded thread, counting the load of other writers sharing the
   * threads. Only speed depends on it, never the bytes.
   */
  private route(column: number): number {
    const owner = this.owner[column]!;
    if (owner >= 0) return owner;
    const weights = this.buffers.map((b, i) => ({ i, w: (b.estimatedSize() + 8 * b.store.count + b.levelCount) / Math.max(1, b.rowCount) }));
    weights.sort((a, b) => b.w - a.w || a.i - b.i);
    for (const { i, w } of weights) {
      const best = this.session.leastLoaded();
      this.owner[i] = best;
      this.session.addLoad(best, w);
    }
    return this.owner[column]!;
  }

  private post(slot: Slot, msg: ToWorker, transfer: ArrayBuffer[], req: Partial<Request> & { column: number; bound: number; plain: number }): void {
    const request: Request = {
      column: req.column,
      bound: req.bound,
      plain: req.plain,
      resolve: req.resolve ?? (() => undefined),
      reject: req.reject ?? (() => undefined),
    };
    slot.pending.push(request);
    this.session.post(slot.thread, msg, transfer, true);
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    const request = slot.pending.shift();
    if (!request) return;
    if (msg.type === 'error') {
      const error = new Error(msg.message);
      error.name = msg.name;
      if (msg.stack) error.stack = msg.stack;
      request.reject(error);
      this.fail(error);
      return;
    }
    if (msg.type === 'page') {
      slot.pages--;
      slot.bytes -= request.plain;
      this.inflightBound[request.column]! -= request.bound;
      this.inflightPlain[request.column]! -= request.plain;
      this.known[request.column] = msg.buffered;
      this.dictionaryGrowing[request.column] = msg.dictionaryGrowing ? 1 : 0;
      if (msg.spare) this.spares.give(msg.spare);
    }
    request.resolve(msg);
  }

  /** Resolves (never rejects) once `request` is answered or the pool failed. */
  private settled(request: Request): Promise<void> {
    return new Promise<void>((resolve) => {
      const { resolve: ok, reject: ko } = request;
      request.resolve = (r) => {
        ok(r);
        resolve();
      };
      request.reject = (e) => {
        ko(e);
        resolve();
      };
    });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    // This writer's session is of no further use; other writers keep the threads.
    this.endSession();
  }

  private rejectAll(error: Error): void {
    for (const slot of this.slots) {
      const pending = slot.pending.splice(0);
      for (const r of pending) r.reject(error);
    }
  }
}

/** Workers rebuild the codec by name, so only a platform with threads and a built-in codec will do. */
export function assertWorkersUsable(compression: string): void {
  const missing = threadsUnavailable();
  if (missing !== undefined) throw new ParquetSchemaError('options.workers', `${missing}; use workers: 0`);
  if (resolveCodecName(compression) !== undefined && !isBuiltinCodec(compression)) {
    throw new ParquetSchemaError(
      'options.workers',
      `codec ${JSON.stringify(compression)} was registered in this thread only; ` +
        'worker threads can only use the built-in codecs, so use workers: 0 with it',
    );
  }
}
