/**
 * When an open file ends. Files only ever hold complete ledgers, so each rule is checked
 * between ledgers: before a ledger is added (would it overflow the file, or does it belong to
 * another partition?) and after (is the file full?). The timer rule is checked by a ticker.
 */
import type { OpenFile } from './table-writer.js';

export interface RotationLimits {
  /** buffer_size: rows per file. */
  maxRows: number;
  /** max_file_size_mb in bytes (0 = no limit). */
  maxBytes: number;
  /** rotation_interval_minutes in ms (0 = no timer). */
  intervalMs: number;
}

/** Why the open file must end before a ledger of `rows` rows for `partition` is added, if it must. */
export function rotateBefore(file: OpenFile, partition: string, rows: number, limits: RotationLimits): string | undefined {
  if (file.partition !== partition) return `partition ${file.partition} -> ${partition}`;
  if (file.rows > 0 && file.rows + rows > limits.maxRows) return `buffer_size ${limits.maxRows} rows`;
  // Predict the ledger's encoded size from the file's own bytes per row, so a file ends before
  // the limit rather than after; a file's first ledger is always taken whole.
  if (limits.maxBytes > 0 && file.rows > 0 && file.estimatedBytes + (file.estimatedBytes / file.rows) * rows > limits.maxBytes) {
    return `max_file_size_mb (${file.estimatedBytes} bytes + ~${Math.round((file.estimatedBytes / file.rows) * rows)})`;
  }
  return undefined;
}

/** Why the file must end now that a ledger was added, if it must. */
export function rotateAfter(file: OpenFile, limits: RotationLimits): string | undefined {
  if (file.rows >= limits.maxRows) return `buffer_size ${limits.maxRows} rows`;
  if (limits.maxBytes > 0 && file.estimatedBytes >= limits.maxBytes) return `max_file_size_mb (${file.estimatedBytes} bytes)`;
  return undefined;
}

export function expired(file: OpenFile, now: number, limits: RotationLimits): boolean {
  return limits.intervalMs > 0 && now - file.openedAt >= limits.intervalMs;
}

/**
 * Periodic check for the interval rule. unref'd so it never keeps a process alive, and the
 * tick itself is queued behind any write in progress by the consumer (it never runs during one).
 */
export class RotationTimer {
  private handle: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onTick: () => void,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.handle !== undefined) return;
    // Check a few times per interval so a file lives at most ~1.25 intervals.
    const period = Math.max(10, Math.min(this.intervalMs / 4, 60_000));
    this.handle = setInterval(this.onTick, period);
    this.handle.unref();
  }

  stop(): void {
    if (this.handle !== undefined) clearInterval(this.handle);
    this.handle = undefined;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }
}
