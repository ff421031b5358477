/**
 * Parallel-encoding benchmark: 1,000,000 contract-data rows (bench/writer-data.ts)
 * written with writeRows to a MemorySink, for each worker count, interleaved and repeated
 * (best time kept: the machine is shared); worker start-up is inside the timed section.
 * Also checks that every run produced the same bytes.
 *
 *   node --import tsx bench/writer-parallel.ts [--rows 1000000] [--workers 0,1,2] [--repeats 3]
 *        [--codec snappy] [--seed N] [--input rows|columns|arrow] [--compiled]
 *
 * --input columns writes the same data as one column batch (writeColumns), the input form
 * pyarrow's write_table gets; --input arrow the same batch with strings and binary in Arrow's
 * offsets + bytes layout (as pyarrow's table holds them); rows (default) goes through writeRows.
 *
 * With --compiled the run happens in tsc-compiled JavaScript (as the package ships), so the
 * workers load encode-worker.js instead of going through tsx.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemorySink, ParquetWriter } from '../packages/writer/src/index.js';
import { DEFAULT_SEED, contractDataRows, contractDataSchema, toArrowColumns, toColumns, type ContractDataRow } from './writer-data.js';
import type { ColumnBatch } from '../packages/writer/src/index.js';
import { buildBench } from './writer-build.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

if (process.argv.includes('--compiled')) {
  const build = buildBench();
  const args = process.argv.slice(2).filter((a) => a !== '--compiled');
  const r = spawnSync(process.execPath, [join(build, 'bench/writer-parallel.js'), ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const rowCount = Number(arg('rows', '1000000'));
const workerCounts = arg('workers', '0,1,2').split(',').map(Number);
const repeats = Number(arg('repeats', '3'));
const codec = arg('codec', 'snappy');
const seed = Number(arg('seed', String(DEFAULT_SEED)));
const input = arg('input', 'rows');
if (input !== 'rows' && input !== 'columns' && input !== 'arrow') throw new Error(`--input must be rows, columns or arrow, got ${input}`);

const t0 = performance.now();
let rows: ContractDataRow[] = [...contractDataRows(rowCount, { seed })];
const columns = input === 'columns' ? toColumns(rows) : input === 'arrow' ? toArrowColumns(rows) : undefined;
if (columns) rows = [];
process.stderr.write(`generated ${rowCount} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

async function once(workers: number): Promise<{ ms: number; bytes: number; hash: string; rowGroups: number }> {
  const sink = new MemorySink();
  const start = performance.now();
  const writer = new ParquetWriter(contractDataSchema, sink, { compression: codec, workers });
  if (columns) await writer.writeColumns({ columns } as unknown as ColumnBatch);
  else await writer.writeRows(rows);
  const summary = await writer.close();
  const ms = performance.now() - start;
  const bytes = sink.bytes();
  return { ms, bytes: bytes.length, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16), rowGroups: summary.rowGroups };
}

const best = new Map<number, number>();
const hashes = new Set<string>();
let size = 0;
let groups = 0;
for (let r = 0; r < repeats; r++) {
  for (const w of workerCounts) {
    const res = await once(w);
    hashes.add(res.hash);
    size = res.bytes;
    groups = res.rowGroups;
    best.set(w, Math.min(best.get(w) ?? Infinity, res.ms));
    process.stderr.write(`  repeat ${r + 1} workers ${w}: ${res.ms.toFixed(0)} ms (${res.hash})\n`);
  }
}

const base = best.get(workerCounts[0]!)!;
console.log(
  `${rowCount} contract-data rows as ${input === 'columns' ? 'one column batch' : input === 'arrow' ? 'one Arrow-layout column batch' : 'row objects'}, ${codec}, ${size} bytes in ${groups} row group(s), best of ${repeats}; ` +
    `outputs ${hashes.size === 1 ? 'byte-identical' : `DIFFER (${hashes.size} variants)`}`,
);
console.log('workers | ms    | rows/s    | speedup');
for (const w of workerCounts) {
  const ms = best.get(w)!;
  console.log(
    `${String(w).padEnd(7)} | ${ms.toFixed(0).padEnd(5)} | ${Math.round(rowCount / (ms / 1000))
      .toLocaleString('en-US')
      .padEnd(9)} | ${(base / ms).toFixed(2)}x`,
  );
}
if (hashes.size !== 1) process.exitCode = 1;
