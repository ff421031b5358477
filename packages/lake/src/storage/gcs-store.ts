import type { Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import { StorageError, type StorageErrorContext } from './errors.js';
import { checkKey } from './keys.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, ObjectWriter, PutOptions, WriterOptions } from './object-store.js';
import { withRetry } from './retry.js';
import { withDeadline } from './deadline.js';
import { GcsResumableWriter, type GcsContext } from './gcs-writer.js';
import { checkBucketName, CloudStore, loadSdk, lowerKeys, type CloudStoreOptions } from './cloud-store.js';

export interface GcsStoreOptions extends CloudStoreOptions {
  /** API endpoint for emulators, e.g. `http://127.0.0.1:9199`. Requests to a custom endpoint are not authenticated. */
  endpoint?: string;
  projectId?: string;
  /** Service account key file; omitted means Application Default Credentials. */
  keyFilename?: string;
  /** Deadline for one non-streaming request (get, head, list, delete, small put) in ms (default 60 000). */
  requestTimeoutMs?: number;
  /** A resumable upload that makes no progress for this long while it has data to send fails (default 60 000 ms). */
  stallTimeoutMs?: number;
  /** Objects up to this size are held in memory and sent in one simple upload (default 8 MiB). */
  resumableThreshold?: number;
}

/** Turns GCS custom metadata (values may be numbers, booleans or null) into strings. */
function stringMap(m: Record<string, unknown> | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/**
 * The client's authentication, for `anonymous`: no headers, and no Application Default
 * Credentials lookup (google-auth-library uses a given client as it is).
 */
const ANONYMOUS_AUTH = {
  getRequestHeaders: async () => ({}),
  getAccessToken: async () => ({}),
  request: () => Promise.reject(new Error('anonymous GCS client: no authenticated requests')),
};

/**
 * Google Cloud Storage. Small operations go through @google-cloud/storage (loaded on first
 * use); streamed uploads speak the resumable-upload protocol directly so that they can be
 * watched and cancelled (see GcsResumableWriter).
 */
export class GcsStore extends CloudStore implements ObjectStore {
  readonly kind = 'gcs' as const;
  private readonly storage: Storage;
  private readonly bucket: Bucket;
  private readonly timeoutMs: number;
  private readonly w: GcsContext;

  private constructor(storage: Storage, opts: GcsStoreOptions, apiEndpoint: string) {
    super(opts);
    this.storage = storage;
    this.bucket = storage.bucket(opts.bucket);
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
    const unsigned = opts.endpoint !== undefined || this.anonymous;
    this.w = {
      apiEndpoint,
      bucket: opts.bucket,
      retry: this.retry,
      requestTimeoutMs: this.timeoutMs,
      stallTimeoutMs: opts.stallTimeoutMs ?? 60_000,
      resumableThreshold: opts.resumableThreshold ?? 8 * 1024 * 1024,
      authHeaders: unsigned ? async () => ({}) : async () => ({ ...(await storage.authClient.getRequestHeaders()) }),
      simpleUpload: (key, bytes, o) => this.simpleUpload(key, bytes, o),
      newCrc32c: () => storage.crc32cGenerator(),
    };
  }

  static async create(opts: GcsStoreOptions): Promise<GcsStore> {
    const ctx: StorageErrorContext = { backend: 'gcs', bucket: opts.bucket, operation: 'open store' };
    const mod = await loadSdk(ctx, '@google-cloud/storage', () => import('@google-cloud/storage'));
    checkBucketName(ctx, opts.bucket);
    const endpoint = opts.endpoint?.replace(/\/+$/, '');
    const so: StorageOptions = {
      apiEndpoint: endpoint,
      projectId: opts.projectId ?? (endpoint !== undefined ? 'test' : opts.anonymous === true ? 'anonymous' : undefined),
      keyFilename: opts.anonymous === true ? undefined : opts.keyFilename,
      timeout: opts.requestTimeoutMs ?? 60_000,
      // Our retry loop owns retries, so that attempts are bounded by one setting for all backends.
      retryOptions: { autoRetry: false, maxRetries: 0 },
      ...(opts.anonymous === true ? { authClient: ANONYMOUS_AUTH as unknown as StorageOptions['authClient'] } : {}),
    };
    return new GcsStore(new mod.Storage(so), { ...opts, endpoint }, endpoint ?? 'https://storage.googleapis.com');
  }

  /** Runs one SDK call with our deadline and retry policy. */
  private call<T>(operation: string, key: string | undefined, fn: () => Promise<T>): Promise<T> {
    return withRetry(this.ctx(operation, key), this.retry, () => withDeadline(fn(), this.timeoutMs, operation));
  }

  async openWriter(key: string, opts: WriterOptions = {}): Promise<ObjectWriter> {
    const full = this.fullKey(key, 'openWriter');
    return new GcsResumableWriter(this.w, full, { ...opts, metadata: lowerKeys(opts.metadata) }, this.ctx('upload', key));
  }

  /** One-request upload of bytes we hold, so it can be retried as a whole. Takes a full key. */
  private async simpleUpload(fullKey: string, bytes: Uint8Array, opts: PutOptions): Promise<void> {
    const file = this.bucket.file(fullKey);
    await this.call('upload', fullKey.slice(this.prefix.length), () =>
      file.save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        resumable: false,
        contentType: opts.contentType,
        metadata: { contentType: opts.contentType, metadata: lowerKeys(opts.metadata) },
      }),
    );
  }

  async put(key: string, bytes: Uint8Array, opts: PutOptions = {}): Promise<void> {
    await this.simpleUpload(this.fullKey(key, 'put'), bytes, opts);
  }

  /** A simple upload with `ifGenerationMatch=0`: it succeeds only while no live object has the name. */
  async putIfAbsent(key: string, bytes: Uint8Array, opts: PutOptions = {}): Promise<boolean> {
    const file = this.bucket.file(this.fullKey(key, 'putIfAbsent'));
    return this.createOnce(key, bytes, 'upload ifGenerationMatch=0', () =>
      withDeadline(
        file.save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
          resumable: false,
          contentType: opts.contentType,
          metadata: { contentType: opts.contentType, metadata: lowerKeys(opts.metadata) },
          preconditionOpts: { ifGenerationMatch: 0 },
        }),
        this.timeoutMs,
        'upload',
      ),
    );
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const file = this.bucket.file(this.fullKey(key, 'get'));
    let start: number | undefined;
    let end: number | undefined;
    if (range !== undefined) {
      if ('suffix' in range) {
        if (!Number.isInteger(range.suffix) || range.suffix < 0) throw new StorageError(this.ctx('get', key), 'invalid', `bad suffix range ${range.suffix}`);
        if (range.suffix === 0) return new Uint8Array(0);
        // The client has no suffix form; a HEAD turns it into an absolute range.
        const info = await this.head(key);
        if (info === null) throw new StorageError(this.ctx('get', key), 'not_found', 'no such object');
        if (info.size === 0) return new Uint8Array(0);
        start = Math.max(0, info.size - range.suffix);
        end = info.size - 1;
      } else {
        const { offset, length } = range;
        if (!Number.isInteger(offset) || offset < 0 || (length !== undefined && (!Number.isInteger(length) || length < 0))) {
          throw new StorageError(this.ctx('get', key), 'invalid', `bad range offset=${offset} length=${length}`);
        }
        if (length === 0) return new Uint8Array(0);
        start = offset;
        end = length === undefined ? undefined : offset + length - 1;
      }
    }
    const [buf] = await this.call('download', key, () => (range === undefined ? file.download() : file.download({ start, end, validation: false })));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.bucket.file(this.fullKey(key, 'head'));
    try {
      const [m] = await this.call('getMetadata', key, () => file.getMetadata());
      return { size: Number(m.size ?? 0), metadata: stringMap(m.metadata), contentType: m.contentType };
    } catch (err) {
      if (err instanceof StorageError && err.code === 'not_found') return null;
      throw err;
    }
  }

  async *list(prefix: string, opts: ListOptions = {}): AsyncIterable<ListEntry> {
    checkKey(prefix, this.ctx('list'), true);
    let pageToken: string | undefined;
    do {
      const [files, next] = await this.call('list', prefix, () =>
        this.bucket.getFiles({ prefix: this.prefix + prefix, maxResults: opts.pageSize, pageToken, autoPaginate: false }),
      );
      for (const f of files) yield { key: f.name.slice(this.prefix.length), size: Number(f.metadata.size ?? 0) };
      const token = (next as { pageToken?: unknown } | null | undefined)?.pageToken;
      pageToken = typeof token === 'string' && token !== '' ? token : undefined;
    } while (pageToken !== undefined);
  }

  async delete(key: string): Promise<void> {
    const file = this.bucket.file(this.fullKey(key, 'delete'));
    await this.call('delete', key, () => file.delete({ ignoreNotFound: true }));
  }

  async close(): Promise<void> {
    // @google-cloud/storage keeps no sockets we own; nothing to release.
  }
}
