/**
 * Compile src/ and the bench with tsc (source maps on) into a temporary directory, so
 * benchmark children can run as plain JavaScript, as the package ships, without tsx's
 * loader in their memory and CPU profile. Returns the build directory; its
 * bench/writer-run.js is the child entry point.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..');

export function buildBench(): string {
  const build = mkdtempSync(join(tmpdir(), 'cdp-parquet-bench-build-'));
  const tsc = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(here, 'writer-tsconfig.json'),
      '--noEmit',
      'false',
      '--outDir',
      build,
      '--sourceMap',
      'true',
      '--declaration',
      'false',
    ],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  writeFileSync(join(build, 'package.json'), '{"type":"module"}');
  symlinkSync(join(repoRoot, 'node_modules'), join(build, 'node_modules'));
  return build;
}
