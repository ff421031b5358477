/**
 * One open Parquet file of one table and partition. Rows arrive a whole ledger at a time
 * (the consumer only hands over complete ledgers), so a file always ends on a ledger
 * boundary and can be rotated at any moment, e.g. by the timer.
 *
 * Built-in tables stream rows through a ParquetWriter into a StagingSink as they arrive, so
 * the encoded size is real and memory is bounded by one row group. Inferred tables keep the
 * file's rows until rotation, because their schema is inferred from the whole buffer.
 */
import { ParquetValueError, ParquetWriter, type ColumnOptions, type EncodeThreads, type FieldSpec, type WriterOptions } from 'cdp-parquet';
import type { FileMetaData } from 'cdp-parquet/footer';
import type { InputRecord } from './message-input.js';
import type { SchemaRegistry, StoredSchema } from './schema-registry.js';
import { StagingSink } from './staging.js';
import { projectRow } from './tables/inferred.js';
import { fileMetadata, type FileLineage } from './file-metadata.js';

export interface PendingRow {
  row: Record<string, unknown>;
  rec: InputRecord;
}

export interface RejectedRow {
  rec: InputRecord;
  reason: string;
}

export interface FileOptions {
  compression: string;
  /** Row-group byte budget: bounds the writer's memory (pages are held per row group). */
  rowGroupBytes: number;
  stagingDir?: string;
  stagingMemory?: number;
  /** Per-column writer options (see DictionaryMemory); undefined: every column judged afresh. */
  columns?: Record<string, ColumnOptions>;
  /** Encode threads shared by every file (config encode_workers); undefined: encode in this thread. */
  threads?: EncodeThreads;
  /** What every file of the run records about where it came from (file-metadata.ts). */
  lineage?: FileLineage;
}

export interface FinishedFile {
  table: string;
  partition: string;
  first: number;
  last: number;
  part: number | undefined;
  rows: number;
  bytes: number;
  staged: StagingSink;
  /** Rows that did not fit the schema at finish (inferred tables). */
  rejected: RejectedRow[];
  /** An inferred schema created or changed by this file, to persist before the commit. */
  schema: StoredSchema | undefined;
  droppedFields: number;
  /** The file's footer, and whether its columns were all judged afresh (no per-column options). */
  footer: FileMetaData | undefined;
  judged: boolean;
}

function reasonOf(err: unknown): string {
  if (err instanceof ParquetValueError) return `column ${err.columnPath}: ${err.reason}`;
  return err instanceof Error ? err.message : String(err);
}

export abstract class OpenFile {
  first = -1;
  last = -1;
  /** First ledger handed to this file, accepted or not: bounds what is not yet durable. */
  firstOffered = -1;
  rows = 0;
  /** Rows per ledger, in order, and the close times of the first and last ledger (the footer's account). */
  protected readonly ledgerRows: [number, number][] = [];
  protected closeTimes: [number, number] | undefined;

  constructor(
    readonly table: string,
    readonly partition: string,
    readonly part: number | undefined,
    readonly openedAt: number,
    protected readonly opts: FileOptions,
  ) {}

  abstract get estimatedBytes(): number;
  /** Appends one complete ledger's rows; returns the rows the writer refused. */
  abstract add(rows: readonly PendingRow[], ledger: number): Promise<RejectedRow[]>;
  abstract finish(): Promise<FinishedFile>;
  abstract discard(): Promise<void>;
  /** False once the file can no longer be finished (its writer failed): its rows are lost. */
  get usable(): boolean {
    return true;
  }

  /**
   * Whether finish() mostly waits for encode threads (the file's last pages are encoded
   * there), so the message flow can go on while it runs (TableFiles.finishAndCommit).
   */
  get finishesOffThread(): boolean {
    return false;
  }

  /** After finish(): a writer the table's next file may reset instead of making its own (ParquetWriter.reset). */
  get spareWriter(): ParquetWriter | undefined {
    return undefined;
  }

  /**
   * Marks `ledger` as handed to this file. add() calls it before its first await: from then
   * on the rows are neither pending nor counted anywhere else, and a checkpoint round that
   * runs meanwhile must see them here.
   */
  protected offer(ledger: number): void {
    if (this.firstOffered < 0) this.firstOffered = ledger;
  }

  protected noteLedger(ledger: number, accepted: number, closeTimeMs?: number): void {
    this.offer(ledger);
    if (accepted === 0) return;
    if (this.first < 0) this.first = ledger;
    this.last = ledger;
    this.rows += accepted;
    this.ledgerRows.push([ledger, accepted]);
    if (closeTimeMs !== undefined) this.closeTimes = [this.closeTimes?.[0] ?? closeTimeMs, closeTimeMs];
  }

  /** The file's key-value metadata (file-metadata.ts). */
  protected footer(
    first: number,
    last: number,
    version: string,
    ledgerRows: readonly [number, number][],
    closeTimes: [number, number] | undefined,
  ): Record<string, string> {
    return fileMetadata({
      table: this.table,
      first,
      last,
      schemaVersion: version,
      partition: this.partition,
      ledgerRows,
      firstCloseTimeMs: closeTimes?.[0],
      lastCloseTimeMs: closeTimes?.[1],
      lineage: this.opts.lineage,
    });
  }

  protected newStaging(): StagingSink {
    return new StagingSink(this.opts.stagingDir, this.opts.stagingMemory);
  }

  /** The ParquetWriter options of this file (both kinds of file write the same way). */
  protected writerOptions(): WriterOptions {
    const o = this.opts;
    return { compression: o.compression, rowGroupBytes: o.rowGroupBytes, columns: o.columns, workers: o.threads ?? 0 };
  }
}

/**
 * A table with a fixed schema: rows are encoded as they arrive. Given the table's previous
 * file's writer (`spare`), the file resets it rather than making a new one: its buffers have
 * grown to this table's pages already, where a new writer would grow them again for every
 * file, a cost paid per file and so large for a table's many small files.
 */
export class StreamingFile extends OpenFile {
  private readonly staging = this.newStaging();
  private readonly writer: ParquetWriter;

  constructor(
    table: string,
    partition: string,
    part: number | undefined,
    openedAt: number,
    opts: FileOptions,
    fields: readonly FieldSpec[],
    private readonly version: string,
    spare?: ParquetWriter,
  ) {
    super(table, partition, part, openedAt, opts);
    this.writer = spare !== undefined ? spare.reset(this.staging, { columns: opts.columns }) : new ParquetWriter(fields, this.staging, this.writerOptions());
  }

  override get spareWriter(): ParquetWriter | undefined {
    return this.writer.status === 'closed' ? this.writer : undefined;
  }

  override get finishesOffThread(): boolean {
    return this.opts.threads !== undefined;
  }

  get estimatedBytes(): number {
    return this.writer.estimatedSize;
  }

  override get usable(): boolean {
    return this.writer.status === 'open';
  }

  async add(rows: readonly PendingRow[], ledger: number): Promise<RejectedRow[]> {
    this.offer(ledger);
    const rejected: RejectedRow[] = [];
    const accepted = await writeKeepingGoodRows(
      this.writer,
      rows.map((r) => r.row),
      (i, err) => rejected.push({ rec: rows[i]!.rec, reason: reasonOf(err) }),
    );
    this.noteLedger(ledger, accepted, rows[0]?.rec.closeTimeMs);
    return rejected;
  }

  async finish(): Promise<FinishedFile> {
    for (const [k, v] of Object.entries(this.footer(this.first, this.last, this.version, this.ledgerRows, this.closeTimes))) this.writer.setMetadata(k, v);
    const summary = await this.writer.close();
    return {
      table: this.table,
      partition: this.partition,
      first: this.first,
      last: this.last,
      part: this.part,
      rows: summary.rows,
      bytes: summary.bytes,
      staged: this.staging,
      rejected: [],
      schema: undefined,
      droppedFields: 0,
      footer: summary.metadata,
      judged: this.opts.columns === undefined,
    };
  }

  async discard(): Promise<void> {
    await this.writer.abort().catch(() => undefined);
    await this.staging.dispose();
  }
}

/** A table whose schema is inferred: rows wait here until rotation, then are encoded at once. */
export class BufferedFile extends OpenFile {
  private buffer: PendingRow[] = [];
  private jsonBytes = 0;

  constructor(
    table: string,
    partition: string,
    part: number | undefined,
    openedAt: number,
    opts: FileOptions,
    private readonly registry: SchemaRegistry,
    private readonly evolution: boolean,
  ) {
    super(table, partition, part, openedAt, opts);
  }

  /** JSON text length: an upper bound of the encoded size, so files stay below the limit. */
  get estimatedBytes(): number {
    return this.jsonBytes;
  }

  async add(rows: readonly PendingRow[], ledger: number): Promise<RejectedRow[]> {
    for (const r of rows) {
      this.buffer.push(r);
      this.jsonBytes += JSON.stringify(r.row, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))?.length ?? 0;
    }
    this.noteLedger(ledger, rows.length, rows[0]?.rec.closeTimeMs);
    return [];
  }

  async finish(): Promise<FinishedFile> {
    const previous = this.registry.current(this.table);
    const schema = this.registry.resolve(
      this.table,
      this.buffer.map((r) => r.row),
    );
    const staging = this.newStaging();
    const writer = new ParquetWriter(schema.fields, staging, this.writerOptions());
    const rejected: RejectedRow[] = [];
    let dropped = 0;
    let first = -1;
    let last = -1;
    const ledgerRows: [number, number][] = [];
    let closeTimes: [number, number] | undefined;
    try {
      const projected = this.buffer.map((r) => projectRow(r.row, schema.fields));
      const bad = new Set<number>();
      await writeKeepingGoodRows(
        writer,
        projected.map((p) => p.row),
        (i, err) => {
          bad.add(i);
          rejected.push({ rec: this.buffer[i]!.rec, reason: `does not fit the ${this.table} schema v${schema.version}: ${reasonOf(err)}` });
        },
      );
      for (const [i, r] of this.buffer.entries()) {
        if (bad.has(i)) continue;
        if (!this.evolution) dropped += projected[i]!.dropped;
        if (first < 0) first = r.rec.ledger;
        last = r.rec.ledger;
        const tail = ledgerRows.at(-1);
        if (tail !== undefined && tail[0] === last) tail[1]++;
        else ledgerRows.push([last, 1]);
        const t = r.rec.closeTimeMs;
        if (t !== undefined) closeTimes = [closeTimes?.[0] ?? t, t];
      }
      if (first >= 0) for (const [k, v] of Object.entries(this.footer(first, last, String(schema.version), ledgerRows, closeTimes))) writer.setMetadata(k, v);
      const summary = await writer.close();
      this.buffer = [];
      return {
        table: this.table,
        partition: this.partition,
        first,
        last,
        part: this.part,
        rows: summary.rows,
        bytes: summary.bytes,
        staged: staging,
        rejected,
        schema: schema.changed ? { table: this.table, version: schema.version, fields: schema.fields } : undefined,
        droppedFields: dropped,
        footer: summary.metadata,
        judged: true,
      };
    } catch (err) {
      this.registry.restore(this.table, previous);
      await writer.abort().catch(() => undefined);
      await staging.dispose();
      throw err;
    }
  }

  async discard(): Promise<void> {
    this.buffer = [];
  }
}

/**
 * Writes `rows` in as few calls as bad rows allow (every call has a fixed cost, paid per row
 * if rows went one at a time): the writer rolls a bad row back and names it by its index among all rows
 * offered to it (ParquetValueError.rowIndex, counted from `rowsOffered`); it is reported to
 * `reject` and writing resumes after it. Returns the number of rows accepted. Any other
 * error (the sink failed) is thrown, as the writer cannot go on.
 */
export async function writeKeepingGoodRows(
  writer: ParquetWriter,
  rows: readonly Record<string, unknown>[],
  reject: (index: number, err: ParquetValueError) => void,
): Promise<number> {
  let accepted = 0;
  for (let from = 0; from < rows.length;) {
    const base = writer.rowsOffered;
    try {
      await writer.writeRows(from === 0 ? rows : rows.slice(from));
      return accepted + rows.length - from;
    } catch (err) {
      if (!(err instanceof ParquetValueError)) throw err;
      const bad = from + (err.rowIndex - base);
      accepted += bad - from;
      reject(bad, err);
      from = bad + 1;
    }
  }
  return accepted;
}
