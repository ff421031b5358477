/**
 * Cold-start writer benchmark: the write as a user meets it. Every (writer, input form,
 * workers, codec) runs in a new process that builds its input, then writes the same
 * 1,000,000 contract-data rows --writes times (3), each with a new writer; the first write
 * is the cold one (threads started, code never run before), the best is what repeated
 * writes reach. The peers run in the same run, interleaved with ours: parquet-wasm (Arrow
 * table in), pyarrow (its Table in), hyparquet-writer (column arrays in; zstd from
 * node:zlib where Node has it). Then 5,000,000 rows are streamed to a file for peak RSS,
 * and every first-write file is read back by pyarrow, values compared.
 *
 *   node --import tsx bench/writer-cold-start.ts [--node /path/to/node] [--rows 1000000] [--writes 3]
 *        [--rounds 1] [--codecs snappy,zstd] [--cases ours-rows@0,ours-rows@2,...,pyarrow]
 *        [--stream-rows 5000000] [--stream-workers 0,2] [--no-verify] [--dir DIR] [--seed N] [--json FILE]
 *
 * --node picks the Node binary of every JavaScript child (default: this one). Our writer runs
 * as tsc-compiled JavaScript, as the package ships. --rounds N repeats every process N times
 * (rounds interleaved, the case order rotated each round); a first write is then reported as
 * the median of the rounds' first writes, with their range.
 * The report (stdout) is Markdown, ready for docs/benchmarks.md; progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SEED } from './writer-data.js';
import { buildBench } from './writer-build.js';
import type { Result } from './writer-run.js';
import { benchPython, ensureInputs, fmtRate, inputDir, lastJsonLine, pyarrowScript, runChild } from './writer-inputs.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const KNOWN_FLAGS = ['node', 'rows', 'writes', 'rounds', 'codecs', 'cases', 'stream-rows', 'stream-workers', 'no-verify', 'dir', 'seed', 'json'];
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--') && !KNOWN_FLAGS.includes(a.slice(2))) throw new Error(`unknown flag ${a}; known: ${KNOWN_FLAGS.map((f) => `--${f}`).join(' ')}`);
}

const nodeBin = resolve(arg('node', process.execPath));
const rows = Number(arg('rows', '1000000'));
const writes = Number(arg('writes', '3'));
const rounds = Number(arg('rounds', '1'));
const seed = Number(arg('seed', String(DEFAULT_SEED)));
const codecs = arg('codecs', 'snappy,zstd').split(',');
const OUR_CASES = ['ours-rows@0', 'ours-rows@2', 'ours-columns@0', 'ours-columns@2', 'ours-arrow@0', 'ours-arrow@2'];
const cases = arg('cases', [...OUR_CASES, 'parquet-wasm', 'pyarrow', 'hyparquet'].join(',')).split(',');
const streamRows = Number(arg('stream-rows', '5000000'));
const streamWorkers = arg('stream-workers', '0,2').split(',').map(Number);
const verify = !process.argv.includes('--no-verify');
const dir = resolve(arg('dir', '/tmp/cdp-parquet-bench'));
const jsonOut = arg('json', '');
for (const [name, v] of [
  ['rows', rows],
  ['writes', writes],
  ['rounds', rounds],
] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
}
for (const c of cases) {
  if (!/^(ours-(rows|columns|arrow)@\d+|parquet-wasm|pyarrow|hyparquet)$/.test(c)) throw new Error(`unknown case ${c}`);
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
const build = buildBench();
const childEntry = join(build, 'bench/writer-run.js');
const dataDir = inputDir(dir, rows, seed);
const outDir = join(dir, 'cold-out');
mkdirSync(outDir, { recursive: true });

function nodeChild(args: string[], label: string): Result {
  return lastJsonLine<Result>(runChild(nodeBin, ['--expose-gc', childEntry, ...args], label));
}

const ipcPath = ensureInputs(dataDir, rows, seed, cases.includes('parquet-wasm'), (args) => nodeChild(args, 'dump'), log);

interface Job {
  name: string;
  codec: string;
  key: string;
  out: string;
  run(): Result;
}
const jobs: Job[] = [];
for (const codec of codecs) {
  for (const name of cases) {
    const key = `${name}/${codec}`;
    const out = join(outDir, `${name.replace('@', '-w')}-${codec}.parquet`);
    const common = ['--codec', codec, '--writes', String(writes), '--out', out];
    let run: () => Result;
    if (name === 'pyarrow') {
      run = () => lastJsonLine<Result>(runChild(benchPython, [pyarrowScript, 'write', '--data', dataDir, ...common], key));
    } else {
      const [writer, workers] = name.split('@');
      run = () =>
        nodeChild(
          [
            '--writer',
            writer!,
            '--rows',
            String(rows),
            '--seed',
            String(seed),
            ...common,
            ...(workers !== undefined ? ['--workers', workers] : []),
            ...(writer === 'parquet-wasm' ? ['--ipc', ipcPath] : []),
          ],
          key,
        );
    }
    jobs.push({ name, codec, key, out, run });
  }
}

const startedAt = new Date();
const loadBefore = loadavg();
const results = new Map<string, Result[]>();
for (let r = 0; r < rounds; r++) {
  // Each round starts the order one case later, so no case always runs first or after the same one.
  const order = jobs.map((_, i) => jobs[(i + r) % jobs.length]!);
  for (const job of order) {
    const res = job.run();
    log(
      `[${r + 1}/${rounds}] ${job.key.padEnd(22)} first ${(res.firstMs / 1000).toFixed(2)} s, best ${(res.ms / 1000).toFixed(2)} s ` +
        `(${res.times.map((t) => (t / 1000).toFixed(2)).join(' ')}), CPU ${(res.cpuFirstMs / 1000).toFixed(2)} s` +
        `${res.mainCpuFirstMs !== undefined ? ` (main ${(res.mainCpuFirstMs / 1000).toFixed(2)} s)` : ''}, peak ${res.peakRssMB.toFixed(0)} MB`,
    );
    if (!results.has(job.key)) results.set(job.key, []);
    results.get(job.key)!.push(res);
  }
}

const streams: { workers: number; res: Result; check?: { rows?: number; duckdbRows?: number } }[] = [];
for (const workers of streamRows > 0 ? streamWorkers : []) {
  const out = join(outDir, `stream-w${workers}-${streamRows}.parquet`);
  const res = nodeChild(
    ['--writer', 'ours-stream', '--codec', 'snappy', '--rows', String(streamRows), '--seed', String(seed), '--workers', String(workers), '--out', out],
    `stream workers ${workers}`,
  );
  const code =
    'import sys, json, pyarrow.parquet as pq, duckdb\n' +
    'p = sys.argv[1]\n' +
    'print(json.dumps({"rows": pq.ParquetFile(p).metadata.num_rows,' +
    ' "duckdbRows": duckdb.sql(f"select count(*) from read_parquet(\'{p}\')").fetchone()[0]}))';
  const check = verify ? lastJsonLine<{ rows?: number; duckdbRows?: number }>(runChild(benchPython, ['-c', code, out], 'verify stream')) : undefined;
  log(`stream ${streamRows} rows, workers ${workers}: ${(res.ms / 1000).toFixed(1)} s, peak RSS ${res.peakRssMB.toFixed(0)} MB`);
  streams.push({ workers, res, ...(check ? { check } : {}) });
}

type Verified = { file: string; rows?: number; equal?: boolean; duckdbRows?: number; error?: string; mismatched?: string[] };
const verified: Verified[] = verify
  ? runChild(benchPython, [pyarrowScript, 'verify', '--data', dataDir, ...jobs.map((j) => j.out)], 'verify')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Verified)
  : [];
const loadAfter = loadavg();

// Report.
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** First write (median over rounds), best write (over all), and the first writes' range. */
function summary(key: string): { first: number; best: number; lo: number; hi: number; res: Result } | undefined {
  const rs = results.get(key);
  if (!rs) return undefined;
  const firsts = rs.map((r) => r.firstMs);
  return { first: median(firsts), best: Math.min(...rs.map((r) => r.ms)), lo: Math.min(...firsts), hi: Math.max(...firsts), res: rs[0]! };
}
const INPUT: Record<string, string> = { 'ours-rows': 'row objects', 'ours-columns': 'column batch (JS arrays)', 'ours-arrow': 'Arrow-layout column batch' };
function label(name: string): string {
  if (name === 'parquet-wasm') return 'parquet-wasm 0.8 (Arrow table)';
  if (name === 'pyarrow') return 'pyarrow 25 (Table)';
  if (name === 'hyparquet') return 'hyparquet-writer 0.17 (column arrays)';
  const [writer, workers] = name.split('@');
  return `cdp-parquet, ${INPUT[writer!]}, ${workers} worker${workers === '1' ? '' : 's'}`;
}
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const lines: string[] = [];
const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
lines.push(
  `${rows.toLocaleString('en-US')} contract-data rows in memory, Node ${nodeVersion} (our writer as compiled JavaScript), ` +
    `${startedAt.toISOString().slice(0, 10)}, ${cpus().length} × ${cpuModel}; load average ${loadBefore[0]!.toFixed(1)} before, ${loadAfter[0]!.toFixed(1)} after.`,
);
lines.push(
  `Each row is its own process; first write = a new process's first writer (${rounds > 1 ? `median of ${rounds} processes, range in brackets` : 'one process'}), ` +
    `best = the best of ${writes} writes in ${rounds > 1 ? 'those processes' : 'that process'}, each with a new writer. ` +
    `CPU = all threads of the process during the first write${[...results.values()].some((rs) => rs[0]!.mainCpuFirstMs !== undefined) ? ' (main thread in brackets, where Node can tell)' : ''}.`,
);
lines.push('');
lines.push(`Command: \`node --import tsx bench/writer-cold-start.ts ${process.argv.slice(2).join(' ')}\``.replace(/ `$/, '`'));
for (const codec of codecs) {
  const wasm = summary(`parquet-wasm/${codec}`);
  const pa = summary(`pyarrow/${codec}`);
  const hy = summary(`hyparquet/${codec}`);
  lines.push('');
  const zstdNote = codec === 'zstd' ? " (level 1: every writer's default; hyparquet-writer gets the same zstd at the same level)" : '';
  lines.push(`#### ${codec}${zstdNote}`);
  lines.push('');
  lines.push(
    '| writer | first write | rows/s | best of ' + writes + ' | CPU (first) | peak RSS | file | × parquet-wasm rows/s | ÷ pyarrow time | × hyparquet rows/s |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const name of cases) {
    const s = summary(`${name}/${codec}`);
    if (!s) continue;
    const range = rounds > 1 ? ` [${secs(s.lo)}–${secs(s.hi)}]` : '';
    const cpu = `${secs(s.res.cpuFirstMs)}${s.res.mainCpuFirstMs !== undefined ? ` (${secs(s.res.mainCpuFirstMs)})` : ''}`;
    const ratio = (peer: typeof s | undefined, f: (o: number, p: number) => number): string =>
      peer && peer !== s ? `${f(s.first, peer.first).toFixed(2)}× (${f(s.best, peer.best).toFixed(2)}×)` : '';
    lines.push(
      `| ${label(name)} | ${secs(s.first)}${range} | ${fmtRate((rows / s.first) * 1000)} | ${secs(s.best)} | ${cpu} | ` +
        `${s.res.peakRssMB.toFixed(0)} MB | ${(s.res.bytes / 1e6).toFixed(1)} MB | ${ratio(wasm, (o, p) => p / o)} | ${ratio(pa, (o, p) => o / p)} | ${ratio(hy, (o, p) => p / o)} |`,
    );
  }
  lines.push('');
  lines.push(
    'Ratios: first write (best of ' +
      writes +
      ' in brackets). Notes: ' +
      [...new Set(cases.flatMap((n) => (summary(`${n}/${codec}`)?.res.note ? [`${n}: ${summary(`${n}/${codec}`)!.res.note}`] : [])))].join('; ') +
      '.',
  );
}

// The writer's targets, judged on first writes.
const mark = (ok: boolean): string => (ok ? 'met' : '**not met**');
lines.push('');
lines.push('Targets (first writes):');
for (const codec of codecs) {
  const get = (name: string): number | undefined => summary(`${name}/${codec}`)?.first;
  const wasm = get('parquet-wasm');
  const pa = get('pyarrow');
  const hy = get('hyparquet');
  const arrow2 = get('ours-arrow@2');
  const rows2 = get('ours-rows@2');
  if (arrow2 !== undefined && wasm !== undefined)
    lines.push(`- ${codec}: Arrow layout, 2 workers ≥ 1.5× parquet-wasm rows/s: ${(wasm / arrow2).toFixed(2)}× — ${mark(wasm / arrow2 >= 1.5)}`);
  if (arrow2 !== undefined && pa !== undefined)
    lines.push(`- ${codec}: Arrow layout, 2 workers ≤ 1.5× pyarrow's time: ${(arrow2 / pa).toFixed(2)}× — ${mark(arrow2 / pa <= 1.5)}`);
  if (rows2 !== undefined && wasm !== undefined)
    lines.push(`- ${codec}: row objects, 2 workers ≥ 1.2× parquet-wasm rows/s: ${(wasm / rows2).toFixed(2)}× — ${mark(wasm / rows2 >= 1.2)}`);
  if (codec === 'zstd' && hy !== undefined) {
    for (const input of ['rows', 'columns', 'arrow']) {
      const one = get(`ours-${input}@0`);
      if (one !== undefined)
        lines.push(`- zstd: ${INPUT[`ours-${input}`]}, one thread ≥ 2× hyparquet-writer rows/s: ${(hy / one).toFixed(2)}× — ${mark(hy / one >= 2)}`);
    }
  }
  for (const input of ['rows', 'columns', 'arrow']) {
    const zero = get(`ours-${input}@0`);
    const two = get(`ours-${input}@2`);
    if (zero !== undefined && two !== undefined)
      lines.push(`- ${codec}: ${INPUT[`ours-${input}`]}, 2 workers faster than 0: ${secs(two)} vs ${secs(zero)} — ${mark(two < zero)}`);
  }
}
for (const s of streams) {
  lines.push(
    `- streaming ${streamRows.toLocaleString('en-US')} rows to a file (snappy, ${s.workers} workers), peak RSS < 400 MB: ` +
      `${s.res.peakRssMB.toFixed(0)} MB — ${mark(s.res.peakRssMB < 400)} (${secs(s.res.ms)}, generation included` +
      `${s.check ? `; read back: pyarrow ${s.check.rows} rows, DuckDB ${s.check.duckdbRows} rows` : ''})`,
  );
}
if (verified.length > 0) {
  const bad = verified.filter((v) => v.error || !v.equal || v.rows !== rows);
  lines.push('');
  lines.push(
    bad.length === 0
      ? `Read back: all ${verified.length} first-write files read by pyarrow, every value equal to the input, counted by DuckDB.`
      : `Read back: **${bad.length} of ${verified.length} files failed**: ${bad.map((v) => `${v.file.slice(outDir.length + 1)} ${v.error ?? `mismatch ${v.mismatched?.join(',') ?? ''}`}`).join('; ')}`,
  );
}

const report = lines.join('\n');
process.stdout.write(`${report}\n`);
if (jsonOut)
  writeFileSync(jsonOut, JSON.stringify({ node: nodeVersion, rows, writes, rounds, seed, results: Object.fromEntries(results), streams, verified }, null, 2));
if (verified.some((v) => v.error || !v.equal)) process.exitCode = 1;
