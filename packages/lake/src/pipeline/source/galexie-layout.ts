import type { ObjectReader } from './object-reader.js';
import { isNotFoundError } from './object-reader.js';

/**
 * The galexie / ledgerexporter object layout (SEP-54 data lake):
 *   <prefix>/.config.json
 *   <prefix>/<%08X of 0xFFFFFFFF-partitionStart>--<partitionStart>-<partitionEnd>/
 *            <%08X of 0xFFFFFFFF-fileStart>--<fileStart>[-<fileEnd>].xdr.<ext>
 * Keys are derived from the ledger sequence alone, so the source never has to list a bucket
 * to find the next file. The reversed hex prefix makes newest objects sort first.
 */
export interface DataLakeSchema {
  networkPassphrase?: string;
  /** "zstd" for every known lake; the file extension is derived from it. */
  compression: string;
  ledgersPerBatch: number;
  batchesPerPartition: number;
  version?: string;
}

export const DEFAULT_SCHEMA: DataLakeSchema = { compression: 'zstd', ledgersPerBatch: 1, batchesPerPartition: 64000 };

function positiveInt(v: unknown, name: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new Error(`.config.json: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** Validates the manifest written by galexie (camelCase keys as in the file). */
export function parseDataLakeSchema(json: unknown): DataLakeSchema {
  if (typeof json !== 'object' || json === null) throw new Error('.config.json: expected an object');
  const o = json as Record<string, unknown>;
  const schema: DataLakeSchema = {
    compression: typeof o.compression === 'string' && o.compression ? o.compression : 'zstd',
    ledgersPerBatch: positiveInt(o.ledgersPerBatch ?? 1, 'ledgersPerBatch'),
    batchesPerPartition: positiveInt(o.batchesPerPartition ?? 1, 'batchesPerPartition'),
  };
  if (typeof o.networkPassphrase === 'string') schema.networkPassphrase = o.networkPassphrase;
  if (typeof o.version === 'string') schema.version = o.version;
  return schema;
}

/** Reads `<prefix>/.config.json`; undefined when the lake has none (older exports). */
export async function readDataLakeSchema(reader: ObjectReader, prefix: string): Promise<DataLakeSchema | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await reader.get(joinKey(prefix, '.config.json'));
  } catch (err) {
    if (isNotFoundError(err)) return undefined;
    throw err;
  }
  return parseDataLakeSchema(JSON.parse(new TextDecoder().decode(bytes)));
}

function joinKey(prefix: string, rest: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return p ? `${p}/${rest}` : rest;
}

const MAX_U32 = 0xffffffff;
const hex8 = (n: number): string => (MAX_U32 - n).toString(16).toUpperCase().padStart(8, '0');

/** File extension for a compression name ("zstd" -> "zstd"; "zst" accepted as an alias). */
function compressionExtension(compression: string): string {
  const c = compression.toLowerCase();
  return c === '' || c === 'none' ? '' : c;
}

export class GalexieLayout {
  readonly ledgersPerFile: number;
  readonly filesPerPartition: number;
  readonly extension: string;

  constructor(
    readonly schema: DataLakeSchema,
    readonly prefix = '',
  ) {
    this.ledgersPerFile = schema.ledgersPerBatch;
    this.filesPerPartition = schema.batchesPerPartition;
    this.extension = compressionExtension(schema.compression);
  }

  /** First ledger of the file holding `seq`. */
  fileStart(seq: number): number {
    return seq - (seq % this.ledgersPerFile);
  }

  fileEnd(seq: number): number {
    return this.fileStart(seq) + this.ledgersPerFile - 1;
  }

  partitionDir(seq: number): string {
    const per = this.ledgersPerFile * this.filesPerPartition;
    if (this.filesPerPartition <= 1) return '';
    const start = seq - (seq % per);
    return `${hex8(start)}--${start}-${start + per - 1}/`;
  }

  /** The object key of the file holding `seq`; `ext` overrides the extension (e.g. "zst"). */
  objectKey(seq: number, ext = this.extension): string {
    const start = this.fileStart(seq);
    const end = this.fileEnd(seq);
    const range = start === end ? `${start}` : `${start}-${end}`;
    const name = `${hex8(start)}--${range}.xdr${ext ? '.' + ext : ''}`;
    return joinKey(this.prefix, this.partitionDir(seq) + name);
  }
}

/** Parses a data-file key (any prefix) into its ledger range; undefined when not one. */
export function parseObjectKey(key: string): { start: number; end: number } | undefined {
  const m = /(?:^|\/)([0-9A-F]{8})--(\d+)(?:-(\d+))?\.xdr(?:\.[a-z0-9]+)?$/.exec(key);
  if (!m) return undefined;
  const start = Number(m[2]);
  const end = m[3] !== undefined ? Number(m[3]) : start;
  if (parseInt(m[1]!, 16) !== MAX_U32 - start) return undefined;
  return { start, end };
}
