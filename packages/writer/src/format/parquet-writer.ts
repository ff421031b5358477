import type { Codec } from '../codecs/codec.js';
import { createCodec } from '../codecs/registry.js';
import { useNativeCrc32 } from './page/crc32.js';
import { ParquetSchemaError, ParquetValueError } from './errors.js';
import type { Sink } from './sink.js';
import { compileSchema, type ParquetSchema } from './schema/schema.js';
import type { FieldSpec } from './schema/types.js';
import { createShredder, type Shredder } from './shred-flat.js';
import type { PageBuffer } from './column/page-buffer.js';
import { newPageBuffer, pageIsFull } from './column/column-writer.js';
import { resolveWriterOptions, usesWorkers, type ResolvedWriterOptions, type WriterOptions } from './writer-options.js';
import { FileTail, MAGIC, type FileAppender } from './file-tail.js';
import type { FileMetaData, SortingColumn } from './thrift/parquet-metadata.js';
import { writeRowGroup } from './row-group-writer.js';
import { resolveColumnOptions } from './column-options.js';
import { LocalChunkEncoders, type ChunkEncoders } from './chunk-encoders.js';
import { columnSetups, startFileEncoders, type ColumnSetup } from './file-encoders.js';
import type { Schema } from './schema/builders.js';
import { writeColumnBatch, type ColumnBatch } from './column-batch.js';
import { assertWorkersUsable } from './parallel/pool.js';

/**
 * Rows between looks at the open pages' byte sizes (a loop over every column, too costly per
 * row); a page's row limit is still met exactly. Pages overshoot the byte target by at most
 * this many rows, like arrow-rs, which checks once per write batch.
 */
const PAGE_CHECK_INTERVAL = 8;

/**
 * Rows between looks at the open row group's byte size when no page was cut (summing every
 * column's buffered size per row would cost more than the rows).
 */
const SIZE_CHECK_INTERVAL = 256;

/** The options reset() may set for the next file (see ParquetWriter.reset). */
export type ResetOptions = Pick<WriterOptions, 'columns' | 'keyValueMetadata' | 'sortingColumns'>;
const RESET_KEYS = ['columns', 'keyValueMetadata', 'sortingColumns'] as const;

export interface WriteSummary {
  rows: number;
  rowGroups: number;
  bytes: number;
  metadata: FileMetaData;
}

/**
 * Streams rows into a Parquet file. Rows are shredded into per-column pages; full pages
 * are encoded and compressed at once; a row group is written to the sink as soon as it
 * reaches its row or byte limit, and the footer on close. Memory is bounded by one row
 * group's compressed pages plus one open page per column (see docs/writer.md).
 */
export class ParquetWriter<Row = Record<string, unknown>> {
  readonly schema: ParquetSchema;
  /** The constructor's options; reset() overrides its per-file keys on top of them. */
  private readonly given: WriterOptions;
  private options!: ResolvedWriterOptions;
  private ready: Promise<Codec>;
  private shredder!: Shredder;
  /** Row groups written so far and their page indexes, for the end of the file. */
  private tail = new FileTail();
  private readonly appender: FileAppender = { append: (b) => this.write(b), offset: () => this.offset };
  private readonly keyValues = new Map<string, string>();
  private readonly marks: Int32Array;
  /** The columns' open pages, kept from file to file (reset). */
  private buffers: PageBuffer[] = [];
  private sortingColumns: SortingColumn[] | undefined;
  /** This file's chunk encoders (where its pages are encoded): `local`, or an EncoderPool on encode threads (options.workers). */
  private pool: ChunkEncoders | undefined;
  /** Encoders on this thread, kept from file to file with the scratch space they grew. */
  private local: LocalChunkEncoders | undefined;
  private offset = 0;
  private rowsInGroup = 0;
  /** Rows until afterRows next looks at the open pages (see PAGE_CHECK_INTERVAL). */
  private pageCheckIn = 0;
  private rowsWritten = 0;
  private rowsSeen = 0;
  private state: 'open' | 'closed' | 'aborted' | 'failed' = 'open';

  constructor(
    schema: Schema<Row> | ParquetSchema | readonly FieldSpec[],
    private sink: Sink,
    options: WriterOptions = {},
  ) {
    this.schema = toParquetSchema(schema);
    this.given = options;
    this.marks = new Int32Array(this.schema.columns.length);
    const setup = this.configure(options);
    this.ready = Promise.all([
      createCodec(this.options.compression, { level: this.options.compressionLevel }),
      this.options.pageChecksum ? useNativeCrc32() : false,
    ]).then(async ([codec]) => {
      this.buffers = this.schema.columns.map(newPageBuffer);
      this.shredder = createShredder(this.schema.roots, this.buffers);
      await this.startFile(codec, setup);
      return codec;
    });
    // The header magic goes out with the first row group (or the footer), so that a writer
    // that fails before any data leaves nothing behind in the sink.
    this.ready.catch(() => undefined);
  }

  /**
   * Validates `options` and makes them this writer's (resolved, per column, footer
   * key-values); nothing changes when they are invalid. Returns each column's settings.
   */
  private configure(options: WriterOptions): ColumnSetup[] {
    const resolved = resolveWriterOptions(options);
    const { columns, sortingColumns } = resolveColumnOptions(this.schema, resolved);
    if (usesWorkers(resolved)) assertWorkersUsable(resolved.compression);
    this.options = resolved;
    this.sortingColumns = sortingColumns;
    this.keyValues.clear();
    for (const [k, v] of Object.entries(resolved.keyValueMetadata ?? {})) this.keyValues.set(k, v);
    return columnSetups(resolved, columns);
  }

  /** This file's chunk encoders (see startFileEncoders); those on this thread are kept for the next file. */
  private async startFile(codec: Codec, setup: readonly ColumnSetup[]): Promise<void> {
    this.pool = undefined; // until this file's encoders exist (the last file's are ended)
    this.pool = await startFileEncoders({ schema: this.schema, options: this.options, setup, buffers: this.buffers, codec, local: this.local });
    if (this.pool instanceof LocalChunkEncoders) this.local = this.pool;
  }

  /**
   * Starts a new file into `sink` on this closed writer: same schema and options, and every
   * column's page buffers, value stores and scratch space kept at the size this data grew
   * them to. A new writer starts them small and grows them again, a cost paid per file, so
   * it weighs most on many small files (the consumer rotates every 10,000 rows by default). The idea
   * is segmentio/parquet-go's Writer.Reset.
   *
   * `options` sets this file's per-file keys, `columns`, `keyValueMetadata` and
   * `sortingColumns`, over the constructor's (a key left out keeps the constructor's value;
   * a key given as undefined removes it). The file is byte for byte the one a new writer
   * with those options would write. Only a writer whose close() succeeded can be reset.
   */
  reset(sink: Sink, options: ResetOptions = {}): this {
    if (this.state !== 'closed') throw new ParquetSchemaError('writer', `can only be reset after close() succeeded; it is ${this.state}`);
    if (typeof options !== 'object' || options === null) throw new ParquetSchemaError('options', 'must be an object');
    for (const key of Object.keys(options)) {
      if (!(RESET_KEYS as readonly string[]).includes(key)) {
        throw new ParquetSchemaError(`options.${key}`, `cannot change on reset; per-file options are ${RESET_KEYS.join(', ')}`);
      }
    }
    const setup = this.configure({ ...this.given, ...options });
    this.sink = sink;
    this.tail = new FileTail();
    this.offset = 0;
    this.rowsInGroup = 0;
    this.pageCheckIn = 0;
    this.rowsWritten = 0;
    this.rowsSeen = 0;
    this.state = 'open';
    // close() wrote every row group, so each column is at the start of an empty chunk.
    this.ready = this.ready.then(async (codec) => {
      await this.startFile(codec, setup);
      return codec;
    });
    this.ready.catch(() => undefined);
    return this;
  }

  /** Rows accepted so far. */
  get rowCount(): number {
    return this.rowsWritten;
  }

  /**
   * `open` while rows can be written; `failed` after an error that was not a bad value (a
   * sink or encode-thread failure: the file cannot be completed, only aborted); `closed` or
   * `aborted` after close() or abort().
   */
  get status(): 'open' | 'closed' | 'aborted' | 'failed' {
    return this.state;
  }

  /** Rows offered so far, accepted or not: the row index a ParquetValueError names counts from 0 here. */
  get rowsOffered(): number {
    return this.rowsSeen;
  }

  /** Bytes handed to the sink so far plus the encoded size of the open row group. */
  get estimatedSize(): number {
    // Pages still being encoded on workers count at their plain size.
    return this.offset + (this.pool?.groupBytesEstimate() ?? 0);
  }

  /** Add or replace a footer key-value pair (allowed until close). */
  setMetadata(key: string, value: string): void {
    this.assertOpen();
    this.keyValues.set(key, value);
  }

  async writeRow(row: Row): Promise<void> {
    await this.writeRows([row]);
  }

  /**
   * Append rows. A row that does not fit the schema throws ParquetValueError naming the
   * column path and the row's index (counted over all rows offered to this writer); rows
   * before it are kept and the writer stays usable.
   */
  async writeRows(rows: Iterable<Row>): Promise<void> {
    await this.begin();
    try {
      if (Array.isArray(rows)) {
        // An index loop: across the awaits, for-of would allocate an iterator result per row.
        const list = rows as readonly Row[];
        for (let i = 0; i < list.length; i++) {
          const flushing = this.shredRow(list[i]!);
          if (flushing) await flushing;
        }
      } else {
        for (const row of rows) {
          const flushing = this.shredRow(row);
          if (flushing) await flushing;
        }
      }
      // Between calls (a ledger's rows, a batch) the new values are still in cache.
      this.pool!.betweenCalls();
    } catch (err) {
      if (!(err instanceof ParquetValueError)) this.state = 'failed';
      throw err;
    }
  }

  /** The fast path for flat schemas: whole columns as arrays or typed arrays, see ColumnBatch. */
  async writeColumns(batch: ColumnBatch): Promise<void> {
    await this.begin();
    const firstRow = this.rowsSeen;
    try {
      await writeColumnBatch(batch, this.schema, this.buffers, firstRow, {
        mark: () => this.markAll(),
        rollback: () => this.rollbackAll(),
        afterRows: (count) => {
          this.rowsSeen += count;
          return this.afterRows(count);
        },
        rowsUntilLimit: () => this.rowsUntilLimit(),
      });
      this.pool!.betweenCalls();
    } catch (err) {
      if (!(err instanceof ParquetValueError || err instanceof ParquetSchemaError)) this.state = 'failed';
      throw err;
    }
  }

  /** Rows that fit before the row group or some column's page reaches its row limit. */
  private rowsUntilLimit(): number {
    let room = this.options.rowGroupSize - this.rowsInGroup;
    for (const b of this.buffers) room = Math.min(room, this.options.dataPageRowLimit - b.rowCount);
    return Math.max(1, room);
  }

  private async begin(): Promise<void> {
    this.assertOpen();
    await this.ready;
  }

  /** Shreds one row (undone if it fails); returns a promise when pages or a row group must be written first. */
  private shredRow(row: Row): Promise<void> | undefined {
    const index = this.rowsSeen++;
    this.markAll();
    try {
      this.shredder.shred(row, index);
    } catch (err) {
      this.rollbackAll();
      throw err;
    }
    return this.afterRows(1);
  }

  /**
   * Whether the open pages are looked at after these rows: every PAGE_CHECK_INTERVAL rows, and
   * exactly when some page reaches its row limit.
   */
  private pagesDue(count: number): boolean {
    this.pageCheckIn -= count;
    if (this.pageCheckIn > 0) return false;
    let next = PAGE_CHECK_INTERVAL;
    const limit = this.options.dataPageRowLimit;
    for (const b of this.buffers) next = Math.min(next, limit - b.rowCount);
    this.pageCheckIn = next;
    return true;
  }

  /** After rows went into the open pages: full pages go to the encoders, then the row-group rule. */
  private afterRows(count: number): Promise<void> | undefined {
    const before = this.rowsInGroup;
    this.rowsWritten += count;
    this.rowsInGroup += count;
    const encoders = this.pool!;
    encoders.check(); // an encode worker's failure surfaces in the next call even if no page is due
    let full: number[] | undefined;
    if (this.pagesDue(count)) {
      // Checked per row: the list is only allocated when a page is full.
      const buffers = this.buffers;
      for (let i = 0; i < buffers.length; i++) if (pageIsFull(buffers[i]!, this.options)) (full ??= []).push(i);
    }
    if (full === undefined) return this.cutRowGroup(before, false);
    const waiting = encoders.encodePages(full);
    if (waiting) return waiting.then(() => this.cutRowGroup(before, true));
    return this.cutRowGroup(before, true);
  }

  /**
   * The rule that ends a row group: at rowGroupSize rows, or once its encoded bytes
   * (ChunkEncoders.groupBytesBound) reach rowGroupBytes, looked at when pages were cut and
   * every SIZE_CHECK_INTERVAL rows. Bytes are decided on exact sizes: while pages are
   * being encoded elsewhere the writer waits for them, but only when their worst case could
   * reach the limit, so the rows of each row group never depend on where pages are encoded.
   */
  private cutRowGroup(before: number, pagesCut: boolean): Promise<void> | undefined {
    const rows = this.rowsInGroup;
    if (rows >= this.options.rowGroupSize) return this.flushRowGroup();
    const checkPoint = Math.floor(rows / SIZE_CHECK_INTERVAL) !== Math.floor(before / SIZE_CHECK_INTERVAL);
    if (!pagesCut && !checkPoint) return undefined;
    const limit = this.options.rowGroupBytes;
    const encoders = this.pool!;
    if (encoders.groupBytesBound() < limit) return undefined;
    const settling = encoders.settleBelow(limit);
    if (!settling) return this.flushRowGroup();
    return settling.then(() => (encoders.groupBytesBound() >= limit ? this.flushRowGroup() : undefined));
  }

  /** Every column's level count, to undo a row (or a batch slice) that fails half-way (PageBuffer.rollback). */
  private markAll(): void {
    const m = this.marks;
    const buffers = this.buffers;
    for (let i = 0; i < buffers.length; i++) m[i] = buffers[i]!.levelCount;
  }

  private rollbackAll(): void {
    const m = this.marks;
    const buffers = this.buffers;
    for (let i = 0; i < buffers.length; i++) buffers[i]!.rollback(m[i]!);
  }

  private async write(chunk: Uint8Array): Promise<void> {
    await this.sink.write(chunk);
    this.offset += chunk.length;
  }

  /** Write the open row group (row-group-writer.ts) to the sink. */
  private async flushRowGroup(): Promise<void> {
    if (this.rowsInGroup === 0) return;
    if (this.offset === 0) await this.write(MAGIC.slice());
    const chunks = await this.pool!.finishRowGroup(this.rowsInGroup);
    await writeRowGroup({ rows: this.rowsInGroup, chunks, sortingColumns: this.sortingColumns, pageIndex: this.options.pageIndex }, this.appender, this.tail);
    this.rowsInGroup = 0;
  }

  /** Flush what is buffered as a row group now (e.g. before a pause in the input). */
  async flush(): Promise<void> {
    await this.begin();
    try {
      await this.flushRowGroup();
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }

  /** Write the last row group and the footer, then close the sink. */
  async close(): Promise<WriteSummary> {
    await this.begin();
    try {
      await this.flushRowGroup();
      if (this.offset === 0) await this.write(MAGIC.slice());
      const metadata = await this.tail.write(this.appender, this.schema, this.rowsWritten, this.keyValues);
      await this.sink.close();
      this.state = 'closed';
      await this.endFile();
      return { rows: this.rowsWritten, rowGroups: this.tail.rowGroups.length, bytes: this.offset, metadata };
    } catch (err) {
      this.state = 'failed';
      await this.endFile();
      await this.sink.abort(err).catch(() => undefined);
      throw err;
    }
  }

  /** Give up: the sink discards everything (no partial file under the final name). */
  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    this.state = 'aborted';
    // Encode threads may still be starting: wait for them (ignoring a failed start) to stop them.
    await this.ready.catch(() => undefined);
    await this.endFile();
    await this.sink.abort(reason);
  }

  /** The file's encoders are done (an encode-thread session ends, and threads the writer started stop). */
  private async endFile(): Promise<void> {
    await this.pool?.end();
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new ParquetSchemaError('writer', `is ${this.state}`);
  }
}

function toParquetSchema<Row>(schema: Schema<Row> | ParquetSchema | readonly FieldSpec[]): ParquetSchema {
  if (Array.isArray(schema)) return compileSchema(schema as readonly FieldSpec[]);
  if ('columns' in schema && 'elements' in schema) return schema;
  if ('fields' in schema) return compileSchema((schema as Schema<Row>).fields);
  throw new ParquetSchemaError('schema', 'expected a schema, a compiled schema or an array of fields');
}
