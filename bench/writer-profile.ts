/**
 * CPU profile of one writer run, summarised by TypeScript file:line.
 *
 *   node --import tsx bench/writer-profile.ts [--writer ours-rows] [--codec snappy] [--rows 1000000] [--workers 0] [--top 25]
 *
 * Compiles src/ and bench/ with tsc (source maps on) into a temporary directory, runs
 * bench/writer-run.js there under `node --cpu-prof`, then maps every profile position back
 * to the .ts source through the .js.map files. Only the write window counts: from the
 * first to the last sample whose stack is inside packages/writer/src/format/parquet-writer.ts; samples
 * of the benchmark's own row generator are listed apart.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { buildBench } from './writer-build.js';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const writer = arg('writer', 'ours-rows');
const codec = arg('codec', 'snappy');
const rows = arg('rows', '1000000');
const top = Number(arg('top', '25'));
/** Encode workers (the main thread's profile is the one summarised). */
const workers = arg('workers', '0');

const build = buildBench();

const profDir = join(build, 'prof');
const run = spawnSync(
  process.execPath,
  [
    '--expose-gc',
    '--cpu-prof',
    '--cpu-prof-dir',
    profDir,
    '--cpu-prof-interval',
    '250',
    join(build, 'bench/writer-run.js'),
    '--writer',
    writer,
    '--codec',
    codec,
    '--rows',
    rows,
    '--workers',
    workers,
    '--out',
    join(build, 'out.parquet'),
  ],
  { encoding: 'utf8', cwd: repo },
);
if (run.status !== 0) throw new Error(`run failed:\n${run.stderr}`);
process.stdout.write(`run: ${run.stdout}`);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// The main thread's profile is the one with the most samples.
const files = readdirSync(profDir)
  .map((f) => join(profDir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size);
const profile = JSON.parse(readFileSync(files[0]!, 'utf8')) as Profile;

const maps = new Map<string, SourceMap | null>();
function sourceMapFor(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    if (url.startsWith('file://')) {
      const mapPath = `${fileURLToPath(url)}.map`;
      if (existsSync(mapPath)) map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}
/** "src/format/x.ts:123" for a 0-based generated line/column, or the raw location. */
function where(url: string, line0: number, col0: number): string {
  const map = sourceMapFor(url);
  if (map) {
    const e = map.findEntry(line0, col0) as { originalSource?: string; originalLine?: number };
    if (e && e.originalSource !== undefined && e.originalLine !== undefined) {
      const src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : resolve(dirname(fileURLToPath(url)), e.originalSource);
      return `${relative(repo, src)}:${e.originalLine + 1}`;
    }
  }
  if (url.startsWith('file://')) {
    const p = fileURLToPath(url);
    const shown = p.startsWith(build) ? relative(build, p) : relative(repo, p);
    return `${shown}:${line0 + 1}`;
  }
  return `${url || '(native)'}:${line0 + 1}`;
}

const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const n of profile.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
function stack(id: number): ProfileNode[] {
  const out: ProfileNode[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur)!);
  return out;
}
const writerUrl = pathToFileURL(join(build, 'packages/writer/src/format/parquet-writer.js')).href;
const dataUrl = pathToFileURL(join(build, 'bench/writer-data.js')).href;

// Time window of the write.
const times: number[] = [];
let t = 0;
for (const d of profile.timeDeltas) times.push((t += d));
let first = -1;
let last = -1;
profile.samples.forEach((id, i) => {
  if (stack(id).some((n) => n.callFrame.url === writerUrl)) {
    if (first < 0) first = i;
    last = i;
  }
});
if (first < 0) throw new Error('no samples inside parquet-writer');

const selfByFn = new Map<string, number>();
const inclByFn = new Map<string, number>();
let total = 0;
let generator = 0;
const nodeTime = new Map<number, number>();
for (let i = first; i <= last; i++) {
  const dt = (times[i + 1] ?? times[i]!) - times[i]!;
  const id = profile.samples[i]!;
  const st = stack(id);
  total += dt;
  if (st.some((n) => n.callFrame.url === dataUrl)) {
    generator += dt;
    continue;
  }
  nodeTime.set(id, (nodeTime.get(id) ?? 0) + dt);
  const leaf = st[0]!.callFrame;
  const key = `${leaf.functionName || '(anonymous)'}  ${where(leaf.url, leaf.lineNumber, leaf.columnNumber)}`;
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + dt);
  const seen = new Set<string>();
  for (const n of st) {
    const f = n.callFrame;
    if (!f.url.startsWith('file://')) continue;
    const k = `${f.functionName || '(anonymous)'}  ${where(f.url, f.lineNumber, f.columnNumber)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    inclByFn.set(k, (inclByFn.get(k) ?? 0) + dt);
  }
}

// Line-level self time from positionTicks, scaled to the node's share of the window.
const byLine = new Map<string, number>();
for (const [id, time] of nodeTime) {
  const n = byId.get(id)!;
  const ticks = n.positionTicks ?? [];
  const sum = ticks.reduce((s, p) => s + p.ticks, 0);
  if (sum === 0) continue;
  for (const p of ticks) {
    const k = where(n.callFrame.url, p.line - 1, 0);
    byLine.set(k, (byLine.get(k) ?? 0) + (time * p.ticks) / sum);
  }
}

const ms = (us: number): string => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
const topOf = (m: Map<string, number>, n: number): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
const lines: string[] = [];
lines.push(`write window ${(total / 1000).toFixed(0)} ms (row generator inside it: ${ms(generator)})`);
lines.push('\nself time by function:');
for (const [k, v] of topOf(selfByFn, top)) lines.push(`${ms(v)}  ${k}`);
lines.push('\nself time by source line:');
for (const [k, v] of topOf(byLine, top)) lines.push(`${ms(v)}  ${k}`);
lines.push('\ninclusive time by function (JS files):');
for (const [k, v] of topOf(inclByFn, top)) lines.push(`${ms(v)}  ${k}`);
process.stdout.write(`${lines.join('\n')}\nprofile: ${files[0]}\n`);
