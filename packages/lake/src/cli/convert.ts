import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { makeJsonRowConverter, ParquetValueError, ParquetWriter, parseJsonSchema } from 'cdp-parquet';
import { NodeFileSink } from 'cdp-parquet/node';
import { nonNegativeInt, parseArgs, positiveInt, UsageError } from './args.js';

const CONVERT_USAGE = `cdp-parquet convert --schema schema.json [--codec snappy|gzip|zstd|lz4_raw|brotli|none]
    [--page-version 1|2] [--row-group-size N] [--level N] [--workers N] [in.jsonl|-] -o out.parquet`;

/** Rows handed to the writer at a time: amortises the per-call overhead, bounds memory. */
const BATCH = 1000;

/**
 * JSON Lines -> Parquet, streaming. The output appears under its name only when complete
 * (NodeFileSink); the first bad line stops the run with its line number and column path.
 */
export async function convertCommand(argv: readonly string[], log: (s: string) => void): Promise<void> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'schema', alias: 's' },
    { name: 'codec', alias: 'c' },
    { name: 'page-version' },
    { name: 'row-group-size' },
    { name: 'level' },
    { name: 'workers' },
    { name: 'output', alias: 'o' },
  ]);
  if (typeof options.schema !== 'string') throw new UsageError(`--schema is required\n${CONVERT_USAGE}`);
  if (typeof options.output !== 'string') throw new UsageError(`-o out.parquet is required\n${CONVERT_USAGE}`);
  if (positionals.length > 1) throw new UsageError(`expected at most one input file, got ${positionals.join(' ')}`);
  const pageVersion = options['page-version'] === undefined ? 1 : Number(options['page-version']);
  if (pageVersion !== 1 && pageVersion !== 2) throw new UsageError('--page-version must be 1 or 2');

  const schema = parseJsonSchema(await readFile(options.schema, 'utf8'));
  const toRow = makeJsonRowConverter(schema.fields);
  const workers = nonNegativeInt(options.workers, 'workers') ?? 0;
  const writer = new ParquetWriter(schema, new NodeFileSink(options.output), {
    compression: typeof options.codec === 'string' ? options.codec : 'snappy',
    pageVersion,
    rowGroupSize: positiveInt(options['row-group-size'], 'row-group-size'),
    compressionLevel: options.level === undefined ? undefined : Number(options.level),
    // Pages encoded and compressed on N threads: the same file, sooner on a multi-core machine.
    workers,
  });
  const input = positionals[0] === undefined || positionals[0] === '-' ? process.stdin : createReadStream(positionals[0]);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let rows: Record<string, unknown>[] = [];
  let lineNumbers: number[] = [];
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        throw new Error(`line ${lineNumber}: invalid JSON: ${(err as Error).message}`);
      }
      try {
        rows.push(toRow(parsed, writer.rowCount + rows.length));
        lineNumbers.push(lineNumber);
      } catch (err) {
        throw lineError(err, lineNumber);
      }
      if (rows.length >= BATCH) {
        await writeBatch(writer, rows, lineNumbers);
        rows = [];
        lineNumbers = [];
      }
    }
    await writeBatch(writer, rows, lineNumbers);
    const summary = await writer.close();
    const threads = workers > 0 ? `, pages encoded on ${workers} worker thread(s)` : '';
    log(`wrote ${summary.rows} rows in ${summary.rowGroups} row group(s), ${summary.bytes} bytes -> ${options.output}${threads}`);
  } catch (err) {
    await writer.abort(err);
    lines.close();
    throw err;
  }
}

async function writeBatch(writer: ParquetWriter, rows: Record<string, unknown>[], lineNumbers: number[]): Promise<void> {
  const before = writer.rowCount;
  try {
    await writer.writeRows(rows);
  } catch (err) {
    throw lineError(err, lineNumbers[writer.rowCount - before] ?? lineNumbers.length);
  }
}

function lineError(err: unknown, line: number): Error {
  if (err instanceof ParquetValueError) {
    return new Error(`line ${line}: column '${err.columnPath}': ${err.reason}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
