import type { Sink } from '../sink.js';

/** Collects the file in memory; `bytes()` joins the chunks once the writer has closed. */
export class MemorySink implements Sink {
  private chunks: Uint8Array[] = [];
  private length = 0;
  closed = false;
  aborted = false;

  write(chunk: Uint8Array): void {
    if (this.closed || this.aborted) throw new Error('MemorySink: write after close/abort');
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async abort(): Promise<void> {
    this.aborted = true;
    this.chunks = [];
    this.length = 0;
  }

  bytes(): Uint8Array {
    if (this.chunks.length !== 1) {
      const all = new Uint8Array(this.length);
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }
}
