/**
 * The script of the browser test page (bundled by test/browser.test.ts): writes the cases
 * it is given with the library as a browser app would, with and without Web Workers, and
 * hands the files back as base64.
 */
import { ParquetWriter, WritableStreamSink, type WriterOptions } from '../../packages/writer/src/index.js';
import { writeCase, type WriteCase } from '../support/options-model.js';
import { decodeWire, toBase64 } from './wire.js';

interface PageResult {
  /** Per case: the file written without workers, and with the case's own `workers`. */
  files: { serial: string; parallel: string }[];
  /** One file written through a WritableStreamSink (WHATWG streams). */
  streamed: string;
  /** What BROTLI (node:zlib only) says in a browser. */
  brotliError: string;
  environment: { userAgent: string; hasProcess: boolean; workerApi: boolean };
}

async function run(wireCases: unknown, workers: number): Promise<PageResult> {
  const cases = decodeWire(wireCases) as WriteCase[];
  const files: PageResult['files'] = [];
  for (const c of cases) {
    const serial = await writeCase({ ...c, options: { ...c.options, workers: 0 } });
    const parallel = await writeCase({ ...c, options: { ...c.options, workers } });
    files.push({ serial: toBase64(serial), parallel: toBase64(parallel) });
  }

  const chunks: Uint8Array[] = [];
  const stream = new WritableStream<Uint8Array>({
    write: (chunk) => {
      chunks.push(chunk.slice());
    },
  });
  const first = cases[0]!;
  const w = new ParquetWriter(first.fields, new WritableStreamSink(stream), { ...first.options, workers } as WriterOptions);
  await w.writeRows(first.rows);
  await w.close();
  const streamed = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    streamed.set(c, at);
    at += c.length;
  }

  let brotliError = '';
  try {
    const b = new ParquetWriter([{ name: 'x', type: 'int32' }], new WritableStreamSink(new WritableStream()), { compression: 'brotli' });
    await b.writeRows([{ x: 1 }]);
    await b.close();
  } catch (err) {
    brotliError = String(err);
  }
  return {
    files,
    streamed: toBase64(streamed),
    brotliError,
    environment: {
      userAgent: navigator.userAgent,
      hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
      workerApi: typeof Worker === 'function',
    },
  };
}

(globalThis as { runCases?: typeof run }).runCases = run;
