import type { StoreKind } from './object-store.js';

/**
 * Why a storage operation failed. `transient` codes are worth retrying (the retry loop
 * already did, up to its limit, before the error reaches a caller); the others are not.
 */
export type StorageErrorCode =
  | 'not_found' // object (or bucket) does not exist
  | 'permission' // 401/403, bad or missing credentials
  | 'invalid' // bad key, bad range, bad configuration: a caller bug
  | 'precondition' // 409/412/416
  | 'timeout' // no response within the configured time
  | 'network' // connection refused/reset, DNS
  | 'throttled' // 429 / SlowDown
  | 'server' // 5xx
  | 'aborted' // the writer was aborted by its caller
  | 'unknown';

const TRANSIENT: ReadonlySet<StorageErrorCode> = new Set(['timeout', 'network', 'throttled', 'server']);

export interface StorageErrorContext {
  backend: StoreKind;
  /** Bucket name, or the base directory for the FS backend. */
  bucket: string;
  key?: string;
  /** What was being done, e.g. `UploadPart 3`. */
  operation: string;
}

/** Every error thrown by a store: it names backend, bucket and key so a log line is enough to act on. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly backend: StoreKind;
  readonly bucket: string;
  readonly key: string | undefined;
  readonly operation: string;
  readonly attempts: number;

  constructor(ctx: StorageErrorContext, code: StorageErrorCode, detail: string, opts: { cause?: unknown; attempts?: number } = {}) {
    const where = `${ctx.backend} bucket "${ctx.bucket}"${ctx.key !== undefined ? ` key "${ctx.key}"` : ''}`;
    const tries = opts.attempts !== undefined && opts.attempts > 1 ? ` after ${opts.attempts} attempts` : '';
    super(`${ctx.operation} failed on ${where}${tries}: ${code}: ${detail}`, { cause: opts.cause });
    this.name = 'StorageError';
    this.code = code;
    this.backend = ctx.backend;
    this.bucket = ctx.bucket;
    this.key = ctx.key;
    this.operation = ctx.operation;
    this.attempts = opts.attempts ?? 1;
  }

  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }
}

export function isTransientCode(code: StorageErrorCode): boolean {
  return TRANSIENT.has(code);
}

/** Raised by our own timers (request timeouts, GCS watchdog); classified as `timeout`. */
export class StorageTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageTimeoutError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ECONNCLOSED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'StorageTimeoutError']);
const THROTTLE_NAMES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound', 'NoSuchUpload']);
const PERMISSION_NAMES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'Forbidden',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
]);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** The HTTP status an SDK error carries, if any (AWS `$metadata.httpStatusCode`, gaxios `code`/`status`). */
function httpStatusOf(err: unknown): number | undefined {
  const meta = field(err, '$metadata');
  const aws = field(meta, 'httpStatusCode');
  if (typeof aws === 'number') return aws;
  for (const name of ['status', 'statusCode', 'code']) {
    const v = field(err, name);
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  const resp = field(err, 'response');
  const rs = field(resp, 'status');
  return typeof rs === 'number' ? rs : undefined;
}

/**
 * Maps any error (SDK, Node system error, our timers) to a code. Walks `cause` chains because
 * SDKs wrap socket errors. Unknown errors count as permanent: retrying a bug only hides it.
 */
export function classifyError(err: unknown): StorageErrorCode {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, 'cause'), depth++) {
    if (e instanceof StorageError) return e.code;
    const name = field(e, 'name');
    const code = field(e, 'code');
    const status = httpStatusOf(e);
    if (typeof name === 'string') {
      if (TIMEOUT_NAMES.has(name)) return 'timeout';
      if (THROTTLE_NAMES.has(name)) return 'throttled';
      if (NOT_FOUND_NAMES.has(name)) return 'not_found';
      if (PERMISSION_NAMES.has(name)) return 'permission';
    }
    if (typeof code === 'string') {
      if (TIMEOUT_CODES.has(code)) return 'timeout';
      if (NETWORK_CODES.has(code)) return 'network';
      if (code === 'ENOENT') return 'not_found';
      if (code === 'EACCES' || code === 'EPERM') return 'permission';
    }
    if (status !== undefined) {
      if (status === 429) return 'throttled';
      if (status === 408) return 'timeout';
      if (status >= 500) return 'server';
      if (status === 401 || status === 403) return 'permission';
      if (status === 404) return 'not_found';
      if (status === 409 || status === 412 || status === 416) return 'precondition';
      if (status >= 400) return 'invalid';
    }
    const msg = field(e, 'message');
    if (typeof msg === 'string' && /socket hang up|network|ECONNRESET|ECONNREFUSED|other side closed/i.test(msg)) return 'network';
  }
  return 'unknown';
}

/** Wraps an arbitrary error in a StorageError naming where it happened. */
export function toStorageError(err: unknown, ctx: StorageErrorContext, attempts?: number): StorageError {
  if (err instanceof StorageError) return err;
  const code = classifyError(err);
  const status = httpStatusOf(err);
  const name = field(err, 'name');
  const message = field(err, 'message');
  // fetch() reports every socket problem as "fetch failed"; the useful part is in `cause`.
  const cause = field(err, 'cause');
  const causeMsg = field(cause, 'message');
  const parts = [
    typeof name === 'string' && name !== 'Error' ? name : undefined,
    status !== undefined ? `HTTP ${status}` : undefined,
    typeof message === 'string' && message !== '' ? message : String(err),
    typeof causeMsg === 'string' && causeMsg !== '' && causeMsg !== message ? `(${causeMsg})` : undefined,
  ].filter((p) => p !== undefined);
  return new StorageError(ctx, code, parts.join(' '), { cause: err, attempts });
}
