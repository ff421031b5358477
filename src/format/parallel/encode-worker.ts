/**
 * Worker entry of parallel encoding (see pool.ts), for Node worker_threads and module Web
 * Workers alike. It owns the ColumnChunkWriters of the columns the main thread routes to
 * it, built from the same FieldSpecs, options and codec, and runs exactly the
 * single-threaded code on each page, so the bytes match.
 * Messages are handled strictly in arrival order (pages of a column must reach its
 * dictionary in order); a failure is reported against the request that caused it.
 */
import { createCodec } from '../../codecs/registry.js';
import { useNativeCrc32 } from '../page/crc32.js';
import type { Codec } from '../../codecs/codec.js';
import { compileSchema, type ParquetSchema } from '../schema/schema.js';
import { ColumnChunkWriter } from '../column/column-writer.js';
import { BloomFilterBuilder } from '../bloom/bloom-filter-builder.js';
import { buildColumnIndex, buildOffsetIndex } from '../page-index.js';
import type { ChunkDone, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { releasePage, unpackPage } from './protocol.js';
import { isNode } from './encode-thread.js';

interface Column { writer: ColumnChunkWriter; bloom: BloomFilterBuilder | undefined }

let init: WorkerInit | undefined;
let schema: ParquetSchema | undefined;
let codec: Codec | undefined;
const columns = new Map<number, Column>();
let queue: Promise<void> = Promise.resolve();
let post: (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

function receive(msg: ToWorker): void {
  queue = queue.then(() => handle(msg)).catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', id: 'id' in msg ? msg.id : -1, name: e.name, message: e.message, stack: e.stack });
  });
}

if (isNode) {
  // Node worker_threads (imported out of bundlers' sight). The port queues messages until
  // the listener is attached, so the await loses nothing.
  const specifier = 'node:worker_threads';
  const { parentPort } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:worker_threads');
  if (!parentPort) throw new Error('encode-worker must run in a worker thread');
  post = (msg, transfer = []) => parentPort.postMessage(msg, transfer);
  parentPort.on('message', receive);
} else {
  // A module Web Worker: the listener goes on before anything is awaited.
  const scope = globalThis as unknown as {
    addEventListener(type: 'message', listener: (e: { data: ToWorker }) => void): void;
    postMessage(msg: unknown, transfer: ArrayBuffer[]): void;
  };
  post = (msg, transfer = []) => scope.postMessage(msg, transfer);
  scope.addEventListener('message', (e) => receive(e.data));
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    init = msg;
    schema = compileSchema(msg.fields);
    [codec] = await Promise.all([createCodec(msg.compression, { level: msg.compressionLevel }), useNativeCrc32()]);
    return;
  }
  const column = columnFor(msg.column);
  if (msg.type === 'page') {
    unpackPage(msg.page, column.writer.buffer);
    column.writer.flushPage();
    const spare = releasePage(msg.page, column.writer.buffer);
    const reply: FromWorker = { type: 'page', id: msg.id, buffered: column.writer.bufferedSize(), dictionaryGrowing: column.writer.dictionaryGrowing, spare };
    post(reply, spare ? [spare] : []);
    return;
  }
  const finished = column.writer.finish(0);
  const bytes = new Uint8Array(finished.size);
  let at = 0;
  for (const part of finished.parts) {
    bytes.set(part, at);
    at += part.length;
  }
  const opts = init!;
  const reply: ChunkDone = {
    type: 'finish',
    id: msg.id,
    bytes,
    metadata: finished.metadata,
    offsetIndex: opts.pageIndex ? buildOffsetIndex(finished.pages, 0) : undefined,
    columnIndex: opts.pageIndex
      ? buildColumnIndex(finished.pages, column.writer.descriptor.mapping, opts.statisticsTruncateLength, opts.statistics)
      : undefined,
    bloom: column.bloom?.finish(msg.rowsInGroup),
  };
  const transfer: ArrayBuffer[] = [bytes.buffer];
  if (reply.bloom) transfer.push(reply.bloom.buffer as ArrayBuffer);
  post(reply, transfer);
}

/** Writers are built on a column's first message: the pool decides the routing lazily. */
function columnFor(index: number): Column {
  let column = columns.get(index);
  if (column) return column;
  const descriptor = schema?.columns[index];
  const spec = init?.columns[index];
  if (!descriptor || !spec || !codec) throw new Error(`encode worker: no column ${index} (or not initialised)`);
  const writer = new ColumnChunkWriter(descriptor, spec.writer, codec);
  const bloom = spec.bloom ? new BloomFilterBuilder(descriptor, spec.bloom) : undefined;
  if (bloom) writer.onPageValues = (page) => bloom.addPage(page);
  column = { writer, bloom };
  columns.set(index, column);
  return column;
}
