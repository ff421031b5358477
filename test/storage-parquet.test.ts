// A Parquet file streamed through each backend's ObjectWriter, then read back by an
// independent reader (DuckDB) after download, plus the footer reads a Parquet reader makes
// (suffix range for the footer length, then the footer itself).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { FsStore, GcsStore, S3Store, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { GcsEmulator, S3_CREDENTIALS, startOrSkip, startS3 } from './servers/servers.js';

const ROWS = 300_000;
const RUN = `parquet-${Date.now().toString(36)}`;
const tmp = mkdtempSync(join(tmpdir(), 'cdp-parquet-rt-'));

/** A file big enough (> 5 MiB, random strings do not compress) to go through multipart / resumable uploads. */
function makeParquet(): Uint8Array {
  const ledger = new Int32Array(ROWS);
  const amount = new Float64Array(ROWS);
  const hash: string[] = new Array<string>(ROWS);
  let x = 12345;
  for (let i = 0; i < ROWS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    ledger[i] = 1_000_000 + i;
    amount[i] = (x >>> 0) / 1000;
    hash[i] = (x >>> 0).toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0');
  }
  const ab = parquetWriteBuffer({
    columnData: [
      { name: 'ledger_sequence', data: ledger, type: 'INT32' },
      { name: 'amount', data: amount, type: 'DOUBLE' },
      { name: 'tx_hash', data: hash, type: 'STRING' },
    ],
    rowGroupSize: 100_000,
  });
  return new Uint8Array(ab);
}
const FILE = makeParquet();

async function duckRows(path: string): Promise<Record<string, unknown>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n, min(ledger_sequence) AS lo, max(ledger_sequence) AS hi,
      count(DISTINCT tx_hash)::BIGINT AS hashes, sum(round(amount * 1000)::BIGINT)::BIGINT AS total, bit_xor(hash(tx_hash)) AS hx FROM read_parquet('${path}')`);
    return r.getRowObjectsJS()[0]!;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

function roundTrip(name: string, store: () => ObjectStore): void {
  it(`${name}: streamed Parquet file reads back in DuckDB`, async () => {
    const s = store();
    const key = `lake/ledgers/1000000-1299999.parquet`;
    const w = await s.openWriter(key, {
      contentType: 'application/vnd.apache.parquet',
      metadata: { format: 'parquet', generator: 'cdp-parquet', 'ledger-range': '1000000-1299999' },
    });
    // Uneven chunks, like pages and row groups arriving from a writer.
    for (let off = 0, i = 0; off < FILE.length; i++) {
      const n = Math.min([256 * 1024, 1_000_003, 4096][i % 3]!, FILE.length - off);
      await w.write(FILE.slice(off, off + n));
      off += n;
    }
    await w.close();
    assert.ok(FILE.length > 5 * 1024 * 1024, `file is only ${FILE.length} bytes`);

    // What a remote Parquet reader does first: 8-byte suffix (footer length + magic), then the footer.
    const tail = await s.get(key, { suffix: 8 });
    assert.equal(new TextDecoder().decode(tail.subarray(4)), 'PAR1');
    const footerLen = new DataView(tail.buffer, tail.byteOffset).getUint32(0, true);
    const footer = await s.get(key, { offset: FILE.length - 8 - footerLen, length: footerLen });
    assert.equal(footer.length, footerLen);

    const local = join(tmp, `${name}.parquet`);
    writeFileSync(local, await s.get(key));
    const row = await duckRows(local);
    assert.equal(row.n, BigInt(ROWS));
    assert.equal(row.lo, 1_000_000);
    assert.equal(row.hi, 1_000_000 + ROWS - 1);
    assert.equal(row.hashes, BigInt(ROWS));
    const expected = await duckRows(join(tmp, 'original.parquet'));
    assert.equal(row.total, expected.total);
    assert.equal(row.hx, expected.hx);
    // The FS store keeps no user metadata (storage-contract.test.ts, StoreTraits).
    const head = await s.head(key);
    assert.equal(head?.metadata['ledger-range'], s.kind === 'fs' ? undefined : '1000000-1299999');
    assert.equal(head?.contentType, 'application/vnd.apache.parquet');
  });
}

// Both servers start before any hook or suite is registered: a suite registered after a
// top-level await can run after the root's after() hook (which removes tmp) has run.
const s3 = await startOrSkip('S3 server', startS3);
const gcs = await startOrSkip('GCS emulator', () => GcsEmulator.start());

before(() => writeFileSync(join(tmp, 'original.parquet'), FILE));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('parquet via fs', () => {
  const s = new FsStore({ root: join(tmp, 'lake-fs') });
  roundTrip('fs', () => s);
});

describe('parquet via s3', { skip: s3.skip }, () => {
  let store: S3Store;
  before(async () => {
    store = await S3Store.create({
      bucket: 'parquet',
      prefix: `${RUN}/`,
      endpoint: s3.server!.endpoint,
      forcePathStyle: true,
      credentials: S3_CREDENTIALS,
      partSize: 5 * 1024 * 1024,
    });
    await store.ensureBucket();
  });
  after(async () => {
    if (store !== undefined) for await (const e of store.list('')) await store.delete(e.key);
    await store?.close();
    await s3.server?.stop();
  });
  roundTrip('s3', () => store);
});

describe('parquet via gcs', { skip: gcs.skip }, () => {
  let store: GcsStore;
  before(async () => {
    store = await GcsStore.create({ bucket: 'parquet', prefix: `${RUN}/`, endpoint: gcs.server!.endpoint, resumableThreshold: 1024 * 1024 });
  });
  after(async () => {
    await store?.close();
    await gcs.server?.stop();
  });
  roundTrip('gcs', () => store);
});
