// Upload throughput and peak RSS for a 256 MiB file: streamed through our ObjectWriter to the
// local FS and to Ceph RGW (S3 multipart, default 8 MiB parts, 4 in flight), next to the raw
// aws-sdk single PutObject of the same bytes held in memory (the "build the file in memory,
// one PUT" design we replace). Each case runs in its own process so peak RSS is its own.
//
//   node --import tsx bench/storage-upload.ts            (starts Ceph RGW if needed)
//   BENCH_MIB=64 BENCH_RUNS=1 node --import tsx bench/storage-upload.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsStore, S3Store, type ObjectStore } from '../packages/lake/src/storage/index.js';
import { S3_CREDENTIALS, startCeph } from '../test/servers/servers.js';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_MIB ?? 256) * MiB;
const CHUNK = MiB;
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const CASES = ['fs-stream', 's3-stream', 's3-stream-fresh-chunks', 's3-lib-storage', 's3-single-put'] as const;
type Case = (typeof CASES)[number];

interface Result {
  case: Case;
  seconds: number;
  baselineMiB: number;
  peakAboveMiB: number;
}

/** Samples RSS every 5 ms; the peak over the run minus the RSS just before it started. */
function rssSampler(): { stop(): { baseline: number; peak: number } } {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  return {
    stop: () => {
      clearInterval(t);
      return { baseline, peak: Math.max(peak, process.memoryUsage.rss()) };
    },
  };
}

function template(): Uint8Array {
  const t = new Uint8Array(CHUNK);
  for (let i = 0; i < t.length; i++) t[i] = (i * 2654435761) >>> 24;
  return t;
}

async function s3Store(endpoint: string): Promise<S3Store> {
  const s = await S3Store.create({
    bucket: 'bench',
    endpoint,
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
    // Defaults unless overridden, to explore the memory / throughput trade-off.
    partSize: process.env.BENCH_PART_MIB !== undefined ? Number(process.env.BENCH_PART_MIB) * MiB : undefined,
    maxInFlightParts: process.env.BENCH_IN_FLIGHT !== undefined ? Number(process.env.BENCH_IN_FLIGHT) : undefined,
  });
  await s.ensureBucket();
  return s;
}

/**
 * Streams SIZE bytes in 1 MiB chunks. By default one chunk is re-sent (our writers copy or
 * finish with a chunk before write() resolves), so the numbers are the storage layer's own;
 * `fresh` allocates every chunk as a Parquet writer does, adding the producer's garbage
 * (about 34 MiB of RSS here, GC lag) to the peak.
 */
async function stream(store: ObjectStore, key: string, fresh: boolean): Promise<void> {
  const t = template();
  const w = await store.openWriter(key, { contentType: 'application/vnd.apache.parquet' });
  for (let off = 0; off < SIZE; off += CHUNK) {
    const n = Math.min(CHUNK, SIZE - off);
    await w.write(fresh ? t.slice(0, n) : t.subarray(0, n));
  }
  await w.close();
}

async function child(c: Case, endpoint: string): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-bench-'));
  try {
    if (c === 's3-lib-storage') {
      // AWS's own multipart helper on the same stream and part size: tells our code's cost
      // apart from the server's per-part cost.
      const { S3Client } = await import('@aws-sdk/client-s3');
      const { Upload } = await import('@aws-sdk/lib-storage');
      const { Readable } = await import('node:stream');
      const client = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: S3_CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      const store = await s3Store(endpoint);
      const t = template();
      const body = Readable.from(
        (function* () {
          for (let off = 0; off < SIZE; off += CHUNK) yield Buffer.from(t.buffer, 0, Math.min(CHUNK, SIZE - off));
        })(),
      );
      const sampler = rssSampler();
      const t0 = performance.now();
      await new Upload({ client, params: { Bucket: 'bench', Key: 'lib-storage.bin', Body: body }, partSize: 8 * MiB, queueSize: 3 }).done();
      const seconds = (performance.now() - t0) / 1000;
      const m = sampler.stop();
      await store.delete('lib-storage.bin');
      await store.close();
      client.destroy();
      return { case: c, seconds, baselineMiB: m.baseline / MiB, peakAboveMiB: (m.peak - m.baseline) / MiB };
    }
    if (c === 's3-single-put') {
      const { S3Client, PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
      // Timeouts only so a sick server cannot hang the bench; they do not change the transfer.
      const client = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: S3_CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        requestHandler: { requestTimeout: 120_000, socketTimeout: 30_000, throwOnRequestTimeout: true },
      });
      await (await s3Store(endpoint)).close();
      const sampler = rssSampler();
      // The whole file in memory first, as the in-memory design builds it.
      const body = new Uint8Array(SIZE);
      const t = template();
      for (let off = 0; off < SIZE; off += CHUNK) body.set(t.subarray(0, Math.min(CHUNK, SIZE - off)), off);
      const t0 = performance.now();
      await client.send(new PutObjectCommand({ Bucket: 'bench', Key: 'single-put.bin', Body: body, ContentLength: SIZE }));
      const seconds = (performance.now() - t0) / 1000;
      const m = sampler.stop();
      await client.send(new DeleteObjectCommand({ Bucket: 'bench', Key: 'single-put.bin' }));
      client.destroy();
      return { case: c, seconds, baselineMiB: m.baseline / MiB, peakAboveMiB: (m.peak - m.baseline) / MiB };
    }
    const store: ObjectStore = c === 'fs-stream' ? new FsStore({ root: dir }) : await s3Store(endpoint);
    const sampler = rssSampler();
    const t0 = performance.now();
    await stream(store, 'stream.bin', c === 's3-stream-fresh-chunks');
    const seconds = (performance.now() - t0) / 1000;
    const m = sampler.stop();
    await store.delete('stream.bin');
    await store.close?.();
    return { case: c, seconds, baselineMiB: m.baseline / MiB, peakAboveMiB: (m.peak - m.baseline) / MiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [, , flag, c, endpoint] = process.argv;
  if (flag === '--child') {
    process.stdout.write(JSON.stringify(await child(c as Case, endpoint!)));
    return;
  }
  const ceph = await startCeph();
  try {
    const rows: Result[] = [];
    for (const c of CASES) {
      const runs: Result[] = [];
      for (let i = 0; i < RUNS; i++) {
        const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', c, ceph.endpoint], {
          encoding: 'utf8',
          env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' },
        });
        runs.push(JSON.parse(out) as Result);
      }
      const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      rows.push({ ...best, peakAboveMiB: Math.max(...runs.map((r) => r.peakAboveMiB)) });
    }
    const put = rows.find((r) => r.case === 's3-single-put')!;
    console.log(`\n${SIZE / MiB} MiB upload, best of ${RUNS}, Node ${process.version} (peak RSS: max over runs, above the RSS before the upload)\n`);
    console.log('| case | seconds | MiB/s | vs single PUT | peak RSS above baseline |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const mibs = SIZE / MiB / r.seconds;
      const rel = r.case.startsWith('s3') ? `${((put.seconds / r.seconds) * 100).toFixed(0)}%` : '';
      console.log(`| ${r.case} | ${r.seconds.toFixed(2)} | ${mibs.toFixed(0)} | ${rel} | ${r.peakAboveMiB.toFixed(0)} MiB |`);
    }
  } finally {
    await ceph.stop();
  }
}

await main();
