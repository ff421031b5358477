// Copies a local directory tree into an object store (a generated data lake onto S3 or GCS).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore } from '../../packages/lake/src/storage/index.js';

/** Every file under `root`, as `/`-separated paths relative to it (dot files included). */
export function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const key = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, key));
    else out.push(key);
  }
  return out;
}

/** Uploads every file under `root` (including `.config.json`) to `store` under `prefix/`; returns how many. */
export async function uploadDir(store: ObjectStore, root: string, prefix: string): Promise<number> {
  const keys = listFiles(root);
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let k = queue.shift(); k !== undefined; k = queue.shift()) await store.put(`${prefix}/${k}`, readFileSync(join(root, k)));
    }),
  );
  return keys.length;
}
