// One backfill shard's throughput and peak RSS on a pubnet-like generated lake, with one CPU
// (taskset -c 0) and with two: `node --import tsx bench/backfill-shard.ts [--ledgers N] [--runs R] [--classic-only]`.
// The lake (a few hundred transactions per ledger, ~15% of them Soroban invocations with
// their contract data changes and events) is generated once into bench/out/ and reused.
// Each run is `cdp-parquet run --shard 0/1` of the whole lake (ContractData + ContractEvents
// -> SaveToParquet on local disk, the settings of deploy/pipeline.yaml); ledgers/s is the
// run's own count over its own time (process start-up excluded), peak RSS from /usr/bin/time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { ledgers: { type: 'string', default: '600' }, runs: { type: 'string', default: '3' }, 'classic-only': { type: 'boolean', default: false } },
});
const LEDGERS = Number(values.ledgers);
const RUNS = Number(values.runs);
const FIRST = 50_457_600;
const soroban: [number, number] = values['classic-only'] ? [0, 0] : [30, 60];
const lake = join(ROOT, 'bench/out', `pubnet-like-${LEDGERS}${values['classic-only'] ? '-classic' : ''}`);

if (!existsSync(join(lake, '.config.json'))) {
  const t = Date.now();
  const s = await generateSampleLake(lake, { ledgers: LEDGERS, startLedger: FIRST, seed: 54, classicPerLedger: [200, 300], sorobanPerLedger: soroban });
  console.log(
    `generated ${lake}: ${s.transactions} transactions (${(s.transactions / LEDGERS).toFixed(0)} per ledger, ${s.failedTransactions} failed), ` +
      `${s.contractDataChanges} contract data changes, ${s.contractEvents} events, in ${((Date.now() - t) / 1000).toFixed(0)} s`,
  );
}

function pipeline(out: string): string {
  return `name: bench
source:
  type: FSBufferedStorageSourceAdapter
  config: { path: ${lake}, network: standalone, start_ledger: ${FIRST}, end_ledger: ${FIRST + LEDGERS - 1}, buffer_size: 200, num_workers: 32 }
processors:
  - type: ContractData
  - type: ContractEvents
consumers:
  - type: SaveToParquet
    config: { storage_type: FS, local_path: ${out}, path_prefix: stellar, compression: zstd, partition_by: ledger_range, ledgers_per_file: 64000, buffer_size: 250000, max_file_size_mb: 256 }
`;
}

interface Result {
  cpus: string;
  ledgersPerSecond: number;
  rssMiB: number;
  load: number;
  cpuSeconds: number;
  wallSeconds: number;
}
const results: Result[] = [];
for (let r = 0; r < RUNS; r++) {
  for (const cpus of ['0', '0,1']) {
    const dir = mkdtempSync(join(tmpdir(), 'cdp-bench-shard-'));
    const yaml = join(dir, 'p.yaml');
    writeFileSync(yaml, pipeline(join(dir, 'lake')));
    const load = loadavg()[0]!;
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'RSS_KB %M CPU %U %S WALL %e',
        'taskset',
        '-c',
        cpus,
        process.execPath,
        '--import',
        'tsx',
        join(ROOT, 'packages/lake/src/cli/run-main.ts'),
        'run',
        yaml,
        '--shard',
        '0/1',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    rmSync(dir, { recursive: true, force: true });
    const rate = /done: \[bench\] ([\d.]+) ledgers\/s/.exec(run.stderr);
    const rss = /RSS_KB (\d+) CPU ([\d.]+) ([\d.]+) WALL ([\d.]+)/.exec(run.stderr);
    if (run.status !== 0 || rate === null || rss === null) throw new Error(`run failed (${run.status}):\n${run.stderr}`);
    const res = {
      cpus,
      ledgersPerSecond: Number(rate[1]),
      rssMiB: Math.round(Number(rss[1]) / 1024),
      load,
      cpuSeconds: Number(rss[2]) + Number(rss[3]),
      wallSeconds: Number(rss[4]),
    };
    results.push(res);
    // CPU time (user + system, start-up included) is what contention from other processes changes least.
    console.log(
      `run ${r + 1}, CPUs ${cpus}: ${res.ledgersPerSecond} ledgers/s, peak RSS ${res.rssMiB} MiB, ` +
        `${res.cpuSeconds.toFixed(1)} CPU s / ${res.wallSeconds.toFixed(1)} s wall for ${LEDGERS} ledgers (load average before: ${load.toFixed(1)})`,
    );
  }
}
for (const cpus of ['0', '0,1']) {
  const mine = results.filter((x) => x.cpus === cpus).sort((a, b) => a.ledgersPerSecond - b.ledgersPerSecond);
  const median = mine[Math.floor(mine.length / 2)]!;
  const cpu = mine.map((x) => x.cpuSeconds).sort((a, b) => a - b);
  console.log(
    `${cpus === '0' ? '1 CPU ' : '2 CPUs'}: median ${median.ledgersPerSecond} ledgers/s (min ${mine[0]!.ledgersPerSecond}, max ${mine.at(-1)!.ledgersPerSecond}), ` +
      `peak RSS max ${Math.max(...mine.map((x) => x.rssMiB))} MiB, CPU time median ${cpu[Math.floor(cpu.length / 2)]!.toFixed(1)} s (${(LEDGERS / cpu[Math.floor(cpu.length / 2)]!).toFixed(1)} ledgers per CPU-second)`,
  );
}
