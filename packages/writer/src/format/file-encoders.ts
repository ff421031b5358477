import type { Codec } from '../codecs/codec.js';
import type { ColumnWriterOptions } from './column/column-writer.js';
import type { PageBuffer } from './column/page-buffer.js';
import type { ChunkSettings } from './column-chunk.js';
import type { ResolvedColumnOptions } from './column-options.js';
import { LocalChunkEncoders, type ChunkEncoders } from './chunk-encoders.js';
import { EncoderPool } from './parallel/pool.js';
import type { ParquetSchema } from './schema/schema.js';
import type { FieldSpec } from './schema/types.js';
import { usesWorkers, type ResolvedWriterOptions } from './writer-options.js';

/** One column's settings, for its chunk encoder (wherever it runs). */
export interface ColumnSetup {
  writer: ColumnWriterOptions;
  chunk: ChunkSettings;
}

/** Every column's settings from the resolved writer options and per-column options. */
export function columnSetups(resolved: ResolvedWriterOptions, columns: readonly ResolvedColumnOptions[]): ColumnSetup[] {
  return columns.map((o): ColumnSetup => ({
    writer: {
      pageVersion: resolved.pageVersion,
      dataPageSize: resolved.dataPageSize,
      dataPageRowLimit: resolved.dataPageRowLimit,
      encoding: o.encoding,
      dictionary: o.dictionary,
      dictionaryPageSizeLimit: resolved.dictionaryPageSizeLimit,
      pageChecksum: resolved.pageChecksum,
      statistics: resolved.statistics,
      statisticsTruncateLength: resolved.statisticsTruncateLength,
    },
    chunk: {
      pageIndex: resolved.pageIndex,
      statistics: resolved.statistics,
      statisticsTruncateLength: resolved.statisticsTruncateLength,
      bloom: o.bloomFilter,
    },
  }));
}

/** What a file's chunk encoders are made from. */
export interface FileEncodersInput {
  schema: ParquetSchema;
  options: ResolvedWriterOptions;
  setup: readonly ColumnSetup[];
  /** The writer's open pages, one per column. */
  buffers: readonly PageBuffer[];
  codec: Codec;
  /** The writer's encoders on its own thread from an earlier file, reused (configured anew) when given. */
  local: LocalChunkEncoders | undefined;
}

/**
 * A file's chunk encoders: a session on encode threads when options.workers asks for them,
 * else encoders on the writer's thread.
 */
export async function startFileEncoders(input: FileEncodersInput): Promise<ChunkEncoders> {
  const { schema, options, setup, buffers, codec, local } = input;
  if (usesWorkers(options)) {
    return EncoderPool.start(
      options.workers,
      {
        type: 'init',
        fields: JSON.parse(JSON.stringify(schema.fields)) as FieldSpec[],
        columns: [...setup],
        compression: options.compression,
        compressionLevel: options.compressionLevel,
      },
      buffers,
      codec.name,
    );
  }
  const writers = setup.map((s) => s.writer);
  const chunks = setup.map((s) => s.chunk);
  if (!local) return new LocalChunkEncoders(schema.columns, buffers, writers, chunks, codec);
  local.configure(writers, chunks);
  return local;
}
