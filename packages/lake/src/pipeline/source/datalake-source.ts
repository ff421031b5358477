import type { DataLakeSchema } from './galexie-layout.js';
import { DEFAULT_SCHEMA, GalexieLayout, readDataLakeSchema } from './galexie-layout.js';
import type { ObjectReader } from './object-reader.js';
import { isNotFoundError } from './object-reader.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import { decodeLedgerBatch } from './batch-decode.js';
import { zstdDecompress } from './zstd.js';
import { Limiter, sleep } from './abortable.js';

/**
 * Reads a galexie data lake in strict ledger order: bounded ([startLedger, endLedger]) or
 * unbounded (tail: keep polling for files that have not been written yet).
 *
 * Files are fetched ahead of the consumer (up to `bufferSize` files in flight or ready,
 * at most `numWorkers` fetches at once) but always handed out in key order, so
 * parallelism never reorders ledgers.
 */
export interface DataLakeSourceOptions {
  reader: ObjectReader;
  /** Key prefix of the lake inside the bucket/directory ("" = root). */
  pathPrefix?: string;
  startLedger: number;
  /** Last ledger to deliver; omit (or 0) for unbounded tail mode. */
  endLedger?: number;
  /** Files to prefetch (default 10). */
  bufferSize?: number;
  /** Concurrent object reads (default 5). */
  numWorkers?: number;
  /** Extra attempts after a failed read or decode (default 3). */
  retryLimit?: number;
  /** Wait between attempts in ms (default 1000). */
  retryWaitMs?: number;
  /** Tail mode: wait between polls for a file not yet written, in ms (default 2000). */
  pollIntervalMs?: number;
  /** Stops iteration (the generator then returns normally), including during waits. */
  signal?: AbortSignal;
  /** Layout to use when the lake has no `.config.json`; `.config.json` wins when present. */
  schema?: Partial<DataLakeSchema>;
  /** Called on each retried failure (for logs/metrics). */
  onRetry?: (info: { key: string; attempt: number; error: unknown }) => void;
}

export interface DataLakeSourceStats {
  filesFetched: number;
  bytesFetched: number;
  retries: number;
  ledgersDelivered: number;
  polls: number;
}

export class LedgerMissingError extends Error {
  constructor(
    readonly ledger: number,
    readonly key: string,
  ) {
    super(`ledger ${ledger} is missing from the data lake (no object ${key})`);
    this.name = 'LedgerMissingError';
  }
}

type FetchResult = { kind: 'ok'; ledgers: LedgerRecord[]; key: string } | { kind: 'missing'; key: string } | { kind: 'error'; key: string; error: unknown };

interface Ticket {
  fileStart: number;
  abandoned: boolean;
}

interface Slot {
  fileStart: number;
  ticket: Ticket;
  result: Promise<FetchResult>;
}

export class DataLakeSource implements AsyncIterable<LedgerRecord> {
  readonly stats: DataLakeSourceStats = { filesFetched: 0, bytesFetched: 0, retries: 0, ledgersDelivered: 0, polls: 0 };
  private layoutPromise: Promise<GalexieLayout> | undefined;
  private readonly opts: Required<Omit<DataLakeSourceOptions, 'endLedger' | 'signal' | 'schema' | 'onRetry'>> &
    Pick<DataLakeSourceOptions, 'endLedger' | 'signal' | 'schema' | 'onRetry'>;

  constructor(options: DataLakeSourceOptions) {
    if (!Number.isInteger(options.startLedger) || options.startLedger < 1) {
      throw new Error(`startLedger must be a positive integer, got ${options.startLedger}`);
    }
    const end = options.endLedger;
    if (end !== undefined && end !== 0 && (!Number.isInteger(end) || end < options.startLedger)) {
      throw new Error(`endLedger (${end}) must be an integer >= startLedger (${options.startLedger})`);
    }
    // `?? default` rather than spreading defaults first: an option present but undefined
    // (as config loaders pass them) must still get its default.
    this.opts = {
      ...options,
      pathPrefix: options.pathPrefix ?? '',
      bufferSize: options.bufferSize ?? 10,
      numWorkers: options.numWorkers ?? 5,
      retryLimit: options.retryLimit ?? 3,
      retryWaitMs: options.retryWaitMs ?? 1000,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      endLedger: end === 0 ? undefined : end,
    };
    this.opts.bufferSize = Math.max(1, Math.floor(this.opts.bufferSize));
    this.opts.numWorkers = Math.max(1, Math.floor(this.opts.numWorkers));
  }

  get bounded(): boolean {
    return this.opts.endLedger !== undefined;
  }

  /** Reads `.config.json` once; resolves to the layout in use. */
  layout(): Promise<GalexieLayout> {
    this.layoutPromise ??= (async () => {
      const fromLake = await readDataLakeSchema(this.opts.reader, this.opts.pathPrefix);
      const schema: DataLakeSchema = { ...DEFAULT_SCHEMA, ...this.opts.schema, ...fromLake };
      return new GalexieLayout(schema, this.opts.pathPrefix);
    })();
    return this.layoutPromise;
  }

  [Symbol.asyncIterator](): AsyncIterator<LedgerRecord> {
    return this.ledgers();
  }

  async *ledgers(): AsyncGenerator<LedgerRecord> {
    const { signal, endLedger } = this.opts;
    const layout = await this.layout();
    const limiter = new Limiter(this.opts.numWorkers);
    const window: Slot[] = [];
    let next = this.opts.startLedger;
    let nextFile = layout.fileStart(next);
    // After a miss in tail mode only the head file is polled; look-ahead grows back on hits.
    let lookahead = this.opts.bufferSize;

    // Each scheduled fetch gets a ticket; after a tail-mode miss the outstanding tickets are
    // abandoned so their fetches stop retrying files that are simply not written yet.
    const fill = (): void => {
      while (window.length < lookahead && (endLedger === undefined || nextFile <= endLedger)) {
        const ticket: Ticket = { fileStart: nextFile, abandoned: false };
        window.push({ fileStart: nextFile, ticket, result: limiter.run(() => this.fetchFile(layout, ticket)) });
        nextFile += layout.ledgersPerFile;
      }
    };

    while (!signal?.aborted && (endLedger === undefined || next <= endLedger)) {
      fill();
      const head = window.shift();
      if (!head) break;
      const res = await head.result;
      if (signal?.aborted) return;
      if (res.kind === 'error') throw res.error;
      if (res.kind === 'missing') {
        if (this.bounded) throw new LedgerMissingError(next, res.key);
        for (const slot of window) slot.ticket.abandoned = true;
        window.length = 0;
        nextFile = head.fileStart;
        lookahead = 1;
        this.stats.polls++;
        await sleep(this.opts.pollIntervalMs, signal);
        continue;
      }
      lookahead = Math.min(this.opts.bufferSize, lookahead * 2);
      for (const ledger of res.ledgers) {
        if (ledger.sequence < next) continue;
        if (endLedger !== undefined && ledger.sequence > endLedger) break;
        if (ledger.sequence !== next) {
          throw new Error(`data lake gap: expected ledger ${next}, ${res.key} holds ${ledger.sequence}`);
        }
        this.stats.ledgersDelivered++;
        yield ledger;
        next++;
        if (signal?.aborted) return;
      }
      if (next < head.fileStart + layout.ledgersPerFile && (endLedger === undefined || next <= endLedger)) {
        throw new Error(`data lake object ${res.key} ends before ledger ${next}`);
      }
    }
  }

  /** Reads one file with retries. Never rejects: the outcome is data, consumed in order. */
  private async fetchFile(layout: GalexieLayout, ref: Ticket): Promise<FetchResult> {
    const { reader, retryLimit, retryWaitMs, signal } = this.opts;
    const key = layout.objectKey(ref.fileStart);
    for (let attempt = 0; ; attempt++) {
      if (ref.abandoned || signal?.aborted) return { kind: 'missing', key };
      try {
        const compressed = await reader.get(key);
        this.stats.filesFetched++;
        this.stats.bytesFetched += compressed.byteLength;
        const raw = layout.extension === '' ? compressed : await zstdDecompress(compressed);
        return { kind: 'ok', key, ledgers: decodeLedgerBatch(raw).ledgers };
      } catch (error) {
        if (isNotFoundError(error)) return { kind: 'missing', key };
        if (attempt >= retryLimit) return { kind: 'error', key, error: wrap(error, key, attempt + 1) };
        this.stats.retries++;
        this.opts.onRetry?.({ key, attempt: attempt + 1, error });
        await sleep(retryWaitMs, signal);
      }
    }
  }
}

function wrap(error: unknown, key: string, attempts: number): Error {
  const msg = error instanceof Error ? error.message : String(error);
  return new Error(`reading ${key} failed after ${attempts} attempt(s): ${msg}`, { cause: error });
}
