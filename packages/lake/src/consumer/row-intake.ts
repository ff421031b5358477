/**
 * SaveToParquet's intake: the tables it knows, the ledgers it has seen, and the route of each
 * message into its table's pending ledger.
 *
 * Messages arrive in ledger order. A message of a ledger above every one seen proves each
 * lower ledger complete, so the tables seal what they hold of those first. A message that
 * cannot become a row (no table, wrong profile, a value its column refuses, a ledger already
 * complete, no close time where the partitioning needs one) is filed as a reject naming why,
 * and the flow goes on.
 */
import type { SaveToParquetConfig } from './config.js';
import { RejectError, normaliseMessage, type InputRecord } from './message-input.js';
import type { ConsumerMetrics } from './metrics.js';
import { needsCloseTime } from './partitioning.js';
import type { RejectIntake } from './reject-intake.js';
import type { RunSpan } from './run-span.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { TableCatalog } from './table-catalog.js';
import type { TableFiles } from './table-files.js';
import { TableState } from './table-state.js';
import { metadataJson } from './tables/metadata-column.js';

export interface RowIntakeDeps {
  config: SaveToParquetConfig;
  catalog: TableCatalog;
  registry: SchemaRegistry;
  files: TableFiles;
  rejects: RejectIntake;
  metrics: ConsumerMetrics;
  span: RunSpan;
}

export class RowIntake {
  readonly tables = new Map<string, TableState>();
  /** The newest ledger seen (-1: none). */
  maxLedger = -1;
  /** Every ledger at or below it was delivered whole (-1: none). */
  completeLedger = -1;

  constructor(private readonly deps: RowIntakeDeps) {}

  /** The state of `name`, created on first use (recovery reads checkpoints before any message). */
  table(name: string): TableState {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = new TableState(name);
      this.tables.set(name, t);
    }
    return t;
  }

  /** Routes one message; returns a promise only when it had to seal or write a file. */
  accept(msg: unknown): Promise<void> | undefined {
    const { catalog, registry, rejects, metrics, config } = this.deps;
    let rec: InputRecord;
    try {
      rec = normaliseMessage(msg, catalog);
    } catch (err) {
      if (!(err instanceof RejectError)) throw err;
      rejects.unrouted(msg, err);
      return undefined;
    }
    this.deps.span.note(rec.ledger);
    const t = this.table(rec.table);
    if (!t.bound) t.bind(registry.fixed(rec.table, rec.profile));
    if (t.startCheckpoint !== undefined && rec.ledger <= t.startCheckpoint) {
      metrics.duplicate_records_dropped++;
      return undefined;
    }
    if (rec.ledger <= this.completeLedger) {
      rejects.row(
        rec,
        `out of order: ledger ${rec.ledger} arrived after ledger ${this.maxLedger} (ledgers up to ${this.completeLedger} are complete)`,
        this.maxLedger,
      );
      return undefined;
    }
    if (rec.closeTimeMs === undefined && needsCloseTime(config.partition_by)) {
      rejects.row(rec, `missing ledger close time (metadata.ledger_close_time), needed for partition_by ${config.partition_by}`);
      return undefined;
    }
    if (rec.ledger > this.maxLedger) return this.acceptNewLedger(t, rec);
    return this.addRow(t, rec);
  }

  /**
   * Declares every ledger up to `ledger` complete and seals the tables' pending rows of
   * those ledgers into their files.
   */
  async complete(ledger: number): Promise<void> {
    this.completeLedger = Math.max(this.completeLedger, ledger);
    this.maxLedger = Math.max(this.maxLedger, ledger);
    for (const t of this.tables.values()) {
      if (t.pending !== undefined && t.pending.ledger <= this.completeLedger) await this.deps.files.seal(t);
    }
  }

  /** The first row of a ledger: every ledger below it is complete, so tables seal what they hold of them. */
  private async acceptNewLedger(t: TableState, rec: InputRecord): Promise<void> {
    await this.complete(rec.ledger - 1);
    this.maxLedger = rec.ledger;
    await this.addRow(t, rec);
  }

  private addRow(t: TableState, rec: InputRecord): Promise<void> | undefined {
    let row: Record<string, unknown>;
    try {
      if (t.fixed !== undefined && (rec.profile ?? 'default') !== t.fixed.schema.profile) {
        throw new RejectError(
          `table ${t.name} is written with the ${t.fixed.schema.profile} profile's columns; this row follows the ${rec.profile ?? 'default'} profile`,
        );
      }
      row = t.fixed !== undefined ? t.fixed.toRow(rec) : { ...rec.payload };
    } catch (err) {
      if (!(err instanceof RejectError)) throw err;
      this.deps.rejects.row(rec, err.reason);
      return undefined;
    }
    if (this.deps.config.include_metadata) row.pipeline_metadata = metadataJson(rec);
    t.pending ??= { ledger: rec.ledger, closeTimeMs: rec.closeTimeMs, rows: [], parts: 0 };
    t.pending.rows.push({ row, rec });
    const maxRows = this.deps.config.buffer_size;
    return t.pending.rows.length > maxRows ? this.deps.files.writePart(t, maxRows) : undefined;
  }
}
