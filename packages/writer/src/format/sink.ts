/**
 * Where a ParquetWriter sends its bytes. The writer calls `write` in file order as
 * pages and row groups complete, then exactly one of `close` (the file is complete and
 * must become durable and visible under its final name) or `abort` (discard: nothing
 * may remain visible under the final name).
 *
 * The writer hands over ownership of each chunk: it never mutates a chunk after `write`
 * was called with it, so a sink may keep chunks without copying them. A returned promise
 * is backpressure: the writer waits for it before writing more.
 */
export interface Sink {
  write(chunk: Uint8Array): Promise<void> | void;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
