// Public API of the storage layer. Backends are re-exported as types plus classes; the S3 and
// GCS classes load their SDKs lazily in create(), so importing this module never needs them.
export type {
  ObjectStore,
  ObjectWriter,
  ObjectInfo,
  ListEntry,
  ListOptions,
  PutOptions,
  WriterOptions,
  ByteRange,
  StoreKind,
  PendingWrite,
} from './object-store.js';
export { StorageError, StorageTimeoutError, classifyError, type StorageErrorCode, type StorageErrorContext } from './errors.js';
export { DEFAULT_RETRY, backoffDelay, withRetry, type RetryPolicy, type RetryHooks } from './retry.js';
export { FsStore, expandHome, contentTypeOfName, type FsStoreOptions } from './fs-store.js';
export type { CloudStoreOptions } from './cloud-store.js';
export { S3Store, type S3StoreOptions, type PendingUpload } from './s3-store.js';
export { GcsStore, type GcsStoreOptions } from './gcs-store.js';
export { partSizeFor, DEFAULT_PART_SIZE, DEFAULT_MAX_IN_FLIGHT } from './s3-writer.js';
export { openStore, fsRootOf, type StoreConfig } from './url.js';
