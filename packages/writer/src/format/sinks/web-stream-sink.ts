import type { Sink } from '../sink.js';

/**
 * Adapts a WHATWG WritableStream (browsers, Deno, Node's stream/web) as a Sink. Writes
 * wait for the stream's backpressure; abort() aborts the stream so its underlying sink
 * can discard what it received.
 */
export class WritableStreamSink implements Sink {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;

  constructor(stream: WritableStream<Uint8Array>) {
    this.writer = stream.getWriter();
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.writer.ready;
    await this.writer.write(chunk);
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  async abort(reason?: unknown): Promise<void> {
    await this.writer.abort(reason);
  }
}
