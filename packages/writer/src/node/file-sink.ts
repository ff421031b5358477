import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Sink } from '../format/sink.js';

/** Writes are gathered into blocks of this size: page headers are tiny and syscalls are not. */
const BLOCK = 1024 * 1024;

/**
 * A file sink with all-or-nothing visibility: bytes go to a temporary file beside the
 * target; close() fsyncs it, renames it over the final name (atomic on POSIX) and fsyncs
 * the directory so the rename survives a crash; abort() deletes the temporary file.
 */
export class NodeFileSink implements Sink {
  readonly tempPath: string;
  private handle: FileHandle | undefined;
  private block = new Uint8Array(BLOCK);
  private used = 0;
  private done = false;

  constructor(readonly path: string) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  private async file(): Promise<FileHandle> {
    this.handle ??= await open(this.tempPath, 'wx');
    return this.handle;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new Error(`${this.path}: write after close/abort`);
    if (chunk.length >= BLOCK) {
      await this.drain();
      await writeAll(await this.file(), chunk);
      return;
    }
    if (this.used + chunk.length > BLOCK) await this.drain();
    this.block.set(chunk, this.used);
    this.used += chunk.length;
  }

  private async drain(): Promise<void> {
    if (this.used === 0) return;
    await writeAll(await this.file(), this.block.subarray(0, this.used));
    this.used = 0;
  }

  async close(): Promise<void> {
    if (this.done) return;
    try {
      await this.drain();
      const fh = await this.file();
      await fh.sync();
      await fh.close();
      this.handle = undefined;
      await rename(this.tempPath, this.path);
      await syncDirectory(dirname(this.path));
      this.done = true;
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    this.used = 0;
    const fh = this.handle;
    this.handle = undefined;
    await fh?.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}

/** fsync a directory so a rename inside it is durable (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync directories; the rename still happened.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
