// Packing the workspace's packages and installing them the way a user would: `npm pack`
// (which runs each package's prepack build), then `npm install <tarball>` into an empty
// project. Shared by test/packages.test.ts and bench/package-size.ts.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  name: string;
  version: string;
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Bytes of the .tgz. */
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

interface NpmPackJson {
  name: string;
  version: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** Packs one workspace (by package name) into `dest`, or only lists it with `dryRun`. */
export function pack(workspace: string, dest: string, dryRun = false): Packed {
  mkdirSync(dest, { recursive: true });
  const out = npm(['pack', '--json', '--workspace', workspace, '--pack-destination', dest, ...(dryRun ? ['--dry-run'] : [])], REPO_ROOT);
  // Lifecycle output (the prepack build) can precede the JSON on stdout.
  const json = JSON.parse(out.slice(out.indexOf('['))) as NpmPackJson[];
  const p = json[0]!;
  return { name: p.name, version: p.version, tarball: join(dest, p.filename), size: p.size, unpackedSize: p.unpackedSize, files: p.files };
}

/**
 * A new project in `dir` with `specs` installed (tarball paths or registry specs), from npm's
 * cache where it can. Only production dependencies, as `npm install <package>` gives a user.
 */
export function installInto(dir: string, specs: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh-project', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs], dir);
}

/** Every package installed under a node_modules folder (scoped names included, nested ones too). */
export function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      if (e.startsWith('@')) {
        for (const s of readdirSync(join(dir, e))) {
          names.push(`${e}/${s}`);
          walk(join(dir, e, s, 'node_modules'));
        }
      } else {
        names.push(e);
        walk(join(dir, e, 'node_modules'));
      }
    }
  };
  walk(nodeModules);
  return [...new Set(names)].sort();
}

/** Bytes of every file under `dir` (apparent size, symlinks not followed). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else total += lstatSync(p).size;
  }
  return total;
}

/** Disk usage of `dir` in bytes, as `du -sk` counts it (whole blocks). */
export function diskUsage(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}
