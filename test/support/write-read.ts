/** Writer-test helpers: a file's bytes from rows, and its rows read back by hyparquet. */
import { parquetReadObjects } from 'hyparquet';
import { MemorySink, ParquetWriter, type FieldSpec, type WriterOptions } from '../../packages/writer/src/index.js';

/** The file a new writer writes for `rows` in one writeRows call. */
export async function writeRowsToBytes(
  fields: readonly FieldSpec[],
  rows: readonly Record<string, unknown>[],
  options: WriterOptions = {},
): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ParquetWriter(fields, sink, options);
  await writer.writeRows(rows);
  await writer.close();
  return sink.bytes();
}

/** Every row of a file as objects (strings as text). */
export async function readObjects(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file, utf8: true }) as Promise<Record<string, unknown>[]>;
}
