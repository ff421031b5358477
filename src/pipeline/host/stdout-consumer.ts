import type { Writable } from 'node:stream';
import type { PipelineMessage } from '../message.js';
import { asBuffer } from '../../stellar/buffer-view.js';

/**
 * Writes each message as one JSON line `{payload, metadata}`: bytes as base64 and bigints
 * as decimal strings, which is exactly what JSONLSource (and the consumer's JSON path)
 * reads back, so two processes can be chained through a pipe.
 */
export class StdoutConsumer {
  readonly name = 'StdoutConsumer';
  private written = 0;

  constructor(private readonly out: Writable, private readonly pretty = false) {}

  async process(msg: PipelineMessage): Promise<void> {
    const line = JSON.stringify(msg, replacer, this.pretty ? 2 : undefined) + '\n';
    this.written++;
    if (!this.out.write(line)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    // stdout is not ours to end; just let pending writes drain.
  }

  getMetrics(): Record<string, number> {
    return { messages_written: this.written };
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return asBuffer(value).toString('base64');
  return value;
}
