// Public API of the cdp-parquet writer (runs on Node and in browsers).
export { ParquetWriter, type ResetOptions, type WriteSummary } from './format/parquet-writer.js';
export type { WriterOptions, ColumnOptions, BloomFilterOptions, SortingColumnOption, ResolvedWriterOptions } from './format/writer-options.js';
export type { EncodingChoice, ValueEncodingName } from './format/column/value-encoding.js';
export { DEFAULT_WRITER_OPTIONS, MAX_WORKERS } from './format/writer-options.js';
export { EncodeThreads } from './format/parallel/encode-threads.js';
export type { Sink } from './format/sink.js';
export { MemorySink } from './format/sinks/memory-sink.js';
export { WritableStreamSink } from './format/sinks/web-stream-sink.js';
export { t, defineSchema, type Schema, type RowOf, type Typed } from './format/schema/builders.js';
export { parseJsonSchema } from './format/schema/json-schema.js';
export { makeJsonRowConverter, type JsonRowConverter } from './format/values/from-json.js';
export { compileSchema, type ParquetSchema, type ColumnDescriptor } from './format/schema/schema.js';
export type {
  FieldSpec,
  TypeSpec,
  TimeUnitName,
  PrimitiveTypeSpec,
  SimpleTypeSpec,
  SimpleTypeName,
  FixedTypeSpec,
  TemporalTypeSpec,
  DecimalTypeSpec,
  ListTypeSpec,
  StructTypeSpec,
  MapTypeSpec,
} from './format/schema/types.js';
export { ParquetValueError, ParquetSchemaError } from './format/errors.js';
export type { ByteColumnValues, ColumnBatch, ColumnValues } from './format/column-batch.js';
export { registerCodec, createCodec, listCodecs } from './codecs/registry.js';
export type { Codec, CodecFactory, CodecOptions, CompressionName } from './codecs/codec.js';
export { VERSION, CREATED_BY } from './version.js';

import { ParquetWriter } from './format/parquet-writer.js';
import { MemorySink } from './format/sinks/memory-sink.js';
import type { WriterOptions } from './format/writer-options.js';
import type { Schema } from './format/schema/builders.js';
import type { FieldSpec } from './format/schema/types.js';

/** Write rows to an in-memory Parquet file. */
export async function writeParquet<Row>(schema: Schema<Row> | readonly FieldSpec[], rows: Iterable<Row>, options?: WriterOptions): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ParquetWriter<Row>(schema, sink, options);
  await writer.writeRows(rows);
  await writer.close();
  return sink.bytes();
}
