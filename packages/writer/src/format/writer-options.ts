import { EncodeThreads, MAX_WORKERS } from './parallel/encode-threads.js';
import { ParquetSchemaError, describeValue } from './errors.js';
import { ENCODING_CHOICES, type EncodingChoice } from './column/value-encoding.js';

/** Options for one column, keyed by its dotted path (e.g. `tags.list.element`). */
export interface ColumnOptions {
  /** Overrides `encoding` for this column. */
  encoding?: EncodingChoice;
  /** Overrides `dictionary` for this column. */
  dictionary?: boolean;
  /** A split-block bloom filter (BloomFilter.md): `true` for defaults, or sizing hints. */
  bloomFilter?: boolean | BloomFilterOptions;
}

export interface BloomFilterOptions {
  /** Expected distinct values per row group (default 100,000 or the rows seen, whichever is smaller). */
  ndv?: number;
  /** Target false-positive probability (default 0.01). */
  fpp?: number;
  /** Upper bound on the filter's bytes (default 1 MiB). */
  maxBytes?: number;
}

/** parquet.thrift SortingColumn, naming the column by its dotted path. */
export interface SortingColumnOption {
  column: string;
  descending?: boolean;
  nullsFirst?: boolean;
}

/** Options of a ParquetWriter; every one has the default documented here and in docs/writer.md. */
export interface WriterOptions {
  /** Codec name or alias: snappy (default), gzip, zstd, lz4 / lz4_raw, brotli, none. */
  compression?: string;
  /** Codec level where it has one (zstd default 1, gzip 6, brotli 8). */
  compressionLevel?: number;
  /** 1 (default) or 2. */
  pageVersion?: 1 | 2;
  /** Maximum rows per row group (default 1,000,000). */
  rowGroupSize?: number;
  /** Target bytes per row group, counted on encoded pages (default 128 MiB). */
  rowGroupBytes?: number;
  /** Target bytes per data page before compression (default 1 MiB). */
  dataPageSize?: number;
  /** Maximum rows per data page (default 20,000). */
  dataPageRowLimit?: number;
  /** Dictionary-encode columns while the dictionary stays under its limit (default true). */
  dictionary?: boolean;
  /**
   * Value encoding for every column (default `auto`: dictionary while it pays, then
   * DELTA_BINARY_PACKED for integers, DELTA_BYTE_ARRAY / DELTA_LENGTH_BYTE_ARRAY for byte
   * arrays, BYTE_STREAM_SPLIT for compressed floats, PLAIN otherwise). `dictionary` keeps
   * the classic PLAIN fallback; any Encodings.md name forces that encoding.
   */
  encoding?: EncodingChoice;
  /** Write the page index (ColumnIndex and OffsetIndex, PageIndex.md) (default true). */
  pageIndex?: boolean;
  /** Per-column overrides and bloom filters, keyed by dotted column path. */
  columns?: Record<string, ColumnOptions>;
  /** Declares the order rows were written in (RowGroup.sorting_columns). */
  sortingColumns?: SortingColumnOption[];
  /** Dictionary page size at which a chunk falls back to PLAIN (default 1 MiB). */
  dictionaryPageSizeLimit?: number;
  /** CRC32 checksum in every page header (default true). */
  pageChecksum?: boolean;
  /** Chunk and page statistics (default true). */
  statistics?: boolean;
  /** Byte length beyond which binary min/max are truncated (default 64). */
  statisticsTruncateLength?: number;
  /** Key-value metadata written into the footer. */
  keyValueMetadata?: Record<string, string>;
  /**
   * Encode and compress pages on this many worker threads (default 0: in the calling
   * thread), started by the writer and stopped at close; or on an EncodeThreads that several
   * writers share (start it once with EncodeThreads.start(n), close it when done). The file
   * is byte-for-byte the same. Needs node:worker_threads (or Web Workers) and a built-in
   * codec (one replaced with registerCodec exists only in the calling thread).
   */
  workers?: number | EncodeThreads;
}

type OptionalKeys = 'compressionLevel' | 'keyValueMetadata' | 'columns' | 'sortingColumns';
export type ResolvedWriterOptions = Required<Omit<WriterOptions, OptionalKeys>> & Pick<WriterOptions, OptionalKeys>;

export const DEFAULT_WRITER_OPTIONS: ResolvedWriterOptions = {
  compression: 'snappy',
  pageVersion: 1,
  rowGroupSize: 1_000_000,
  rowGroupBytes: 128 * 1024 * 1024,
  dataPageSize: 1024 * 1024,
  dataPageRowLimit: 20_000,
  dictionary: true,
  encoding: 'auto',
  pageIndex: true,
  dictionaryPageSizeLimit: 1024 * 1024,
  pageChecksum: true,
  statistics: true,
  statisticsTruncateLength: 64,
  workers: 0,
};

export { MAX_WORKERS };

const POSITIVE_INTS = ['rowGroupSize', 'rowGroupBytes', 'dataPageSize', 'dataPageRowLimit', 'dictionaryPageSizeLimit'] as const;
const BOOLEANS = ['dictionary', 'pageChecksum', 'statistics', 'pageIndex'] as const;

/** Validate user options (unknown keys included) and fill in defaults. */
export function resolveWriterOptions(options: WriterOptions = {}): ResolvedWriterOptions {
  if (typeof options !== 'object' || options === null) throw new ParquetSchemaError('options', 'must be an object');
  const known = new Set<string>([...Object.keys(DEFAULT_WRITER_OPTIONS), 'compressionLevel', 'keyValueMetadata', 'columns', 'sortingColumns']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new ParquetSchemaError(`options.${key}`, `unknown option; known options: ${[...known].join(', ')}`);
  }
  const resolved: ResolvedWriterOptions = { ...DEFAULT_WRITER_OPTIONS };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (resolved as unknown as Record<string, unknown>)[k] = v;
  }
  for (const key of POSITIVE_INTS) {
    const v = resolved[key];
    if (!Number.isInteger(v) || v < 1) throw new ParquetSchemaError(`options.${key}`, `must be a positive integer, got ${describeValue(v)}`);
  }
  for (const key of BOOLEANS) {
    if (typeof resolved[key] !== 'boolean') throw new ParquetSchemaError(`options.${key}`, `must be a boolean, got ${describeValue(resolved[key])}`);
  }
  if (resolved.pageVersion !== 1 && resolved.pageVersion !== 2) {
    throw new ParquetSchemaError('options.pageVersion', `must be 1 or 2, got ${describeValue(resolved.pageVersion)}`);
  }
  if (!Number.isInteger(resolved.statisticsTruncateLength) || resolved.statisticsTruncateLength < 0) {
    throw new ParquetSchemaError('options.statisticsTruncateLength', `must be a non-negative integer (0 disables truncation)`);
  }
  const workers = resolved.workers;
  if (!(workers instanceof EncodeThreads) && (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS)) {
    throw new ParquetSchemaError('options.workers', `must be an integer from 0 to ${MAX_WORKERS} or an EncodeThreads, got ${describeValue(workers)}`);
  }
  if (typeof resolved.compression !== 'string') {
    throw new ParquetSchemaError('options.compression', `must be a codec name, got ${describeValue(resolved.compression)}`);
  }
  if (!ENCODING_CHOICES.includes(resolved.encoding)) {
    throw new ParquetSchemaError('options.encoding', `must be one of ${ENCODING_CHOICES.join(', ')}, got ${describeValue(resolved.encoding)}`);
  }
  const kv = resolved.keyValueMetadata;
  if (kv !== undefined) {
    for (const [k, v] of Object.entries(kv)) {
      if (typeof v !== 'string') throw new ParquetSchemaError(`options.keyValueMetadata.${k}`, 'values must be strings');
    }
  }
  return resolved;
}

/** True when pages are encoded on worker threads (options.workers is a count above 0 or an EncodeThreads). */
export function usesWorkers(options: ResolvedWriterOptions): boolean {
  return options.workers instanceof EncodeThreads || options.workers > 0;
}
