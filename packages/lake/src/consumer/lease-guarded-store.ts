/**
 * The store a shard writes through: every write first checks that the shard's lease is still
 * ours (ShardLease.check), so a process that lost its lease (it stalled past the expiry, or
 * another process took the shard over) stops writing at once, whatever it was doing: a file,
 * a checkpoint, a reject, its progress. Reads pass through.
 */
import { StorageError, type ObjectStore, type ObjectWriter, type PutOptions, type WriterOptions } from '../storage/index.js';

export class LeaseGuardedStore implements ObjectStore {
  private readonly check: (key: string, operation: string) => void;

  /** `lease` throws when the lease is gone; the write then fails as a permanent `permission` error (no retry helps). */
  constructor(
    private readonly inner: ObjectStore,
    lease: () => void,
  ) {
    this.check = (key, operation) => {
      try {
        lease();
      } catch (err) {
        throw new StorageError({ backend: inner.kind, bucket: inner.describe(''), key, operation }, 'permission', (err as Error).message, { cause: err });
      }
    };
  }

  get kind() {
    return this.inner.kind;
  }
  describe(key: string): string {
    return this.inner.describe(key);
  }

  async openWriter(key: string, opts?: WriterOptions): Promise<ObjectWriter> {
    this.check(key, 'openWriter');
    const w = await this.inner.openWriter(key, opts);
    const check = this.check;
    return {
      get bytesWritten() {
        return w.bytesWritten;
      },
      write: (chunk) => w.write(chunk),
      async close() {
        try {
          check(key, 'commit');
        } catch (err) {
          await w.abort(err);
          throw err;
        }
        await w.close();
      },
      abort: (reason) => w.abort(reason),
    };
  }

  async put(key: string, bytes: Uint8Array, opts?: PutOptions): Promise<void> {
    this.check(key, 'put');
    await this.inner.put(key, bytes, opts);
  }

  async putIfAbsent(key: string, bytes: Uint8Array, opts?: PutOptions): Promise<boolean> {
    this.check(key, 'putIfAbsent');
    return this.inner.putIfAbsent(key, bytes, opts);
  }

  async delete(key: string): Promise<void> {
    this.check(key, 'delete');
    await this.inner.delete(key);
  }

  get(...args: Parameters<ObjectStore['get']>) {
    return this.inner.get(...args);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  list(...args: Parameters<ObjectStore['list']>) {
    return this.inner.list(...args);
  }
  pendingWrites(prefix: string) {
    return this.inner.pendingWrites?.(prefix) ?? Promise.resolve([]);
  }

  async abortPendingUploads(prefix: string, olderThan?: Date, owns?: (key: string) => boolean): Promise<number> {
    this.check(prefix, 'abortPendingUploads');
    return this.inner.abortPendingUploads?.(prefix, olderThan, owns) ?? 0;
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
