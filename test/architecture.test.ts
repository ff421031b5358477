// The folders follow the data path: a folder imports only folders below it, so the layers
// can be read (and packaged) bottom up. Two packages: the writer (npm `cdp-parquet`) at the
// bottom, and the lake (`@cdp-parquet/lake`) on top of it, which reaches the writer only
// through the writer's published entry points. Checked on the import statements of both.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRITER = join(ROOT, 'packages/writer');
const LAKE = join(ROOT, 'packages/lake');

/**
 * Layers of each package, lowest first. A module may import its own layer and any layer
 * listed before it. Top-level files are entry points (index.ts, node.ts, ...) or leaves.
 */
const LAYERS: Record<string, readonly (readonly string[])[]> = {
  [WRITER]: [['version.ts'], ['encoding'], ['codecs'], ['format'], ['node'], ['index.ts', 'node.ts', 'footer.ts', 'zstd.ts']],
  [LAKE]: [['closest-name.ts'], ['storage', 'stellar'], ['consumer'], ['datasets', 'backfill'], ['pipeline'], ['cli']],
};

interface PackageJson {
  name: string;
  exports: Record<string, string | { types: string; default: string }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const packageJson = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every import specifier of a file: static, dynamic and re-exports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\(\s*)'([^']+)'/g)].map((m) => m[1]!);
}

/** The top-level folder (or file) of a path inside a package's src/. */
const unit = (src: string, path: string): string => relative(src, path).split('/')[0]!.replace(/\.js$/, '.ts');

/** A bare specifier's package name (`@scope/name` or `name`). */
const packageOf = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const BUILTINS = new Set(builtinModules);
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || BUILTINS.has(spec);

test('within each package, no folder imports a folder above it, and relative imports stay inside the package', () => {
  const violations: string[] = [];
  let edges = 0;
  for (const [pkg, layers] of Object.entries(LAYERS)) {
    const src = join(pkg, 'src');
    const rank = new Map<string, number>(layers.flatMap((names, i) => names.map((n) => [n, i] as [string, number])));
    for (const file of files(src)) {
      const from = unit(src, file);
      for (const spec of specifiers(file).filter((s) => s.startsWith('.'))) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(src + '/')) {
          violations.push(`${relative(ROOT, file)} imports ${spec}, outside its package's src/ (the writer is reached as 'cdp-parquet')`);
          continue;
        }
        const to = unit(src, target);
        if (to === from) continue;
        edges++;
        const rf = rank.get(from);
        const rt = rank.get(to);
        if (rf === undefined || rt === undefined) violations.push(`${relative(ROOT, file)}: ${from} or ${to} is in no layer (add it to LAYERS)`);
        else if (rt > rf) violations.push(`${relative(ROOT, file)} (${from}) imports ${spec} (${to}, a higher layer)`);
      }
    }
  }
  assert.ok(edges > 50, `read ${edges} cross-folder imports`);
  assert.deepEqual(violations, []);
});

test('the writer imports only Node built-ins (loaded on demand) and its three dependencies, which are all it declares', () => {
  const pkg = packageJson(WRITER);
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ['@bokuweb/zstd-wasm', 'fflate', 'lz4js']);
  assert.equal(pkg.optionalDependencies, undefined, 'npm installs optional dependencies by default');
  assert.equal(pkg.peerDependencies, undefined);
  const violations: string[] = [];
  for (const file of files(join(WRITER, 'src'))) {
    for (const spec of specifiers(file).filter((s) => !s.startsWith('.'))) {
      if (!isBuiltin(spec) && !(packageOf(spec) in pkg.dependencies!)) violations.push(`${relative(ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test("the lake reaches the writer only through its published entry points, which the repository's tsconfig maps to their sources", () => {
  const writer = packageJson(WRITER);
  const lake = packageJson(LAKE);
  const entries = Object.keys(writer.exports)
    .filter((k) => k !== './package.json')
    .map((k) => (k === '.' ? writer.name : `${writer.name}/${k.slice(2)}`));
  // tsx and the typecheck resolve the writer's entry points through `paths`; each must name
  // the source of exactly the file the package exports, so that running from the sources
  // sees the same public surface as an installed package.
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  assert.deepEqual(Object.keys(tsconfig.compilerOptions.paths).sort(), [...entries].sort());
  for (const [key, target] of Object.entries(writer.exports)) {
    if (key === './package.json' || typeof target === 'string') continue;
    const name = key === '.' ? writer.name : `${writer.name}/${key.slice(2)}`;
    const source = target.default.replace(/^\.\/dist\//, './packages/writer/src/').replace(/\.js$/, '.ts');
    assert.deepEqual(tsconfig.compilerOptions.paths[name], [source], name);
    assert.equal(target.types, target.default.replace(/\.js$/, '.d.ts'), `${name}: types beside the code`);
  }

  const violations: string[] = [];
  const allowed = new Set(Object.keys(lake.dependencies ?? {}));
  let writerImports = 0;
  for (const file of files(join(LAKE, 'src'))) {
    for (const spec of specifiers(file).filter((s) => !s.startsWith('.') && !isBuiltin(s))) {
      if (packageOf(spec) === writer.name) {
        writerImports++;
        if (!entries.includes(spec)) violations.push(`${relative(ROOT, file)} imports ${spec}, not an entry point of ${writer.name}`);
      } else if (!allowed.has(packageOf(spec)) && !(spec === '@duckdb/node-api' && file.endsWith('cli/demo.ts'))) {
        // The demo's DuckDB query runs only where @duckdb/node-api happens to be installed.
        violations.push(`${relative(ROOT, file)} imports ${spec}, which ${lake.name} does not depend on`);
      }
    }
  }
  assert.ok(writerImports > 10, `read ${writerImports} imports of the writer`);
  assert.deepEqual(violations, []);
});
