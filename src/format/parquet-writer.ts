import type { Codec } from '../codecs/codec.js';
import { createCodec } from '../codecs/registry.js';
import { useNativeCrc32 } from './page/crc32.js';
import { ParquetSchemaError, ParquetValueError } from './errors.js';
import type { Sink } from './sink.js';
import { compileSchema, type ParquetSchema } from './schema/schema.js';
import type { FieldSpec } from './schema/types.js';
import { createShredder, type Shredder } from './shred-flat.js';
import type { PageBuffer } from './column/page-buffer.js';
import { ColumnChunkWriter, type ColumnWriterOptions } from './column/column-writer.js';
import { resolveWriterOptions, usesWorkers, type ResolvedWriterOptions, type WriterOptions } from './writer-options.js';
import { FileTail, MAGIC, type FileAppender } from './file-tail.js';
import type { FileMetaData, SortingColumn } from './thrift/parquet-metadata.js';
import { writeRowGroup } from './row-group-writer.js';
import { resolveColumnOptions, type ResolvedColumnOptions } from './column-options.js';
import { BloomFilterBuilder } from './bloom/bloom-filter-builder.js';
import type { Schema } from './schema/builders.js';
import { writeColumnBatch, type ColumnBatch } from './column-batch.js';
import { assertWorkersUsable, EncoderPool } from './parallel/pool.js';
import { sizeCheckDue } from './size-check.js';

/**
 * Rows between looks at the open pages' byte sizes (a loop over every column, too costly per
 * row); a page's row limit is still met exactly. Pages overshoot the byte target by at most
 * this many rows, like arrow-rs, which checks once per write batch.
 */
const PAGE_CHECK_INTERVAL = 8;

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
 * group's compressed pages plus one open page per column (see the README).
 */
export class ParquetWriter<Row = Record<string, unknown>> {
  readonly schema: ParquetSchema;
  /** The constructor's options; reset() overrides its per-file keys on top of them. */
  private readonly given: WriterOptions;
  private options!: ResolvedWriterOptions;
  private ready: Promise<Codec>;
  private columns: ColumnChunkWriter[] = [];
  private shredder!: Shredder;
  /** Row groups written so far and their page indexes, for the end of the file. */
  private tail = new FileTail();
  private readonly appender: FileAppender = { append: (b) => this.write(b), offset: () => this.offset };
  private readonly keyValues = new Map<string, string>();
  private readonly marks: Int32Array;
  /** The columns' open pages (columns[i].buffer). */
  private buffers: PageBuffer[] = [];
  private columnOptions!: ResolvedColumnOptions[];
  private sortingColumns: SortingColumn[] | undefined;
  private blooms: (BloomFilterBuilder | undefined)[] = [];
  /** Set with options.workers: pages are encoded there, and `columns` only hold the open pages. */
  private pool: EncoderPool | undefined;
  private offset = 0;
  private rowsInGroup = 0;
  /** Rows until afterRows next looks at the open pages (see PAGE_CHECK_INTERVAL). */
  private pageCheckIn = 0;
  private rowsWritten = 0;
  private rowsSeen = 0;
  private state: 'open' | 'closed' | 'aborted' | 'failed' = 'open';

  constructor(schema: Schema<Row> | ParquetSchema | readonly FieldSpec[], private sink: Sink, options: WriterOptions = {}) {
    this.schema = toParquetSchema(schema);
    this.given = options;
    this.marks = new Int32Array(this.schema.columns.length);
    const writerOptions = this.configure(options);
    this.ready = Promise.all([
      createCodec(this.options.compression, { level: this.options.compressionLevel }),
      this.options.pageChecksum ? useNativeCrc32() : false,
    ]).then(async ([codec]) => {
      this.columns = this.schema.columns.map((c, i) => new ColumnChunkWriter(c, writerOptions[i]!, codec));
      this.buffers = this.columns.map((c) => c.buffer);
      this.shredder = createShredder(this.schema.roots, this.buffers);
      await this.startFile(codec, writerOptions);
      return codec;
    });
    // The header magic goes out with the first row group (or the footer), so that a writer
    // that fails before any data leaves nothing behind in the sink.
    this.ready.catch(() => undefined);
  }

  /**
   * Validates `options` and makes them this writer's (resolved, per column, footer
   * key-values); nothing changes when they are invalid. Returns each column's writer options.
   */
  private configure(options: WriterOptions): ColumnWriterOptions[] {
    const resolved = resolveWriterOptions(options);
    const { columns, sortingColumns } = resolveColumnOptions(this.schema, resolved);
    if (usesWorkers(resolved)) assertWorkersUsable(resolved.compression);
    this.options = resolved;
    this.columnOptions = columns;
    this.sortingColumns = sortingColumns;
    this.keyValues.clear();
    for (const [k, v] of Object.entries(resolved.keyValueMetadata ?? {})) this.keyValues.set(k, v);
    return columns.map((o): ColumnWriterOptions => ({
      pageVersion: resolved.pageVersion,
      dataPageSize: resolved.dataPageSize,
      dataPageRowLimit: resolved.dataPageRowLimit,
      encoding: o.encoding,
      dictionary: o.dictionary,
      dictionaryPageSizeLimit: resolved.dictionaryPageSizeLimit,
      pageChecksum: resolved.pageChecksum,
      statistics: resolved.statistics,
      statisticsTruncateLength: resolved.statisticsTruncateLength,
    }));
  }

  /** What a file needs besides the columns: its encode-thread session, or its bloom filter builders. */
  private async startFile(codec: Codec, writerOptions: readonly ColumnWriterOptions[]): Promise<void> {
    this.pool = undefined;
    this.blooms = [];
    if (usesWorkers(this.options)) {
      // The main thread's writers only collect open pages; blooms are built in the workers.
      this.pool = await EncoderPool.start(this.options.workers, {
        type: 'init',
        fields: JSON.parse(JSON.stringify(this.schema.fields)) as FieldSpec[],
        columns: writerOptions.map((writer, i) => ({ writer, bloom: this.columnOptions[i]!.bloomFilter })),
        compression: this.options.compression,
        compressionLevel: this.options.compressionLevel,
        pageIndex: this.options.pageIndex,
        statistics: this.options.statistics,
        statisticsTruncateLength: this.options.statisticsTruncateLength,
      }, this.columns, codec.name, {
        rowGroupSize: this.options.rowGroupSize, rowGroupBytes: this.options.rowGroupBytes, flush: () => this.flushRowGroup(),
      });
      return;
    }
    this.blooms = this.columns.map((column, i) => {
      const bloom = this.columnOptions[i]!.bloomFilter;
      if (!bloom) {
        column.onPageValues = undefined;
        return undefined;
      }
      const builder = new BloomFilterBuilder(column.descriptor, bloom);
      column.onPageValues = (page) => builder.addPage(page);
      return builder;
    });
  }

  /**
   * Starts a new file into `sink` on this closed writer: same schema and options, and every
   * column's page buffers, value stores and scratch space kept at the size this data grew
   * them to. A new writer starts them small and grows them again; with many small files
   * (the consumer rotates every 10,000 rows by default) that was ~20% of writing. The idea
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
    const writerOptions = this.configure({ ...this.given, ...options });
    this.sink = sink;
    this.tail = new FileTail();
    this.offset = 0;
    this.rowsInGroup = 0;
    this.pageCheckIn = 0;
    this.rowsWritten = 0;
    this.rowsSeen = 0;
    // close() wrote every row group, so each column is at the start of an empty chunk.
    this.columns.forEach((c, i) => c.configure(writerOptions[i]!));
    this.state = 'open';
    this.ready = this.ready.then(async (codec) => {
      await this.startFile(codec, writerOptions);
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
    // With workers, pages still being encoded count at their plain size.
    if (this.pool) return this.offset + this.pool.groupBytesEstimate();
    let buffered = 0;
    for (const c of this.columns) buffered += c.bufferedSize();
    return this.offset + buffered;
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
      this.indexAhead();
    } catch (err) {
      if (!(err instanceof ParquetValueError)) this.state = 'failed';
      throw err;
    }
  }

  /**
   * Between calls (a ledger's rows, a batch): look the open pages' new values up in their
   * dictionaries while they are still in cache (ColumnChunkWriter.indexAhead). With workers
   * the dictionaries live in the workers, and the new strings go into the pages'
   * distinct-value tables instead (EncoderPool.packAhead).
   */
  private indexAhead(): void {
    if (this.pool) this.pool.packAhead();
    else for (const c of this.columns) c.indexAhead();
  }

  /** The fast path for flat schemas: whole columns as arrays or typed arrays, see ColumnBatch. */
  async writeColumns(batch: ColumnBatch): Promise<void> {
    await this.begin();
    const firstRow = this.rowsSeen;
    try {
      await writeColumnBatch(batch, this.schema, this.columns, firstRow, {
        mark: () => this.markAll(),
        rollback: () => this.rollbackAll(),
        afterRows: (count) => {
          this.rowsSeen += count;
          return this.afterRows(count);
        },
        rowsUntilLimit: () => this.rowsUntilLimit(),
      });
      this.indexAhead();
    } catch (err) {
      if (!(err instanceof ParquetValueError || err instanceof ParquetSchemaError)) this.state = 'failed';
      throw err;
    }
  }

  /** Rows that fit before the row group or some column's page reaches its row limit. */
  private rowsUntilLimit(): number {
    let room = this.options.rowGroupSize - this.rowsInGroup;
    for (const c of this.columns) room = Math.min(room, this.options.dataPageRowLimit - c.buffer.rowCount);
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
   * exactly when some page reaches its row limit. The same rule holds with and without
   * workers, so both cut pages at the same rows.
   */
  private pagesDue(count: number): boolean {
    this.pageCheckIn -= count;
    if (this.pageCheckIn > 0) return false;
    let next = PAGE_CHECK_INTERVAL;
    const limit = this.options.dataPageRowLimit;
    for (const c of this.columns) next = Math.min(next, limit - c.buffer.rowCount);
    this.pageCheckIn = next;
    return true;
  }

  private afterRows(count: number): Promise<void> | undefined {
    const before = this.rowsInGroup;
    this.rowsWritten += count;
    this.rowsInGroup += count;
    const due = this.pagesDue(count);
    if (this.pool) return this.pool.afterRows(this.rowsInGroup, before, due);
    let flushed = false;
    if (due) {
      for (const c of this.columns) {
        if (c.pageIsFull()) {
          c.flushPage();
          flushed = true;
        }
      }
    }
    if (this.rowsInGroup >= this.options.rowGroupSize) return this.flushRowGroup();
    if ((flushed || sizeCheckDue(before, this.rowsInGroup)) && this.groupBytes() >= this.options.rowGroupBytes) {
      return this.flushRowGroup();
    }
    return undefined;
  }

  private groupBytes(): number {
    let total = 0;
    for (const c of this.columns) total += c.bufferedSize();
    return total;
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
    const remote = this.pool ? await this.pool.finishRowGroup(this.rowsInGroup) : undefined;
    await writeRowGroup({
      rows: this.rowsInGroup, columns: this.columns, remote, blooms: this.blooms,
      sortingColumns: this.sortingColumns, options: this.options,
    }, this.appender, this.tail);
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
      await this.stopWorkers();
      return { rows: this.rowsWritten, rowGroups: this.tail.rowGroups.length, bytes: this.offset, metadata };
    } catch (err) {
      this.state = 'failed';
      await this.stopWorkers();
      await this.sink.abort(err).catch(() => undefined);
      throw err;
    }
  }

  /** Give up: the sink discards everything (no partial file under the final name). */
  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    this.state = 'aborted';
    // The pool may still be starting: wait for it (ignoring a failed start) to stop it.
    await this.ready.catch(() => undefined);
    await this.stopWorkers();
    await this.sink.abort(reason);
  }

  /** End this writer's encode session (and stop the threads if it started them). */
  private async stopWorkers(): Promise<void> {
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
