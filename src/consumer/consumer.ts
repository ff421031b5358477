import type { PipelineMessage } from '../pipeline/message.js';

/** A pipeline component that receives messages (the last link of a pipeline, or a middle one). */
export interface Consumer {
  readonly name: string;
  process(msg: PipelineMessage | { payload: unknown; metadata?: unknown }): Promise<void>;
  close(): Promise<void>;
  /** Chains another consumer after this one: it receives each message this one accepted. */
  subscribe?(next: Consumer): void;
}

export type LogLevel = 'info' | 'debug' | 'warn' | 'error';
export type LogFn = (level: LogLevel, msg: string) => void;
