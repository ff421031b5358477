/**
 * One benchmark measurement in its own process (so peak RSS belongs to one writer):
 *
 *   node --expose-gc --import tsx bench/writer-run.ts --writer W --codec snappy|zstd \
 *        --rows N --out file.parquet [--seed S] [--level L] [--ipc file.arrows] [--workers N]
 *
 * Writers: ours-rows, ours-columns, ours-arrow (strings and binary in Arrow's offsets + bytes
 * layout), ours-stream (lazy rows to a NodeFileSink; --workers N
 * sets their options.workers),
 * hyparquet (column data), hyparquet-rows (parquetWriteRows), parquet-wasm (from an
 * Arrow IPC stream prepared by bench/writer-pyarrow.py); `dump` writes the raw column
 * buffers pyarrow loads (--out is then a directory).
 *
 * Input data is generated (or loaded) before the clock starts; only the write is timed,
 * and for in-memory writers the bytes are saved to --out after the clock stops.
 * Prints one JSON line with the result.
 */
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ParquetWriter, MemorySink, createCodec, type ColumnBatch } from '../src/index.js';
import { NodeFileSink } from '../src/node.js';
import { COLUMNS, DEFAULT_SEED, contractDataRows, dumpColumns, contractDataSchema, toArrowColumns, toColumns, type ContractDataRow } from './writer-data.js';

interface Args { writer: string; codec: string; rows: number; out: string; seed: number; level?: number; ipc?: string; workers: number }

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const writer = get('writer');
  const out = get('out');
  if (!writer || !out) throw new Error('usage: writer-run.ts --writer W --codec C --rows N --out FILE');
  const level = get('level');
  const ipc = get('ipc');
  return {
    writer, out,
    codec: get('codec') ?? 'snappy',
    rows: Number(get('rows') ?? 1_000_000),
    seed: Number(get('seed') ?? DEFAULT_SEED),
    workers: Number(get('workers') ?? 0),
    ...(level !== undefined ? { level: Number(level) } : {}),
    ...(ipc !== undefined ? { ipc } : {}),
  };
}

function settle(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().rss;
}

const MB = 1024 * 1024;

/** One run's measurements, printed as the last line of JSON for bench/writer-contract-data.ts. */
export interface Result {
  writer: string;
  codec: string;
  level?: number;
  rows: number;
  ms: number;
  bytes: number;
  rowGroups?: number;
  peakRssMB: number;
  baselineRssMB: number;
  prepareMs?: number;
  note?: string;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const writerOptions = { ...(a.level !== undefined ? { compressionLevel: a.level } : {}), workers: a.workers };
  let result: Omit<Result, 'peakRssMB' | 'baselineRssMB'> & { baselineRssMB?: number };

  if (a.writer === 'dump') {
    const t0 = performance.now();
    dumpColumns([...contractDataRows(a.rows, { seed: a.seed })], a.out, a.seed);
    process.stdout.write(JSON.stringify({ writer: 'dump', rows: a.rows, ms: performance.now() - t0 }) + '\n');
    return;
  }
  if (a.writer === 'ours-stream') {
    // Pull the first row so the generator's key pool exists before the baseline is taken.
    const source = contractDataRows(a.rows, { seed: a.seed });
    const first = source.next();
    const all = function* (): Generator<ContractDataRow> {
      if (!first.done) yield first.value;
      yield* source;
    };
    const baseline = settle();
    const t0 = performance.now();
    const writer = new ParquetWriter(contractDataSchema, new NodeFileSink(a.out), { compression: a.codec, ...writerOptions });
    await writer.writeRows(all());
    const summary = await writer.close();
    const ms = performance.now() - t0;
    result = { writer: a.writer, codec: a.codec, rows: summary.rows, ms, bytes: statSync(a.out).size, rowGroups: summary.rowGroups,
      baselineRssMB: baseline / MB, note: 'includes row generation' };
  } else if (a.writer === 'parquet-wasm') {
    if (!a.ipc) throw new Error('parquet-wasm needs --ipc (prepared by writer-pyarrow.py)');
    const pw = await import('parquet-wasm');
    const ipc = new Uint8Array(readFileSync(a.ipc));
    const baseline = settle();
    const t0 = performance.now();
    const table = pw.Table.fromIPCStream(ipc);
    const t1 = performance.now();
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(a.codec === 'zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY)
      .build();
    const bytes = pw.writeParquet(table, props);
    const t2 = performance.now();
    writeFileSync(a.out, bytes);
    result = { writer: a.writer, codec: a.codec, rows: a.rows, ms: t2 - t1, prepareMs: t1 - t0, bytes: bytes.length,
      baselineRssMB: baseline / MB, note: 'timed: writeParquet only (Table.fromIPCStream in prepareMs)' };
  } else {
    const rows = [...contractDataRows(a.rows, { seed: a.seed })];
    if (a.writer === 'ours-rows') {
      const baseline = settle();
      const sink = new MemorySink();
      const t0 = performance.now();
      const writer = new ParquetWriter(contractDataSchema, sink, { compression: a.codec, ...writerOptions });
      await writer.writeRows(rows);
      const summary = await writer.close();
      const ms = performance.now() - t0;
      const bytes = sink.bytes();
      writeFileSync(a.out, bytes);
      result = { writer: a.writer, codec: a.codec, rows: summary.rows, ms, bytes: bytes.length, rowGroups: summary.rowGroups, baselineRssMB: baseline / MB };
    } else if (a.writer === 'ours-columns' || a.writer === 'ours-arrow') {
      const columns = a.writer === 'ours-arrow' ? toArrowColumns(rows) : toColumns(rows);
      rows.length = 0;
      const baseline = settle();
      const sink = new MemorySink();
      const t0 = performance.now();
      const writer = new ParquetWriter(contractDataSchema, sink, { compression: a.codec, ...writerOptions });
      await writer.writeColumns({ columns } as unknown as ColumnBatch);
      const summary = await writer.close();
      const ms = performance.now() - t0;
      const bytes = sink.bytes();
      writeFileSync(a.out, bytes);
      result = { writer: a.writer, codec: a.codec, rows: summary.rows, ms, bytes: bytes.length, rowGroups: summary.rowGroups, baselineRssMB: baseline / MB };
    } else if (a.writer === 'hyparquet' || a.writer === 'hyparquet-rows') {
      result = await runHyparquet(a, rows);
    } else {
      throw new Error(`unknown writer ${a.writer}`);
    }
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  const full: Result = { ...result, baselineRssMB: result.baselineRssMB ?? 0, peakRssMB: peak / MB, ...(a.level !== undefined ? { level: a.level } : {}) };
  process.stdout.write(JSON.stringify(full) + '\n');
}

/** hyparquet-writer SchemaElements for the contract-data columns. */
function hyparquetSchema(): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [{ name: 'root', num_children: COLUMNS.length }];
  for (const c of COLUMNS) {
    const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    const base = { name: c.name, repetition_type };
    switch (c.kind) {
      case 'string': elements.push({ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }); break;
      case 'binary': elements.push({ ...base, type: 'BYTE_ARRAY' }); break;
      case 'bool': elements.push({ ...base, type: 'BOOLEAN' }); break;
      // Only the ConvertedType: hyparquet-writer 0.17 writes LogicalType INTEGER's bitWidth
      // with the wrong Thrift type, and pyarrow then rejects the whole footer.
      case 'uint32': elements.push({ ...base, type: 'INT32', converted_type: 'UINT_32' }); break;
      case 'timestamp_us': elements.push({ ...base, type: 'INT64', converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } }); break;
      case 'decimal128': elements.push({ ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', scale: 0, precision: 38,
        logical_type: { type: 'DECIMAL', scale: 0, precision: 38 } }); break;
    }
  }
  return elements;
}

async function runHyparquet(a: Args, rows: ContractDataRow[]): Promise<Omit<Result, 'peakRssMB'>> {
  const hw = await import('hyparquet-writer');
  const schema = hyparquetSchema();
  // hyparquet-writer has snappy built in; other codecs take a compressor function. Give it
  // the same zstd our writer uses (same library, same level), so only the writer differs.
  const compressors: Record<string, (input: Uint8Array) => Uint8Array> = {};
  if (a.codec === 'zstd') {
    const zstd = await createCodec('zstd', a.level !== undefined ? { level: a.level } : {});
    compressors.ZSTD = (input) => zstd.compress(input);
  }
  const codec = a.codec === 'zstd' ? 'ZSTD' : 'SNAPPY';
  // The same row-group size as our writer's default (1,000,000 rows).
  const rowGroupSize = 1_000_000;
  const writer = new hw.ByteWriter();
  let ms: number;
  let baseline: number;
  if (a.writer === 'hyparquet') {
    const cols = toColumns(rows);
    rows.length = 0;
    const columnData = COLUMNS.map((c) => ({ name: c.name, data: cols[c.name] as unknown[] }));
    baseline = settle();
    const t0 = performance.now();
    // Types come from hyparquet-writer's .d.ts: keep the call loosely typed (JS library).
    hw.parquetWrite({ writer, columnData, schema, codec, compressors, rowGroupSize } as unknown as Parameters<typeof hw.parquetWrite>[0]);
    ms = performance.now() - t0;
  } else {
    baseline = settle();
    const t0 = performance.now();
    const columns = COLUMNS.map((c) => ({ name: c.name }));
    hw.parquetWriteRows({ writer, rows, columns, schema, codec, compressors, rowGroupSize } as unknown as Parameters<typeof hw.parquetWriteRows>[0]);
    ms = performance.now() - t0;
  }
  const bytes = writer.getBytes();
  writeFileSync(a.out, bytes);
  return { writer: a.writer, codec: a.codec, rows: a.rows, ms, bytes: bytes.length, baselineRssMB: baseline / MB };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
