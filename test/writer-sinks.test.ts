import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WritableStream } from 'node:stream/web';
import { ParquetWriter, MemorySink, WritableStreamSink, defineSchema, t, type Sink } from '../packages/writer/src/index.js';
import { NodeFileSink } from '../packages/writer/src/node.js';
import { readPyarrowCount } from './support/pyarrow-count.js';

const schema = defineSchema({ id: t.int64(), s: t.optional(t.string()) });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: BigInt(i), s: i % 3 ? `v${i}` : null }));

test('NodeFileSink: nothing under the final name until close; abort leaves no file at all', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-sink-'));
  const path = join(dir, 'out.parquet');
  const writer = new ParquetWriter(schema, new NodeFileSink(path), { rowGroupSize: 1000 });
  await writer.writeRows(rows(5000)); // several row groups already handed to the sink
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f === 'out.parquet'),
    [],
  );
  await writer.close();
  assert.deepEqual(await readdir(dir), ['out.parquet']);
  assert.equal(await readPyarrowCount(path), 5000);

  const aborted = join(dir, 'aborted.parquet');
  const w2 = new ParquetWriter(schema, new NodeFileSink(aborted), { rowGroupSize: 1000 });
  await w2.writeRows(rows(5000));
  await w2.abort(new Error('stop'));
  assert.deepEqual(await readdir(dir), ['out.parquet']);
});

test('a sink that fails mid-file: the error reaches the caller and close never pretends success', async () => {
  let written = 0;
  let aborted = false;
  const failing: Sink = {
    write: (c) => {
      written += c.length;
      if (written > 2000) throw new Error('disk full');
    },
    close: async () => {
      throw new Error('must not close');
    },
    abort: async () => {
      aborted = true;
    },
  };
  const writer = new ParquetWriter(schema, failing, { rowGroupSize: 100 });
  assert.equal(writer.status, 'open');
  await assert.rejects(writer.writeRows(rows(5000)), /disk full/);
  assert.equal(writer.status, 'failed', 'callers can tell the file is lost (the consumer does)');
  await assert.rejects(writer.close(), /is failed/);
  await writer.abort();
  assert.equal(aborted, true);
  assert.equal(writer.status, 'aborted');
});

test('WritableStreamSink and MemorySink produce the same bytes', async () => {
  const chunks: Uint8Array[] = [];
  const stream = new WritableStream<Uint8Array>({
    write: (c) => {
      chunks.push(c);
    },
  });
  const viaStream = new ParquetWriter(schema, new WritableStreamSink(stream as unknown as globalThis.WritableStream<Uint8Array>), { rowGroupSize: 700 });
  await viaStream.writeRows(rows(3000));
  await viaStream.close();
  const memory = new MemorySink();
  const viaMemory = new ParquetWriter(schema, memory, { rowGroupSize: 700 });
  await viaMemory.writeRows(rows(3000));
  await viaMemory.close();
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(memory.bytes()));
  const dir = await mkdtemp(join(tmpdir(), 'cdp-sink-'));
  const file = join(dir, 'm.parquet');
  await (await import('node:fs/promises')).writeFile(file, memory.bytes());
  assert.equal(await readPyarrowCount(file), 3000);
  assert.equal((await readFile(file)).subarray(0, 4).toString(), 'PAR1');
});
