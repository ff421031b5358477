import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsc, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { StorageError, toStorageError, type StorageErrorContext } from './errors.js';
import { checkKey } from './keys.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, ObjectWriter, PendingWrite, PutOptions, WriterOptions } from './object-store.js';

/**
 * Names the FS backend reserves inside the tree: temp files of writers in progress. They
 * never show in `list` and keys may not use the prefix, so no user object can collide with
 * them. (Earlier versions also kept `.cdp-meta-<name>.json` sidecars there; `delete` still
 * removes one with its object.)
 */
const RESERVED = '.cdp-';
const TMP = `${RESERVED}tmp-`;
const LEGACY_META = `${RESERVED}meta-`;

export interface FsStoreOptions {
  /** Base directory; `~` and `~/...` are expanded. Created on first write. */
  root: string;
  /** fsync files and directories on commit (default true). Off only for throwaway data and benches. */
  fsync?: boolean;
}

export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return path.join(homedir(), p.slice(2));
  return p;
}

/**
 * Content types the FS store reports, from the file name: a directory of files has no place
 * for custom metadata that users would not see in the tree, so the FS store keeps none and
 * `head()` answers with what the name says (the contract tests allow for it).
 */
const CONTENT_TYPES: Record<string, string> = {
  '.parquet': 'application/vnd.apache.parquet',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
};

export function contentTypeOfName(name: string): string | undefined {
  return CONTENT_TYPES[path.extname(name).toLowerCase()];
}

async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await fsp.open(dir, fsc.O_RDONLY);
    await fh.sync();
  } catch (err) {
    // Some filesystems cannot fsync a directory; the rename is still atomic there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/** A temp file beside `target`, named after it and the writing process (see abortPendingUploads). */
function tempName(target: string): string {
  return path.join(path.dirname(target), `${TMP}${path.basename(target)}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Local directory store: atomic commits by temp file + fsync + rename in the target directory.
 * Content type and user metadata given to a write are not stored (see contentTypeOfName).
 */
export class FsStore implements ObjectStore {
  readonly kind = 'fs' as const;
  readonly root: string;
  private readonly fsync: boolean;

  constructor(opts: FsStoreOptions) {
    this.root = path.resolve(expandHome(opts.root));
    this.fsync = opts.fsync ?? true;
  }

  describe(key: string): string {
    return path.join(this.root, key);
  }

  private ctx(operation: string, key?: string): StorageErrorContext {
    return { backend: 'fs', bucket: this.root, key, operation };
  }

  /** Resolves a key to a path, refusing anything that could land outside the root. */
  private pathOf(key: string, operation: string): string {
    checkKey(key, this.ctx(operation));
    if (key.split('/').some((s) => s.startsWith(RESERVED))) {
      throw new StorageError(this.ctx(operation, key), 'invalid', `invalid key: segments starting with "${RESERVED}" are reserved`);
    }
    const p = path.resolve(this.root, key);
    if (!p.startsWith(this.root + path.sep)) throw new StorageError(this.ctx(operation, key), 'invalid', 'invalid key: escapes the base directory');
    return p;
  }

  /** mkdir -p, then fsync the parents of every directory it created so the new entries survive a crash. */
  private async ensureDir(dir: string): Promise<void> {
    const first = await fsp.mkdir(dir, { recursive: true });
    if (first === undefined || !this.fsync) return;
    for (let d = dir; ; d = path.dirname(d)) {
      await fsyncDir(path.dirname(d));
      if (d === first || d === path.dirname(d)) break;
    }
  }

  /**
   * Creates a temp file beside `target`. A delete prunes directories it empties (as an object
   * store has none), so one may vanish while it is made (its parent's fsync) or before the
   * open: then make it again.
   * Once the temp file exists its directory is not empty and stays.
   */
  private async openTemp(target: string): Promise<{ fh: FileHandle; tmp: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureDir(path.dirname(target));
        const tmp = tempName(target);
        return { fh: await fsp.open(tmp, 'wx', 0o644), tmp };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 10) throw err;
      }
    }
  }

  async openWriter(key: string, _opts: WriterOptions = {}): Promise<ObjectWriter> {
    const target = this.pathOf(key, 'openWriter');
    try {
      const { fh, tmp } = await this.openTemp(target);
      return new FsObjectWriter(this, fh, tmp, target, this.ctx('write', key));
    } catch (err) {
      throw toStorageError(err, this.ctx('openWriter', key));
    }
  }

  /** @internal Called by the writer on close: data, then the directory. */
  async commit(fh: FileHandle, tmp: string, target: string): Promise<void> {
    if (this.fsync) await fh.sync();
    await fh.close();
    await fsp.rename(tmp, target);
    if (this.fsync) await fsyncDir(path.dirname(target));
  }

  /**
   * A complete temp file is hard-linked under the key: link(2) fails with EEXIST when the
   * name is taken, so exactly one of several writers creates it, and readers never see it
   * partly written.
   */
  async putIfAbsent(key: string, bytes: Uint8Array, _opts: PutOptions = {}): Promise<boolean> {
    const target = this.pathOf(key, 'putIfAbsent');
    let tmp: string | undefined;
    try {
      const opened = await this.openTemp(target);
      tmp = opened.tmp;
      const fh = opened.fh;
      try {
        await fh.writeFile(bytes);
        if (this.fsync) await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await fsp.link(tmp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
      if (this.fsync) await fsyncDir(path.dirname(target));
      return true;
    } catch (err) {
      throw toStorageError(err, this.ctx('putIfAbsent', key));
    } finally {
      if (tmp !== undefined) await this.removeTemp(tmp).catch(() => undefined);
    }
  }

  async put(key: string, bytes: Uint8Array, opts: PutOptions = {}): Promise<void> {
    const w = await this.openWriter(key, opts);
    try {
      await w.write(bytes);
    } catch (err) {
      await w.abort(err);
      throw err;
    }
    await w.close();
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const p = this.pathOf(key, 'get');
    let fh: FileHandle | undefined;
    try {
      fh = await fsp.open(p, 'r');
      const size = (await fh.stat()).size;
      const [start, end] = resolveRange(range, size, this.ctx('get', key));
      const out = new Uint8Array(end - start);
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await fh.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === out.length ? out : out.subarray(0, done);
    } catch (err) {
      throw toStorageError(err, this.ctx('get', key));
    } finally {
      await fh?.close();
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const p = this.pathOf(key, 'head');
    try {
      const st = await fsp.stat(p);
      if (!st.isFile()) return null;
      return { size: st.size, metadata: {}, contentType: contentTypeOfName(p) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw toStorageError(err, this.ctx('head', key));
    }
  }

  async *list(prefix: string, _opts: ListOptions = {}): AsyncIterable<ListEntry> {
    checkKey(prefix, this.ctx('list'), true);
    // Walk only the deepest directory the prefix names, then filter by the rest of it.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    yield* this.walk(dirKey, prefix);
  }

  /** A directory's entries; none when it does not exist (a prefix may name nothing yet). */
  private async entries(dirKey: string, operation: string): Promise<Dirent[]> {
    try {
      return await fsp.readdir(path.join(this.root, dirKey), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw toStorageError(err, this.ctx(operation, dirKey));
    }
  }

  private async *walk(dirKey: string, prefix: string): AsyncGenerator<ListEntry> {
    const entries = await this.entries(dirKey, 'list');
    // Sorting directories as "name/" yields keys in the same byte order S3 and GCS list them.
    const named = entries
      .filter((e) => !e.name.startsWith(RESERVED) && (e.isFile() || e.isDirectory()))
      .map((e) => ({ e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { e, sortKey } of named) {
      const key = dirKey + sortKey;
      if (e.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(key)) yield* this.walk(key, prefix);
      } else if (key.startsWith(prefix)) {
        const st = await fsp.stat(path.join(this.root, key)).catch(() => undefined);
        if (st !== undefined) yield { key, size: st.size };
      }
    }
  }

  /** Temp files of writes that never committed (a killed process) under `prefix`, named by the key they were for. */
  async pendingWrites(prefix: string): Promise<PendingWrite[]> {
    checkKey(prefix, this.ctx('pendingWrites'), true);
    const slash = prefix.lastIndexOf('/');
    const out: PendingWrite[] = [];
    await this.findTemps(slash >= 0 ? prefix.slice(0, slash + 1) : '', prefix, out);
    return out;
  }

  private async findTemps(dirKey: string, prefix: string, out: PendingWrite[]): Promise<void> {
    for (const e of await this.entries(dirKey, 'pendingWrites')) {
      if (e.isDirectory() && !e.name.startsWith(RESERVED)) {
        const key = `${dirKey}${e.name}/`;
        if (key.startsWith(prefix) || prefix.startsWith(key)) await this.findTemps(key, prefix, out);
        continue;
      }
      const m = /^\.cdp-tmp-(.+?)(?:-(\d+))?-[0-9a-f]{12}$/.exec(e.name);
      if (!e.isFile() || m === null) continue;
      const key = dirKey + m[1]!;
      if (!key.startsWith(prefix)) continue;
      const st = await fsp.stat(path.join(this.root, dirKey, e.name)).catch(() => undefined);
      if (st !== undefined) out.push({ key, id: `${dirKey}${e.name}`, started: st.mtime, pid: m[2] === undefined ? undefined : Number(m[2]) });
    }
  }

  /**
   * Removes temp files a killed writer left under `prefix`: started before `olderThan`, by a
   * process no longer running here (the name carries its id), and, given `owns`, for keys it
   * accepts, so that concurrent writers keep theirs; returns how many.
   */
  async abortPendingUploads(prefix = '', olderThan: Date = new Date(), owns?: (key: string) => boolean): Promise<number> {
    let n = 0;
    for (const w of await this.pendingWrites(prefix)) {
      if ((w.started !== undefined && w.started >= olderThan) || (owns !== undefined && !owns(w.key))) continue;
      if (w.pid !== undefined && processAlive(w.pid)) continue;
      await this.removeTemp(path.join(this.root, w.id));
      n++;
    }
    return n;
  }

  async delete(key: string): Promise<void> {
    const p = this.pathOf(key, 'delete');
    try {
      await fsp.rm(p, { force: true });
      await fsp.rm(path.join(path.dirname(p), `${LEGACY_META}${path.basename(p)}.json`), { force: true });
    } catch (err) {
      throw toStorageError(err, this.ctx('delete', key));
    }
    await this.pruneEmptyDirs(path.dirname(p));
  }

  /**
   * @internal Removes a temp file (a discarded write's, or a dead writer's), then the
   * directories it leaves empty.
   */
  async removeTemp(tmp: string): Promise<void> {
    await fsp.rm(tmp, { force: true });
    await this.pruneEmptyDirs(path.dirname(tmp));
  }

  /**
   * Removes the directories a delete or a discarded write left empty, up to the root: in an
   * object store a prefix exists only while a key has it, and listings here must agree.
   * rmdir(2) refuses a directory that is not empty, so a concurrent writer's temp file keeps
   * its directory.
   */
  private async pruneEmptyDirs(dir: string): Promise<void> {
    for (let d = dir; d !== this.root && d.startsWith(this.root + path.sep); d = path.dirname(d)) {
      try {
        await fsp.rmdir(d);
      } catch {
        return;
      }
    }
  }
}

/** [start, end) for a range request; semantics match S3 (a suffix longer than the object returns all of it). */
function resolveRange(range: ByteRange | undefined, size: number, ctx: StorageErrorContext): [number, number] {
  if (range === undefined) return [0, size];
  if ('suffix' in range) {
    if (!Number.isInteger(range.suffix) || range.suffix < 0) throw new StorageError(ctx, 'invalid', `bad suffix range ${range.suffix}`);
    return [Math.max(0, size - range.suffix), size];
  }
  const { offset, length } = range;
  if (!Number.isInteger(offset) || offset < 0 || (length !== undefined && (!Number.isInteger(length) || length < 0))) {
    throw new StorageError(ctx, 'invalid', `bad range offset=${offset} length=${length}`);
  }
  if (offset > size || (offset === size && size > 0 && length !== 0))
    throw new StorageError(ctx, 'precondition', `range start ${offset} is past the end of a ${size}-byte object`);
  return [offset, length === undefined ? size : Math.min(size, offset + length)];
}

class FsObjectWriter implements ObjectWriter {
  bytesWritten = 0;
  private state: 'open' | 'closed' | 'aborted' | 'failed' = 'open';

  constructor(
    private readonly store: FsStore,
    private readonly fh: FileHandle,
    private readonly tmp: string,
    private readonly target: string,
    private readonly ctx: StorageErrorContext,
  ) {}

  private assertOpen(op: string): void {
    if (this.state !== 'open') throw new StorageError({ ...this.ctx, operation: op }, 'invalid', `writer is ${this.state}`);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.assertOpen('write');
    try {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
      this.bytesWritten += chunk.length;
    } catch (err) {
      this.state = 'failed';
      await this.discard();
      throw toStorageError(err, this.ctx);
    }
  }

  async close(): Promise<void> {
    this.assertOpen('close');
    this.state = 'closed';
    try {
      await this.store.commit(this.fh, this.tmp, this.target);
    } catch (err) {
      this.state = 'failed';
      await this.discard();
      throw toStorageError(err, { ...this.ctx, operation: 'commit' });
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted' || this.state === 'closed') return;
    this.state = 'aborted';
    await this.discard();
  }

  private async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await this.store.removeTemp(this.tmp).catch(() => undefined);
  }
}
