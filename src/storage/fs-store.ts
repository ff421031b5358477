import { randomBytes } from 'node:crypto';
import { promises as fsp, constants as fsc } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { StorageError, toStorageError, type StorageErrorContext } from './errors.js';
import { checkKey } from './keys.js';
import type { ByteRange, ListEntry, ListOptions, ObjectInfo, ObjectStore, ObjectWriter, PutOptions, WriterOptions } from './object-store.js';

/**
 * Names the FS backend reserves inside the tree: temp files of writers in progress and
 * metadata sidecars. They never show in `list` and keys may not use the prefix, so no user
 * object can collide with them.
 */
const RESERVED = '.cdp-';
const TMP = `${RESERVED}tmp-`;
const META = `${RESERVED}meta-`;

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

interface Sidecar {
  contentType?: string;
  metadata: Record<string, string>;
}

function lowerKeys(m: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k.toLowerCase()] = v;
  return out;
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

/** Local directory store: atomic commits by temp file + fsync + rename in the target directory. */
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

  private metaPathOf(p: string): string {
    return path.join(path.dirname(p), `${META}${path.basename(p)}.json`);
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

  async openWriter(key: string, opts: WriterOptions = {}): Promise<ObjectWriter> {
    const target = this.pathOf(key, 'openWriter');
    try {
      await this.ensureDir(path.dirname(target));
      const tmp = path.join(path.dirname(target), `${TMP}${path.basename(target)}-${randomBytes(6).toString('hex')}`);
      const fh = await fsp.open(tmp, 'wx', 0o644);
      return new FsObjectWriter(this, fh, tmp, target, opts, this.ctx('write', key));
    } catch (err) {
      throw toStorageError(err, this.ctx('openWriter', key));
    }
  }

  /** @internal Called by the writer on close: sidecar, then data, then the directory. */
  async commit(fh: FileHandle, tmp: string, target: string, opts: PutOptions): Promise<void> {
    if (this.fsync) await fh.sync();
    await fh.close();
    const metaPath = this.metaPathOf(target);
    const hasMeta = opts.contentType !== undefined || Object.keys(opts.metadata ?? {}).length > 0;
    if (hasMeta) {
      const sidecar: Sidecar = { contentType: opts.contentType, metadata: lowerKeys(opts.metadata) };
      const metaTmp = `${tmp}.meta`;
      const mfh = await fsp.open(metaTmp, 'wx', 0o644);
      try {
        await mfh.writeFile(JSON.stringify(sidecar));
        if (this.fsync) await mfh.sync();
      } finally {
        await mfh.close();
      }
      await fsp.rename(metaTmp, metaPath);
    } else {
      // An overwrite without metadata must not inherit the previous object's sidecar.
      await fsp.rm(metaPath, { force: true });
    }
    await fsp.rename(tmp, target);
    if (this.fsync) await fsyncDir(path.dirname(target));
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
      let sidecar: Sidecar = { metadata: {} };
      try {
        sidecar = JSON.parse(await fsp.readFile(this.metaPathOf(p), 'utf8')) as Sidecar;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      return { size: st.size, metadata: sidecar.metadata ?? {}, contentType: sidecar.contentType };
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

  private async *walk(dirKey: string, prefix: string): AsyncGenerator<ListEntry> {
    let entries;
    try {
      entries = await fsp.readdir(path.join(this.root, dirKey), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw toStorageError(err, this.ctx('list', dirKey));
    }
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

  async delete(key: string): Promise<void> {
    const p = this.pathOf(key, 'delete');
    try {
      await fsp.rm(p, { force: true });
      await fsp.rm(this.metaPathOf(p), { force: true });
    } catch (err) {
      throw toStorageError(err, this.ctx('delete', key));
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
  if (offset > size || (offset === size && size > 0 && length !== 0)) throw new StorageError(ctx, 'precondition', `range start ${offset} is past the end of a ${size}-byte object`);
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
    private readonly opts: PutOptions,
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
      await this.store.commit(this.fh, this.tmp, this.target, this.opts);
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
    await fsp.rm(this.tmp, { force: true }).catch(() => undefined);
    await fsp.rm(`${this.tmp}.meta`, { force: true }).catch(() => undefined);
  }
}
