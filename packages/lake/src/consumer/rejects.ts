/**
 * Rows that could not be converted, kept with their reason and written as JSON Lines under
 * `<path_prefix>/_rejected/<table>/<table>-<first>-<last>.jsonl`. They are written before
 * any checkpoint moves past their ledger, so a reject is never lost; a crash after a reject
 * file was written but before the checkpoint moved may write those rejects again on replay
 * (rejects are at-least-once; data rows are exactly-once).
 */
import { createHash } from 'node:crypto';
import type { InputRecord } from './message-input.js';

export interface RejectEntry {
  table: string;
  ledger: number | undefined;
  /** Ledger the reject is filed under: its own, or the newest seen when it had none. */
  fileLedger: number;
  reason: string;
  payload: unknown;
  metadata: unknown;
  rejected_at: string;
}

function safeJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64') };
  return v;
}

export function rejectLine(e: RejectEntry): string {
  return JSON.stringify(
    { table: e.table, ledger: e.ledger ?? null, reason: e.reason, payload: safeJson(e.payload), metadata: e.metadata ?? null, rejected_at: e.rejected_at },
    (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x),
  );
}

export class RejectBuffer {
  private entries: RejectEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  add(e: RejectEntry): void {
    this.entries.push(e);
  }

  addRecord(rec: InputRecord, reason: string, now: number): void {
    this.add({
      table: rec.table,
      ledger: rec.ledger,
      fileLedger: rec.ledger,
      reason,
      payload: rec.payload,
      metadata: rec.metadata,
      rejected_at: new Date(now).toISOString(),
    });
  }

  /** Lowest ledger with a reject not yet written for `table`, if any. */
  minLedger(table: string): number | undefined {
    let min: number | undefined;
    for (const e of this.entries) if (e.table === table && (min === undefined || e.fileLedger < min)) min = e.fileLedger;
    return min;
  }

  /** Removes and groups by table the rejects at or below `upTo`, for writing. */
  take(upTo: number): Map<string, RejectEntry[]> {
    const out = new Map<string, RejectEntry[]>();
    const keep: RejectEntry[] = [];
    for (const e of this.entries) {
      if (e.fileLedger > upTo) {
        keep.push(e);
        continue;
      }
      const list = out.get(e.table) ?? [];
      list.push(e);
      out.set(e.table, list);
    }
    this.entries = keep;
    return out;
  }

  /** Puts back entries whose write failed, so they are retried and never lost. */
  restore(entries: RejectEntry[]): void {
    this.entries.unshift(...entries);
  }
}

/** A short hash of the rejects' content (not their timestamps), for their file name. */
export function contentHash(entries: readonly RejectEntry[]): string {
  const h = createHash('sha256');
  for (const e of entries) h.update(rejectLine({ ...e, rejected_at: '' })).update('\n');
  return h.digest('hex').slice(0, 12);
}
