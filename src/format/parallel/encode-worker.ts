/**
 * Worker entry of parallel encoding (see pool.ts), for Node worker_threads and module Web
 * Workers alike. It owns the ColumnChunkWriters of the columns the main thread routes to
 * it, built from the same FieldSpecs, options and codec, and runs exactly the
 * single-threaded code on each page, so the bytes match.
 * Messages are handled strictly in arrival order (pages of a column must reach its
 * dictionary in order); a failure is reported against the request that caused it. One
 * worker serves any number of writers, each as a session (see encode-threads.ts).
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

/** One writer's state in this worker. */
interface Session {
  init: WorkerInit;
  schema: ParquetSchema;
  codec: Codec;
  columns: Map<number, Column>;
}

const sessions = new Map<number, Session>();
let queue: Promise<void> = Promise.resolve();
let post: (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

function receive(msg: ToWorker): void {
  queue = queue.then(() => handle(msg)).catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', session: msg.session, id: 'id' in msg ? msg.id : -1, name: e.name, message: e.message, stack: e.stack });
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
    // A codec per session, as the main thread makes one per writer: the loaders behind them
    // (zstd's WASM module, node:zlib) are loaded once per thread already.
    const [codec] = await Promise.all([createCodec(msg.compression, { level: msg.compressionLevel }), useNativeCrc32()]);
    sessions.set(msg.session, { init: msg, schema: compileSchema(msg.fields), codec, columns: new Map() });
    return;
  }
  if (msg.type === 'end') {
    sessions.delete(msg.session);
    return;
  }
  const session = sessions.get(msg.session);
  if (!session) throw new Error(`encode worker: no session ${msg.session} (not initialised, or ended)`);
  const column = columnFor(session, msg.column);
  if (msg.type === 'page') {
    unpackPage(msg.page, column.writer.buffer);
    column.writer.flushPage();
    const spare = releasePage(msg.page, column.writer.buffer);
    const reply: FromWorker = {
      type: 'page', session: msg.session, id: msg.id,
      buffered: column.writer.bufferedSize(), dictionaryGrowing: column.writer.dictionaryGrowing, spare,
    };
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
  const opts = session.init;
  const reply: ChunkDone = {
    type: 'finish',
    session: msg.session,
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
function columnFor(session: Session, index: number): Column {
  let column = session.columns.get(index);
  if (column) return column;
  const descriptor = session.schema.columns[index];
  const spec = session.init.columns[index];
  if (!descriptor || !spec) throw new Error(`encode worker: no column ${index}`);
  const writer = new ColumnChunkWriter(descriptor, spec.writer, session.codec);
  const bloom = spec.bloom ? new BloomFilterBuilder(descriptor, spec.bloom) : undefined;
  if (bloom) writer.onPageValues = (page) => bloom.addPage(page);
  column = { writer, bloom };
  session.columns.set(index, column);
  return column;
}
