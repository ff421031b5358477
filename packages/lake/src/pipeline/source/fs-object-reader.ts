import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectInfo, ObjectReader } from './object-reader.js';
import { ObjectNotFoundError } from './object-reader.js';

/**
 * ObjectReader over a local directory: keys are `/`-separated paths relative to `root`,
 * exactly as they would be in a bucket, so the same layout code serves FS and clouds.
 */
export class FsObjectReader implements ObjectReader {
  constructor(readonly root: string) {}

  async get(key: string): Promise<Uint8Array> {
    try {
      const buf = await readFile(join(this.root, ...key.split('/')));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key, { cause: err });
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Walk only the directory that can contain the prefix, not the whole tree.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    yield* this.walk(dirKey, prefix);
  }

  private async *walk(dirKey: string, prefix: string): AsyncIterable<ObjectInfo> {
    let entries;
    try {
      entries = await readdir(join(this.root, ...dirKey.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const key = dirKey ? `${dirKey}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        // Descend when the directory could hold keys with the prefix.
        if (key.startsWith(prefix) || prefix.startsWith(key + '/')) yield* this.walk(key, prefix);
      } else if (ent.isFile() && key.startsWith(prefix)) {
        const st = await stat(join(this.root, ...key.split('/')));
        yield { key, size: st.size };
      }
    }
  }
}
