// The folders follow the data path: a folder imports only folders below it, so the layers
// can be read (and packaged) bottom up. Checked on the import statements of src/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * Layers, lowest first. A module may import its own layer and any layer listed before it.
 * Top-level files are entry points (index.ts, node.ts) or leaves (version.ts, closest-name.ts).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['version.ts', 'closest-name.ts'],
  ['encoding'],
  ['codecs'],
  ['format'],
  ['node', 'storage', 'stellar'],
  ['consumer'],
  ['datasets', 'backfill'],
  ['pipeline'],
  ['cli'],
  ['index.ts', 'node.ts'],
];

const rank = new Map<string, number>(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as [string, number])));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The top-level folder (or file) of a path inside src/. */
const unit = (path: string): string => relative(SRC, path).split('/')[0]!.replace(/\.js$/, '.ts');

test('no folder of src/ imports a folder above it (no upward imports, so no folder cycles)', () => {
  const violations: string[] = [];
  let edges = 0;
  for (const file of files(SRC)) {
    const from = unit(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const to = unit(resolve(dirname(file), m[1]!));
      if (to === from) continue;
      edges++;
      const rf = rank.get(from);
      const rt = rank.get(to);
      if (rf === undefined || rt === undefined) violations.push(`${relative(SRC, file)}: ${from} or ${to} is in no layer (add it to LAYERS)`);
      else if (rt > rf) violations.push(`${relative(SRC, file)} (${from}) imports ${m[1]} (${to}, a higher layer)`);
    }
  }
  assert.ok(edges > 50, `read ${edges} cross-folder imports`);
  assert.deepEqual(violations, []);
});
