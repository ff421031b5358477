/**
 * A set of encode threads that any number of ParquetWriters can share (options.workers set
 * to an EncodeThreads instead of a count). Starting a thread costs tens of milliseconds and
 * a fresh JIT, so a program that writes many files (the consumer writes one per table per
 * rotation) keeps one set for its lifetime rather than starting threads per file.
 *
 * Each writer is a session: the threads keep its column writers apart from other writers'
 * (see encode-worker.ts) and every reply names it, so replies reach the writer that asked.
 * A failure inside one writer's pages fails that writer only; a thread that dies fails every
 * writer open at the time (each has state on every thread) and is replaced for the next writer.
 */
import type { FromWorker, ToWorker } from './protocol.js';
import { startThreads, type EncodeThread } from './encode-thread.js';

/** What a writer's session hears from the threads. */
export interface SessionEvents {
  message(thread: number, msg: FromWorker): void;
  /** A thread the session uses died; its pending requests are lost. */
  failed(error: Error): void;
}

/** One writer's handle on the shared threads (see EncodeThreads.open). */
export interface EncodeSession {
  readonly id: number;
  /** Number of threads (fixed for the session's life). */
  readonly threads: number;
  /** Post to thread `t`; `replies` says whether the worker will answer (it keeps the process alive until then). */
  post(t: number, msg: ToWorker, transfer: ArrayBuffer[], replies: boolean): void;
  /** Add `weight` to thread `t`'s share of the work, for routing (see leastLoaded). */
  addLoad(t: number, weight: number): void;
  /** The thread with the least work routed to it, counting every open session. */
  leastLoaded(): number;
  /** The writer is done: the threads drop its state. Idempotent. */
  end(): void;
}

/** More threads than this only add start-up cost: each owns whole columns of a writer. */
export const MAX_WORKERS = 64;

interface ThreadSlot {
  thread: EncodeThread;
  dead: boolean;
  /** Replies still owed, over all sessions: while > 0 the thread keeps a Node process alive. */
  owed: number;
  load: number;
}

interface SessionEntry {
  events: SessionEvents;
  load: Float64Array;
}

export class EncodeThreads {
  private readonly slots: ThreadSlot[] = [];
  private readonly sessions = new Map<number, SessionEntry>();
  private nextSession = 1;
  private closed = false;
  /** Threads started over this set's life (replacements included). */
  private started = 0;
  /** Replacing dead threads, shared by writers opening meanwhile (one replacement per thread). */
  private respawning: Promise<void> | undefined;

  private constructor(readonly size: number) {}

  /**
   * Start `count` encode threads (Node worker_threads, or module Web Workers in browsers).
   * Close them with close() once no writer needs them.
   */
  static async start(count: number): Promise<EncodeThreads> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
      throw new RangeError(`EncodeThreads.start: count must be an integer from 1 to ${MAX_WORKERS}, got ${String(count)}`);
    }
    const threads = new EncodeThreads(count);
    await threads.spawn(Array.from({ length: count }, (_, i) => i));
    return threads;
  }

  /** Open a session for one writer; dead threads are replaced first. */
  async open(events: SessionEvents): Promise<EncodeSession> {
    while (!this.closed && this.slots.some((s) => s.dead)) {
      this.respawning ??= this.spawn(this.slots.flatMap((s, i) => (s.dead ? [i] : []))).finally(() => {
        this.respawning = undefined;
      });
      await this.respawning;
    }
    if (this.closed) throw new Error('EncodeThreads: closed');
    const id = this.nextSession++;
    const entry: SessionEntry = { events, load: new Float64Array(this.size) };
    this.sessions.set(id, entry);
    let ended = false;
    return {
      id,
      threads: this.size,
      post: (t, msg, transfer, replies) => {
        const slot = this.slots[t]!;
        if (replies && slot.owed++ === 0) slot.thread.ref();
        slot.thread.post(msg, transfer);
      },
      addLoad: (t, weight) => {
        entry.load[t]! += weight;
        this.slots[t]!.load += weight;
      },
      leastLoaded: () => {
        let best = 0;
        for (let t = 1; t < this.slots.length; t++) if (this.slots[t]!.load < this.slots[best]!.load) best = t;
        return best;
      },
      end: () => {
        if (ended) return;
        ended = true;
        this.sessions.delete(id);
        for (let t = 0; t < this.size; t++) {
          const slot = this.slots[t]!;
          slot.load -= entry.load[t]!;
          if (!slot.dead && !this.closed) slot.thread.post({ type: 'end', session: id });
        }
      },
    };
  }

  /** Stop the threads (idempotent). Writers still using them fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('parquet encode threads were closed');
    for (const entry of [...this.sessions.values()]) entry.events.failed(error);
    this.sessions.clear();
    await Promise.all(this.slots.map((s) => s.thread.terminate()));
  }

  private async spawn(indices: number[]): Promise<void> {
    const threads = await startThreads(indices.length, (k) => {
      const t = indices[k]!;
      return {
        message: (msg) => this.onMessage(t, msg),
        failed: (err) => this.onThreadFailed(t, err),
      };
    });
    this.started += threads.length;
    if (this.closed) {
      // close() ran while these were starting: it could not stop them.
      await Promise.all(threads.map((t) => t.terminate()));
      return;
    }
    indices.forEach((t, k) => {
      this.slots[t] = { thread: threads[k]!, dead: false, owed: 0, load: this.slots[t]?.load ?? 0 };
    });
  }

  private onMessage(t: number, msg: FromWorker): void {
    const slot = this.slots[t]!;
    if (slot.owed > 0 && --slot.owed === 0) slot.thread.unref();
    this.sessions.get(msg.session)?.events.message(t, msg);
  }

  private onThreadFailed(t: number, error: Error): void {
    const slot = this.slots[t]!;
    if (slot.dead) return;
    slot.dead = true;
    slot.owed = 0;
    void slot.thread.terminate().catch(() => undefined);
    // Every open session may have state or requests on this thread.
    for (const entry of [...this.sessions.values()]) entry.events.failed(error);
  }
}
