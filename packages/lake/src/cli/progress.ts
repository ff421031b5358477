import type { RunStats } from '../pipeline/host/pipeline-runner.js';

/** Totals a consumer may report through getMetrics(). */
export interface FileCounts {
  files: number;
  bytes: number;
}

/**
 * One status line: ledgers/s, rows/s, files, current ledger and lag. Lag is the ledgers
 * still to go in a bounded run, or how far the last ledger's close time is behind now.
 */
export function progressLine(stats: RunStats, files: FileCounts, now = Date.now()): string {
  const seconds = Math.max(0.001, (now - stats.startedAt) / 1000);
  const lag =
    stats.endLedger !== undefined && stats.currentLedger !== undefined
      ? `${Math.max(0, stats.endLedger - stats.currentLedger)} ledgers to go`
      : stats.currentCloseTime !== undefined
        ? `${formatDuration(now - stats.currentCloseTime)} behind`
        : '-';
  return (
    `[${stats.pipeline}] ${(stats.ledgers / seconds).toFixed(1)} ledgers/s, ${Math.round(stats.rows / seconds)} rows/s, ` +
    `${stats.rows} rows, ${files.files} files (${(files.bytes / 1048576).toFixed(1)} MiB), ledger ${stats.currentLedger ?? '-'}, lag ${lag}`
  );
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
