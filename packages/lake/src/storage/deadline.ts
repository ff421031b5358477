import { StorageTimeoutError } from './errors.js';

/**
 * Rejects with a StorageTimeoutError if `p` has not settled within `ms`. Used around SDK calls
 * whose own timeouts do not cover every phase (a stalled server can otherwise hang a caller
 * forever); the late result, if any, is dropped.
 */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new StorageTimeoutError(`${what}: no response within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
