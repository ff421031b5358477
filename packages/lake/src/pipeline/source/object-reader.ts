/**
 * The minimal read interface the data-lake source needs from an object store. Kept this
 * small on purpose so FS, S3 and GCS backends (src/storage) can satisfy it directly.
 */
export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectReader {
  /** All objects whose key starts with `prefix`, in any order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * The whole object. Must reject with an error that `isNotFoundError` recognises when the
   * key does not exist, so the source can tell "not written yet" from a failure.
   */
  get(key: string): Promise<Uint8Array>;
}

/** Thrown (or recognised) when an object does not exist. */
export class ObjectNotFoundError extends Error {
  readonly code = 'ENOENT';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object not found: ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}

/**
 * Recognises "does not exist" across backends without importing their SDKs: Node fs
 * (ENOENT), AWS S3 (NoSuchKey / NotFound / 404) and GCS (code 404).
 */
export function isNotFoundError(err: unknown): boolean {
  if (err instanceof ObjectNotFoundError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Record<string, unknown>;
  if (e.code === 'ENOENT' || e.code === 'NoSuchKey' || e.code === 404 || e.code === '404') return true;
  if (e.name === 'NoSuchKey' || e.name === 'NotFound') return true;
  const meta = e.$metadata as Record<string, unknown> | undefined;
  if (meta && meta.httpStatusCode === 404) return true;
  if (e.statusCode === 404 || e.status === 404) return true;
  return false;
}
