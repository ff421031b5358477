/**
 * Client of test/support/readers.py: one long-running Python process (the repo's .venv,
 * with pyarrow, duckdb and polars) that reads many Parquet files per request over a
 * JSON-lines protocol. Spawn one per test file and close it at the end.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** See readers.py for the value encoding. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ReaderError {
  error: string;
  trace?: string;
}

export interface ReadColumn {
  name: string;
  /** Arrow type as pyarrow prints it, e.g. "timestamp[us, tz=UTC]". */
  type: string;
  values: JsonValue[];
}

export interface ReadTable {
  num_rows: number;
  columns: ReadColumn[];
}

export interface RawStatistics {
  has_min_max: boolean;
  min_raw: JsonValue;
  max_raw: JsonValue;
  null_count: number | null;
  distinct_count: number | null;
}

export interface ColumnChunkInfo {
  path: string;
  physical_type: string;
  compression: string;
  encodings: string[];
  has_dictionary_page: boolean;
  num_values: number;
  total_compressed_size: number;
  total_uncompressed_size: number;
  statistics: RawStatistics | null;
  has_column_index: boolean;
  has_offset_index: boolean;
  /** None (null) when the chunk has no bloom filter. */
  bloom_filter_offset: number | null;
  bloom_filter_length: number | null;
}

export interface PyarrowMetadata {
  created_by: string;
  num_rows: number;
  num_row_groups: number;
  format_version: string;
  key_value_metadata: Record<string, string>;
  row_groups: {
    num_rows: number;
    columns: ColumnChunkInfo[];
    sorting_columns: { column_index: number; descending: boolean; nulls_first: boolean }[];
  }[];
}

export interface PyarrowResult extends ReadTable {
  metadata: PyarrowMetadata;
}
export interface DuckdbResult extends ReadTable {
  parquet_metadata: Record<string, JsonValue>[] | ReaderError;
  parquet_schema: Record<string, JsonValue>[] | ReaderError;
}
export interface PolarsResult extends ReadTable {
  dtypes: string[];
}

/**
 * One leaf column of one row group as pyarrow reads it (readers.py read_leaves): per row, the
 * number of level entries it has in the column and its non-null values (ints and decimals as
 * decimal text, floats as hex bits or "NaN", text and bytes as hex, booleans as booleans).
 */
export interface LeafColumnRead {
  levels: number[];
  values: JsonValue[][];
}

export interface LeavesResult {
  row_groups: LeafColumnRead[][];
}

export interface FileReadResult {
  path: string;
  pyarrow?: PyarrowResult | ReaderError;
  duckdb?: DuckdbResult | ReaderError;
  polars?: PolarsResult | ReaderError;
  leaves?: LeavesResult | ReaderError;
}

export type PythonReaderName = 'pyarrow' | 'duckdb' | 'polars';
/** The value readers, and `leaves` (pyarrow's leaf values per row group, for the conformance check). */
export type PythonReadName = PythonReaderName | 'leaves';
/** What the property and fuzz suites read: the three value readers and the leaves for the conformance check. */
export const READS_WITH_LEAVES: readonly PythonReadName[] = ['pyarrow', 'duckdb', 'polars', 'leaves'];

export function isReaderError(r: unknown): r is ReaderError {
  return typeof r === 'object' && r !== null && 'error' in r;
}

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..');
const PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
const SCRIPT = join(here, 'readers.py');

interface Helper {
  proc: ChildProcessWithoutNullStreams;
  buffer: string;
  stderr: string;
  waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[];
  exited?: Error;
}

/**
 * The helper is restarted after a crash (a reader aborting the Python process on a bad
 * file): the request in flight fails with the helper's stderr, later requests go to a
 * fresh process.
 */
export class PythonReaders {
  private helper: Helper | undefined;
  private nextId = 0;
  private closed = false;

  constructor() {
    if (!existsSync(PYTHON)) throw new Error(`Python venv missing: ${PYTHON}`);
    this.helper = this.spawn();
  }

  private spawn(): Helper {
    const proc = spawn(PYTHON, ['-u', '-W', 'ignore::DeprecationWarning', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const h: Helper = { proc, buffer: '', stderr: '', waiting: [] };
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      h.buffer += chunk;
      let nl: number;
      while ((nl = h.buffer.indexOf('\n')) >= 0) {
        const line = h.buffer.slice(0, nl);
        h.buffer = h.buffer.slice(nl + 1);
        h.waiting.shift()?.resolve(line);
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      h.stderr = (h.stderr + chunk).slice(-20_000);
    });
    proc.stdin.on('error', () => undefined);
    proc.on('exit', (code, signal) => {
      h.exited = new Error(`readers.py crashed (code ${code}, signal ${signal}): ${h.stderr}`);
      for (const w of h.waiting.splice(0)) w.reject(h.exited);
    });
    return h;
  }

  /** Read every file with the given readers (pyarrow, DuckDB and polars by default); one result per file, in order. */
  async read(files: readonly string[], readers?: readonly PythonReadName[]): Promise<FileReadResult[]> {
    // After close() (a suite's after hook, also when a test timed out and goes on running) a
    // new helper would outlive the suite and keep the process from exiting.
    if (this.closed) throw new Error('PythonReaders: read after close()');
    if (!this.helper || this.helper.exited) this.helper = this.spawn();
    const h = this.helper;
    const id = this.nextId++;
    const line = await new Promise<string>((resolve, reject) => {
      h.waiting.push({ resolve, reject });
      h.proc.stdin.write(JSON.stringify({ id, files, readers }) + '\n');
    });
    const parsed = JSON.parse(line) as { id: number; results: FileReadResult[] };
    if (parsed.id !== id) throw new Error(`readers.py answered request ${parsed.id}, expected ${id}`);
    return parsed.results;
  }

  async close(): Promise<void> {
    this.closed = true;
    const h = this.helper;
    this.helper = undefined;
    if (!h || h.exited) return;
    const done = new Promise<void>((resolve) => h.proc.once('exit', () => resolve()));
    h.proc.stdin.end(JSON.stringify({ quit: true }) + '\n');
    await done;
  }
}
