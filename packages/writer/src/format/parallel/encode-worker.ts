/**
 * Worker entry of parallel encoding (see pool.ts), for Node worker_threads and module Web
 * Workers alike. It owns the ColumnChunkEncoders of the columns the main thread routes to
 * it, built from the same FieldSpecs, options and codec, and runs exactly the code of the
 * writer's own thread on each page and chunk, so the bytes match.
 * Messages are handled strictly in arrival order (pages of a column must reach its
 * dictionary in order); a failure is reported against the request that caused it. One
 * worker serves any number of writers, each as a session (see encode-threads.ts).
 */
import { createCodec } from '../../codecs/registry.js';
import { useNativeCrc32 } from '../page/crc32.js';
import type { Codec } from '../../codecs/codec.js';
import { compileSchema, type ParquetSchema } from '../schema/schema.js';
import { ColumnChunkEncoder, type ColumnChunkResult } from '../column-chunk.js';
import type { ChunkDone, FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { releasePage, unpackPage } from './protocol.js';
import { isNode } from './encode-thread.js';

/** One writer's state in this worker. */
interface Session {
  init: WorkerInit;
  schema: ParquetSchema;
  codec: Codec;
  columns: Map<number, ColumnChunkEncoder>;
}

const sessions = new Map<number, Session>();
let queue: Promise<void> = Promise.resolve();
let post: (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

function receive(msg: ToWorker): void {
  queue = queue
    .then(() => handle(msg))
    .catch((err: unknown) => {
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
  const writer = column.writer;
  if (msg.type === 'page') {
    unpackPage(msg.page, writer.buffer);
    writer.flushPage();
    const spare = releasePage(msg.page, writer.buffer);
    const reply: FromWorker = {
      type: 'page',
      session: msg.session,
      id: msg.id,
      buffered: writer.bufferedSize(),
      dictionaryGrowing: writer.dictionaryGrowing,
      spare,
    };
    post(reply, spare ? [spare] : []);
    return;
  }
  const chunk = column.finish(msg.rowsInGroup);
  const reply: ChunkDone = { type: 'finish', session: msg.session, id: msg.id, chunk };
  post(reply, transferList(chunk));
}

/**
 * The allocations behind the chunk's parts (blocks of its ChunkBytes, each the chunk's
 * own) and its bloom filter, moved to the writer's thread rather than copied.
 */
function transferList(chunk: ColumnChunkResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const part of chunk.parts) buffers.add(part.buffer as ArrayBuffer);
  if (chunk.bloom) buffers.add(chunk.bloom.buffer as ArrayBuffer);
  return [...buffers];
}

/** Encoders are built on a column's first message: the pool decides the routing lazily. */
function columnFor(session: Session, index: number): ColumnChunkEncoder {
  let column = session.columns.get(index);
  if (column) return column;
  const descriptor = session.schema.columns[index];
  const spec = session.init.columns[index];
  if (!descriptor || !spec) throw new Error(`encode worker: no column ${index}`);
  column = new ColumnChunkEncoder(descriptor, spec.writer, session.codec, spec.chunk);
  session.columns.set(index, column);
  return column;
}
