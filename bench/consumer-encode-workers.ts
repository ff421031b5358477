/**
 * SaveToParquet with encode_workers 0, 1 and 2 on the writer bench's contract-data rows
 * (bench/writer-data.ts: large key/value XDR columns, where compression dominates), a
 * ledger per processBatch + ledgerComplete, files of buffer_size rows on local FS.
 * Interleaved and repeated; prints each run and the best per setting.
 *
 *   node --import tsx bench/consumer-encode-workers.ts [--rows 200000] [--codec snappy] [--repeats 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractDataRows } from './writer-data.js';
import { SaveToParquet } from '../packages/lake/src/consumer/save-to-parquet.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import type { PipelineMessage } from '../packages/lake/src/pipeline/message.js';

const tables = datasetCatalog();

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const rowCount = Number(arg('rows', '200000'));
const codec = arg('codec', 'snappy');
const repeats = Number(arg('repeats', '3'));
const settings = [0, 1, 2];

// The consumer's contract_data payload: decimals as strings, close times as ISO text.
const ledgers: PipelineMessage[][] = [];
for (const r of contractDataRows(rowCount)) {
  const closed = new Date(Math.floor(r.closed_at / 1000)).toISOString();
  const msg: PipelineMessage = {
    payload: { ...r, balance: r.balance === null ? null : r.balance.toString(), closed_at: closed, ledger_entry_change: 1 },
    metadata: { table: 'contract_data', processor: 'ContractData', ledger_sequence: r.ledger_sequence, ledger_close_time: closed },
  };
  const last = ledgers[ledgers.length - 1];
  if (last && last[0]!.metadata.ledger_sequence === r.ledger_sequence) last.push(msg);
  else ledgers.push([msg]);
}

const dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-bench-encode-workers-'));
const best = new Map<number, number>();
try {
  for (let r = 0; r < repeats; r++) {
    for (const encodeWorkers of settings) {
      rmSync(dir, { recursive: true, force: true });
      const consumer = await SaveToParquet.create(
        { storage_type: 'FS', local_path: dir, compression: codec, buffer_size: 50_000, encode_workers: encodeWorkers },
        { tables, log: () => undefined },
      );
      const t0 = performance.now();
      for (const batch of ledgers) {
        await consumer.processBatch(batch);
        await consumer.ledgerComplete(batch[0]!.metadata.ledger_sequence as number);
      }
      await consumer.close();
      const ms = performance.now() - t0;
      const m = consumer.getMetrics();
      console.log(`repeat ${r + 1} encode_workers ${encodeWorkers}: ${ms.toFixed(0)} ms, ${m.files_written} files, ${m.bytes_written} bytes`);
      best.set(encodeWorkers, Math.min(best.get(encodeWorkers) ?? Infinity, ms));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const base = best.get(0)!;
console.log(
  `\n${rowCount} contract-data rows, ${codec}, best of ${repeats}; Node ${process.version}\n| encode_workers | ms | rows/s | vs 0 |\n|---:|---:|---:|---:|`,
);
for (const [w, ms] of best)
  console.log(`| ${w} | ${ms.toFixed(0)} | ${Math.round((rowCount * 1000) / ms).toLocaleString('en-US')} | ${(base / ms).toFixed(2)}x |`);
