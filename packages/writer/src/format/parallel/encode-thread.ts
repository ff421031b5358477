/**
 * One encode worker as the pool sees it, on either platform: Node's worker_threads or a
 * browser's module Web Worker. Both run encode-worker.(js|ts) and speak protocol.ts; only
 * start-up, events and keeping the process alive differ.
 */
import type { Worker as NodeWorker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.js';

export interface EncodeThread {
  /** The platform's worker object (a worker_threads Worker or a Web Worker), for diagnostics. */
  readonly native: unknown;
  post(msg: ToWorker, transfer?: ArrayBuffer[]): void;
  /** While replies are awaited the thread keeps a Node process alive; idle, it must not. */
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

export interface ThreadEvents {
  message(msg: FromWorker): void;
  /** The thread failed or died: every request still pending is lost. */
  failed(error: Error): void;
}

/** True in Node (main thread or worker_threads), false in browsers and their workers. */
export const isNode = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/** Why this platform cannot run encode workers, or undefined when it can. */
export function threadsUnavailable(): string | undefined {
  if (isNode) return undefined;
  if (typeof (globalThis as { Worker?: unknown }).Worker === 'function') return undefined;
  return 'needs Node worker_threads or Web Workers, and this platform has neither';
}

/** Start `count` encode threads; `events(i)` receives what thread i says. */
export async function startThreads(count: number, events: (i: number) => ThreadEvents): Promise<EncodeThread[]> {
  if (!isNode) return Array.from({ length: count }, (_, i) => startWebWorker(events(i)));
  const { Worker } = await loadWorkerThreads();
  return Array.from({ length: count }, (_, i) => startNodeWorker(Worker, events(i)));
}

function startWebWorker(events: ThreadEvents): EncodeThread {
  // Written exactly this way so that bundlers (Vite, webpack 5, Parcel) see the worker
  // entry and emit it next to the bundle.
  const worker = new Worker(new URL('./encode-worker.js', import.meta.url), { type: 'module' });
  let terminated = false;
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => events.message(e.data));
  worker.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    if (!terminated) events.failed(new Error(`parquet encode worker failed: ${e.message || 'could not load encode-worker.js'}`));
  });
  worker.addEventListener('messageerror', () => events.failed(new Error('parquet encode worker: a message could not be deserialised')));
  return {
    native: worker,
    post: (msg, transfer = []) => worker.postMessage(msg, transfer),
    ref: () => undefined,
    unref: () => undefined,
    terminate: () => {
      terminated = true;
      worker.terminate();
      return Promise.resolve();
    },
  };
}

type WorkerCtor = typeof NodeWorker;

function startNodeWorker(Worker: WorkerCtor, events: ThreadEvents): EncodeThread {
  const worker = spawn(Worker);
  let terminated = false;
  worker.on('message', (msg: FromWorker) => events.message(msg));
  worker.on('error', (err: Error) => events.failed(err));
  worker.on('messageerror', (err: Error) => events.failed(err));
  worker.on('exit', (code: number) => {
    if (!terminated) events.failed(new Error(`parquet encode worker exited unexpectedly (code ${code})`));
  });
  // An idle worker must not keep the process alive (e.g. a writer that was never closed).
  worker.unref();
  return {
    native: worker,
    post: (msg, transfer = []) => worker.postMessage(msg, transfer),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      terminated = true;
      await worker.terminate();
    },
  };
}

/** node:worker_threads, imported on demand and out of bundlers' sight (the library also runs in browsers). */
async function loadWorkerThreads(): Promise<{ Worker: WorkerCtor }> {
  const specifier = 'node:worker_threads';
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as { Worker: WorkerCtor };
  } catch (err) {
    throw new Error(`options.workers needs node:worker_threads, which this platform lacks (${String(err)}); use workers: 0`);
  }
}

/**
 * Start one Node encode worker. From compiled JavaScript the entry is encode-worker.js next
 * to this file. Run from TypeScript sources (tsx), the entry is the .ts file, and on Node 20
 * tsx installs its loader in the main thread only, so the worker first registers it itself.
 */
function spawn(Worker: WorkerCtor): NodeWorker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./encode-worker.js', here));
  const entry = new URL('./encode-worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}
