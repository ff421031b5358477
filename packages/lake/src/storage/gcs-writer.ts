import { StorageError, StorageTimeoutError, toStorageError, type StorageErrorContext } from './errors.js';
import type { ObjectWriter, PutOptions, WriterOptions } from './object-store.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { withDeadline } from './deadline.js';
import { concatBytes } from './concat-bytes.js';

/** @internal What a GCS writer needs from its store. */
export interface GcsContext {
  apiEndpoint: string;
  bucket: string;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  resumableThreshold: number;
  authHeaders(): Promise<Record<string, string>>;
  /** A running CRC32C (from the SDK) to check what the server stored against what we sent. */
  newCrc32c(): { update(data: Buffer): void; toString(): string };
  simpleUpload(fullKey: string, bytes: Uint8Array, opts: PutOptions): Promise<void>;
}

/** Node's fetch needs `duplex: 'half'` to stream a request body; the DOM typings do not know it. */
type StreamingInit = RequestInit & { duplex: 'half' };

function httpError(status: number, body: string): Error {
  return Object.assign(new Error(`HTTP ${status}: ${body.slice(0, 300)}`), { status });
}

/** GCS reports CRC32C as base64 of the big-endian value; the emulator as a decimal string. */
function crcOf(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) >>> 0;
  const b = Buffer.from(v, 'base64');
  return b.length === 4 ? b.readUInt32BE(0) : undefined;
}

interface Session {
  uri: string;
  ctrl: AbortController;
  sink: WritableStreamDefaultWriter<Uint8Array>;
  response: Promise<Response>;
}

/**
 * Streams an object to GCS. The first `resumableThreshold` bytes are held in memory; an
 * object that ends before that is sent as one simple upload (retryable as a whole). A larger
 * one opens a resumable-upload session and streams the rest in a single PUT: memory stays at
 * the threshold plus the socket buffers, whatever the object size. The object only becomes
 * visible when GCS finalises the session, so a failure or abort never exposes a partial object.
 *
 * The stream itself cannot be replayed (its bytes are gone once sent), so a failure mid-stream
 * fails the writer with a transient-classified error and the caller retries the whole file.
 * The SDK's resumable upload can hang forever on a stalled server; here a watchdog aborts the
 * request when it has had data to send but made no progress for `stallTimeoutMs`.
 */
export class GcsResumableWriter implements ObjectWriter {
  bytesWritten = 0;
  private state: 'open' | 'closing' | 'closed' | 'aborted' | 'failed' = 'open';
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private session: Session | undefined;
  private failure: StorageError | undefined;
  private failed: Promise<never>;
  private rejectFailed!: (e: StorageError) => void;
  private waiting = 0;
  private lastProgress = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private readonly crc: { update(data: Buffer): void; toString(): string };

  constructor(
    private readonly c: GcsContext,
    private readonly key: string,
    private readonly opts: WriterOptions,
    private readonly ctx: StorageErrorContext,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.crc = c.newCrc32c();
  }

  private op(operation: string): StorageErrorContext {
    return { ...this.ctx, operation };
  }

  private check(op: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.state !== 'open') throw new StorageError(this.op(op), 'invalid', `writer is ${this.state}`);
  }

  /** Waits for `p` while the watchdog counts; rejects as soon as the writer fails. */
  private async watched<T>(p: Promise<T>): Promise<T> {
    if (this.waiting++ === 0) this.lastProgress = Date.now();
    try {
      return await Promise.race([p, this.failed]);
    } finally {
      this.waiting--;
    }
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.check('write');
    this.bytesWritten += chunk.length;
    this.crc.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (this.session === undefined) {
      // The Sink contract lets us keep the chunk without copying.
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes <= this.c.resumableThreshold) return;
      await this.startSession();
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const h of held) await this.send(h);
      return;
    }
    await this.send(chunk);
  }

  private async send(chunk: Uint8Array): Promise<void> {
    const s = this.session!;
    try {
      await this.watched(s.sink.ready);
      await this.watched(s.sink.write(chunk));
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
  }

  private async startSession(): Promise<void> {
    const url = `${this.c.apiEndpoint}/upload/storage/v1/b/${encodeURIComponent(this.c.bucket)}/o?uploadType=resumable&name=${encodeURIComponent(this.key)}`;
    let uri: string;
    try {
      uri = await withRetry(this.op('start resumable upload'), this.c.retry, async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            ...(await this.c.authHeaders()),
            'content-type': 'application/json; charset=UTF-8',
            ...(this.opts.contentType !== undefined ? { 'x-upload-content-type': this.opts.contentType } : {}),
          },
          body: JSON.stringify({ name: this.key, contentType: this.opts.contentType, metadata: this.opts.metadata }),
          signal: AbortSignal.timeout(this.c.requestTimeoutMs),
        });
        const text = await res.text();
        if (!res.ok) throw httpError(res.status, text);
        const loc = res.headers.get('location');
        if (loc === null) throw new StorageError(this.op('start resumable upload'), 'server', 'no Location header in response');
        return loc;
      });
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
    const ctrl = new AbortController();
    // The transform runs when fetch pulls a chunk to put on the wire: that is our progress signal.
    const pipe = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        this.lastProgress = Date.now();
        controller.enqueue(chunk);
      },
    });
    const init: StreamingInit = {
      method: 'PUT',
      headers: { ...(await this.c.authHeaders()), 'content-type': 'application/octet-stream' },
      body: pipe.readable,
      duplex: 'half',
      signal: ctrl.signal,
    };
    const response = fetch(uri, init);
    response.catch((err: unknown) => this.fail(err));
    this.session = { uri, ctrl, sink: pipe.writable.getWriter(), response };
    this.watchdog = setInterval(() => this.checkStall(), Math.max(50, Math.min(1000, this.c.stallTimeoutMs / 4)));
    this.watchdog.unref();
  }

  private checkStall(): void {
    if (this.waiting > 0 && Date.now() - this.lastProgress > this.c.stallTimeoutMs) {
      this.fail(new StorageTimeoutError(`resumable upload made no progress for ${this.c.stallTimeoutMs} ms (server stalled?)`));
    }
  }

  /** Records the first failure and tears the session down; GCS then never finalises the object. */
  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure =
      this.state === 'aborted'
        ? new StorageError(this.op('upload'), 'aborted', 'writer aborted', { cause: err })
        : toStorageError(err, this.op('resumable upload'));
    if (this.state === 'open' || this.state === 'closing') this.state = 'failed';
    this.rejectFailed(this.failure);
    this.teardown();
  }

  private teardown(): void {
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.held = [];
    const s = this.session;
    if (s === undefined || s.ctrl.signal.aborted) return;
    s.ctrl.abort();
    s.sink.abort().catch(() => undefined);
    // Cancelling the session frees it on the server at once instead of after a week; best effort.
    void this.c
      .authHeaders()
      .then((headers) =>
        withDeadline(
          fetch(s.uri, { method: 'DELETE', headers, signal: AbortSignal.timeout(this.c.requestTimeoutMs) }),
          this.c.requestTimeoutMs,
          'cancel upload',
        ),
      )
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.check('close');
    this.state = 'closing';
    if (this.session === undefined) {
      const bytes = concatBytes(this.held, this.heldBytes);
      this.held = [];
      try {
        await this.c.simpleUpload(this.key, bytes, this.opts);
      } catch (err) {
        this.fail(err);
        throw this.failure;
      }
      this.state = 'closed';
      return;
    }
    const s = this.session;
    try {
      await this.watched(s.sink.close());
      const res = await this.watched(s.response);
      const text = await this.watched(res.text());
      if (!res.ok) throw httpError(res.status, text);
      const stored = JSON.parse(text) as { size?: unknown; crc32c?: unknown };
      const size = Number(stored.size);
      if (size !== this.bytesWritten) throw new StorageError(this.op('finalize'), 'server', `server stored ${size} bytes, ${this.bytesWritten} were sent`);
      const crc = crcOf(stored.crc32c);
      const sent = crcOf(this.crc.toString());
      if (crc !== undefined && crc !== sent) {
        // The object is already final: remove the corrupt copy so nobody reads it.
        await this.deleteObject();
        throw new StorageError(this.op('finalize'), 'server', `server stored CRC32C ${crc}, we sent ${sent}; object deleted`);
      }
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.state = 'closed';
  }

  private async deleteObject(): Promise<void> {
    const url = `${this.c.apiEndpoint}/storage/v1/b/${encodeURIComponent(this.c.bucket)}/o/${encodeURIComponent(this.key)}`;
    await fetch(url, { method: 'DELETE', headers: await this.c.authHeaders(), signal: AbortSignal.timeout(this.c.requestTimeoutMs) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }

  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    this.state = 'aborted';
    this.fail(reason ?? new Error('aborted'));
  }
}
