import { StorageError, classifyError, isTransientCode, toStorageError, type StorageErrorContext } from './errors.js';

/** How many times and how patiently an operation is retried. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retries. */
  maxAttempts: number;
  /** Cap of the first backoff window in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Upper bound of any backoff window in ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * "Full jitter" backoff: a uniform delay in [0, min(max, base * 2^n)). Spreading retries over
 * the whole window keeps many writers that failed together from hammering a recovering server
 * in lock-step.
 */
export function backoffDelay(policy: RetryPolicy, retryIndex: number, random: () => number = Math.random): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * window);
}

export interface RetryHooks {
  /** Stops retrying early (e.g. the writer was aborted). */
  signal?: AbortSignal;
  /** Called before each backoff sleep; for logs and tests. */
  onRetry?: (error: StorageError, attempt: number, delayMs: number) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, fails permanently, or runs out of attempts. The final error is
 * always a StorageError naming backend, bucket, key, operation and the number of attempts.
 * `fn` must be safe to repeat: callers pass functions that re-send bytes they still hold.
 */
export async function withRetry<T>(ctx: StorageErrorContext, policy: RetryPolicy, fn: (attempt: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const max = Math.max(1, Math.floor(policy.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const code = classifyError(err);
      const last = attempt >= max || !isTransientCode(code) || hooks.signal?.aborted === true;
      if (last) throw toStorageError(err, ctx, attempt);
      const delay = backoffDelay(policy, attempt - 1);
      hooks.onRetry?.(toStorageError(err, ctx, attempt), attempt, delay);
      await sleep(delay, hooks.signal);
    }
  }
}
