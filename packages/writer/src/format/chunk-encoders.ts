import type { Codec } from '../codecs/codec.js';
import type { ColumnWriterOptions } from './column/column-writer.js';
import type { PageBuffer } from './column/page-buffer.js';
import { ColumnChunkEncoder, type ChunkSettings, type ColumnChunkResult } from './column-chunk.js';
import type { ColumnDescriptor } from './schema/schema.js';

/**
 * Where a writer's full pages go to be encoded, and where its column chunks come from: the
 * writer's own thread (LocalChunkEncoders) or encode workers (parallel/pool.ts). Either
 * way a chunk ends as the same ColumnChunkResult, so the writer and the row-group writer
 * have one path; only how long a page takes to be counted differs, which the byte bound
 * (groupBytesBound / settleBelow) covers.
 */
export interface ChunkEncoders {
  /**
   * Encode the open pages of `columns` (each full, per the writer's page rule); the pages are
   * empty afterwards. A promise means the writer must wait for it before going on (the
   * encoders had too much in flight).
   */
  encodePages(columns: readonly number[]): Promise<void> | undefined;
  /**
   * An upper bound on the open row group's encoded size: every column's encoded pages and
   * dictionary plus its open page's plain size (ColumnChunkWriter.bufferedSize summed).
   * Exact while no page is being encoded elsewhere.
   */
  groupBytesBound(): number;
  /** The same, with pages still being encoded counted at their plain size (for ParquetWriter.estimatedSize). */
  groupBytesEstimate(): number;
  /**
   * Undefined when groupBytesBound() is exact now; else a promise that resolves once it is
   * under `limit` or exact (pages in flight are waited for, oldest first).
   */
  settleBelow(limit: number): Promise<void> | undefined;
  /** Between writeRows calls, while the call's values are still in cache. */
  betweenCalls(): void;
  /** Encode the open pages and finish every column's chunk of a `rows`-row group, in schema order. */
  finishRowGroup(rows: number): Promise<ColumnChunkResult[]>;
  /** Throws the failure of an encoder that runs elsewhere, if one failed. */
  check(): void;
  /** The file is finished or abandoned: release what the encoders hold for it. */
  end(): Promise<void>;
}

/**
 * Pages encoded on the writer's thread, as soon as they are full: every column's encoder
 * works on the writer's own page buffer. Kept across ParquetWriter.reset, with the scratch
 * space its columns grew.
 */
export class LocalChunkEncoders implements ChunkEncoders {
  private readonly encoders: ColumnChunkEncoder[];

  constructor(
    columns: readonly ColumnDescriptor[],
    buffers: readonly PageBuffer[],
    options: readonly ColumnWriterOptions[],
    settings: readonly ChunkSettings[],
    codec: Codec,
  ) {
    this.encoders = columns.map((d, i) => new ColumnChunkEncoder(d, options[i]!, codec, settings[i]!, buffers[i]));
  }

  /** Settings for the next file (between files only, when every chunk is finished). */
  configure(options: readonly ColumnWriterOptions[], settings: readonly ChunkSettings[]): void {
    this.encoders.forEach((e, i) => e.configure(options[i]!, settings[i]!));
  }

  encodePages(columns: readonly number[]): undefined {
    for (const i of columns) this.encoders[i]!.flushPage();
    return undefined;
  }

  groupBytesBound(): number {
    let total = 0;
    for (const e of this.encoders) total += e.writer.bufferedSize();
    return total;
  }

  groupBytesEstimate(): number {
    return this.groupBytesBound();
  }

  settleBelow(): undefined {
    return undefined;
  }

  /** Look the new values up in the dictionaries while they are in cache (ColumnChunkWriter.indexAhead). */
  betweenCalls(): void {
    for (const e of this.encoders) e.writer.indexAhead();
  }

  finishRowGroup(rows: number): Promise<ColumnChunkResult[]> {
    return Promise.resolve(this.encoders.map((e) => e.finish(rows)));
  }

  check(): void {}

  end(): Promise<void> {
    return Promise.resolve();
  }
}
