import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { duckRows as duck } from './support/duckdb.js';
import { assertConformance } from './support/conformance.js';
import { PythonReaders, isReaderError } from './support/python-readers.js';

const ROOT = new URL('..', import.meta.url).pathname;

function cli(args: string[], input?: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'packages/lake/src/cli/run-main.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('convert: the bundled example becomes a Parquet file DuckDB reads exactly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-convert-'));
  const out = join(dir, 'ex.parquet');
  const r = cli([
    'convert',
    '--schema',
    'examples/contract-data.schema.json',
    'examples/contract-data.jsonl',
    '-o',
    out,
    '--codec',
    'zstd',
    '--page-version',
    '2',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote 200 rows/);
  const [row] = await duck(`SELECT count(*), count(balance), sum(octet_length(key_xdr)), min(closed_at)::VARCHAR, count(tags), max(len(tags))
    FROM '${out}'`);
  // Independent expectation from the JSON Lines themselves.
  const lines = readFileSync(join(ROOT, 'examples/contract-data.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const keyBytes = lines.reduce((n, l) => n + Buffer.from(l.key_xdr, 'base64').length, 0);
  assert.deepEqual(row, [
    200n,
    BigInt(lines.filter((l) => l.balance !== null).length),
    BigInt(keyBytes),
    '2024-09-02 10:00:00+00',
    BigInt(lines.filter((l) => l.tags !== null).length),
    3n,
  ]);
  const [first] = await duck(`SELECT balance::VARCHAR, closed_at::VARCHAR FROM '${out}' WHERE balance IS NOT NULL LIMIT 1`);
  const firstWithBalance = lines.find((l) => l.balance !== null);
  assert.equal(first![0], firstWithBalance.balance);
  // The file keeps the spec's rules, bounds checked against the values pyarrow reads.
  const readers = new PythonReaders();
  try {
    const [read] = await readers.read([out], ['leaves']);
    const leaves = read!.leaves;
    assert.ok(leaves && !isReaderError(leaves), JSON.stringify(leaves));
    assertConformance(new Uint8Array(readFileSync(out)), leaves);
  } finally {
    await readers.close();
  }
});

test('convert --workers 2 writes the same file as without; a bad --workers is a usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-convert-'));
  const base = ['convert', '--schema', 'examples/contract-data.schema.json', 'examples/contract-data.jsonl', '--codec', 'zstd'];
  const plain = cli([...base, '-o', join(dir, 'a.parquet')]);
  const threaded = cli([...base, '--workers', '2', '-o', join(dir, 'b.parquet')]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(threaded.status, 0, threaded.stderr);
  assert.match(threaded.stderr, /pages encoded on 2 worker thread\(s\)/);
  assert.doesNotMatch(plain.stderr, /worker thread/);
  assert.ok(readFileSync(join(dir, 'a.parquet')).equals(readFileSync(join(dir, 'b.parquet'))));
  const bad = cli([...base, '--workers', 'two', '-o', join(dir, 'c.parquet')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--workers needs an integer >= 0, got two/);
  assert.deepEqual((await readdir(dir)).sort(), ['a.parquet', 'b.parquet']);
});

test('convert: stdin input, and the first bad line stops with its line number and column; no file is left', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-convert-'));
  const schema = join(dir, 's.json');
  await writeFile(
    schema,
    JSON.stringify({
      fields: [
        { name: 'id', type: 'int64' },
        { name: 'u', type: 'uint32', optional: true },
      ],
    }),
  );
  const ok = cli(['convert', '--schema', schema, '-', '-o', join(dir, 'ok.parquet')], '{"id": "9007199254740993"}\n\n{"id": 2, "u": 4294967295}\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(await duck(`SELECT id::VARCHAR, u FROM '${join(dir, 'ok.parquet')}' ORDER BY id`), [
    ['2', 4294967295],
    ['9007199254740993', null],
  ]);

  const bad = cli(['convert', '--schema', schema, '-', '-o', join(dir, 'bad.parquet')], '{"id": 1}\n\n{"id": 2, "u": 4294967296}\n{"id": 3}\n');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /line 3: column 'u': 4294967296 is out of range for uint32/);
  assert.deepEqual((await readdir(dir)).sort(), ['ok.parquet', 's.json']);

  const badJson = cli(['convert', '--schema', schema, '-', '-o', join(dir, 'bad.parquet')], '{"id": 1}\n{nope\n');
  assert.equal(badJson.status, 1);
  assert.match(badJson.stderr, /line 2: invalid JSON/);
});

test('convert: usage errors exit 2 and say what is wrong', async () => {
  const r = cli(['convert', 'x.jsonl']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--schema is required/);
  const typo = cli(['convert', '--shcema', 's.json']);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown option --shcema \(did you mean --schema\?\)/);
  const unknown = cli(['convrt']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'convrt' \(did you mean 'convert'\?\)/);
});
