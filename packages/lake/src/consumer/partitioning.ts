import type { PartitionBy } from './config.js';

/**
 * Partition of a row, from its ledger and the ledger's close time (UTC), never the wall
 * clock: a replay next year must land rows in the same directories as the live run did.
 */
export interface Partition {
  /** Relative path, e.g. `year=2024/month=01/day=15` or `ledgers/50000-59999`. */
  path: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function partitionOf(by: PartitionBy, ledger: number, closeTimeMs: number | undefined, ledgersPerFile: number): Partition {
  if (by === 'ledger_range') {
    const start = Math.floor(ledger / ledgersPerFile) * ledgersPerFile;
    return { path: `ledgers/${start}-${start + ledgersPerFile - 1}` };
  }
  if (closeTimeMs === undefined) throw new Error(`partition_by ${by} needs the ledger close time of ledger ${ledger}`);
  const d = new Date(closeTimeMs);
  const day = `year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}`;
  return { path: by === 'hour' ? `${day}/hour=${pad(d.getUTCHours())}` : day };
}

/** Whether a partition scheme needs close times (ledger_range does not). */
export function needsCloseTime(by: PartitionBy): boolean {
  return by !== 'ledger_range';
}
