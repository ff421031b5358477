/**
 * One benchmark measurement in its own process (so peak RSS belongs to one writer):
 *
 *   node --expose-gc --import tsx bench/writer-run.ts --writer W --codec snappy|zstd \
 *        --rows N --out file.parquet [--seed S] [--level L] [--ipc file.arrows] [--workers N [--shared]] [--writes N] [--mark]
 *
 * Writers: ours-rows, ours-columns, ours-arrow (strings and binary in Arrow's offsets + bytes
 * layout), ours-stream (lazy rows to a NodeFileSink; --workers N
 * sets their options.workers),
 * hyparquet (column data), hyparquet-rows (parquetWriteRows), parquet-wasm (from an
 * Arrow IPC stream prepared by bench/writer-pyarrow.py); `dump` writes the raw column
 * buffers pyarrow loads (--out is then a directory).
 *
 * Input data is generated (or loaded) before the clock starts; only the write is timed,
 * and for in-memory writers the bytes are saved to --out after the clock stops. With
 * --writes N the process writes N times, each with a new writer: the first write is a
 * cold start (threads, code never run), the best one is what repeated writes reach.
 * --shared: the writers share one EncodeThreads of --workers threads (started in the first write).
 * --mark prints "@mark start|end <i>" to stderr around each write (bench/writer-threads.ts).
 * Prints one JSON line with the result.
 */
import { readFileSync, writeFileSync, writeSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { EncodeThreads, ParquetWriter, MemorySink, createCodec, type ColumnBatch, type RowOf } from '../packages/writer/src/index.js';
import { NodeFileSink } from '../packages/writer/src/node.js';
import { COLUMNS, DEFAULT_SEED, contractDataRows, dumpColumns, contractDataSchema, toArrowColumns, toColumns, type ContractDataRow } from './writer-data.js';

interface Args {
  writer: string;
  codec: string;
  rows: number;
  out: string;
  seed: number;
  level?: number;
  ipc?: string;
  workers: number;
  writes: number;
  mark: boolean;
  shared: boolean;
}

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
    writer,
    out,
    codec: get('codec') ?? 'snappy',
    rows: Number(get('rows') ?? 1_000_000),
    seed: Number(get('seed') ?? DEFAULT_SEED),
    workers: Number(get('workers') ?? 0),
    writes: Number(get('writes') ?? 1),
    mark: argv.includes('--mark'),
    shared: argv.includes('--shared'),
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
  /** The best of `times`. */
  ms: number;
  /** The first write's time: a new process's first writer. */
  firstMs: number;
  /** Every write, in order (--writes N). */
  times: number[];
  /** CPU time of the process (all threads) during the first write. */
  cpuFirstMs: number;
  /** The main thread's CPU time during the first write (Node >= 23.9 only). */
  mainCpuFirstMs?: number;
  bytes: number;
  rowGroups?: number;
  peakRssMB: number;
  baselineRssMB: number;
  prepareMs?: number;
  note?: string;
}

/** What one write returns; the bytes are saved to --out after the clock stopped. */
interface Written {
  rows: number;
  bytes: Uint8Array | number;
  rowGroups?: number;
  prepareMs?: number;
}

/** CPU time (ms) of the whole process and, where Node has process.threadCpuUsage (>= 23.9), of the main thread. */
function cpuNow(): { process: number; main: number | undefined } {
  const p = process.cpuUsage();
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return { process: (p.user + p.system) / 1000, main: thread ? (thread.user + thread.system) / 1000 : undefined };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const writerOptions = { ...(a.level !== undefined ? { compressionLevel: a.level } : {}), workers: a.workers };

  if (a.writer === 'dump') {
    const t0 = performance.now();
    dumpColumns([...contractDataRows(a.rows, { seed: a.seed })], a.out, a.seed);
    process.stdout.write(JSON.stringify({ writer: 'dump', rows: a.rows, ms: performance.now() - t0 }) + '\n');
    return;
  }
  const { next, note } = await prepare(a, writerOptions);
  const baseline = settle();
  const times: number[] = [];
  let first: Written | undefined;
  let cpu: { process: number; main: number | undefined } | undefined;
  for (let i = 0; i < a.writes; i++) {
    const write = await next();
    if (a.mark) writeSync(2, `@mark start ${i}\n`);
    const c0 = cpuNow();
    const t0 = performance.now();
    const w = await write();
    times.push(performance.now() - t0);
    if (a.mark) writeSync(2, `@mark end ${i}\n`);
    if (i === 0) {
      const c1 = cpuNow();
      cpu = { process: c1.process - c0.process, main: c0.main === undefined ? undefined : c1.main! - c0.main };
      if (w.bytes instanceof Uint8Array) writeFileSync(a.out, w.bytes);
      // Only the size is kept: the later writes run without the first file in memory.
      first = { ...w, bytes: w.bytes instanceof Uint8Array ? w.bytes.length : w.bytes };
    }
  }
  const w = first!;
  await shared?.close();
  const peak = process.resourceUsage().maxRSS * 1024;
  const full: Result = {
    writer: a.writer,
    codec: a.codec,
    rows: w.rows,
    ms: Math.min(...times),
    firstMs: times[0]!,
    times,
    cpuFirstMs: cpu!.process,
    ...(cpu!.main !== undefined ? { mainCpuFirstMs: cpu!.main } : {}),
    bytes: w.bytes as number,
    ...(w.rowGroups !== undefined ? { rowGroups: w.rowGroups } : {}),
    ...(w.prepareMs !== undefined ? { prepareMs: w.prepareMs } : {}),
    ...(note !== undefined ? { note } : {}),
    peakRssMB: peak / MB,
    baselineRssMB: baseline / MB,
    ...(a.level !== undefined ? { level: a.level } : {}),
  };
  process.stdout.write(JSON.stringify(full) + '\n');
}

type WriterOptionsArg = { compressionLevel?: number; workers: number | EncodeThreads };

/** A write to time, made ready by `next` outside the clock (a new writer each time, as a program that writes a file meets it). */
type Prepared = { next: () => Promise<() => Promise<Written>>; note?: string };
const each =
  (write: () => Promise<Written>): Prepared['next'] =>
  () =>
    Promise.resolve(write);

/** Builds the writer's input (outside the clock). */
async function prepare(a: Args, writerOptions: WriterOptionsArg): Promise<Prepared> {
  if (a.writer === 'ours-stream') {
    return {
      note: 'includes row generation',
      next: each(async () => {
        const writer = new ParquetWriter(contractDataSchema, new NodeFileSink(a.out), { compression: a.codec, ...writerOptions });
        await writer.writeRows(contractDataRows(a.rows, { seed: a.seed }));
        const summary = await writer.close();
        return { rows: summary.rows, bytes: statSync(a.out).size, rowGroups: summary.rowGroups };
      }),
    };
  }
  if (a.writer === 'parquet-wasm') {
    if (!a.ipc) throw new Error('parquet-wasm needs --ipc (prepared by writer-pyarrow.py)');
    const pw = await import('parquet-wasm');
    const ipc = new Uint8Array(readFileSync(a.ipc));
    return {
      note: 'timed: writeParquet (Table.fromIPCStream before the clock, in prepareMs)',
      // writeParquet consumes its table: each write gets one made from the IPC bytes before the clock.
      next: () => {
        const t0 = performance.now();
        const table = pw.Table.fromIPCStream(ipc);
        const prepareMs = performance.now() - t0;
        return Promise.resolve(() => {
          const props = new pw.WriterPropertiesBuilder().setCompression(a.codec === 'zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY).build();
          return Promise.resolve({ rows: a.rows, bytes: pw.writeParquet(table, props), prepareMs });
        });
      },
    };
  }
  const rows = [...contractDataRows(a.rows, { seed: a.seed })];
  if (a.writer === 'ours-rows') {
    return { next: each(() => writeOurs(a, writerOptions, (w) => w.writeRows(rows))) };
  }
  if (a.writer === 'ours-columns' || a.writer === 'ours-arrow') {
    const columns = a.writer === 'ours-arrow' ? toArrowColumns(rows) : toColumns(rows);
    rows.length = 0;
    return { next: each(() => writeOurs(a, writerOptions, (w) => w.writeColumns({ columns } as unknown as ColumnBatch))) };
  }
  if (a.writer === 'hyparquet' || a.writer === 'hyparquet-rows') return prepareHyparquet(a, rows);
  throw new Error(`unknown writer ${a.writer}`);
}

type OurWriter = ParquetWriter<RowOf<typeof contractDataSchema>>;

/** With --shared: the EncodeThreads every writer of this process uses, started inside the first write. */
let shared: EncodeThreads | undefined;

async function writeOurs(a: Args, options: WriterOptionsArg, fill: (w: OurWriter) => Promise<void>): Promise<Written> {
  const sink = new MemorySink();
  let writerOptions = options;
  if (a.shared && typeof options.workers === 'number' && options.workers > 0) {
    shared ??= await EncodeThreads.start(options.workers);
    writerOptions = { ...options, workers: shared };
  }
  const writer: OurWriter = new ParquetWriter(contractDataSchema, sink, { compression: a.codec, ...writerOptions });
  await fill(writer);
  const summary = await writer.close();
  return { rows: summary.rows, bytes: sink.bytes(), rowGroups: summary.rowGroups };
}

/** hyparquet-writer SchemaElements for the contract-data columns. */
function hyparquetSchema(): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [{ name: 'root', num_children: COLUMNS.length }];
  for (const c of COLUMNS) {
    const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    const base = { name: c.name, repetition_type };
    switch (c.kind) {
      case 'string':
        elements.push({ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } });
        break;
      case 'binary':
        elements.push({ ...base, type: 'BYTE_ARRAY' });
        break;
      case 'bool':
        elements.push({ ...base, type: 'BOOLEAN' });
        break;
      // Only the ConvertedType: hyparquet-writer 0.17 writes LogicalType INTEGER's bitWidth
      // with the wrong Thrift type, and pyarrow then rejects the whole footer.
      case 'uint32':
        elements.push({ ...base, type: 'INT32', converted_type: 'UINT_32' });
        break;
      case 'timestamp_us':
        elements.push({
          ...base,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        });
        break;
      case 'decimal128':
        elements.push({
          ...base,
          type: 'FIXED_LEN_BYTE_ARRAY',
          type_length: 16,
          converted_type: 'DECIMAL',
          scale: 0,
          precision: 38,
          logical_type: { type: 'DECIMAL', scale: 0, precision: 38 },
        });
        break;
    }
  }
  return elements;
}

/**
 * hyparquet-writer with a compressor a user would plug in: snappy is built in; zstd is
 * node:zlib's native zstdCompressSync where this Node has it (>= 22.15), else the same
 * WASM zstd our writer uses on that Node (same library, same level). `native` in the note
 * says which.
 */
async function prepareHyparquet(a: Args, rows: ContractDataRow[]): Promise<Prepared> {
  const hw = await import('hyparquet-writer');
  const schema = hyparquetSchema();
  const compressors: Record<string, (input: Uint8Array) => Uint8Array> = {};
  let note: string | undefined;
  if (a.codec === 'zstd') {
    const level = a.level ?? 1; // our writer's default
    const zlib = await import('node:zlib');
    const native = (zlib as { zstdCompressSync?: (b: Uint8Array, o: object) => Uint8Array }).zstdCompressSync;
    if (native) {
      const params = { [(zlib.constants as Record<string, number>).ZSTD_c_compressionLevel ?? 100]: level };
      compressors.ZSTD = (input) => native(input, { params });
      note = 'zstd: node:zlib native';
    } else {
      const zstd = await createCodec('zstd', { level });
      compressors.ZSTD = (input) => zstd.compress(input);
      note = 'zstd: WASM (this Node has no native zstd)';
    }
  }
  const codec = a.codec === 'zstd' ? 'ZSTD' : 'SNAPPY';
  // The same row-group size as our writer's default (1,000,000 rows).
  const rowGroupSize = 1_000_000;
  // Types come from hyparquet-writer's .d.ts: keep the calls loosely typed (JS library).
  type WriteArgs = Parameters<typeof hw.parquetWrite>[0];
  type WriteRowsArgs = Parameters<typeof hw.parquetWriteRows>[0];
  if (a.writer === 'hyparquet') {
    const cols = toColumns(rows);
    rows.length = 0;
    const columnData = COLUMNS.map((c) => ({ name: c.name, data: cols[c.name] as unknown[] }));
    return {
      ...(note !== undefined ? { note } : {}),
      next: each(() => {
        const writer = new hw.ByteWriter();
        hw.parquetWrite({ writer, columnData, schema, codec, compressors, rowGroupSize } as unknown as WriteArgs);
        return Promise.resolve({ rows: a.rows, bytes: writer.getBytes() });
      }),
    };
  }
  const columns = COLUMNS.map((c) => ({ name: c.name }));
  return {
    ...(note !== undefined ? { note } : {}),
    next: each(() => {
      const writer = new hw.ByteWriter();
      hw.parquetWriteRows({ writer, rows, columns, schema, codec, compressors, rowGroupSize } as unknown as WriteRowsArgs);
      return Promise.resolve({ rows: a.rows, bytes: writer.getBytes() });
    }),
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
