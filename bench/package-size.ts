/**
 * What a user downloads: the install size of the packed packages in an empty project, and the
 * browser bundle of a minimal writer program, each beside hyparquet-writer's and
 * parquet-wasm's (installed from the registry at the versions the repository pins).
 *
 *   node --import tsx bench/package-size.ts            Markdown report on stdout (docs/benchmarks.md)
 *
 * Install: `npm pack` of the workspace packages (their prepack builds), then
 * `npm install <tarball>` into a new project; node_modules is measured as the files' bytes and
 * as `du -sk` counts it. Bundle: each program is bundled with esbuild (`--bundle --minify
 * --platform=browser --format=esm`, dynamic imports inlined into the one file) from the
 * installed packages, and gzipped at level 9; a WebAssembly module that the program fetches
 * is counted beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { diskUsage, installedPackages, installInto, pack, REPO_ROOT, treeBytes } from '../test/support/packages.js';

const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const HYPARQUET_WRITER = `hyparquet-writer@${rootPackage.devDependencies['hyparquet-writer']}`;
const PARQUET_WASM = `parquet-wasm@${rootPackage.devDependencies['parquet-wasm']}`;
const HEAVY = /^(@aws-sdk|@smithy|@google-cloud|@stellar|yaml$)/;

const work = mkdtempSync(join(tmpdir(), 'cdp-parquet-package-size-'));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface Install {
  label: string;
  packages: string[];
  bytes: number;
  disk: number;
}

function measureInstall(label: string, dir: string, specs: string[]): Install {
  log(`installing ${label}`);
  installInto(dir, specs);
  const nm = join(dir, 'node_modules');
  return { label, packages: installedPackages(nm), bytes: treeBytes(nm), disk: diskUsage(nm) };
}

/** The same small table in each library's input form: 1,000 rows of (int64 id, string name). */
const PROGRAMS = {
  ours: `import { writeParquet } from 'cdp-parquet';
const rows = Array.from({ length: 1000 }, (_, i) => ({ id: BigInt(i), name: 'row ' + i }));
globalThis.result = await writeParquet([{ name: 'id', type: 'int64' }, { name: 'name', type: 'string' }], rows);`,
  oursZstd: `import { writeParquet } from 'cdp-parquet';
const rows = Array.from({ length: 1000 }, (_, i) => ({ id: BigInt(i), name: 'row ' + i }));
globalThis.result = await writeParquet([{ name: 'id', type: 'int64' }, { name: 'name', type: 'string' }], rows, { compression: 'zstd' });`,
  hyparquet: `import { parquetWriteBuffer } from 'hyparquet-writer';
const ids = BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(i));
const names = Array.from({ length: 1000 }, (_, i) => 'row ' + i);
globalThis.result = parquetWriteBuffer({ columnData: [{ name: 'id', data: ids, type: 'INT64' }, { name: 'name', data: names, type: 'STRING' }] });`,
  // parquet-wasm writes an Arrow table; the page hands it the table as an Arrow IPC stream
  // (building one in the page would add a JS Arrow library, not counted here).
  parquetWasm: `import init, { Table, writeParquet } from 'parquet-wasm/esm';
await init();
globalThis.result = writeParquet(Table.fromIPCStream(globalThis.ipcStream));`,
};

interface Bundle {
  label: string;
  js: number;
  jsGzip: number;
  wasm: { name: string; bytes: number; gzip: number }[];
}

const gz = (b: Uint8Array): number => gzipSync(b, { level: 9 }).length;

async function bundle(label: string, project: string, program: string, wasmFiles: { name: string; path: string }[]): Promise<Bundle> {
  log(`bundling ${label}`);
  const entry = join(project, `${label.replace(/\W+/g, '-')}.mjs`);
  writeFileSync(entry, program);
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    absWorkingDir: project,
    logLevel: 'error',
  });
  const js = out.outputFiles[0]!.contents;
  return {
    label,
    js: js.length,
    jsGzip: gz(js),
    wasm: wasmFiles.map((w) => {
      const b = readFileSync(w.path);
      return { name: w.name, bytes: b.length, gzip: gz(b) };
    }),
  };
}

const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;
const MB = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;

try {
  const tarballs = join(work, 'tarballs');
  log('packing cdp-parquet and @cdp-parquet/lake');
  const writer = pack('cdp-parquet', tarballs);
  const lake = pack('@cdp-parquet/lake', tarballs);

  const installs = [
    measureInstall(`${writer.name} ${writer.version}`, join(work, 'writer'), [writer.tarball]),
    measureInstall(`${lake.name} ${lake.version} (with cdp-parquet)`, join(work, 'lake'), [writer.tarball, lake.tarball]),
    measureInstall(HYPARQUET_WRITER.replace('@', ' '), join(work, 'hyparquet'), [HYPARQUET_WRITER]),
    measureInstall(PARQUET_WASM.replace('@', ' '), join(work, 'parquet-wasm'), [PARQUET_WASM]),
  ];
  const heavy = installs[0]!.packages.filter((p) => HEAVY.test(p));
  if (heavy.length > 0) throw new Error(`the writer's install holds ${heavy.join(', ')}`);

  const zstdWasm = join(work, 'writer/node_modules/@bokuweb/zstd-wasm/dist/web/zstd.wasm');
  const pwWasm = join(work, 'parquet-wasm/node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm');
  const bundles = [
    await bundle('cdp-parquet (snappy, the default)', join(work, 'writer'), PROGRAMS.ours, []),
    await bundle('cdp-parquet (zstd)', join(work, 'writer'), PROGRAMS.oursZstd, [{ name: 'zstd.wasm', path: zstdWasm }]),
    await bundle(`${HYPARQUET_WRITER.replace('@', ' ')} (snappy, the default)`, join(work, 'hyparquet'), PROGRAMS.hyparquet, []),
    await bundle(`${PARQUET_WASM.replace('@', ' ')} (its default)`, join(work, 'parquet-wasm'), PROGRAMS.parquetWasm, [
      { name: 'parquet_wasm_bg.wasm', path: pwWasm },
    ]),
  ];

  const lines: string[] = [];
  const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  lines.push(`Node ${process.version}, npm ${npmVersion}, ${new Date().toISOString().slice(0, 10)}`);
  lines.push('', `Command: \`node --import tsx bench/package-size.ts\``, '');
  lines.push('#### Install size (a new project, `npm install <package>`)', '');
  lines.push('| package | packages in node_modules | node_modules (bytes of the files) | `du -sk` |');
  lines.push('|---|---:|---:|---:|');
  for (const i of installs) lines.push(`| ${i.label} | ${i.packages.length} | ${MB(i.bytes)} | ${MB(i.disk)} |`);
  lines.push(
    '',
    `The writer's node_modules: ${installs[0]!.packages.join(', ')}. Its tarball: ${kB(writer.size)} (${kB(writer.unpackedSize)} unpacked, ${writer.files.length} files).`,
  );
  lines.push('', '#### Browser bundle of a minimal writer program (1,000 rows of int64 + string)', '');
  lines.push('| library | JS, minified | JS, gzip -9 | WebAssembly it fetches, gzip -9 | total, gzip -9 |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const b of bundles) {
    const wasmGz = b.wasm.reduce((n, w) => n + w.gzip, 0);
    const wasm = b.wasm.length === 0 ? '-' : b.wasm.map((w) => `${w.name} ${kB(w.gzip)} (${kB(w.bytes)})`).join(', ');
    lines.push(`| ${b.label} | ${kB(b.js)} | ${kB(b.jsGzip)} | ${wasm} | ${kB(b.jsGzip + wasmGz)} |`);
  }
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
