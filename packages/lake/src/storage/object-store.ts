import type { Sink } from 'cdp-parquet';

/** Which backend a store talks to; also used in error messages. */
export type StoreKind = 'fs' | 's3' | 'gcs';

/** Content type and user metadata stored with an object. */
export interface PutOptions {
  contentType?: string;
  /** User metadata (S3 `x-amz-meta-*`, GCS custom metadata; the FS store keeps none). Keys are lower-cased. */
  metadata?: Record<string, string>;
}

/** Options for a streaming writer. */
export interface WriterOptions extends PutOptions {
  /**
   * Expected total size in bytes, when the caller knows it. Only a hint: it lets the S3
   * writer pick a part size up front; without it the part size grows as the upload does.
   */
  sizeHint?: number;
}

/** `{offset, length?}` reads from `offset` (to the end when `length` is absent); `{suffix}` reads the last bytes. */
export type ByteRange = { offset: number; length?: number } | { suffix: number };

export interface ObjectInfo {
  size: number;
  metadata: Record<string, string>;
  contentType?: string;
}

/** A write that started and never committed: an S3 multipart upload, an FS temp file. */
export interface PendingWrite {
  /** The key the write was for. */
  key: string;
  /** The backend's handle of it (S3 upload id, FS temp file path relative to the root). */
  id: string;
  started?: Date;
  /** FS: the id of the process that was writing it, on this machine. */
  pid?: number;
}

export interface ListEntry {
  key: string;
  size: number;
}

export interface ListOptions {
  /** Objects fetched per request (S3 MaxKeys, GCS maxResults, FS directory batch). */
  pageSize?: number;
}

/**
 * A streaming writer for one object. It is a `Sink`, so a ParquetWriter can write into it
 * directly: `close()` commits (the object becomes visible, complete, under its key) and
 * `abort()` discards (nothing becomes visible, server-side partial state is removed).
 * Until `close()` resolves, nothing is visible under the key; a failed writer never leaves
 * a partial object under the key.
 */
export interface ObjectWriter extends Sink {
  /** Bytes accepted by `write` so far. */
  readonly bytesWritten: number;
}

/**
 * One interface over local files, S3 and GCS. Keys are relative to the store's base
 * (directory or bucket prefix), use `/` as separator and may not contain `..` segments
 * or start with `/`.
 */
export interface ObjectStore {
  readonly kind: StoreKind;
  /** A human-readable location for a key, e.g. `s3://bucket/prefix/key`, used in logs and errors. */
  describe(key: string): string;
  openWriter(key: string, opts?: WriterOptions): Promise<ObjectWriter>;
  /** Writes a small object in one request (checkpoints, manifests). Atomic, retried on transient errors. */
  put(key: string, bytes: Uint8Array, opts?: PutOptions): Promise<void>;
  /**
   * Creates `key` with `bytes` only if no object is there: true when this call created it,
   * false when the key was taken. Atomic against concurrent writers (S3 `If-None-Match: *`,
   * GCS `ifGenerationMatch=0`, FS hard link of a complete temp file), so it can elect one
   * of several processes (leases, plans).
   */
  putIfAbsent(key: string, bytes: Uint8Array, opts?: PutOptions): Promise<boolean>;
  /** Reads a whole object or a range of it. Throws a `StorageError` with code `not_found` when absent. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  /** Size and metadata, or null when the object does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Objects whose key starts with `prefix`, in lexicographic key order, fetched page by page. */
  list(prefix: string, opts?: ListOptions): AsyncIterable<ListEntry>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Writes under `prefix` that started and never committed (S3 multipart uploads, FS temp files). */
  pendingWrites?(prefix: string): Promise<PendingWrite[]>;
  /**
   * Removes the pending writes under `prefix` started before `olderThan` (left by a killed
   * process; S3 parts cost storage), only those whose key `owns` accepts when given (so that
   * writers sharing the prefix keep theirs); returns how many.
   */
  abortPendingUploads?(prefix: string, olderThan?: Date, owns?: (key: string) => boolean): Promise<number>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}
