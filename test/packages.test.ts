/**
 * The two npm packages as a user gets them: what `npm pack` ships, and what a fresh project
 * that installs the tarballs holds and can run. The writer (`cdp-parquet`) must install with
 * its codecs' three dependencies only (no cloud SDK, no Stellar SDK, no YAML) and work from its
 * compiled dist/ alone; the lake (`@cdp-parquet/lake`) must bring its dependencies and run
 * the `cdp-parquet` command from its bin.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readPyarrowCount } from './support/pyarrow-count.js';
import { installedPackages, installInto, pack, REPO_ROOT, type Packed } from './support/packages.js';

const WRITER_FILE = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts))$/;
const LAKE_FILE = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts)|bin\/cdp-parquet\.js|config\/examples\/[a-z0-9-]+\.yaml)$/;
/** What a library user of the writer must never get. */
const HEAVY = /^(@aws-sdk|@smithy|@google-cloud|@stellar|yaml$)/;

let work: string;
let writer: Packed;
let lake: Packed;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'cdp-parquet-packages-'));
  // The writer first: the lake's prepack build compiles against the writer's dist/.
  writer = pack('cdp-parquet', join(work, 'tarballs'));
  lake = pack('@cdp-parquet/lake', join(work, 'tarballs'));
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('the writer ships its compiled entry points, declarations, README and LICENSE, nothing else', () => {
    const paths = writer.files.map((f) => f.path);
    assert.deepEqual(
      paths.filter((p) => !WRITER_FILE.test(p)),
      [],
    );
    for (const entry of ['index', 'node', 'footer', 'zstd']) {
      assert.ok(paths.includes(`dist/${entry}.js`) && paths.includes(`dist/${entry}.d.ts`), `dist/${entry}`);
    }
    // Started by path (new URL('./encode-worker.js', import.meta.url)), so no import reaches it.
    assert.ok(paths.includes('dist/format/parallel/encode-worker.js'));
    assert.ok(paths.includes('README.md') && paths.includes('LICENSE'));
  });

  it('the lake ships its compiled code, the bin, the example configs, README and LICENSE, nothing else', () => {
    const paths = lake.files.map((f) => f.path);
    assert.deepEqual(
      paths.filter((p) => !LAKE_FILE.test(p)),
      [],
    );
    for (const p of ['bin/cdp-parquet.js', 'dist/cli/run-main.js', 'dist/consumer/index.d.ts', 'config/examples/demo.yaml', 'README.md', 'LICENSE']) {
      assert.ok(paths.includes(p), p);
    }
    // The writer is a dependency, never bundled into the lake.
    assert.deepEqual(
      paths.filter((p) => /dist\/(format|codecs|encoding)\//.test(p)),
      [],
    );
  });
});

describe('a fresh project', () => {
  it('installing the writer gets the writer and its three codec dependencies, no cloud SDK', { timeout: 300_000 }, () => {
    const dir = join(work, 'writer-user');
    installInto(dir, [writer.tarball]);
    const installed = installedPackages(join(dir, 'node_modules'));
    assert.deepEqual(
      installed.filter((p) => HEAVY.test(p)),
      [],
    );
    assert.deepEqual(installed, ['@bokuweb/zstd-wasm', 'cdp-parquet', 'fflate', 'lz4js']);
  });

  it('the installed writer writes a file with every entry point, from its dist/ alone', { timeout: 120_000 }, async () => {
    const dir = join(work, 'writer-user');
    const script = `
      import { ParquetWriter, defineSchema, t, VERSION } from 'cdp-parquet';
      import { NodeFileSink } from 'cdp-parquet/node';
      import { parseFooter, footerLength } from 'cdp-parquet/footer';
      import { loadZstdWasm } from 'cdp-parquet/zstd';
      import { readFileSync } from 'node:fs';
      const schema = defineSchema({ id: t.int64(), name: t.optional(t.string()) });
      const w = new ParquetWriter(schema, new NodeFileSink('out.parquet'), { compression: 'zstd' });
      await w.writeRows(Array.from({ length: 1000 }, (_, i) => ({ id: BigInt(i), name: i % 3 ? 'n' + i : null })));
      await w.close();
      const bytes = readFileSync('out.parquet');
      const len = footerLength(bytes.subarray(bytes.length - 8), bytes.length, bytes.subarray(0, 4));
      const footer = parseFooter(bytes.subarray(bytes.length - 8 - len, bytes.length - 8));
      const zstd = await loadZstdWasm();
      console.log(JSON.stringify({ version: VERSION, rows: footer.numRows, createdBy: footer.createdBy, zstd: typeof zstd.compress }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    const r = JSON.parse(out) as { version: string; rows: number; createdBy: string; zstd: string };
    assert.deepEqual(r, { version: writer.version, rows: 1000, createdBy: `cdp-parquet version ${writer.version}`, zstd: 'function' });
    assert.equal(await readPyarrowCount(join(dir, 'out.parquet')), 1000);
  });

  it('installing the lake brings its dependencies and the cdp-parquet command, which converts JSON lines', { timeout: 300_000 }, async () => {
    const dir = join(work, 'lake-user');
    installInto(dir, [writer.tarball, lake.tarball]);
    const installed = installedPackages(join(dir, 'node_modules'));
    for (const p of ['cdp-parquet', '@cdp-parquet/lake', '@aws-sdk/client-s3', '@google-cloud/storage', '@stellar/stellar-sdk', 'yaml']) {
      assert.ok(installed.includes(p), `${p} installed with the lake`);
    }
    for (const dev of ['typescript', 'tsx', '@duckdb/node-api', 'hyparquet']) assert.ok(!installed.includes(dev), `${dev} is not the lake's`);
    const bin = join(dir, 'node_modules/.bin/cdp-parquet');
    assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim(), lake.version);
    const examples = join(REPO_ROOT, 'examples');
    execFileSync(
      bin,
      ['convert', '--schema', join(examples, 'contract-data.schema.json'), join(examples, 'contract-data.jsonl'), '-o', join(dir, 'c.parquet')],
      { cwd: dir },
    );
    const lines = readFileSync(join(examples, 'contract-data.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    assert.equal(await readPyarrowCount(join(dir, 'c.parquet')), lines);
  });
});
