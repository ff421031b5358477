/**
 * Writer benchmark: contract-data rows written by cdp-parquet, hyparquet-writer,
 * parquet-wasm and pyarrow with snappy and zstd; then a streaming run to a NodeFileSink;
 * then every output file is read back by pyarrow (values compared with the source data)
 * and DuckDB (row count).
 *
 *   node --import tsx bench/writer-contract-data.ts [--rows 1000000] [--stream-rows 5000000]
 *        [--repeats 3] [--codecs snappy,zstd] [--writers ours-rows,ours-columns,...]
 *        [--dir /tmp/cdp-parquet-bench] [--seed N] [--json results.json] [--compiled]
 *
 * Each measurement runs in its own child process (bench/writer-run.ts, or
 * bench/writer-pyarrow.py) so peak RSS is per writer; runs are interleaved and repeated,
 * and the best time of the repeats is reported (the machine is shared). With --compiled the
 * Node children run tsc-compiled JavaScript instead of TypeScript through tsx (smaller RSS:
 * no loader, no esbuild).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED } from './writer-data.js';
import { buildBench } from './writer-build.js';
import type { Result } from './writer-run.js';
import { benchPython as python, ensureInputs, fmtRate, inputDir, lastJsonLine, pyarrowScript, runChild as run } from './writer-inputs.js';

const here = dirname(fileURLToPath(import.meta.url));

// A child's JSON result line (bench/writer-run.ts; type-only import, nothing runs).
type Run = Result;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const rows = Number(arg('rows', '1000000'));
const streamRows = Number(arg('stream-rows', '5000000'));
const repeats = Number(arg('repeats', '3'));
const seed = Number(arg('seed', String(DEFAULT_SEED)));
const codecs = arg('codecs', 'snappy,zstd').split(',');
const writers = arg('writers', 'ours-rows,ours-columns,ours-arrow,ours-rows@2,ours-columns@2,ours-arrow@2,hyparquet,parquet-wasm,pyarrow').split(',');
const dir = resolve(arg('dir', '/tmp/cdp-parquet-bench'));
const jsonOut = arg('json', '');
// The generated data is cached between runs, keyed by the generator's own source (inputDir).
const dataDir = inputDir(dir, rows, seed);
const outDir = join(dir, 'out');
mkdirSync(outDir, { recursive: true });

const compiled = process.argv.includes('--compiled') ? buildBench() : undefined;
const childEntry = compiled ? [join(compiled, 'bench/writer-run.js')] : ['--import', 'tsx', join(here, 'writer-run.ts')];

function node(args: string[], label: string): Run {
  return lastJsonLine<Run>(run(process.execPath, ['--expose-gc', ...childEntry, ...args], label));
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

// 1. Input data, once: raw column buffers for pyarrow, an Arrow IPC stream for parquet-wasm.
const ipcPath = ensureInputs(dataDir, rows, seed, writers.includes('parquet-wasm'), (args) => node(args, 'dump'), log);

// 2. Measurements, interleaved: repeat r runs every writer × codec once.
interface Job {
  writer: string;
  codec: string;
  level?: number;
  key: string;
  out: string;
}
const jobs: Job[] = [];
for (const codec of codecs) {
  for (const writer of writers) {
    // zstd runs at level 1 everywhere: every writer's default (hyparquet-writer gets ours).
    jobs.push({ writer, codec, key: `${writer}/${codec}`, out: join(outDir, `${writer}-${codec}.parquet`) });
  }
}
const results = new Map<string, Run[]>();
for (let r = 0; r < repeats; r++) {
  for (const job of jobs) {
    let res: Run;
    if (job.writer === 'pyarrow') {
      res = JSON.parse(
        run(
          python,
          [
            pyarrowScript,
            'write',
            '--data',
            dataDir,
            '--codec',
            job.codec,
            ...(job.level !== undefined ? ['--level', String(job.level)] : []),
            '--out',
            job.out,
          ],
          job.key,
        ).trim(),
      ) as Run;
    } else {
      // "ours-rows@2": our writer with options.workers = 2.
      const [writer, workers] = job.writer.split('@');
      res = node(
        [
          '--writer',
          writer!,
          '--codec',
          job.codec,
          '--rows',
          String(rows),
          '--seed',
          String(seed),
          '--out',
          job.out,
          ...(workers !== undefined ? ['--workers', workers] : []),
          ...(job.writer === 'parquet-wasm' ? ['--ipc', ipcPath] : []),
        ],
        job.key,
      );
    }
    log(
      `[${r + 1}/${repeats}] ${job.key.padEnd(24)} ${(res.ms / 1000).toFixed(2)} s  ${fmtRate((res.rows / res.ms) * 1000)} rows/s  ` +
        `peak ${res.peakRssMB.toFixed(0)} MB  ${(res.bytes / 1e6).toFixed(1)} MB`,
    );
    if (!results.has(job.key)) results.set(job.key, []);
    results.get(job.key)!.push(res);
  }
}

// 3. Streaming: lazily generated rows to a NodeFileSink.
let stream: Run | undefined;
const streamOut = join(outDir, `ours-stream-snappy-${streamRows}.parquet`);
if (streamRows > 0) {
  log(`streaming ${streamRows} rows to ${streamOut}`);
  stream = node(['--writer', 'ours-stream', '--codec', 'snappy', '--rows', String(streamRows), '--seed', String(seed), '--out', streamOut], 'stream');
  log(`stream: ${(stream.ms / 1000).toFixed(1)} s, peak RSS ${stream.peakRssMB.toFixed(0)} MB, ${(stream.bytes / 1e6).toFixed(0)} MB`);
}

// 4. Read every file back.
const files = jobs.map((j) => j.out);
const verify = run(python, [pyarrowScript, 'verify', '--data', dataDir, ...files], 'verify')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { file: string; rows?: number; equal?: boolean; duckdbRows?: number; error?: string; mismatched?: string[] });
let streamCheck: { rows?: number; duckdbRows?: number; error?: string } | undefined;
if (stream) {
  const code =
    'import sys, json, pyarrow.parquet as pq, duckdb\n' +
    'p = sys.argv[1]\n' +
    'print(json.dumps({"rows": pq.ParquetFile(p).metadata.num_rows, "readRows": pq.read_table(p, columns=["ledger_sequence"]).num_rows,' +
    ' "duckdbRows": duckdb.sql(f"select count(*) from read_parquet(\'{p}\')").fetchone()[0]}))';
  streamCheck = JSON.parse(run(python, ['-c', code, streamOut], 'verify stream').trim()) as typeof streamCheck;
}

// 5. Report.
const best = (key: string): Run | undefined =>
  results
    .get(key)
    ?.slice()
    .sort((a, b) => a.ms - b.ms)[0];
const rate = (r: Run): number => (r.rows / r.ms) * 1000;
const label: Record<string, string> = {
  'ours-rows': 'cdp-parquet (row objects)',
  'ours-columns': 'cdp-parquet (column batch)',
  'ours-arrow': 'cdp-parquet (Arrow-layout column batch)',
  hyparquet: 'hyparquet-writer 0.17 (columns)',
  'hyparquet-rows': 'hyparquet-writer 0.17 (parquetWriteRows)',
  'parquet-wasm': 'parquet-wasm 0.8',
  pyarrow: 'pyarrow 25',
};

const lines: string[] = [];
lines.push(
  `${rows.toLocaleString('en-US')} contract-data rows, best of ${repeats}; Node ${process.version}` +
    `${compiled ? ' (compiled JS)' : ' (TypeScript via tsx)'}; ` +
    `peak RSS = the child process's max RSS (includes the input data it holds; "before write" is its RSS once the input was built).`,
);
lines.push('');
lines.push('| writer | codec | rows/s | write time | peak RSS | RSS before write | file size | row groups | ours (rows) speed × | ours (rows) size ÷ |');
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const job of jobs) {
  const b = best(job.key);
  if (!b) continue;
  const ours = best(`ours-rows/${job.codec}`);
  const isOurs = job.writer.startsWith('ours');
  const speed = ours && !isOurs ? `${(rate(ours) / rate(b)).toFixed(2)}×` : '';
  const size = ours && !isOurs ? `${(ours.bytes / b.bytes).toFixed(3)}` : '';
  const codecLabel = job.codec === 'zstd' ? `zstd(${job.level ?? 1})` : job.codec;
  const [base, workers] = job.writer.split('@');
  const name = workers === undefined ? (label[job.writer] ?? job.writer) : `${(label[base!] ?? base!).replace(/\)$/, '')}, ${workers} workers)`;
  lines.push(
    `| ${name} | ${codecLabel} | ${fmtRate(rate(b))} | ${(b.ms / 1000).toFixed(2)} s | ` +
      `${b.peakRssMB.toFixed(0)} MB | ${b.baselineRssMB.toFixed(0)} MB | ${(b.bytes / 1e6).toFixed(1)} MB | ${b.rowGroups ?? ''} | ${speed} | ${size} |`,
  );
}
if (stream) {
  lines.push('');
  lines.push(
    `Streaming: ${streamRows.toLocaleString('en-US')} rows generated lazily → NodeFileSink (snappy): ` +
      `${(stream.ms / 1000).toFixed(1)} s including generation (${fmtRate(rate(stream))} rows/s), peak RSS ${stream.peakRssMB.toFixed(0)} MB ` +
      `(target < 400 MB), ${(stream.bytes / 1e6).toFixed(0)} MB, ${stream.rowGroups} row groups; ` +
      `read back: pyarrow ${streamCheck?.rows ?? '?'} rows, DuckDB ${streamCheck?.duckdbRows ?? '?'} rows.`,
  );
}
lines.push('');
lines.push('Read-back (pyarrow values compared with the source columns, DuckDB count):');
for (const v of verify) {
  const name = v.file.slice(outDir.length + 1);
  lines.push(
    `- ${name}: ${v.error ? `ERROR ${v.error}` : `${v.rows} rows, ${v.equal ? 'values equal' : `MISMATCH ${v.mismatched?.join(', ') ?? ''}`}, DuckDB ${v.duckdbRows ?? '?'} rows`}`,
  );
}
const pw = best(`parquet-wasm/${codecs[0]}`);
if (pw?.prepareMs !== undefined) lines.push(`\nparquet-wasm: Table.fromIPCStream (not timed above) took ${(pw.prepareMs / 1000).toFixed(2)} s more.`);

// Targets.
lines.push('');
lines.push('Targets:');
for (const codec of codecs) {
  const ours = best(`ours-rows/${codec}`);
  const cols = best(`ours-columns/${codec}`);
  const hy = best(`hyparquet/${codec}`);
  const wasm = best(`parquet-wasm/${codec}`);
  const pa = best(`pyarrow/${codec}`);
  if (!ours) continue;
  const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  if (hy)
    lines.push(
      `- ${codec}: ≥ 2× hyparquet-writer rows/s: rows ${(rate(ours) / rate(hy)).toFixed(2)}×${cols ? `, columns ${(rate(cols) / rate(hy)).toFixed(2)}×` : ''} — ${mark(rate(ours) / rate(hy) >= 2)}`,
    );
  if (wasm)
    lines.push(
      `- ${codec}: ≥ 1× parquet-wasm rows/s: rows ${(rate(ours) / rate(wasm)).toFixed(2)}×${cols ? `, columns ${(rate(cols) / rate(wasm)).toFixed(2)}×` : ''} — ${mark(rate(ours) / rate(wasm) >= 1)}`,
    );
  if (pa)
    lines.push(
      `- ${codec}: size ≤ 1.05× pyarrow${codec === 'zstd' ? ' (both level 1)' : ''}: ${(ours.bytes / pa.bytes).toFixed(3)}× — ${mark(ours.bytes / pa.bytes <= 1.05)}`,
    );
}
// Targets with 2 workers (snappy): write time ≤ 1.5× pyarrow's and rows/s ≥ 5× hyparquet-writer's.
for (const input of ['rows', 'columns', 'arrow']) {
  const par = best(`ours-${input}@2/snappy`);
  const pa = best('pyarrow/snappy');
  const hy = best('hyparquet/snappy');
  if (!par) continue;
  const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  if (pa) lines.push(`- snappy, 2 workers (${input}): time ≤ 1.5× pyarrow's: ${(par.ms / pa.ms).toFixed(2)}× — ${mark(par.ms / pa.ms <= 1.5)}`);
  if (hy)
    lines.push(`- snappy, 2 workers (${input}): ≥ 5× hyparquet-writer rows/s: ${(rate(par) / rate(hy)).toFixed(2)}× — ${mark(rate(par) / rate(hy) >= 5)}`);
  const parZstd = best(`ours-${input}@2/zstd`);
  const hyZstd = best('hyparquet/zstd');
  if (parZstd && hyZstd) lines.push(`- zstd, 2 workers (${input}): ${(rate(parZstd) / rate(hyZstd)).toFixed(2)}× hyparquet-writer rows/s`);
}
if (stream)
  lines.push(
    `- streaming ${streamRows.toLocaleString('en-US')} rows peak RSS < 400 MB: ${stream.peakRssMB.toFixed(0)} MB — ${stream.peakRssMB < 400 ? 'met' : 'NOT met'}`,
  );

const report = lines.join('\n');
process.stdout.write(`${report}\n`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rows, repeats, seed, results: Object.fromEntries(results), stream, streamCheck, verify }, null, 2));
