import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { xdr } from '@stellar/stellar-sdk';
import { DataLakeSource, LedgerMissingError } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';
import { GalexieLayout, parseDataLakeSchema, parseObjectKey, readDataLakeSchema } from '../packages/lake/src/pipeline/source/galexie-layout.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { scanZstdFrames, wasmZstdDecompress, zstdDecompress } from '../packages/lake/src/pipeline/source/zstd.js';
import { contractDataProcessor } from './support/processors.js';
import { contractEventsProcessor } from './support/processors.js';
import type { LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { peekLedgerHeader } from '../packages/lake/src/stellar/ledger-record.js';
import { LOAD_TEST_FILE, MemoryObjectReader, PUBNET_FILE, TESTNET_LAKE, buildLake, closeTimeOf, rawDecompress, zstd } from './pipeline-helpers.js';
import { waitFor } from './support/wait.js';

async function collect(it: AsyncIterable<LedgerRecord>): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  for await (const l of it) out.push(l);
  return out;
}

test('layout: keys match the galexie scheme', () => {
  const l = new GalexieLayout({ compression: 'zstd', ledgersPerBatch: 1, batchesPerPartition: 64000 });
  assert.equal(l.objectKey(997), 'FFFFFFFF--0-63999/FFFFFC1A--997.xdr.zstd');
  assert.equal(l.objectKey(64000), 'FFFF05FF--64000-127999/FFFF05FF--64000.xdr.zstd');
  const flat = new GalexieLayout({ compression: 'zstd', ledgersPerBatch: 1, batchesPerPartition: 1 }, 'lake/');
  assert.equal(flat.objectKey(53312000), 'lake/FCD285FF--53312000.xdr.zstd');
  const multi = new GalexieLayout({ compression: 'zstd', ledgersPerBatch: 64, batchesPerPartition: 10 });
  assert.equal(multi.objectKey(130), 'FFFFFFFF--0-639/FFFFFF7F--128-191.xdr.zstd');
  assert.deepEqual(parseObjectKey('x/FFFFFFFF--0-639/FFFFFF7F--128-191.xdr.zstd'), { start: 128, end: 191 });
  assert.deepEqual(parseObjectKey('FCD285FF--53312000.xdr.zstd'), { start: 53312000, end: 53312000 });
  assert.equal(parseObjectKey('FCD285FE--53312000.xdr.zstd'), undefined);
  assert.throws(() => parseDataLakeSchema({ ledgersPerBatch: 0 }), /ledgersPerBatch/);
});

const hasNativeZstd = typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function';

// Both decoders, each on every Node that has it: the WASM one (which needs the block-header
// bound) everywhere, node:zlib where this Node ships it.
for (const [path, decompress, skip] of [
  ['wasm', wasmZstdDecompress, false],
  ['node:zlib', zstdDecompress, !hasNativeZstd && 'this Node has no zlib zstd'],
] as const) {
  test(`zstd (${path}): frames without a content size decompress; concatenated frames concatenate`, { skip }, async () => {
    const compressed = readFileSync(LOAD_TEST_FILE);
    const frames = scanZstdFrames(compressed);
    const out = await decompress(compressed);
    assert.equal(out.length, 3_666_184);
    assert.ok(frames.reduce((n, f) => n + f.outputBound, 0) >= out.length);
    assert.deepEqual(Buffer.from(out), await rawDecompress(LOAD_TEST_FILE));
    const z = await zstd();
    const a = new TextEncoder().encode('a'.repeat(1000));
    const b = new TextEncoder().encode('hello');
    const two = Buffer.concat([z.compress(a, 3), z.compress(b, 3)]);
    assert.equal(new TextDecoder().decode(await decompress(two)), 'a'.repeat(1000) + 'hello');
  });
}

test('testnet data lake: 997..999 in order with close times, classic only', async () => {
  const reader = new FsObjectReader(TESTNET_LAKE);
  const schema = await readDataLakeSchema(reader, '');
  assert.equal(schema?.networkPassphrase, 'Test SDF Network ; September 2015');
  const src = new DataLakeSource({ reader, startLedger: 997, endLedger: 999, numWorkers: 3, bufferSize: 3 });
  const ledgers = await collect(src);
  assert.deepEqual(
    ledgers.map((l) => l.sequence),
    [997, 998, 999],
  );
  assert.deepEqual(
    ledgers.map((l) => new Date(l.closeTime * 1000).toISOString()),
    ['2024-02-06T19:00:39.000Z', '2024-02-06T19:00:44.000Z', '2024-02-06T19:00:49.000Z'],
  );
  for (const l of ledgers) {
    // The cheap header peek agrees with the SDK's full decode.
    const m = l.meta();
    assert.equal(m.switch(), 1);
    assert.equal(m.v1().ledgerHeader().header().ledgerSeq(), l.sequence);
    assert.equal(closeTimeOf(m), l.closeTime);
    assert.equal(l.protocolVersion, 20);
    assert.equal(m.v1().txProcessing().length, [7, 7, 3][l.sequence - 997]);
    assert.equal(contractDataProcessor().process(l).length, 0);
    assert.equal(contractEventsProcessor().process(l).length, 0);
  }
  assert.equal(src.stats.ledgersDelivered, 3);
  // A bounded sub-range reads only its file.
  const one = await collect(new DataLakeSource({ reader, startLedger: 998, endLedger: 998 }));
  assert.deepEqual(
    one.map((l) => l.sequence),
    [998],
  );
});

test('pubnet file and load-test stream: header peek matches the SDK', async () => {
  const raw = await rawDecompress(PUBNET_FILE);
  const lcm = xdr.LedgerCloseMetaBatch.fromXDR(raw).ledgerCloseMeta()[0]!;
  const peek = peekLedgerHeader(raw.subarray(12));
  assert.deepEqual(peek, { version: 1, sequence: 53312000, closeTime: closeTimeOf(lcm), protocolVersion: 21 });
  const stream = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  assert.deepEqual(
    stream.map((l) => [l.sequence, l.version, l.protocolVersion]),
    [
      [84, 2, 23],
      [85, 2, 23],
      [88, 2, 23],
    ],
  );
  for (const l of stream) assert.equal(closeTimeOf(l.meta()), l.closeTime);
});

const SCHEMA = { networkPassphrase: 'Test SDF Network ; September 2015', compression: 'zstd', ledgersPerBatch: 2, batchesPerPartition: 4 };

test('ordering: parallel reads with random latency still deliver strictly in order', async () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 25;
  const reader = new MemoryObjectReader({ delay: () => rand() });
  await buildLake(reader, SCHEMA, 3, 41, 'lake');
  // Start mid-batch (3 sits in file 2-3) and end mid-batch (40 sits in file 40-41).
  const src = new DataLakeSource({ reader, pathPrefix: 'lake', startLedger: 3, endLedger: 40, numWorkers: 4, bufferSize: 8 });
  const ledgers = await collect(src);
  assert.deepEqual(
    ledgers.map((l) => l.sequence),
    Array.from({ length: 38 }, (_, i) => i + 3),
  );
  assert.ok(reader.maxInFlight > 1 && reader.maxInFlight <= 4, `max in flight ${reader.maxInFlight}`);
  assert.ok(
    reader.calls.some((k) => k.startsWith('lake/FFFFFFF7--8-15/')),
    'partition directories used',
  );
  for (const l of ledgers) assert.equal(l.closeTime, 1_700_000_000 + l.sequence * 5);
});

test('retries: a flaky reader succeeds within retry_limit, fails beyond it', async () => {
  const flaky = new MemoryObjectReader({ fail: (key, n) => (key.endsWith('.zstd') && n <= 2 ? new Error('ECONNRESET') : undefined) });
  await buildLake(flaky, SCHEMA, 2, 9);
  const retries: string[] = [];
  const ok = new DataLakeSource({
    reader: flaky,
    startLedger: 2,
    endLedger: 9,
    retryLimit: 2,
    retryWaitMs: 1,
    numWorkers: 2,
    onRetry: ({ key }) => retries.push(key),
  });
  assert.deepEqual(
    (await collect(ok)).map((l) => l.sequence),
    [2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(ok.stats.retries, 8);
  assert.equal(retries.length, 8);

  const worse = new MemoryObjectReader({ fail: (key, n) => (key.endsWith('.zstd') && n <= 3 ? new Error('ECONNRESET') : undefined) });
  await buildLake(worse, SCHEMA, 2, 9);
  const bad = new DataLakeSource({ reader: worse, startLedger: 2, endLedger: 9, retryLimit: 2, retryWaitMs: 1 });
  await assert.rejects(collect(bad), /failed after 3 attempt\(s\): ECONNRESET/);

  // Corrupt data counts as a read failure too (retried, then reported).
  const corrupt = new MemoryObjectReader();
  await buildLake(corrupt, SCHEMA, 2, 3);
  const corruptKey = new GalexieLayout(SCHEMA).objectKey(2);
  const garbage = new Uint8Array([1, 2, 3, 4, 5]);
  corrupt.objects.set(corruptKey, garbage);
  // The decoder's own words differ (WASM: "bad magic", node:zlib: "Unknown frame
  // descriptor"), so compare with what this runtime's decoder says about these bytes.
  const decodeError: unknown = await zstdDecompress(garbage).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(decodeError instanceof Error, 'the corrupt object does not decode');
  await assert.rejects(
    collect(new DataLakeSource({ reader: corrupt, startLedger: 2, endLedger: 3, retryLimit: 1, retryWaitMs: 1 })),
    (err: unknown) =>
      err instanceof Error &&
      err.message === `reading ${corruptKey} failed after 2 attempt(s): ${decodeError.message}` &&
      err.cause instanceof Error &&
      err.cause.message === decodeError.message,
  );
  assert.equal(corrupt.calls.filter((k) => k === corruptKey).length, 2, 'read, retried once, then reported');
});

test('missing files: bounded range fails naming the ledger; ledgers before it are delivered', async () => {
  const reader = new MemoryObjectReader();
  const layout = await buildLake(reader, SCHEMA, 2, 13);
  reader.objects.delete(layout.objectKey(8));
  const got: number[] = [];
  const src = new DataLakeSource({ reader, startLedger: 2, endLedger: 13, numWorkers: 3 });
  await assert.rejects(
    (async () => {
      for await (const l of src) got.push(l.sequence);
    })(),
    (err: unknown) => err instanceof LedgerMissingError && err.ledger === 8 && /FFFFFFF7--8-15\/FFFFFFF7--8-9\.xdr\.zstd/.test(err.message),
  );
  assert.deepEqual(got, [2, 3, 4, 5, 6, 7]);
});

test('tail mode: waits for new files, then stops cleanly on abort', { timeout: 120_000 }, async () => {
  const reader = new MemoryObjectReader();
  await buildLake(reader, SCHEMA, 2, 5);
  const full = new MemoryObjectReader();
  const layout = await buildLake(full, SCHEMA, 2, 9);
  const ac = new AbortController();
  const src = new DataLakeSource({ reader, startLedger: 4, pollIntervalMs: 5, bufferSize: 4, numWorkers: 2, signal: ac.signal });
  const got: number[] = [];
  const run = (async () => {
    for await (const l of src) {
      got.push(l.sequence);
      if (l.sequence === 9) ac.abort();
    }
  })();
  // Delivered what exists, then polling for the next file.
  await waitFor(() => got.length >= 2 && src.stats.polls >= 1, 'ledgers 4 and 5 and a poll for the next file');
  assert.deepEqual(got, [4, 5]);
  // "Publish" the next two files, as galexie would.
  for (const s of [6, 8]) reader.objects.set(layout.objectKey(s), full.objects.get(layout.objectKey(s))!);
  await run;
  assert.deepEqual(got, [4, 5, 6, 7, 8, 9]);
  assert.ok(src.stats.polls >= 1);
  // After a miss only the head file is polled, not the whole prefetch window.
  const polledBeyond = reader.calls.filter((k) => k === layout.objectKey(10)).length;
  assert.ok(polledBeyond <= 2, `file after the head polled ${polledBeyond} times`);

  // Abort while waiting for a file that never comes ends the iteration without error. The poll
  // interval is far longer than the test's timeout: only the abort can end the wait in time.
  const ac2 = new AbortController();
  const idle = new DataLakeSource({ reader, startLedger: 20, pollIntervalMs: 3_600_000, signal: ac2.signal });
  const collected = collect(idle);
  await waitFor(() => idle.stats.polls >= 1, 'the idle source to start waiting');
  ac2.abort();
  assert.deepEqual(await collected, []);
});

test('lake without .config.json uses the configured layout', async () => {
  const reader = new MemoryObjectReader();
  const layout = await buildLake(reader, SCHEMA, 2, 5);
  reader.objects.delete('.config.json');
  const src = new DataLakeSource({ reader, startLedger: 2, endLedger: 5, schema: { ledgersPerBatch: 2, batchesPerPartition: 4 } });
  assert.deepEqual(
    (await collect(src)).map((l) => l.sequence),
    [2, 3, 4, 5],
  );
  assert.equal((await src.layout()).objectKey(2), layout.objectKey(2));
});
