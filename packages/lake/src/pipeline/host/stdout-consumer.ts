import type { Writable } from 'node:stream';
import type { PipelineMessage } from '../message.js';
import type { TableCatalog } from '../../consumer/table-catalog.js';
import { rowToJson } from '../../datasets/json-row.js';
import { asBuffer } from '../../stellar/buffer-view.js';

/**
 * Writes each message as one JSON line `{payload, metadata}` that JSONLSource (and the
 * consumer's JSON path) reads back, so two processes can be chained through a pipe. Rows of
 * known tables are written as their columns say (rowToJson: timestamps as ISO text, bytes as
 * base64); anything else with bytes as base64 and bigints as decimal text.
 */
export class StdoutConsumer {
  readonly name = 'StdoutConsumer';
  private written = 0;

  constructor(
    private readonly out: Writable,
    private readonly pretty = false,
    private readonly catalog?: TableCatalog,
  ) {}

  async process(msg: PipelineMessage): Promise<void> {
    const { table, profile, ledger_close_time: close } = msg.metadata;
    const def = this.catalog?.find(table, profile);
    const payload = def !== undefined ? rowToJson(def, msg.payload) : msg.payload;
    const metadata = typeof close === 'number' ? { ...msg.metadata, ledger_close_time: new Date(close * 1000).toISOString() } : msg.metadata;
    const line = JSON.stringify({ payload, metadata }, replacer, this.pretty ? 2 : undefined) + '\n';
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
