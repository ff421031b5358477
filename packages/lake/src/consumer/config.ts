/**
 * SaveToParquet configuration: the snake_case keys and defaults of the design we follow, as
 * they arrive from YAML or JSON. YAML users write `buffer_size: 10000`, `"10000"` or `1e4`
 * interchangeably, so integers are accepted as ints, integral floats and numeric strings.
 * Every error names the key; an unknown key also names the closest known key, because a typo
 * in an archival config otherwise silently falls back to a default.
 */
import { nearestName } from '../closest-name.js';
import { MAX_WORKERS } from 'cdp-parquet';
import type { EncodeWorkersSetting } from './encode-workers.js';

export type StorageType = 'FS' | 'GCS' | 'S3';
export type PartitionBy = 'ledger_day' | 'ledger_range' | 'hour';

export interface SaveToParquetConfig {
  storage_type: StorageType;
  bucket_name: string;
  path_prefix: string;
  local_path: string;
  region: string | undefined;
  endpoint: string | undefined;
  force_path_style: boolean;
  /** Attempts per storage request inside the store (its own backoff), default 5. */
  max_attempts: number | undefined;
  /** Attempts of a whole file upload by the consumer after the store gave up, default 3. */
  upload_attempts: number;
  compression: string;
  max_file_size_mb: number;
  buffer_size: number;
  rotation_interval_minutes: number;
  partition_by: PartitionBy;
  ledgers_per_file: number;
  schema_evolution: boolean;
  include_metadata: boolean;
  debug: boolean;
  dry_run: boolean;
  /**
   * Worker threads that encode and compress pages, shared by every file the consumer writes;
   * 0: on the pipeline's thread; default auto: 1 with two or more usable CPUs, else 0 (see
   * encode-workers.ts). Our addition to the design's keys: with a CPU core to spare, the
   * Parquet work overlaps with decoding ledgers.
   */
  encode_workers: EncodeWorkersSetting;
}

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`SaveToParquet config: ${key}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Kind = 'string' | 'int' | 'number' | 'bool';
/** `auto`: the word "auto" is also accepted (an 'int' key). */
interface KeySpec {
  kind: Kind;
  min?: number;
  max?: number;
  values?: readonly string[];
  auto?: boolean;
}

const KEYS: Record<keyof SaveToParquetConfig, KeySpec> = {
  storage_type: { kind: 'string', values: ['FS', 'GCS', 'S3'] },
  bucket_name: { kind: 'string' },
  path_prefix: { kind: 'string' },
  local_path: { kind: 'string' },
  region: { kind: 'string' },
  endpoint: { kind: 'string' },
  force_path_style: { kind: 'bool' },
  max_attempts: { kind: 'int', min: 1 },
  upload_attempts: { kind: 'int', min: 1 },
  compression: { kind: 'string', values: ['snappy', 'gzip', 'zstd', 'lz4', 'lz4_raw', 'brotli', 'none', 'uncompressed'] },
  max_file_size_mb: { kind: 'number', min: 0 },
  buffer_size: { kind: 'int', min: 1 },
  // Minutes may be fractional (0.5) so short intervals can be tested; 0 disables the timer.
  rotation_interval_minutes: { kind: 'number', min: 0 },
  partition_by: { kind: 'string', values: ['ledger_day', 'ledger_range', 'hour'] },
  ledgers_per_file: { kind: 'int', min: 1 },
  schema_evolution: { kind: 'bool' },
  include_metadata: { kind: 'bool' },
  debug: { kind: 'bool' },
  dry_run: { kind: 'bool' },
  encode_workers: { kind: 'int', min: 0, max: MAX_WORKERS, auto: true },
};

export const KNOWN_CONFIG_KEYS: readonly string[] = Object.keys(KEYS);

const DEFAULTS: Omit<SaveToParquetConfig, 'storage_type'> = {
  bucket_name: '',
  path_prefix: '',
  local_path: '',
  region: undefined,
  endpoint: undefined,
  force_path_style: true,
  max_attempts: undefined,
  upload_attempts: 3,
  compression: 'snappy',
  max_file_size_mb: 128,
  buffer_size: 10000,
  rotation_interval_minutes: 60,
  partition_by: 'ledger_day',
  ledgers_per_file: 10000,
  schema_evolution: false,
  include_metadata: false,
  debug: false,
  dry_run: false,
  encode_workers: 'auto',
};

/** The known key nearest to `key` by edit distance, ignoring case and `-`/space/camelCase differences. */
export function closestKey(key: string, known: readonly string[] = KNOWN_CONFIG_KEYS): string {
  return nearestName(key, known) ?? '';
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? (Array.isArray(v) ? 'a list' : 'a mapping') : String(v);
}

function coerce(key: string, spec: KeySpec, raw: unknown): string | number | boolean {
  switch (spec.kind) {
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new ConfigError(key, `expected true or false, got ${show(raw)}`);
    }
    case 'int':
    case 'number': {
      if (spec.auto === true && typeof raw === 'string' && raw.trim() === 'auto') return 'auto';
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'bigint') n = Number(raw);
      else if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw.trim()))) n = Number(raw.trim());
      else throw new ConfigError(key, `expected a number${spec.auto === true ? ' or "auto"' : ''}, got ${show(raw)}`);
      if (!Number.isFinite(n)) throw new ConfigError(key, `expected a finite number, got ${show(raw)}`);
      if (spec.kind === 'int' && !Number.isInteger(n)) throw new ConfigError(key, `expected an integer, got ${show(raw)}`);
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(key, `must be >= ${spec.min}, got ${show(raw)}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(key, `must be <= ${spec.max}, got ${show(raw)}`);
      return n;
    }
    case 'string': {
      if (typeof raw !== 'string') throw new ConfigError(key, `expected a string, got ${show(raw)}`);
      if (spec.values === undefined) return raw;
      // Storage types are upper case and the rest lower case in the design; accept either spelling.
      const hit = spec.values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      if (hit === undefined) throw new ConfigError(key, `expected one of ${spec.values.join(', ')}, got ${show(raw)}`);
      return hit;
    }
  }
}

/** Validates a config object (as parsed from YAML or JSON) and fills in defaults. */
export function parseConfig(input: Record<string, unknown>): SaveToParquetConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('config', `expected a mapping of settings, got ${show(input)}`);
  }
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const [key, raw] of Object.entries(input)) {
    const spec = (KEYS as Record<string, KeySpec | undefined>)[key];
    if (spec === undefined) throw new ConfigError(key, `unknown key (did you mean "${closestKey(key)}"?)`);
    if (raw === null || raw === undefined) continue; // YAML `key:` with no value keeps the default
    out[key] = coerce(key, spec, raw);
  }
  if (out.storage_type === undefined) throw new ConfigError('storage_type', 'required (FS, GCS or S3)');
  const cfg = out as unknown as SaveToParquetConfig;
  if (cfg.storage_type === 'FS' && cfg.local_path === '') throw new ConfigError('local_path', 'required when storage_type is FS');
  if (cfg.storage_type !== 'FS' && cfg.bucket_name === '') throw new ConfigError('bucket_name', `required when storage_type is ${cfg.storage_type}`);
  cfg.path_prefix = cfg.path_prefix.replace(/^\/+|\/+$/g, '');
  if (cfg.path_prefix.split('/').some((s) => s === '..' || s === '.')) throw new ConfigError('path_prefix', 'may not contain "." or ".." segments');
  if (cfg.compression === 'lz4') cfg.compression = 'lz4_raw'; // LZ4 in Parquet means the LZ4_RAW codec
  if (cfg.compression === 'uncompressed') cfg.compression = 'none';
  return cfg;
}

/** The store URL the config names (the bucket root or local_path; path_prefix is applied to keys). */
export function storeUrlOf(cfg: SaveToParquetConfig): string {
  if (cfg.storage_type === 'FS') return cfg.local_path;
  return `${cfg.storage_type === 'S3' ? 's3' : 'gs'}://${cfg.bucket_name}`;
}
