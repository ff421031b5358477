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
}

export interface PyarrowMetadata {
  created_by: string;
  num_rows: number;
  num_row_groups: number;
  format_version: string;
  key_value_metadata: Record<string, string>;
  row_groups: { num_rows: number; columns: ColumnChunkInfo[] }[];
}

export interface PyarrowResult extends ReadTable {
  metadata: PyarrowMetadata;
}
export interface DuckdbResult extends ReadTable {
  parquet_metadata: Record<string, JsonValue>[];
  parquet_schema: Record<string, JsonValue>[];
}
export interface PolarsResult extends ReadTable {
  dtypes: string[];
}

export interface FileReadResult {
  path: string;
  pyarrow?: PyarrowResult | ReaderError;
  duckdb?: DuckdbResult | ReaderError;
  polars?: PolarsResult | ReaderError;
}

export type PythonReaderName = 'pyarrow' | 'duckdb' | 'polars';

export function isReaderError(r: unknown): r is ReaderError {
  return typeof r === 'object' && r !== null && 'error' in r;
}

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..');
const PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
const SCRIPT = join(here, 'readers.py');

export class PythonReaders {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private stderr = '';
  private readonly waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  private exited: Error | undefined;
  private nextId = 0;

  constructor() {
    if (!existsSync(PYTHON)) throw new Error(`Python venv missing: ${PYTHON}`);
    this.proc = spawn(PYTHON, ['-u', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.resolve(line);
      }
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = new Error(`readers.py exited (code ${code}, signal ${signal}): ${this.stderr}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  /** Read every file with the given readers (all three by default); one result per file, in order. */
  async read(files: readonly string[], readers?: readonly PythonReaderName[]): Promise<FileReadResult[]> {
    if (this.exited) throw this.exited;
    const id = this.nextId++;
    const line = await new Promise<string>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.proc.stdin.write(JSON.stringify({ id, files, readers }) + '\n');
    });
    const parsed = JSON.parse(line) as { id: number; results: FileReadResult[] };
    if (parsed.id !== id) throw new Error(`readers.py answered request ${parsed.id}, expected ${id}`);
    return parsed.results;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.stdin.end(JSON.stringify({ quit: true }) + '\n');
    await done;
  }
}
