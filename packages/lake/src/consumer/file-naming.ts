/**
 * Object keys derived only from content (table, partition, ledger range), so that replaying
 * the same ledgers writes the same keys and overwrites instead of duplicating. A part number
 * appears only when one ledger alone is split over several files.
 */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export function dataFileName(table: string, firstLedger: number, lastLedger: number, part?: number): string {
  const suffix = part === undefined ? '' : `-part${String(part).padStart(4, '0')}`;
  return `${table}-${firstLedger}-${lastLedger}${suffix}.parquet`;
}

export function dataKey(prefix: string, table: string, partition: string, first: number, last: number, part?: number): string {
  return joinKey(prefix, table, partition, dataFileName(table, first, last, part));
}

export function rejectsKey(prefix: string, table: string, first: number, last: number, hash: string): string {
  return joinKey(prefix, '_rejected', table, `${table}-${first}-${last}-${hash}.jsonl`);
}

/** A table's checkpoint or schema in a state directory (`<prefix>/_checkpoints`, a shard's own; see shard-scope.ts). */
export function stateKey(dir: string, table: string): string {
  return joinKey(dir, `${table}.json`);
}

const DATA_NAME = /^([a-z][a-z0-9_]*)-(\d+)-(\d+)(?:-part(\d+))?\.parquet$/;

/** Inverse of dataFileName, for tools and tests. */
export function parseDataFileName(name: string): { table: string; first: number; last: number; part?: number } | undefined {
  const m = DATA_NAME.exec(name);
  if (!m) return undefined;
  return { table: m[1]!, first: Number(m[2]), last: Number(m[3]), part: m[4] === undefined ? undefined : Number(m[4]) };
}

const REJECT_NAME = /^([a-z][a-z0-9_]*)-(\d+)-(\d+)-([0-9a-f]+)\.jsonl$/;

/** Inverse of the reject file name (rejectsKey). */
export function parseRejectFileName(name: string): { table: string; first: number; last: number } | undefined {
  const m = REJECT_NAME.exec(name);
  return m ? { table: m[1]!, first: Number(m[2]), last: Number(m[3]) } : undefined;
}
