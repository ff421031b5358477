// Whole-pipeline throughput on the protocol-23 load-test ledgers (3 ledgers per pass: 1000
// contract_data rows and 2000 contract_events rows), in ledgers/s and rows/s:
//   extract <Dataset> (<profile>) each ledger dataset's extractor alone, per profile, and
//                            every ledger dataset together per profile (and into the consumer)
//   decode: full fromXDR     LedgerCloseMeta.fromXDR per ledger (the SDK baseline, no rows)
//   fast decode + processors ContractData + ContractEvents on the byte scanner (default mode)
//   ... + SaveToParquet      the real consumer on local FS, as configured by default
//                            (encode_workers auto) and with encode_workers 0
//   ... + Parquet            the same, then the consumer's table conversion (normaliseMessage +
//                            the compiled row converter) and ParquetWriter (snappy) into a MemorySink; one
//                            writer per table per "file" of FILE_PASSES passes, close included
//   Parquet side only        conversion + writer on pre-built messages (the increment, measured
//                            on its own as a cross-check of the subtraction), then split into
//                            the ParquetWriter alone (pre-converted rows) and the conversion alone.
//                            A lower bound: the same message objects every pass, long promoted
//                            to V8's old generation with their strings' hashes cached, where the
//                            pipeline's are fresh each pass
// The 3 ledgers are repeated until each case has run for `seconds`; the median of ROUNDS
// rounds is reported so one GC pause or scheduler hiccup does not move the numbers.
// Run: [BUFFER_SIZE=rows-per-file] [BENCH_VERBOSE=1] node --import tsx bench/pipeline-throughput.ts [seconds-per-round] [rounds]
// (BENCH_VERBOSE prints every round's time and overhead, to see the spread behind a median).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xdr } from '@stellar/stellar-sdk';
import { ParquetWriter, MemorySink } from '../packages/writer/src/index.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { ledgerRecordFromBytes, type LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { zstdDecompress } from '../packages/lake/src/pipeline/source/zstd.js';
import { contractDataProcessor } from '../test/support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from '../test/support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { DATASETS } from '../packages/lake/src/datasets/registry.js';
import { PROFILES, optionsFrom, type ProfileName } from '../packages/lake/src/datasets/dataset.js';
import { DatasetProcessor } from '../packages/lake/src/pipeline/processors/dataset-processor.js';
import type { PipelineMessage } from '../packages/lake/src/pipeline/message.js';
import { clearBytesMemos } from '../packages/lake/src/stellar/bytes-memo.js';
import { normaliseMessage } from '../packages/lake/src/consumer/message-input.js';
import { compileRowConverter, type RowConverter } from '../packages/lake/src/consumer/tables/row-converter.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import type { TableSchema } from '../packages/lake/src/consumer/table-catalog.js';
import { SaveToParquet } from '../packages/lake/src/consumer/save-to-parquet.js';
import { resolveEncodeWorkers } from '../packages/lake/src/consumer/encode-workers.js';

const FILE = '/work/shared/fixtures/stellar/load-test-ledgers-v23-standalone.xdr.zstd';
const PASSPHRASE = 'Standalone Network ; February 2017';
const seconds = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 5);
/** The consumer case's buffer_size (rows per file): the Go design's default unless BUFFER_SIZE says otherwise. */
const BUFFER_SIZE = Number(process.env.BUFFER_SIZE ?? 10_000);
/** Passes per Parquet "file": 20 passes = 60 ledgers, ~60k rows, a realistic file size. */
const FILE_PASSES = 20;

const compressed = readFileSync(FILE);
const ledgers = await readLedgerStream(new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength));
const raw = ledgers.map((l) => l.bytes);
// Fresh records each pass: LedgerRecord caches its decode, which would flatter later passes.
// For the same reason the processors' memos (contract ids, key hashes, topic texts) start
// empty each pass: only repetition within the 3 ledgers counts, a lower bound of what a
// stream of consecutive ledgers sees.
const fresh = (): LedgerRecord[] => {
  clearBytesMemos();
  return raw.map((b) => ledgerRecordFromBytes(b));
};

const catalog = datasetCatalog();
interface TableDef {
  schema: TableSchema;
  toRow: RowConverter;
}
const tables = new Map<string, TableDef>(
  catalog
    .all()
    .filter((t) => t.profile === 'default')
    .map((t) => [t.name, { schema: t, toRow: compileRowConverter(t) }]),
);
const data = contractDataProcessor({ networkPassphrase: PASSPHRASE });
const events = contractEventsProcessor();

function processors(ls: LedgerRecord[]): PipelineMessage[] {
  const out: PipelineMessage[] = [];
  for (const l of ls) {
    for (const m of data.process(l)) out.push(m);
    for (const m of events.process(l)) out.push(m);
  }
  return out;
}

/** One Parquet "file" per table, as the consumer keeps open while ledgers stream in. */
class ParquetSide {
  private readonly writers = new Map<string, { w: ParquetWriter<Record<string, unknown>>; sink: MemorySink; def: TableDef }>();
  bytes = 0;

  async write(msgs: PipelineMessage[]): Promise<void> {
    const batches = new Map<string, Record<string, unknown>[]>();
    for (const m of msgs) {
      const rec = normaliseMessage(m, catalog);
      let rows = batches.get(rec.table);
      if (!rows) batches.set(rec.table, (rows = []));
      rows.push(tables.get(rec.table)!.toRow(rec));
    }
    for (const [table, rows] of batches) {
      let e = this.writers.get(table);
      if (!e) {
        const def = tables.get(table)!;
        const sink = new MemorySink();
        e = { w: new ParquetWriter<Record<string, unknown>>(def.schema.fields, sink, { compression: 'snappy' }), sink, def };
        this.writers.set(table, e);
      }
      await e.w.writeRows(rows);
    }
  }

  async close(): Promise<void> {
    for (const { w } of this.writers.values()) this.bytes += (await w.close()).bytes;
    this.writers.clear();
  }
}

interface Result {
  name: string;
  msPerPass: number;
  rowsPerPass: number;
  samples: number[];
}
interface Case {
  name: string;
  round: (passes: number) => Promise<number> | number;
}

const cases: Case[] = [];
/** Registers a case; `round` runs n passes and returns rows per pass. */
function addCase(name: string, round: Case['round']): void {
  cases.push({ name, round });
}

/**
 * Runs every case: a warm-up (JIT, dictionaries, codec init) and a calibration of passes per
 * round each, then ROUNDS rounds in which every case runs once, in an order that rotates.
 * This machine's speed drifts by 10-15% over minutes; interleaving puts each case's rounds
 * next to the others', and the overheads below are medians of per-round ratios.
 */
async function runAll(): Promise<Result[]> {
  const plan: { c: Case; passes: number; rowsPerPass: number; samples: number[] }[] = [];
  for (const c of cases) {
    const rowsPerPass = await c.round(2);
    const t = performance.now();
    await c.round(FILE_PASSES);
    const per = (performance.now() - t) / FILE_PASSES;
    const passes = Math.max(FILE_PASSES, Math.round((seconds * 1000) / per / FILE_PASSES) * FILE_PASSES);
    plan.push({ c, passes, rowsPerPass, samples: [] });
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < plan.length; k++) {
      const p = plan[(k + r) % plan.length]!;
      const t0 = performance.now();
      await p.c.round(p.passes);
      p.samples.push((performance.now() - t0) / p.passes);
    }
  }
  return plan.map((p) => ({ name: p.c.name, msPerPass: median(p.samples), rowsPerPass: p.rowsPerPass, samples: p.samples }));
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rowsOf = processors(fresh()).length;
console.log(
  `load test: ${raw.length} ledgers/pass (${ledgers.map((l) => l.sequence).join(', ')}), ${raw.reduce((n, b) => n + b.length, 0)} bytes XDR, ${rowsOf} rows/pass; node ${process.version}; ${seconds}s x ${ROUNDS} interleaved rounds per case`,
);

addCase('zstd decompress (file)', async (n) => {
  for (let i = 0; i < n; i++) await zstdDecompress(compressed);
  return 0;
});
addCase('decode: full fromXDR', (n) => {
  for (let i = 0; i < n; i++) for (const b of raw) xdr.LedgerCloseMeta.fromXDR(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return 0;
});
// Each dataset's extractor alone, in each profile (what a table costs on top of reading the
// ledger), and every ledger dataset together in each profile.
const ledgerDatasets = DATASETS.filter((d) => d.open !== undefined);
const datasetProcessors = (profile: ProfileName, only?: string): DatasetProcessor[] =>
  ledgerDatasets
    .filter((d) => d.tables[profile] !== undefined && (only === undefined || d.processor === only))
    .map((d) => new DatasetProcessor(d, { profile, networkPassphrase: PASSPHRASE, options: optionsFrom({}) }));
const extractCase =
  (ps: DatasetProcessor[]) =>
  (n: number): number => {
    let rows = 0;
    for (let i = 0; i < n; i++) for (const l of fresh()) for (const p of ps) rows += p.process(l).length;
    return rows / n;
  };
const ALL_DEFAULT = 'all ledger datasets (default profile)';
for (const profile of PROFILES) {
  for (const d of ledgerDatasets)
    if (d.tables[profile] !== undefined) addCase(`extract ${d.processor} (${profile})`, extractCase(datasetProcessors(profile, d.processor)));
  addCase(profile === 'default' ? ALL_DEFAULT : `all ledger datasets (${profile} profile)`, extractCase(datasetProcessors(profile)));
}
// Every case takes the ledgers one at a time, as the host delivers them (pipeline-runner.ts:
// a ledger's rows are processed and handed over before the next ledger). The decode-only
// baseline must take them the same way: a baseline fed a whole pass at once runs at a
// different speed and shifts every overhead computed against it.
addCase('fast decode + processors', (n) => {
  let rows = 0;
  for (let i = 0; i < n; i++) for (const l of fresh()) rows += processors([l]).length;
  return rows / n;
});
let parquetBytes = 0;
addCase('... + Parquet (snappy)', async (n) => {
  let rows = 0;
  for (let done = 0; done < n;) {
    const side = new ParquetSide();
    const k = Math.min(FILE_PASSES, n - done);
    for (let i = 0; i < k; i++) {
      for (const l of fresh()) {
        const msgs = processors([l]);
        rows += msgs.length;
        await side.write(msgs);
      }
    }
    await side.close();
    parquetBytes = side.bytes / k;
    done += k;
  }
  return rows / n;
});
// The real consumer: SaveToParquet on local FS (staging, rotation at buffer_size, atomic
// rename, checkpoints), as `cdp-parquet run` uses it. A pipeline runs for hours, so each case
// keeps one consumer across its rounds, as a long run keeps it: the rounds measure the steady
// state (rotations, commits, backpressure waits included), and the one-off start-up and final
// close are timed apart and reported below, not spread over a 2-second round. The consumer
// refuses a ledger it has completed, so each pass is relabelled as the next 3 ledgers.
const lakeDir = mkdtempSync(join(tmpdir(), 'cdp-parquet-bench-lake-'));
let nextLedger = 1;
interface LongRun {
  consumer: SaveToParquet;
  startMs: number;
  closeMs: number;
  stats?: ReturnType<SaveToParquet['getMetrics']>;
}
type Workers = number | 'auto';
const longRuns = new Map<Workers | string, LongRun>();
async function longRun(encodeWorkers: Workers, key: Workers | string = encodeWorkers): Promise<LongRun> {
  let run = longRuns.get(key);
  if (run === undefined) {
    const t = performance.now();
    const consumer = await SaveToParquet.create(
      {
        storage_type: 'FS',
        local_path: join(lakeDir, `workers-${key}`),
        compression: 'snappy',
        partition_by: 'ledger_range',
        ledgers_per_file: 100,
        buffer_size: BUFFER_SIZE,
        encode_workers: encodeWorkers,
      },
      { log: () => undefined, tables: catalog },
    );
    longRuns.set(key, (run = { consumer, startMs: performance.now() - t, closeMs: 0 }));
  }
  return run;
}
const consumerCase =
  (encodeWorkers: Workers, extract: (ls: LedgerRecord[]) => PipelineMessage[] = processors, key: Workers | string = encodeWorkers) =>
  async (n: number): Promise<number> => {
    const { consumer } = await longRun(encodeWorkers, key);
    let rows = 0;
    for (let i = 0; i < n; i++) {
      // As the host delivers: a ledger's rows from every extractor in one processBatch call,
      // then ledgerComplete.
      for (const l of fresh()) {
        const seq = nextLedger++;
        const msgs = extract([l]);
        for (const m of msgs) {
          m.metadata.ledger_sequence = seq;
          if ('ledger' in m.payload) m.payload.ledger = seq;
          else m.payload.ledger_sequence = seq;
        }
        await consumer.processBatch(msgs);
        await consumer.ledgerComplete(seq);
        rows += msgs.length;
      }
    }
    return rows / n;
  };
// The consumer as configured by default: encode_workers auto, one encode thread on a machine
// with 2+ usable CPUs (the pages are encoded there while this thread goes on decoding) ...
const AUTO = `... + SaveToParquet consumer (FS, snappy; default encode_workers auto = ${resolveEncodeWorkers('auto')})`;
addCase(AUTO, consumerCase('auto'));
// ... and with everything on this thread.
const INLINE = '... + SaveToParquet consumer, encode_workers 0';
addCase(INLINE, consumerCase(0));
// Every ledger dataset (default profile) into the consumer, against extracting them alone.
const allDefault = datasetProcessors('default');
const ALL_CONSUMER = `${ALL_DEFAULT} + SaveToParquet consumer (encode_workers auto)`;
addCase(
  ALL_CONSUMER,
  consumerCase('auto', (ls) => ls.flatMap((l) => allDefault.flatMap((p) => p.process(l))), 'all'),
);
const prebuilt = processors(fresh());
addCase('Parquet side only', async (n) => {
  for (let done = 0; done < n;) {
    const side = new ParquetSide();
    const k = Math.min(FILE_PASSES, n - done);
    for (let i = 0; i < k; i++) await side.write(prebuilt);
    await side.close();
    done += k;
  }
  return prebuilt.length;
});
const converted = new Map<string, Record<string, unknown>[]>();
for (const m of prebuilt) {
  const rec = normaliseMessage(m, catalog);
  let rows = converted.get(rec.table);
  if (!rows) converted.set(rec.table, (rows = []));
  rows.push(tables.get(rec.table)!.toRow(rec));
}
addCase('  of which ParquetWriter', async (n) => {
  for (let done = 0; done < n;) {
    const k = Math.min(FILE_PASSES, n - done);
    for (const [table, rows] of converted) {
      const w = new ParquetWriter<Record<string, unknown>>(tables.get(table)!.schema.fields, new MemorySink(), { compression: 'snappy' });
      for (let i = 0; i < k; i++) await w.writeRows(rows);
      await w.close();
    }
    done += k;
  }
  return prebuilt.length;
});
addCase('  of which table conversion', (n) => {
  let rows = 0;
  for (let i = 0; i < n; i++)
    for (const m of prebuilt) {
      const rec = normaliseMessage(m, catalog);
      tables.get(rec.table)!.toRow(rec);
      rows++;
    }
  return rows / n;
});

const results = await runAll();
for (const run of longRuns.values()) {
  const t = performance.now();
  await run.consumer.close();
  run.closeMs = performance.now() - t;
  run.stats = run.consumer.getMetrics();
}
rmSync(lakeDir, { recursive: true, force: true });

console.log(`\n| case | ms/pass | ledgers/s | rows/s |\n|---|---:|---:|---:|`);
for (const r of results) {
  const lps = (raw.length * 1000) / r.msPerPass;
  const rps = r.rowsPerPass ? ((r.rowsPerPass * 1000) / r.msPerPass).toFixed(0) : '-';
  console.log(`| ${r.name} | ${r.msPerPass.toFixed(2)} | ${lps.toFixed(1)} | ${rps} |`);
}
const get = (n: string): Result => results.find((r) => r.name === n)!;
const by = (n: string): number => get(n).msPerPass;
/** Median over rounds of case a's time over case b's in the same round (both ran minutes apart at most). */
const ratio = (a: string, b: string): number => median(get(a).samples.map((x, r) => x / get(b).samples[r]!));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const DECODE = 'fast decode + processors';
const full = by('decode: full fromXDR');
const fast = by(DECODE);
console.log(
  `\nParquet output: ${(parquetBytes / 1024).toFixed(0)} KiB per pass (snappy), ${(raw.reduce((n, b) => n + b.length, 0) / 1024).toFixed(0)} KiB XDR in`,
);
for (const [workers, run] of longRuns) {
  const m = run.stats!;
  console.log(
    `consumer (buffer_size ${BUFFER_SIZE}, encode_workers ${workers === 'auto' ? `auto = ${resolveEncodeWorkers('auto')}` : workers}), whole run: ${m.files_written} files, ${m.records_written} rows, ${(m.bytes_written / m.records_written).toFixed(1)} bytes per row; start-up ${run.startMs.toFixed(1)} ms, final close ${run.closeMs.toFixed(1)} ms (once per run, outside the rounds)`,
  );
}
console.log(`fast decode + processors vs full fromXDR: ${(full / fast).toFixed(2)}x faster`);
console.log('overheads over decoding (fast decode + processors), medians of per-round ratios - target <= 30%:');
console.log(
  `  with the SaveToParquet consumer itself (files on local FS), as configured by default (encode_workers auto = ${resolveEncodeWorkers('auto')} here): adds ${pct(ratio(AUTO, DECODE) - 1)}; with encode_workers 0: ${pct(ratio(INLINE, DECODE) - 1)}`,
);
console.log(
  `  conversion + ParquetWriter in the same loop: ${pct(ratio('... + Parquet (snappy)', DECODE) - 1)} (measured alone: ${pct(ratio('Parquet side only', DECODE))})`,
);
console.log(`  ParquetWriter alone: ${pct(ratio('  of which ParquetWriter', DECODE))}; table conversion: ${pct(ratio('  of which table conversion', DECODE))}`);
console.log(`  every ledger dataset (default profile) with the consumer, over extracting them alone: adds ${pct(ratio(ALL_CONSUMER, ALL_DEFAULT) - 1)}`);
console.log("each dataset's extraction, ms per pass (the ledger read included; tables share a ledger's read when run together):");
for (const r of results.filter((x) => x.name.startsWith('extract ')))
  console.log(
    `  ${r.name}: ${r.msPerPass.toFixed(2)} ms/pass, ${((raw.length * 1000) / r.msPerPass).toFixed(1)} ledgers/s, ${r.rowsPerPass.toFixed(0)} rows/pass`,
  );
if (process.env.BENCH_VERBOSE) {
  for (const r of results)
    console.log(
      `  ${r.name}: per round ${r.samples.map((x) => x.toFixed(2)).join(' ')} ms/pass; over decoding ${r.samples.map((x, k) => pct(x / get(DECODE).samples[k]! - 1)).join(' ')}`,
    );
}
console.log(`Parquet side is ${(((by('... + Parquet (snappy)') - fast) / full) * 100).toFixed(1)}% of a full fromXDR decode`);
