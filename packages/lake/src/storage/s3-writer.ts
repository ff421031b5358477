import type { CompletedPart } from '@aws-sdk/client-s3';
import { StorageError, toStorageError, type StorageErrorContext } from './errors.js';
import type { ObjectWriter, WriterOptions } from './object-store.js';
import { withRetry } from './retry.js';
import type { S3Context } from './s3-store.js';

const MiB = 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * MiB;
/**
 * With 8 MiB parts this keeps part buffers at (3 + 1) x 8 MiB = 32 MiB per writer. Three
 * uploads in flight already keep the connection busy while the next part fills; more only
 * hold more memory (docs/benchmarks.md, "Storage upload").
 */
export const DEFAULT_MAX_IN_FLIGHT = 3;
const MAX_PARTS = 10_000;
const MAX_PART_SIZE = 5 * 1024 * MiB;
/** Parts per size tier: the part size doubles after each tier so an unknown-size file still fits in 10,000 parts. */
const PARTS_PER_TIER = 1000;

/**
 * Part size for a part number. With a size hint the base is large enough for the hinted size
 * in 9,000 parts (leaving slack for a wrong hint); without one, doubling every 1,000 parts
 * reaches 5 TiB (the S3 object limit) from an 8 MiB base before part 10,000.
 */
export function partSizeFor(partNumber: number, basePartSize: number, sizeHint?: number): number {
  let base = basePartSize;
  if (sizeHint !== undefined && sizeHint > 0) base = Math.max(base, Math.ceil(sizeHint / 9000 / MiB) * MiB);
  const tier = Math.floor((partNumber - 1) / PARTS_PER_TIER);
  return Math.min(MAX_PART_SIZE, base * 2 ** tier);
}

/**
 * Streams an object to S3. Bytes are copied into a part buffer; a full buffer becomes an
 * UploadPart request, and at most `maxInFlight` parts are in flight, so memory stays near
 * `maxInFlight * partSize` whatever the object size. Each part buffer is kept until its
 * request succeeds, which is what makes a part retryable. An object that never fills one
 * part is sent as a single PutObject on close (no multipart overhead for small files).
 *
 * Nothing is visible under the key until CompleteMultipartUpload (or the PutObject)
 * succeeds. On any permanent failure or abort the multipart upload is aborted, so no parts
 * stay billed; only if the server stays unreachable for the whole retry budget can one be
 * left behind (see S3Store.abortPendingUploads).
 */
export class S3MultipartWriter implements ObjectWriter {
  bytesWritten = 0;
  private state: 'open' | 'closing' | 'closed' | 'aborted' | 'failed' = 'open';
  private buf: Uint8Array | undefined;
  private fill = 0;
  /**
   * Part buffers whose upload finished, reused for later parts. Without reuse every part is a
   * fresh 8 MiB allocation and RSS grows with the garbage collector's lag, not with our bound.
   */
  private readonly pool: Uint8Array[] = [];
  private nextPart = 1;
  private uploadId: Promise<string> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private failure: StorageError | undefined;
  private cleanup: Promise<void> | undefined;
  private orphanError: StorageError | undefined;
  private readonly cancel = new AbortController();
  /** Serialises write/close/abort even if a caller forgets to await. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly c: S3Context,
    private readonly key: string,
    private readonly opts: WriterOptions,
    private readonly ctx: StorageErrorContext,
  ) {}

  private op(operation: string): StorageErrorContext {
    return { ...this.ctx, operation };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.serial(async () => {
      this.check('write');
      let off = 0;
      while (off < chunk.length) {
        if (this.buf === undefined) {
          const size = partSizeFor(this.nextPart, this.c.partSize, this.opts.sizeHint);
          let b = this.pool.pop();
          if (b !== undefined && b.length !== size) b = undefined; // the part size grew: drop the old buffers
          this.buf = b ?? new Uint8Array(size);
          this.fill = 0;
        }
        const n = Math.min(chunk.length - off, this.buf.length - this.fill);
        this.buf.set(chunk.subarray(off, off + n), this.fill);
        this.fill += n;
        off += n;
        this.bytesWritten += n;
        if (this.fill === this.buf.length) await this.dispatch(true);
      }
    });
  }

  private check(op: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.state !== 'open') throw new StorageError(this.op(op), 'invalid', `writer is ${this.state}`);
  }

  /** Sends the current buffer as the next part; with `wait`, blocks while too many parts are in flight. */
  private async dispatch(wait: boolean): Promise<void> {
    const full = this.buf!;
    const body = full.subarray(0, this.fill);
    this.buf = undefined;
    this.fill = 0;
    const partNumber = this.nextPart++;
    if (partNumber > MAX_PARTS) {
      this.fail(new StorageError(this.op('UploadPart'), 'invalid', `more than ${MAX_PARTS} parts; pass sizeHint or a larger partSize`));
      throw this.failure;
    }
    this.uploadId ??= this.createUpload();
    const p = this.uploadPart(partNumber, body).then(
      () => {
        // The request has been answered, so the socket no longer reads from the buffer.
        if (this.pool.length < this.c.maxInFlight && this.state !== 'aborted') this.pool.push(full);
      },
      (err: unknown) => this.fail(err),
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    if (wait) {
      while (this.inFlight.size >= this.c.maxInFlight) await Promise.race(this.inFlight);
      if (this.failure !== undefined) throw this.failure;
    }
  }

  private async createUpload(): Promise<string> {
    const r = await withRetry(
      this.op('CreateMultipartUpload'),
      this.c.retry,
      () =>
        this.c.client.send(
          new this.c.sdk.CreateMultipartUploadCommand({
            Bucket: this.c.bucket,
            Key: this.key,
            ContentType: this.opts.contentType,
            Metadata: this.opts.metadata,
          }),
        ),
      // Not cancelled by abort(): a request cut off after the server created the upload would
      // leave an orphan we never learn the id of. It is short and bounded by the timeouts.
      { signal: this.cancel.signal },
    );
    if (r.UploadId === undefined) throw new StorageError(this.op('CreateMultipartUpload'), 'server', 'no UploadId in response');
    return r.UploadId;
  }

  private async uploadPart(partNumber: number, body: Uint8Array): Promise<void> {
    const uploadId = await this.uploadId!;
    const r = await withRetry(
      this.op(`UploadPart ${partNumber}`),
      this.c.retry,
      () =>
        this.c.client.send(
          new this.c.sdk.UploadPartCommand({
            Bucket: this.c.bucket,
            Key: this.key,
            UploadId: uploadId,
            PartNumber: partNumber,
            Body: body,
            ContentLength: body.length,
          }),
          { abortSignal: this.cancel.signal },
        ),
      { signal: this.cancel.signal },
    );
    this.parts.push({ PartNumber: partNumber, ETag: r.ETag });
  }

  /** Records the first failure, stops other requests and starts removing the upload. */
  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure =
      this.cancel.signal.aborted && this.state === 'aborted'
        ? new StorageError(this.op('upload'), 'aborted', 'writer aborted', { cause: err })
        : toStorageError(err, this.op('upload'));
    if (this.state === 'open' || this.state === 'closing') this.state = 'failed';
    this.cancel.abort();
    this.cleanup ??= this.abortUpload();
  }

  private async abortUpload(): Promise<void> {
    // Parts still in flight could land after AbortMultipartUpload and resurrect storage; wait for them.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.buf = undefined;
    this.pool.length = 0;
    if (this.uploadId === undefined) return;
    let id: string;
    try {
      id = await this.uploadId;
    } catch {
      return; // never created, nothing to remove
    }
    await withRetry(this.op('AbortMultipartUpload'), this.c.retry, () =>
      this.c.client.send(new this.c.sdk.AbortMultipartUploadCommand({ Bucket: this.c.bucket, Key: this.key, UploadId: id })),
    ).catch((err: unknown) => {
      // Keep the original failure as the one callers see; the orphan can be swept later
      // (S3Store.abortPendingUploads). abort() itself reports it.
      this.orphanError = toStorageError(err, this.op('AbortMultipartUpload'));
      if (this.failure !== undefined) this.failure.message += ` (and AbortMultipartUpload failed: ${this.orphanError.message})`;
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.failure !== undefined) {
        // A part already failed: finish removing the upload before reporting, so a caller
        // that does not call abort() still leaves nothing behind.
        await this.cleanup;
        throw this.failure;
      }
      this.check('close');
      this.state = 'closing';
      if (this.uploadId === undefined) {
        await this.putSingle();
        this.state = 'closed';
        return;
      }
      if (this.fill > 0) await this.dispatch(false);
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      if (this.failure !== undefined) {
        await this.cleanup;
        throw this.failure;
      }
      try {
        this.pool.length = 0;
        await this.complete(await this.uploadId);
      } catch (err) {
        this.fail(err);
        await this.cleanup;
        throw this.failure;
      }
      this.state = 'closed';
    });
  }

  private async putSingle(): Promise<void> {
    const body = this.buf === undefined ? new Uint8Array(0) : this.buf.subarray(0, this.fill);
    try {
      await withRetry(
        this.op('PutObject'),
        this.c.retry,
        () =>
          this.c.client.send(
            new this.c.sdk.PutObjectCommand({
              Bucket: this.c.bucket,
              Key: this.key,
              Body: body,
              ContentLength: body.length,
              ContentType: this.opts.contentType,
              Metadata: this.opts.metadata,
            }),
            { abortSignal: this.cancel.signal },
          ),
        { signal: this.cancel.signal },
      );
    } catch (err) {
      this.state = 'failed';
      this.failure = toStorageError(err, this.op('PutObject'));
      throw this.failure;
    } finally {
      this.buf = undefined;
    }
  }

  private async complete(uploadId: string): Promise<void> {
    const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await withRetry(this.op('CompleteMultipartUpload'), this.c.retry, async (attempt) => {
      try {
        await this.c.client.send(
          new this.c.sdk.CompleteMultipartUploadCommand({
            Bucket: this.c.bucket,
            Key: this.key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      } catch (err) {
        // A retry after a lost response finds the upload already completed: check the object is ours.
        if (attempt > 1 && (err as { name?: string }).name === 'NoSuchUpload') {
          const h = await this.c.client.send(new this.c.sdk.HeadObjectCommand({ Bucket: this.c.bucket, Key: this.key }));
          if (h.ContentLength === this.bytesWritten) return;
        }
        throw err;
      }
    });
  }

  abort(reason?: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return Promise.resolve();
    // Not serialised behind a pending write: abort must be able to interrupt a stalled upload.
    this.state = 'aborted';
    if (this.failure === undefined) this.fail(reason ?? new Error('aborted'));
    this.failure = new StorageError(this.op('upload'), 'aborted', 'writer aborted', { cause: reason });
    this.buf = undefined;
    return (this.cleanup ?? Promise.resolve()).then(() => {
      if (this.orphanError !== undefined) throw this.orphanError;
    });
  }
}
