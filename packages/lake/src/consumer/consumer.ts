import type { ConsumerMessage } from './message.js';

/** A pipeline component that receives messages (the last link of a pipeline, or a middle one). */
export interface Consumer {
  readonly name: string;
  process(msg: ConsumerMessage | { payload: unknown; metadata?: unknown }): Promise<void>;
  /** Optional: several messages in order in one call, as if process() were called for each. */
  processBatch?(msgs: readonly (ConsumerMessage | { payload: unknown; metadata?: unknown })[]): Promise<void>;
  /** Optional: every message of `ledger` has been delivered (see SaveToParquet.ledgerComplete). */
  ledgerComplete?(ledger: number): Promise<void>;
  close(): Promise<void>;
  /** Chains another consumer after this one: it receives each message this one accepted. */
  subscribe?(next: Consumer): void;
}

export type LogLevel = 'info' | 'debug' | 'warn' | 'error';
export type LogFn = (level: LogLevel, msg: string) => void;

/**
 * processBatch failed at one message: the `accepted` messages before it are kept (a caller
 * resumes from index `accepted`); `cause` is the underlying error (usually storage).
 */
export class BatchError extends Error {
  constructor(
    readonly accepted: number,
    readonly total: number,
    override readonly cause: unknown,
  ) {
    super(
      `${cause instanceof Error ? cause.message : String(cause)} (at message ${accepted + 1} of a batch of ${total}; the ${accepted} before it were accepted)`,
      { cause },
    );
    this.name = 'BatchError';
  }
}
