/**
 * What the S3 and GCS stores share: a bucket and a key prefix every key is relative to, the
 * error context naming both, one retry policy, the checks of their options, loading their
 * optional SDK, and the conditional create (putIfAbsent) built on a conditional request.
 */
import { StorageError, type StorageErrorContext } from './errors.js';
import { checkKey, normalisePrefix } from './keys.js';
import type { ByteRange } from './object-store.js';
import { backoffDelay, DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** Options every cloud store takes. */
export interface CloudStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket that every key is relative to. */
  prefix?: string;
  retry?: Partial<RetryPolicy>;
  /**
   * Send unsigned requests, with no credentials looked up at all: for public buckets (the
   * AWS Open Data Stellar lake, public GCS buckets). Writes then fail with `permission`.
   */
  anonymous?: boolean;
}

/** Loads an optional SDK, naming the package when it is not installed. */
export async function loadSdk<T>(ctx: StorageErrorContext, pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw new StorageError(ctx, 'invalid', `the optional dependency ${pkg} is not installed`, { cause: err });
  }
}

/** A bucket name is one path segment; the prefix goes in `prefix`. */
export function checkBucketName(ctx: StorageErrorContext, bucket: string): void {
  if (bucket === '' || bucket.includes('/')) throw new StorageError(ctx, 'invalid', `bad bucket name "${bucket}"`);
}

/** User metadata keys are case-insensitive on every backend; we store them lower-cased. */
export function lowerKeys(m: Record<string, string> | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k.toLowerCase()] = v;
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export abstract class CloudStore {
  abstract readonly kind: 's3' | 'gcs';
  readonly bucketName: string;
  readonly prefix: string;
  readonly anonymous: boolean;
  protected readonly retry: RetryPolicy;

  protected constructor(opts: CloudStoreOptions) {
    this.bucketName = opts.bucket;
    this.prefix = normalisePrefix(opts.prefix);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.anonymous = opts.anonymous === true;
  }

  abstract get(key: string, range?: ByteRange): Promise<Uint8Array>;

  describe(key: string): string {
    return `${this.kind === 's3' ? 's3' : 'gs'}://${this.bucketName}/${this.prefix}${key}`;
  }

  protected ctx(operation: string, key?: string): StorageErrorContext {
    return { backend: this.kind, bucket: this.bucketName, key: key === undefined ? undefined : this.prefix + key, operation };
  }

  /** The bucket key of a store key, refusing keys that could escape the prefix. */
  protected fullKey(key: string, operation: string): string {
    checkKey(key, this.ctx(operation));
    return this.prefix + key;
  }

  /**
   * putIfAbsent over a conditional request: `send` fails with a `precondition` error when the
   * key is taken. HTTP 409 means a concurrent conditional write to the key is in progress
   * (S3): asked again, it resolves to 200 or 412. A retry of a request whose answer was lost
   * may find the object its own first attempt created, so a 412 after a retry compares the
   * stored bytes with ours.
   */
  protected async createOnce(key: string, bytes: Uint8Array, operation: string, send: () => Promise<void>): Promise<boolean> {
    for (let conflict = 0; ; conflict++) {
      let attempts = 0;
      try {
        await withRetry(this.ctx(operation, key), this.retry, async () => {
          attempts++;
          await send();
        });
        return true;
      } catch (err) {
        if (!(err instanceof StorageError) || err.code !== 'precondition') throw err;
        if (/\b409\b|ConditionalRequestConflict/.test(err.message) && conflict + 1 < this.retry.maxAttempts) {
          await new Promise((r) => setTimeout(r, backoffDelay(this.retry, conflict)));
          continue;
        }
        if (attempts <= 1) return false;
        const stored = await this.get(key).catch(() => undefined);
        return stored !== undefined && sameBytes(stored, bytes);
      }
    }
  }
}
