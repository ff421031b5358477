/**
 * Per-thread CPU time of a writer-run child, from /proc: which threads work during each
 * write (main thread, encode workers, V8's GC and compiler threads), and when threads appear.
 *
 *   node --import tsx bench/writer-threads.ts [--node /path/to/node] [--interval 5] [--node-flags "--trace-gc"] \
 *        -- --writer ours-arrow --workers 2 --codec snappy --rows 1000000 --writes 3
 *
 * Runs bench/writer-run.js (compiled by tsc, as the package ships) with --mark, samples
 * /proc/<pid>/task/<tid>/stat every --interval ms, and for each write prints every thread's
 * CPU time inside it. A thread that exits between two samples loses at most one interval of
 * CPU. Node 24 names its threads (MainThread, WorkerThread, V8Worker, ...); on Node 20 all are
 * "node", and the main thread is the one whose id is the process id.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildBench } from './writer-build.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const end = process.argv.indexOf('--');
  return i >= 0 && (end < 0 || i < end) && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const nodeBin = resolve(arg('node', process.execPath));
const interval = Number(arg('interval', '5'));
const nodeFlags = arg('node-flags', '').split(' ').filter(Boolean);
const sep = process.argv.indexOf('--');
if (sep < 0) throw new Error('usage: writer-threads.ts [options] -- <writer-run.ts arguments>');
const childArgs = process.argv.slice(sep + 1);
if (!childArgs.includes('--out')) childArgs.push('--out', '/tmp/cdp-parquet-threads.parquet');

const TICK_MS = 10; // USER_HZ = 100 on Linux
interface Thread {
  tid: number;
  name: string;
  cpu: number;
  firstSeen: number;
}

const build = buildBench();
const child = spawn(nodeBin, ['--expose-gc', ...nodeFlags, join(build, 'bench/writer-run.js'), ...childArgs, '--mark'], { stdio: ['ignore', 'pipe', 'pipe'] });
const pid = child.pid!;
const t0 = performance.now();
const threads = new Map<number, Thread>();

function sample(): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const t of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      // Fields after the ")" that closes comm: state is field 3, utime 14, stime 15.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) * TICK_MS;
      const tid = Number(t);
      const known = threads.get(tid);
      if (known) {
        known.cpu = cpu;
        known.name = name;
      } else {
        threads.set(tid, { tid, name, cpu, firstSeen: performance.now() - t0 });
      }
    } catch {
      // The thread exited between readdir and read.
    }
  }
}

type Snapshot = Map<number, number>;
const snap = (): Snapshot => new Map([...threads].map(([tid, t]) => [tid, t.cpu]));
const marks: { what: string; at: number; cpu: Snapshot }[] = [];
const timer = setInterval(sample, interval);
let stdout = '';
child.stdout.on('data', (d: Buffer) => {
  stdout += d.toString();
});
let pending = '';
child.stderr.on('data', (d: Buffer) => {
  pending += d.toString();
  let nl: number;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.startsWith('@mark ')) {
      sample();
      marks.push({ what: line.slice(6), at: performance.now() - t0, cpu: snap() });
    } else {
      process.stderr.write(`${line}\n`);
    }
  }
});

child.on('exit', (code) => {
  clearInterval(timer);
  if (code !== 0) {
    process.stderr.write(`child exited with ${code}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`run: ${stdout.trim().split('\n').pop()}\n`);
  const label = (t: Thread): string => (t.tid === pid ? `${t.name} (main)` : t.name);
  for (let i = 0; i + 1 < marks.length; i += 2) {
    const start = marks[i]!;
    const end = marks[i + 1]!;
    const rows: { t: Thread; ms: number }[] = [];
    for (const t of threads.values()) {
      const before = start.cpu.get(t.tid) ?? 0;
      const after = end.cpu.get(t.tid) ?? 0; // not seen by the end: born after this write
      if (after - before > 0) rows.push({ t, ms: after - before });
    }
    rows.sort((a, b) => b.ms - a.ms);
    const total = rows.reduce((s, r) => s + r.ms, 0);
    process.stdout.write(`\nwrite ${start.what.split(' ')[1]}: ${((end.at - start.at) / 1000).toFixed(2)} s wall, ${(total / 1000).toFixed(2)} s CPU\n`);
    const byName = new Map<string, number>();
    for (const r of rows) {
      const born = r.t.firstSeen >= start.at - interval ? `, started ${((r.t.firstSeen - start.at) / 1000).toFixed(2)} s into the write` : '';
      process.stdout.write(`  ${String(r.t.tid).padEnd(8)} ${label(r.t).padEnd(24)} ${(r.ms / 1000).toFixed(2).padStart(6)} s${born}\n`);
      const group = r.t.tid === pid ? 'main' : r.t.name;
      byName.set(group, (byName.get(group) ?? 0) + r.ms);
    }
    process.stdout.write(`  by name: ${[...byName].map(([n, ms]) => `${n} ${(ms / 1000).toFixed(2)} s`).join(', ')}\n`);
  }
});
