/**
 * What the writer benchmarks share: running a child process, and the input every writer
 * gets, made once and cached: the rows as raw Arrow-layout column buffers (for pyarrow)
 * and as an Arrow IPC stream (for parquet-wasm). The JavaScript writers regenerate the
 * same rows in their own process (bench/writer-data.ts is deterministic).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const benchRepo = resolve(here, '..');
export const benchPython = join(benchRepo, '.venv/bin/python');
export const pyarrowScript = join(here, 'writer-pyarrow.py');

/** Runs a command in the repo; its stdout, or an error with its output. */
export function runChild(cmd: string, args: string[], label: string): string {
  const r = spawnSync(cmd, args, { cwd: benchRepo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** The last line of a child's stdout, as JSON. */
export function lastJsonLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/**
 * The cached input's folder. Its name carries a hash of the generator's source: a cache
 * made by an older generator held other values than the rows the JavaScript writers
 * generate in process, so the peers reading it would write other data.
 */
export function inputDir(dir: string, rows: number, seed: number): string {
  const generatorHash = createHash('sha256')
    .update(readFileSync(join(here, 'writer-data.ts')))
    .update(readFileSync(join(benchRepo, 'packages/lake/src/pipeline/sample/rng.ts')))
    .digest('hex')
    .slice(0, 10);
  return join(dir, `data-${rows}-${seed}-${generatorHash}`);
}

/**
 * Makes the cached input if missing: `dump` runs writer-run's dump (a function given the
 * child's arguments); the IPC stream only when `ipc` is wanted. Returns the IPC file's path.
 */
export function ensureInputs(dataDir: string, rows: number, seed: number, ipc: boolean, dump: (args: string[]) => void, log: (msg: string) => void): string {
  if (!existsSync(join(dataDir, 'manifest.json'))) {
    log(`generating ${rows} rows -> ${dataDir}`);
    dump(['--writer', 'dump', '--rows', String(rows), '--seed', String(seed), '--out', dataDir]);
  }
  const ipcPath = join(dataDir, 'table.arrows');
  if (ipc && !existsSync(ipcPath)) {
    log('writing Arrow IPC stream for parquet-wasm');
    runChild(benchPython, [pyarrowScript, 'ipc', '--data', dataDir, '--out', ipcPath], 'ipc');
  }
  return ipcPath;
}

export function fmtRate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`;
}
