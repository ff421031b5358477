/**
 * Where an open file's encoded bytes wait until the file is complete.
 *
 * Why not stream straight into `store.openWriter(key)`: the key names the file's last ledger
 * (`<table>-<first>-<last>.parquet`), which is known only when the file rotates, and object
 * stores have no rename. So the ParquetWriter streams into a StagingSink instead, and at
 * rotation the staged bytes are streamed into the store's (multipart / resumable) writer under
 * the final key. Staged bytes stay in memory up to `memoryLimit`, beyond that they spill to a
 * temporary file, so memory does not grow with max_file_size_mb. They are kept until the
 * commit succeeds: a failed upload is replayed from them, so nothing buffered is lost.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sink } from 'cdp-parquet';
import { concatBytes } from '../storage/concat-bytes.js';

const DEFAULT_STAGING_MEMORY = 16 * 1024 * 1024;
const READ_CHUNK = 4 * 1024 * 1024;
/** In-memory pieces are replayed in blocks of up to this size. */
const REPLAY_BLOCK = 4 * 1024 * 1024;

export class StagingSink implements Sink {
  private chunks: Uint8Array[] = [];
  private memBytes = 0;
  private file: FileHandle | undefined;
  private path: string | undefined;
  private size = 0;
  private state: 'open' | 'closed' | 'disposed' = 'open';

  constructor(
    private readonly dir: string = join(tmpdir(), 'cdp-parquet-staging'),
    private readonly memoryLimit = DEFAULT_STAGING_MEMORY,
  ) {}

  get bytes(): number {
    return this.size;
  }

  get spilled(): boolean {
    return this.path !== undefined;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new Error(`staging sink is ${this.state}`);
    this.size += chunk.length;
    if (this.file === undefined && this.memBytes + chunk.length <= this.memoryLimit) {
      this.chunks.push(chunk);
      this.memBytes += chunk.length;
      return;
    }
    if (this.file === undefined) {
      await mkdir(this.dir, { recursive: true });
      this.path = join(this.dir, `${process.pid}-${randomUUID()}.parquet.part`);
      this.file = await open(this.path, 'w');
      for (const c of this.chunks) await this.file.write(c);
      this.chunks = [];
      this.memBytes = 0;
    }
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    await this.file?.close();
    this.file = undefined;
  }

  async abort(): Promise<void> {
    await this.dispose();
  }

  /** Streams the staged bytes into `target` and closes it (= commits, for an ObjectWriter). */
  async replayInto(target: Sink): Promise<void> {
    if (this.state !== 'closed') throw new Error(`staging sink is ${this.state}, expected closed`);
    try {
      if (this.path === undefined) {
        // The writer stages a file as hundreds of small pieces (page headers, pages, index,
        // footer); handed over one by one, each would cost the target an I/O round (a turn
        // of the event loop for a file, a request for some stores). Coalesced into blocks.
        for (const block of coalesce(this.chunks, REPLAY_BLOCK)) await target.write(block);
      } else {
        const fh = await open(this.path, 'r');
        try {
          for (let pos = 0; pos < this.size;) {
            // A fresh buffer per chunk: sinks may keep chunks without copying.
            const buf = new Uint8Array(Math.min(READ_CHUNK, this.size - pos));
            const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
            if (bytesRead === 0) throw new Error(`staged file ${this.path} is shorter than expected`);
            await target.write(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
            pos += bytesRead;
          }
        } finally {
          await fh.close();
        }
      }
      await target.close();
    } catch (err) {
      await target.abort(err).catch(() => undefined);
      throw err;
    }
  }

  /** All staged bytes as one array (dry runs and tests; not for large files). */
  async toBytes(): Promise<Uint8Array> {
    const out = new Uint8Array(this.size);
    let off = 0;
    await this.replayInto({
      write: (c) => {
        out.set(c, off);
        off += c.length;
      },
      close: async () => undefined,
      abort: async () => undefined,
    });
    return out;
  }

  async dispose(): Promise<void> {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.chunks = [];
    await this.file?.close().catch(() => undefined);
    this.file = undefined;
    if (this.path !== undefined) await rm(this.path, { force: true });
  }
}

/** Joins consecutive small chunks into fresh blocks of at most `block` bytes; large chunks pass as they are. */
export function* coalesce(chunks: readonly Uint8Array[], block: number): Generator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = function* (): Generator<Uint8Array> {
    if (pending.length > 0) yield concatBytes(pending, size);
    pending = [];
    size = 0;
  };
  for (const c of chunks) {
    if (size + c.length > block) yield* flush();
    pending.push(c);
    size += c.length;
  }
  yield* flush();
}
