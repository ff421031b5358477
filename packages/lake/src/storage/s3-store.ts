import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { StorageError, classifyError, toStorageError, type StorageErrorContext } from './errors.js';
import { checkKey } from './keys.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, ObjectWriter, PendingWrite, PutOptions, WriterOptions } from './object-store.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { S3MultipartWriter, DEFAULT_PART_SIZE, DEFAULT_MAX_IN_FLIGHT } from './s3-writer.js';
import { checkBucketName, CloudStore, loadSdk, type CloudStoreOptions } from './cloud-store.js';

type S3Module = typeof import('@aws-sdk/client-s3');

export interface S3StoreOptions extends CloudStoreOptions {
  /** Defaults to AWS_REGION / the standard chain, else `us-east-1`. */
  region?: string;
  /** Custom endpoint for S3-compatible servers (Ceph RGW, MinIO, emulators). */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Static credentials; omitted means the standard AWS credential chain (env, profile, SSO, IMDS...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Upper bound for one HTTP request, start to end, in ms (default 120 000). */
  requestTimeoutMs?: number;
  /** A request fails after this long without any socket activity, in ms (default 30 000). */
  idleTimeoutMs?: number;
  /** TCP connect timeout in ms (default 5 000). */
  connectTimeoutMs?: number;
  /** Multipart part size in bytes (default 8 MiB, at least 5 MiB). Also the single-PUT threshold. */
  partSize?: number;
  /** Parts uploaded concurrently per writer (default 3). Memory per writer is about (this + 1) x partSize. */
  maxInFlightParts?: number;
  /** Use this client instead of building one (its own timeouts and retries then apply too). */
  client?: S3Client;
}

/** A multipart upload the server still holds, e.g. after a process crashed mid-upload. */
export interface PendingUpload {
  key: string;
  uploadId: string;
  initiated?: Date;
}

/** @internal What the writer needs from its store. */
export interface S3Context {
  sdk: S3Module;
  client: S3Client;
  bucket: string;
  retry: RetryPolicy;
  partSize: number;
  maxInFlight: number;
}

/**
 * S3 and S3-compatible object storage. The SDK is loaded on first use, so the library works
 * without it installed when only other backends are used.
 */
export class S3Store extends CloudStore implements ObjectStore {
  readonly kind = 's3' as const;
  private readonly c: S3Context;
  private readonly ownsClient: boolean;

  private constructor(opts: S3StoreOptions, sdk: S3Module, client: S3Client, partSize: number) {
    super(opts);
    this.c = { sdk, client, bucket: opts.bucket, retry: this.retry, partSize, maxInFlight: Math.max(1, opts.maxInFlightParts ?? DEFAULT_MAX_IN_FLIGHT) };
    this.ownsClient = opts.client === undefined;
  }

  get bucket(): string {
    return this.bucketName;
  }

  static async create(opts: S3StoreOptions): Promise<S3Store> {
    const ctx: StorageErrorContext = { backend: 's3', bucket: opts.bucket, operation: 'open store' };
    const sdk = await loadSdk(ctx, '@aws-sdk/client-s3', () => import('@aws-sdk/client-s3'));
    checkBucketName(ctx, opts.bucket);
    const partSize = opts.partSize ?? DEFAULT_PART_SIZE;
    if (partSize < 5 * 1024 * 1024) throw new StorageError(ctx, 'invalid', `partSize ${partSize} is below the S3 minimum of 5 MiB`);
    const config: S3ClientConfig = {
      region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      // Our retry loop owns retries: it re-sends bytes it still holds and names bucket/key on failure.
      maxAttempts: 1,
      // Without throwOnRequestTimeout the SDK only logs a warning and waits forever on a hung server.
      requestHandler: {
        requestTimeout: opts.requestTimeoutMs ?? 120_000,
        socketTimeout: opts.idleTimeoutMs ?? 30_000,
        connectionTimeout: opts.connectTimeoutMs ?? 5_000,
        throwOnRequestTimeout: true,
      },
      // The default adds flexible checksums that several S3-compatible servers refuse; over HTTPS
      // TLS already protects the bytes and SigV4 signs the payload hash over plain HTTP.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (opts.anonymous === true) {
      // Unsigned requests (as `aws s3 --no-sign-request`): a signer that leaves the request as
      // it is, and empty static credentials so that the default chain (env, files, instance
      // metadata) is never consulted.
      config.signer = { sign: async (request) => request };
      config.credentials = { accessKeyId: '', secretAccessKey: '' };
    }
    return new S3Store(opts, sdk, opts.client ?? new sdk.S3Client(config), partSize);
  }

  async openWriter(key: string, opts: WriterOptions = {}): Promise<ObjectWriter> {
    const full = this.fullKey(key, 'openWriter');
    return new S3MultipartWriter(this.c, full, opts, this.ctx('upload', key));
  }

  async put(key: string, bytes: Uint8Array, opts: PutOptions = {}): Promise<void> {
    const full = this.fullKey(key, 'put');
    await withRetry(this.ctx('PutObject', key), this.c.retry, (_a) =>
      this.c.client.send(
        new this.c.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: full,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: opts.contentType,
          Metadata: opts.metadata,
        }),
      ),
    );
  }

  /** A PutObject with `If-None-Match: *` (S3 conditional writes; Ceph RGW supports it too). */
  async putIfAbsent(key: string, bytes: Uint8Array, opts: PutOptions = {}): Promise<boolean> {
    const full = this.fullKey(key, 'putIfAbsent');
    return this.createOnce(key, bytes, 'PutObject If-None-Match', async () => {
      await this.c.client.send(
        new this.c.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: full,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: opts.contentType,
          Metadata: opts.metadata,
          IfNoneMatch: '*',
        }),
      );
    });
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const full = this.fullKey(key, 'get');
    let header: string | undefined;
    if (range !== undefined) {
      if ('suffix' in range) {
        if (!Number.isInteger(range.suffix) || range.suffix < 0) throw new StorageError(this.ctx('get', key), 'invalid', `bad suffix range ${range.suffix}`);
        // "bytes=-0" is unsatisfiable on S3; an empty suffix is simply empty.
        if (range.suffix === 0) return new Uint8Array(0);
        header = `bytes=-${range.suffix}`;
      } else {
        const { offset, length } = range;
        if (!Number.isInteger(offset) || offset < 0 || (length !== undefined && (!Number.isInteger(length) || length < 0))) {
          throw new StorageError(this.ctx('get', key), 'invalid', `bad range offset=${offset} length=${length}`);
        }
        if (length === 0) return new Uint8Array(0);
        header = length === undefined ? `bytes=${offset}-` : `bytes=${offset}-${offset + length - 1}`;
      }
    }
    const fetchRange = (range: string | undefined): Promise<Uint8Array> =>
      withRetry(this.ctx('GetObject', key), this.c.retry, async () => {
        const resp = await this.c.client.send(new this.c.sdk.GetObjectCommand({ Bucket: this.bucket, Key: full, Range: range }));
        if (resp.Body === undefined) return new Uint8Array(0);
        return resp.Body.transformToByteArray();
      });
    try {
      return await fetchRange(header);
    } catch (err) {
      // S3 and Ceph answer a suffix longer than the object with the whole object (RFC 9110);
      // some S3-compatible servers answer 416 instead. Give callers the S3 behaviour everywhere.
      if (range !== undefined && 'suffix' in range && err instanceof StorageError && err.code === 'precondition') {
        const info = await this.head(key);
        if (info !== null && info.size <= range.suffix) return fetchRange(undefined);
      }
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const full = this.fullKey(key, 'head');
    try {
      return await withRetry(this.ctx('HeadObject', key), this.c.retry, async () => {
        const r = await this.c.client.send(new this.c.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: full }));
        return { size: r.ContentLength ?? 0, metadata: r.Metadata ?? {}, contentType: r.ContentType };
      });
    } catch (err) {
      // A missing bucket is a configuration error worth surfacing, a missing key is just "no".
      if (err instanceof StorageError && err.code === 'not_found' && !/NoSuchBucket/.test(err.message)) return null;
      throw err;
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ListEntry> {
    checkKey(prefix, this.ctx('list'), true);
    let token: string | undefined;
    do {
      const page = await withRetry(this.ctx('ListObjectsV2', prefix), this.c.retry, () =>
        this.c.client.send(
          new this.c.sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            MaxKeys: opts.pageSize,
            ContinuationToken: token,
          }),
        ),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async delete(key: string): Promise<void> {
    const full = this.fullKey(key, 'delete');
    try {
      await withRetry(this.ctx('DeleteObject', key), this.c.retry, () =>
        this.c.client.send(new this.c.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: full })),
      );
    } catch (err) {
      if (classifyError(err) === 'not_found' && !/NoSuchBucket/.test(String(err))) return;
      throw err;
    }
  }

  /** Multipart uploads still open under a key prefix: orphans left by crashed processes. */
  async pendingUploads(prefix = ''): Promise<PendingUpload[]> {
    checkKey(prefix, this.ctx('list uploads'), true);
    const out: PendingUpload[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    for (;;) {
      const page = await withRetry(this.ctx('ListMultipartUploads', prefix), this.c.retry, () =>
        this.c.client.send(
          new this.c.sdk.ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: idMarker,
          }),
        ),
      );
      for (const u of page.Uploads ?? []) {
        if (u.Key !== undefined && u.UploadId !== undefined) out.push({ key: u.Key.slice(this.prefix.length), uploadId: u.UploadId, initiated: u.Initiated });
      }
      if (page.IsTruncated !== true) return out;
      keyMarker = page.NextKeyMarker;
      idMarker = page.NextUploadIdMarker;
    }
  }

  async pendingWrites(prefix = ''): Promise<PendingWrite[]> {
    return (await this.pendingUploads(prefix)).map((u) => ({ key: u.key, id: u.uploadId, started: u.initiated }));
  }

  /**
   * Aborts pending multipart uploads started before `olderThan` (and whose key `owns`
   * accepts, when given). A writer aborts its own upload on failure, but a killed process or
   * an unreachable server leaves one behind; run this at start-up (or use a bucket lifecycle
   * rule) so their parts stop costing storage.
   */
  async abortPendingUploads(prefix = '', olderThan: Date = new Date(), owns?: (key: string) => boolean): Promise<number> {
    let n = 0;
    for (const u of await this.pendingUploads(prefix)) {
      if (u.initiated !== undefined && u.initiated >= olderThan) continue;
      if (owns !== undefined && !owns(u.key)) continue;
      await withRetry(this.ctx('AbortMultipartUpload', u.key), this.c.retry, () =>
        this.c.client.send(new this.c.sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.prefix + u.key, UploadId: u.uploadId })),
      );
      n++;
    }
    return n;
  }

  /** Creates the bucket if it does not exist (tests, first-run set-up). */
  async ensureBucket(): Promise<void> {
    try {
      await this.c.client.send(new this.c.sdk.HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      try {
        await this.c.client.send(new this.c.sdk.CreateBucketCommand({ Bucket: this.bucket }));
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw toStorageError(err, this.ctx('CreateBucket'));
      }
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.c.client.destroy();
  }
}
