import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DataLakeSource } from '../source/datalake-source.js';
import { readDataLakeSchema } from '../source/galexie-layout.js';
import { FsObjectReader } from '../source/fs-object-reader.js';
import { ObjectNotFoundError, type ObjectReader } from '../source/object-reader.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import type { PipelineMessage } from '../message.js';
import { ConfigReader } from '../config/config-reader.js';
import { PipelineConfigError, type ComponentSpec } from '../config/pipeline-config.js';
import { resolvePassphrase } from './network.js';
import { expandHome } from '../../storage/fs-store.js';

/** Where a run starts and stops; the host may move the start to a consumer checkpoint + 1. */
interface LedgerRange {
  start: number;
  end?: number;
}

export interface LedgerSource {
  kind: 'ledgers';
  readonly range: LedgerRange;
  /** The network the config names, if it names one. */
  networkPassphrase?: string;
  /** The network the lake's own manifest (.config.json, SEP-54) names, if it has one. */
  lakeNetworkPassphrase?(): Promise<string | undefined>;
  /** Ledgers per source object: a shard should start on a multiple of it (the lake's `.config.json` wins). */
  ledgersPerObject?(): Promise<number>;
  ledgers(range: LedgerRange, signal: AbortSignal): AsyncIterable<LedgerRecord>;
  close(): Promise<void>;
}

interface MessageSource {
  kind: 'messages';
  messages(signal: AbortSignal): AsyncIterable<PipelineMessage>;
  close(): Promise<void>;
}

export type Source = LedgerSource | MessageSource;

const SOURCE_TYPES = [
  'BufferedStorageSourceAdapter',
  'GCSBufferedStorageSourceAdapter',
  'S3BufferedStorageSourceAdapter',
  'FSBufferedStorageSourceAdapter',
  'JSONLSource',
] as const;

export async function createSource(spec: ComponentSpec): Promise<Source> {
  switch (spec.type) {
    case 'BufferedStorageSourceAdapter':
    case 'GCSBufferedStorageSourceAdapter':
      return dataLakeSource(spec, 'gcs');
    case 'S3BufferedStorageSourceAdapter':
      return dataLakeSource(spec, 's3');
    case 'FSBufferedStorageSourceAdapter':
      return dataLakeSource(spec, 'fs');
    case 'JSONLSource':
      return jsonlSource(spec);
    default:
      throw new PipelineConfigError(`${spec.where}: unknown source type '${spec.type}'; known: ${SOURCE_TYPES.join(', ')}`);
  }
}

/** Adapts an ObjectStore to the source's reader, turning "not found" into the error it expects. */
function storeReader(store: import('../../storage/object-store.js').ObjectStore): ObjectReader {
  return {
    list: (prefix) => store.list(prefix),
    get: async (key) => {
      try {
        return await store.get(key);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'not_found') throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
    },
  };
}

async function dataLakeSource(spec: ComponentSpec, backend: 'fs' | 's3' | 'gcs'): Promise<LedgerSource> {
  const c = new ConfigReader(spec.config, spec.where);
  let reader: ObjectReader;
  let closeStore: () => Promise<void> = async () => undefined;
  if (backend === 'fs') {
    const path = c.string('path') ?? c.string('local_path');
    if (!path) throw new PipelineConfigError(`${spec.where}: config key 'path' is required`);
    reader = new FsObjectReader(expandHome(path));
  } else {
    const bucket = c.requireString('bucket_name');
    const anonymous = c.bool('anonymous');
    if (anonymous === true) {
      const keyed = ['access_key_id', 'secret_access_key', 'session_token', 'key_filename'].find((k) => c.string(k) !== undefined);
      if (keyed !== undefined)
        throw new PipelineConfigError(`${spec.where}: config key '${keyed}' contradicts 'anonymous: true' (unsigned requests carry no credentials)`);
    }
    const { openStore } = await import('../../storage/url.js');
    const store = await openStore({
      anonymous,
      url: `${backend === 's3' ? 's3' : 'gs'}://${bucket}`,
      region: c.string('region'),
      endpoint: c.string('endpoint'),
      force_path_style: c.bool('force_path_style'),
      // Credentials default to the standard AWS chain / Application Default Credentials.
      access_key_id: c.string('access_key_id'),
      secret_access_key: c.string('secret_access_key'),
      session_token: c.string('session_token'),
      project_id: c.string('project_id'),
      key_filename: c.string('key_filename'),
      // The source retries whole files (retry_limit); keep the store's own retries short.
      max_attempts: c.int('max_attempts', { min: 1 }) ?? 2,
      request_timeout_ms: c.durationMs('request_timeout'),
    });
    reader = storeReader(store);
    closeStore = async () => {
      await store.close?.();
    };
  }
  const start = c.int('start_ledger', { min: 1 });
  if (start === undefined) throw new PipelineConfigError(`${spec.where}: config key 'start_ledger' is required`);
  const end = c.int('end_ledger', { min: 0 });
  if (end !== undefined && end !== 0 && end < start) {
    throw new PipelineConfigError(`${spec.where}: end_ledger ${end} is before start_ledger ${start}`);
  }
  const networkPassphrase = resolvePassphrase(c.string('network_passphrase') ?? c.string('network'));
  const ledgersPerFile = c.int('ledgers_per_file', { min: 1 });
  const filesPerPartition = c.int('files_per_partition', { min: 1 });
  const options = {
    reader,
    pathPrefix: c.string('path_prefix') ?? '',
    bufferSize: c.int('buffer_size', { min: 1 }),
    numWorkers: c.int('num_workers', { min: 1 }),
    retryLimit: c.int('retry_limit', { min: 0 }),
    retryWaitMs: c.durationMs('retry_wait'),
    pollIntervalMs: c.durationMs('poll_interval'),
    schema: {
      ...(ledgersPerFile ? { ledgersPerBatch: ledgersPerFile } : {}),
      ...(filesPerPartition ? { batchesPerPartition: filesPerPartition } : {}),
    },
  };
  c.finish();
  return {
    kind: 'ledgers',
    range: { start, end: end === 0 ? undefined : end },
    networkPassphrase,
    lakeNetworkPassphrase: async () => (await readDataLakeSchema(reader, options.pathPrefix).catch(() => undefined))?.networkPassphrase,
    ledgersPerObject: async () => (await readDataLakeSchema(reader, options.pathPrefix))?.ledgersPerBatch ?? ledgersPerFile ?? 1,
    ledgers: (range, signal) => new DataLakeSource({ ...options, startLedger: range.start, endLedger: range.end, signal }).ledgers(),
    close: closeStore,
  };
}

function jsonlSource(spec: ComponentSpec): MessageSource {
  const c = new ConfigReader(spec.config, spec.where);
  const path = c.string('path') ?? '-';
  const onBadLine = c.string('on_bad_line') ?? 'fail';
  if (onBadLine !== 'fail' && onBadLine !== 'skip') {
    throw new PipelineConfigError(`${spec.where}: config key 'on_bad_line' must be 'fail' or 'skip', got '${onBadLine}'`);
  }
  c.finish();
  return {
    kind: 'messages',
    async *messages(signal) {
      const input = path === '-' ? process.stdin : createReadStream(expandHome(path));
      const lines = createInterface({ input, crlfDelay: Infinity });
      let n = 0;
      try {
        for await (const line of lines) {
          n++;
          if (signal.aborted) break;
          if (line.trim() === '') continue;
          const parsed = parseMessageLine(line, n);
          if (typeof parsed === 'string') {
            if (onBadLine === 'fail') throw new Error(`${spec.where}: ${path} ${parsed}`);
            process.stderr.write(`warning: ${path} ${parsed}; skipped\n`);
            continue;
          }
          yield parsed;
        }
      } finally {
        lines.close();
      }
    },
    close: async () => undefined,
  };
}

/** A `{payload, metadata}` line, or a message saying what is wrong with it. */
export function parseMessageLine(line: string, lineNumber: number): PipelineMessage | string {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    return `line ${lineNumber}: invalid JSON (${(err as Error).message})`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return `line ${lineNumber}: expected a JSON object`;
  const d = doc as Record<string, unknown>;
  if (!('payload' in d)) return `line ${lineNumber}: missing 'payload'`;
  const metadata = (typeof d.metadata === 'object' && d.metadata !== null ? d.metadata : {}) as PipelineMessage['metadata'];
  return { payload: d.payload as Record<string, unknown>, metadata };
}
