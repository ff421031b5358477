import { fileURLToPath } from 'node:url';
import { StorageError } from './errors.js';
import { FsStore, expandHome } from './fs-store.js';
import type { ObjectStore } from './object-store.js';
import type { RetryPolicy } from './retry.js';

/**
 * Store configuration as it appears in config files and on the command line (snake_case like
 * the rest of the pipeline config). Everything but `url` is optional.
 */
export interface StoreConfig {
  /** `file:///abs/path`, `file://~/path`, a plain path, `s3://bucket/prefix` or `gs://bucket/prefix`. */
  url: string;
  region?: string;
  endpoint?: string;
  force_path_style?: boolean;
  /** Total attempts per request, including the first (default 5). */
  max_attempts?: number;
  /** Per-request deadline in ms (S3: whole request; GCS: non-streaming requests). */
  request_timeout_ms?: number;
  /** S3: no socket activity for this long fails a request. GCS: a resumable upload with no progress for this long fails. */
  idle_timeout_ms?: number;
  connect_timeout_ms?: number;
  /** S3 multipart part size / GCS simple-upload threshold, in bytes. */
  part_size?: number;
  /** S3 parts in flight per writer. */
  max_in_flight_parts?: number;
  /** S3 static credentials (otherwise the AWS chain); GCS ignores these. */
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  /** S3 and GCS: unsigned requests, no credentials looked up (public buckets). */
  anonymous?: boolean;
  /** GCS: service account key file (otherwise Application Default Credentials). */
  key_filename?: string;
  project_id?: string;
  /** FS: fsync on commit (default true). */
  fsync?: boolean;
}

/**
 * Splits `scheme://bucket/prefix` into bucket and prefix. Parsed by hand: WHATWG URL parsing
 * would silently resolve `..` segments instead of letting us reject them.
 */
function bucketAndPrefix(raw: string, backend: 's3' | 'gcs'): { bucket: string; prefix: string } {
  const rest = raw.replace(/^[a-z0-9]+:\/\//i, '').replace(/[?#].*$/, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : decodeURIComponent(rest.slice(slash + 1));
  if (bucket === '') throw new StorageError({ backend, bucket: '', operation: 'parse url' }, 'invalid', `no bucket in "${raw}"`);
  if (prefix.split('/').some((s) => s === '..' || s === '.')) {
    throw new StorageError({ backend, bucket, operation: 'parse url' }, 'invalid', `"." or ".." in prefix of "${raw}"`);
  }
  return { bucket, prefix };
}

/** The directory a `file:` URL or plain path names, with `~` expanded. */
export function fsRootOf(url: string): string {
  if (url.startsWith('file://~')) return expandHome(decodeURIComponent(url.slice('file://'.length)));
  if (url.startsWith('file:')) return fileURLToPath(url);
  return expandHome(url);
}

function retryOf(cfg: StoreConfig): Partial<RetryPolicy> | undefined {
  return cfg.max_attempts === undefined ? undefined : { maxAttempts: cfg.max_attempts };
}

/**
 * Opens a store from a URL or a config object. S3 and GCS SDKs are imported only when their
 * scheme is used, so a local-only deployment does not need them installed.
 */
export async function openStore(urlOrConfig: string | StoreConfig): Promise<ObjectStore> {
  const cfg: StoreConfig = typeof urlOrConfig === 'string' ? { url: urlOrConfig } : urlOrConfig;
  const raw = cfg.url;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') return new FsStore({ root: fsRootOf(raw), fsync: cfg.fsync });
  if (scheme === 's3') {
    const { bucket, prefix } = bucketAndPrefix(raw, 's3');
    const { S3Store } = await import('./s3-store.js');
    return S3Store.create({
      bucket,
      prefix,
      anonymous: cfg.anonymous,
      region: cfg.region,
      endpoint: cfg.endpoint,
      forcePathStyle: cfg.force_path_style,
      credentials:
        cfg.access_key_id !== undefined && cfg.secret_access_key !== undefined
          ? { accessKeyId: cfg.access_key_id, secretAccessKey: cfg.secret_access_key, sessionToken: cfg.session_token }
          : undefined,
      retry: retryOf(cfg),
      requestTimeoutMs: cfg.request_timeout_ms,
      idleTimeoutMs: cfg.idle_timeout_ms,
      connectTimeoutMs: cfg.connect_timeout_ms,
      partSize: cfg.part_size,
      maxInFlightParts: cfg.max_in_flight_parts,
    });
  }
  if (scheme === 'gs' || scheme === 'gcs') {
    const { bucket, prefix } = bucketAndPrefix(raw, 'gcs');
    const { GcsStore } = await import('./gcs-store.js');
    return GcsStore.create({
      bucket,
      prefix,
      anonymous: cfg.anonymous,
      endpoint: cfg.endpoint,
      projectId: cfg.project_id,
      keyFilename: cfg.key_filename,
      retry: retryOf(cfg),
      requestTimeoutMs: cfg.request_timeout_ms,
      stallTimeoutMs: cfg.idle_timeout_ms,
      resumableThreshold: cfg.part_size,
    });
  }
  throw new StorageError(
    { backend: 'fs', bucket: '', operation: 'parse url' },
    'invalid',
    `unsupported storage URL scheme "${scheme}:" in "${raw}" (use file://, s3:// or gs://)`,
  );
}
