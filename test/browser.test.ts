/**
 * The library in a real browser (Debian's Chromium, headless, driven by playwright-core):
 * the test page is bundled with esbuild the way an app would bundle the package, writes
 * random cases with and without Web Workers, and hands the files back. Every file must be
 * byte-identical to what Node writes for the same case (so the browser path runs the very
 * same writer, codecs included), Web Worker output must equal single-threaded output, and
 * pyarrow, DuckDB, polars and hyparquet must read the browser's files back exactly.
 *
 * Needs Chromium: installed on first run by `test/servers/chromium.sh` (Debian package;
 * .ci/run does it up front), or point CHROMIUM_PATH at another Chromium/Chrome binary.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { chromium, type Browser } from 'playwright-core';
import type { FieldSpec, WriterOptions } from '../packages/writer/src/index.js';
import { schemaArb, rowArb } from './support/model.js';
import { writeCase, writeCaseArb } from './support/options-model.js';
import { checkCase, type Case } from './support/roundtrip-check.js';
import { PythonReaders, REPO_ROOT } from './support/python-readers.js';
import { encodeWire } from './browser/wire.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CASES = Number(process.env.BROWSER_CASES ?? 16);
const SEED = Number(process.env.BROWSER_SEED ?? 0xb20e);
const WORKERS = 2;

let dir: string;
let server: Server;
let browser: Browser;
let readers: PythonReaders;
let origin: string;

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

before(async () => {
  // Like the storage tests' servers: installed on first use (Debian package), unless a
  // binary is named explicitly.
  if (!existsSync(CHROMIUM) && process.env.CHROMIUM_PATH === undefined) {
    execFileSync('bash', [join(REPO_ROOT, 'test/servers/chromium.sh'), 'install'], { stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`bash test/servers/chromium.sh install\` or set CHROMIUM_PATH`);
  dir = mkdtempSync(join(tmpdir(), 'cdp-parquet-browser-'));
  // Two bundles side by side, as a bundler emits them: the page and the encode worker it
  // starts with new Worker(new URL('./encode-worker.js', import.meta.url)); zstd-wasm
  // fetches zstd.wasm next to whichever bundle loads it.
  await build({
    entryPoints: { page: join(REPO_ROOT, 'test/browser/page.ts'), 'encode-worker': join(REPO_ROOT, 'packages/writer/src/format/parallel/encode-worker.ts') },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  copyFileSync(join(REPO_ROOT, 'node_modules/@bokuweb/zstd-wasm/dist/web/zstd.wasm'), join(dir, 'zstd.wasm'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>');
  server = createServer((req, res) => {
    const file = join(dir, (req.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html');
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  readers = new PythonReaders();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await readers?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Codecs a browser has (BROTLI needs node:zlib and is checked for its error instead). */
const optionsArb: fc.Arbitrary<WriterOptions> = fc.record(
  {
    pageVersion: fc.constantFrom(1 as const, 2 as const),
    rowGroupSize: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 1, max: 300 })),
    dataPageRowLimit: fc.oneof(fc.constant(20_000), fc.integer({ min: 1, max: 200 })),
    dictionaryPageSizeLimit: fc.oneof(fc.constant(1024 * 1024), fc.integer({ min: 16, max: 2048 })),
    pageChecksum: fc.boolean(),
  },
  { requiredKeys: ['pageVersion'] },
);

const rowsArb = (fields: FieldSpec[]): fc.Arbitrary<Record<string, unknown>[]> =>
  fc.oneof(
    fc.array(rowArb(fields, 3), { maxLength: 120 }),
    fc
      .tuple(fc.array(rowArb(fields, 3), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 900 }))
      .map(([distinct, n]) => Array.from({ length: n }, (_, i) => distinct[(i * 5 + (i >> 2)) % distinct.length]!)),
  );

test(
  `Chromium: ${CASES} random cases written in the page equal Node's bytes, with and without Web Workers, and read back exactly`,
  { timeout: 600_000 },
  async () => {
    // Every codec a browser has, in turn (zstd and its WASM file included).
    const codecs = ['none', 'snappy', 'gzip', 'zstd', 'lz4'] as const;
    const cases = (fc.sample(writeCaseArb(schemaArb, rowsArb, optionsArb), { numRuns: CASES, seed: SEED }) as Case[]).map((c, i) => ({
      ...c,
      options: { ...c.options, compression: codecs[i % codecs.length] },
    }));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => typeof (globalThis as { runCases?: unknown }).runCases === 'function');
    const result = (await page.evaluate(
      ([wire, workers]) => (globalThis as unknown as { runCases(c: unknown, w: number): Promise<unknown> }).runCases(wire, workers as number),
      [encodeWire(cases), WORKERS] as const,
    )) as {
      files: { serial: string; parallel: string }[];
      streamed: string;
      brotliError: string;
      environment: { userAgent: string; hasProcess: boolean; workerApi: boolean };
    };
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.match(result.environment.userAgent, /Chrome\//);
    assert.equal(result.environment.hasProcess, false, 'a real browser, no Node globals');
    assert.equal(result.environment.workerApi, true);
    assert.match(result.brotliError, /BROTLI compression needs node:zlib/);

    const fileDir = mkdtempSync(join(dir, 'files-'));
    const paths: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const serial = Buffer.from(result.files[i]!.serial, 'base64');
      const parallel = Buffer.from(result.files[i]!.parallel, 'base64');
      const node = Buffer.from(await writeCase({ ...c, options: { ...c.options, workers: 0 } }));
      assert.ok(serial.equals(node), `case ${i}: the browser's file differs from Node's (${serial.length} vs ${node.length} bytes)`);
      assert.ok(parallel.equals(serial), `case ${i}: Web Workers changed the bytes`);
      const path = join(fileDir, `case-${i}.parquet`);
      writeFileSync(path, serial);
      paths.push(path);
    }
    assert.ok(Buffer.from(result.streamed, 'base64').equals(Buffer.from(result.files[0]!.serial, 'base64')), 'WritableStreamSink wrote the same file');

    const reads = await readers.read(paths);
    for (let i = 0; i < cases.length; i++) await checkCase(cases[i]!, readFileSync(paths[i]!), reads[i]!);
    await page.close();
  },
);
