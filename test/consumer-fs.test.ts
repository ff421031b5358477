// End-to-end runs of SaveToParquet on the local file system, checked with DuckDB:
// rows, values, partitions, rotation rules, replays, restarts, rejects, schema inference and
// evolution, storage outages, dry runs and metrics.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { BatchError, parseDataFileName, SaveToParquet, type SaveToParquetDeps } from '../packages/lake/src/consumer/index.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import type { PipelineMessage } from '../packages/lake/src/pipeline/message.js';
import { FsStore } from '../packages/lake/src/storage/index.js';
import { MAX_UNSAVED_BYTES, MAX_UNSAVED_FILES } from '../packages/lake/src/consumer/commit-lane.js';
import { closeOf, contractDataMsg, contractEventMsg, duck, FlakyStore, messagesFor, rowsIn } from './consumer-helpers.js';
import { killEncodeThread } from './support/encode-threads.js';
import { waitFor } from './support/wait.js';

const tables = datasetCatalog();

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cdp-consumer-'));
  dirs.push(d);
  return d;
}

function filesUnder(dir: string, ext = '.parquet'): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(ext) && !e.name.startsWith('.')) out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

const quiet: SaveToParquetDeps['log'] = () => undefined;

async function run(dir: string, msgs: readonly unknown[], config: Record<string, unknown> = {}, deps: SaveToParquetDeps = {}): Promise<SaveToParquet> {
  const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'lake', ...config }, { tables, log: quiet, ...deps });
  for (const m of msgs) await c.process(m as Parameters<SaveToParquet['process']>[0]);
  await c.close();
  return c;
}

/** Rows per (table, ledger) in the lake, read back by DuckDB. */
async function countsPerLedger(
  dir: string,
  table: string,
  ledgerCol = table === 'contract_events' ? 'ledger' : 'ledger_sequence',
): Promise<Map<number, number>> {
  const rows = await duck<{ l: number; n: bigint }>(
    `SELECT ${ledgerCol} AS l, count(*) AS n FROM read_parquet('${dir}/lake/${table}/**/*.parquet', hive_partitioning=true) GROUP BY 1`,
  );
  return new Map(rows.map((r) => [Number(r.l), Number(r.n)]));
}

/** A consumer on `dir` (buffer_size 5 unless given) whose uploads hang until `release()`. */
async function withHeldUploads(dir: string, bufferSize = 5): Promise<{ consumer: SaveToParquet; release: () => void }> {
  const store = new FlakyStore(new FsStore({ root: dir }));
  const release = store.holdUploads();
  const consumer = await SaveToParquet.create(
    { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: bufferSize },
    { tables, log: quiet, store },
  );
  return { consumer, release };
}

/**
 * Whether the process() call `call` ends up waiting for the lane (true) or completes (false),
 * decided without a timer: uploads hang, so once the lane holds more than it lets wait
 * (CommitLane.full), the call that filled it cannot complete until they are released.
 */
async function blocksOnFullLane(c: SaveToParquet, call: Promise<void>): Promise<boolean> {
  const lane = (c as unknown as { lane: { full: boolean } }).lane;
  let settled = false;
  void call.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await waitFor(() => settled || lane.full, 'the process() call to complete or the lane to fill');
  return !settled;
}

/** Both built-in tables hold exactly the rows of ledgers 1..last that messagesFor makes. */
async function assertEveryLedgerOnce(dir: string, last: number): Promise<void> {
  assert.deepEqual(await countsPerLedger(dir, 'contract_data'), expectedCounts(1, last, 'contract_data'));
  assert.deepEqual(await countsPerLedger(dir, 'contract_events'), expectedCounts(1, last, 'contract_events'));
}

function expectedCounts(from: number, to: number, table: string): Map<number, number> {
  const m = new Map<number, number>();
  for (let l = from; l <= to; l++) if (rowsIn(l, table) > 0) m.set(l, rowsIn(l, table));
  return m;
}

describe('SaveToParquet on FS', () => {
  it('messages in -> DuckDB: the same rows, values and partitions', async () => {
    const dir = tempDir();
    // contract_events arrive through the JSON-lines bridge: JSON bytes with camelCase names.
    const msgs = messagesFor(1, 40).map((m) => {
      if (m.metadata.table !== 'contract_events') return m;
      const p = m.payload;
      const camel = {
        type: p.type,
        ledger: p.ledger,
        ledgerClosedAt: p.ledger_closed_at,
        contractId: p.contract_id,
        id: p.id,
        txHash: p.tx_hash,
        inSuccessfulContractCall: p.in_successful_contract_call,
        topic: p.topics,
        value: JSON.parse(p.data as string),
      };
      return { payload: new TextEncoder().encode(JSON.stringify(camel)), metadata: m.metadata };
    });
    const c = await run(dir, msgs);
    await assertEveryLedgerOnce(dir, 40);
    const cd = await duck<
      Record<string, string>
    >(`SELECT contract_id, balance::VARCHAR AS balance, hex(key_xdr) AS key_xdr, hex(val_xdr) AS val_xdr, strftime(closed_at, '%Y-%m-%dT%H:%M:%S.000Z') AS closed_at,
      asset_code, ledger_sequence::VARCHAR AS l, year::VARCHAR AS y, month::VARCHAR AS m, day::VARCHAR AS d, typeof(balance) AS bt
      FROM read_parquet('${dir}/lake/contract_data/**/*.parquet', hive_partitioning=true) ORDER BY ledger_sequence, contract_id`);
    const expected = messagesFor(1, 40).filter((m) => m.metadata.table === 'contract_data');
    assert.equal(cd.length, expected.length);
    for (const [i, row] of cd.entries()) {
      const p = expected[i]!.payload;
      assert.equal(row.contract_id, p.contract_id);
      assert.equal(row.balance, p.balance, 'balance is exact');
      assert.equal(row.bt, 'DECIMAL(38,0)');
      assert.equal(
        row.key_xdr,
        Buffer.from(p.key_xdr as Uint8Array)
          .toString('hex')
          .toUpperCase(),
      );
      assert.equal(
        row.val_xdr,
        p.val_xdr === null
          ? null
          : Buffer.from(p.val_xdr as Uint8Array)
              .toString('hex')
              .toUpperCase(),
      );
      assert.equal(row.closed_at, p.closed_at);
      assert.equal(row.asset_code, p.asset_code);
      const d = new Date(p.closed_at as string);
      assert.deepEqual(
        [Number(row.y), Number(row.m), Number(row.d)],
        [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()],
        'partition = ledger close day (UTC)',
      );
    }
    const ev = await duck<Record<string, unknown>>(
      `SELECT id, tx_hash, contract_id, topics, data, in_successful_contract_call AS ok FROM read_parquet('${dir}/lake/contract_events/**/*.parquet') ORDER BY id LIMIT 1`,
    );
    assert.deepEqual(ev[0], {
      id: '0000000000000000001-0000000000',
      tx_hash: 'tx1',
      contract_id: 'CEV1',
      topics: ['{"symbol":"transfer"}', '{"u32":0}'],
      data: '{"i128":"1"}',
      ok: true,
    });
    assert.equal(c.getMetrics().records_written, msgs.length);
  });

  it('encode_workers: 2 writes byte-for-byte the same files as encode_workers: 0, over many rotations', async () => {
    const msgs = messagesFor(1, 60);
    const contents = async (config: Record<string, unknown>): Promise<Map<string, string>> => {
      const dir = tempDir();
      const c = await run(dir, msgs, { buffer_size: 9, ...config });
      // The files really went through the threads (an ignored key would pass the comparison).
      assert.equal((c as unknown as { threads?: { size: number } }).threads?.size ?? 0, config.encode_workers);
      const files = filesUnder(join(dir, 'lake'));
      return new Map(files.map((f) => [f, readFileSync(join(dir, 'lake', f)).toString('base64')]));
    };
    const plain = await contents({ encode_workers: 0 });
    const threaded = await contents({ encode_workers: 2 });
    assert.ok(plain.size > 20, `rotations: ${plain.size} files`);
    assert.deepEqual([...threaded.keys()].sort(), [...plain.keys()].sort());
    for (const [name, bytes] of plain) assert.ok(threaded.get(name) === bytes, `${name} differs`);
  });

  it("files are the same bytes with encode threads when a column's dictionary starts to pay part way (both learn from the file before the previous one)", async () => {
    // ledger_key_hash is unique per row up to ledger 20 (its dictionary does not pay, so later
    // files skip it), then repeats: a file judged afresh finds it pays again. With threads a
    // file opens while the previous one is still finishing; learning from that one without
    // threads would give the files after the change other encodings.
    const msgs: PipelineMessage[] = [];
    for (let ledger = 1; ledger <= 48; ledger++) {
      for (let i = 0; i < 10; i++) {
        const m = contractDataMsg(ledger, i);
        if (ledger > 20) m.payload.ledger_key_hash = `repeated-${i % 2}`;
        msgs.push(m);
      }
    }
    const contents = async (config: Record<string, unknown>): Promise<{ files: Map<string, string>; dictionaryFiles: number }> => {
      const dir = tempDir();
      await run(dir, msgs, { buffer_size: 10, ...config });
      const names = filesUnder(join(dir, 'lake')).filter((f) => f.endsWith('.parquet'));
      const encodings = await duck<{ e: string }>(
        `SELECT encodings AS e FROM parquet_metadata('${dir}/lake/contract_data/**/*.parquet') WHERE path_in_schema = 'ledger_key_hash'`,
      );
      return {
        files: new Map(names.map((f) => [f, readFileSync(join(dir, 'lake', f)).toString('base64')])),
        dictionaryFiles: encodings.filter((r) => String(r.e).includes('RLE_DICTIONARY')).length,
      };
    };
    const plain = await contents({ encode_workers: 0 });
    const threaded = await contents({ encode_workers: 1 });
    assert.equal(plain.files.size, 48);
    // The case this test is for: some files skip the dictionary, later ones have it back.
    assert.ok(plain.dictionaryFiles > 0 && plain.dictionaryFiles < 48, `${plain.dictionaryFiles} of 48 files dictionary-encode ledger_key_hash`);
    assert.deepEqual([...threaded.files.keys()].sort(), [...plain.files.keys()].sort());
    for (const [name, bytes] of plain.files) assert.ok(threaded.files.get(name) === bytes, `${name} differs`);
  });

  // buffer_size 6: the thread dies while contract_data's file holds ledgers 10-11 and the
  // failure shows once that file rotates: the file finishes in the background (encode
  // threads), so the call that rotated it succeeds and the failure stops the next one at the
  // latest; 100: it shows when the next rows go in, and the file held ledgers 1-11.
  for (const [bufferSize, lostFrom] of [
    [6, 10],
    [100, 1],
  ] as const) {
    it(`a file whose encode thread died is never passed by a checkpoint: the consumer stops, and a restart stores every ledger once (buffer_size ${bufferSize})`, async () => {
      const dir = tempDir();
      const logs: string[] = [];
      const config = { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: bufferSize, encode_workers: 1 };
      const c = await SaveToParquet.create(config, {
        tables,
        log: (level, msg) => {
          if (level === 'error') logs.push(msg);
        },
      });
      let failedAt = -1;
      for (let ledger = 1; ledger <= 30 && failedAt < 0; ledger++) {
        if (ledger === 12) await killEncodeThread((c as unknown as { threads: unknown }).threads);
        try {
          await c.processBatch(messagesFor(ledger, ledger));
          await c.ledgerComplete(ledger);
        } catch (err) {
          failedAt = ledger;
          assert.match((err as Error).message, /could not be written/);
        }
      }
      assert.ok(failedAt === 12 || failedAt === 13, `the first call after the crash, or the one after its rotation, fails (failed at ${failedAt})`);
      // No more input is taken: a caller that went on would otherwise lose more rows.
      await assert.rejects(c.processBatch(messagesFor(failedAt + 1, failedAt + 1)), /takes no more input after a failure/);
      await assert.rejects(c.close(), /could not be written/);
      const lost = new RegExp(`contract_data file of ledgers ${lostFrom}-11 .* checkpoints stay below ledger ${lostFrom}`);
      assert.ok(
        logs.some((m) => lost.test(m)),
        logs.join('\n'),
      );
      const resume = c.resumeLedger() ?? 1;
      assert.ok(resume <= lostFrom, `resume at ${resume}: the lost ledgers are replayed`);

      // Before the fix the checkpoint passed the lost ledgers (buffer_size 6) and the
      // restart never wrote them, or the consumer failed every call with "writer is failed" (100).
      const again = await SaveToParquet.create({ ...config, encode_workers: 0 }, { tables, log: quiet });
      for (let ledger = again.resumeLedger() ?? 1; ledger <= 30; ledger++) {
        await again.processBatch(messagesFor(ledger, ledger));
        await again.ledgerComplete(ledger);
      }
      await again.close();
      await assertEveryLedgerOnce(dir, 30);
    });
  }

  it('files end on ledger boundaries, never straddle a partition, and hold at most buffer_size rows', async () => {
    const dir = tempDir();
    await run(dir, messagesFor(1, 60), { buffer_size: 7 });
    const files = filesUnder(join(dir, 'lake'));
    const rows = await duck<{
      f: string;
      lo: number;
      hi: number;
      n: bigint;
      days: bigint;
    }>(`SELECT filename AS f, min(ledger_sequence) AS lo, max(ledger_sequence) AS hi, count(*) AS n,
      count(DISTINCT date_trunc('day', closed_at)) AS days FROM read_parquet('${dir}/lake/contract_data/**/*.parquet', filename=true) GROUP BY 1`);
    assert.ok(rows.length > 5);
    const ledgersSeen = new Set<number>();
    for (const r of rows) {
      const name = parseDataFileName(r.f.split('/').pop()!)!;
      assert.deepEqual([name.first, name.last], [r.lo, r.hi], `${r.f} is named after its content`);
      assert.ok(Number(r.n) <= 7, `${r.f} has ${r.n} rows`);
      assert.equal(Number(r.days), 1, `${r.f} stays in one partition`);
      for (let l = r.lo; l <= r.hi; l++) {
        assert.ok(!ledgersSeen.has(l), `ledger ${l} is in two files`);
        ledgersSeen.add(l);
      }
    }
    assert.ok(files.some((f) => f.includes('day=15')) && files.some((f) => f.includes('day=16')));
  });

  it('ledger_range partitions align to ledgers_per_file', async () => {
    const dir = tempDir();
    await run(dir, messagesFor(1, 45), { partition_by: 'ledger_range', ledgers_per_file: 16 });
    const files = filesUnder(join(dir, 'lake', 'contract_data'));
    assert.deepEqual(
      files.map((f) => f.split('/').slice(0, 2).join('/')),
      ['ledgers/0-15', 'ledgers/16-31', 'ledgers/32-47'],
    );
    for (const f of files) {
      const [lo, hi] = f.split('/')[1]!.split('-').map(Number);
      const n = parseDataFileName(f.split('/').pop()!)!;
      assert.ok(n.first >= lo! && n.last <= hi!, f);
    }
  });

  it('hour partitions and a ledger larger than buffer_size split into numbered parts', async () => {
    const dir = tempDir();
    const big = Array.from({ length: 25 }, (_, i) => contractDataMsg(5, i));
    await run(dir, [contractDataMsg(3, 0), ...big, contractDataMsg(6, 0)], { buffer_size: 10, partition_by: 'hour' });
    const names = filesUnder(join(dir, 'lake', 'contract_data')).map((f) => f.replace(/^year=2024\/month=01\/day=15\/hour=23\//, ''));
    assert.deepEqual(names, [
      'contract_data-3-3.parquet',
      'contract_data-5-5-part0001.parquet',
      'contract_data-5-5-part0002.parquet',
      'contract_data-5-5-part0003.parquet',
      'contract_data-6-6.parquet',
    ]);
    assert.equal((await countsPerLedger(dir, 'contract_data')).get(5), 25);
  });

  it('max_file_size_mb rotates on the real encoded size', async () => {
    const dir = tempDir();
    const msgs: unknown[] = [];
    for (let l = 1; l <= 30; l++) {
      for (let i = 0; i < 20; i++) {
        const m = contractDataMsg(l, i);
        // Incompressible-ish values so the size grows with rows.
        msgs.push({ ...m, payload: { ...m.payload, val_xdr: new Uint8Array(Array.from({ length: 400 }, (_, k) => (k * 7919 + l * 31 + i * 17) & 0xff)) } });
      }
    }
    const c = await run(dir, msgs, { max_file_size_mb: 0.05 });
    const sizes = await duck<{ n: bigint }>(
      `SELECT count(*) AS n FROM read_parquet('${dir}/lake/contract_data/**/*.parquet', filename=true) GROUP BY filename`,
    );
    assert.ok(sizes.length >= 4, `${sizes.length} files`);
    const { statSync } = await import('node:fs');
    for (const f of filesUnder(join(dir, 'lake'))) {
      // The limit is predicted from bytes per row, so a file may pass it by at most about one ledger.
      assert.ok(statSync(join(dir, 'lake', f)).size < 0.05 * 1024 * 1024 * 1.3, f);
    }
    assert.equal(c.getMetrics().records_written, 600);
  });

  it("rotation_interval_minutes closes an idle file on a timer that is unref'd and cleared on close", async (t) => {
    // The ticker runs on node:test's mock setInterval and the expiry reads an injected clock,
    // so the interval passes exactly when the test says; the background writes are awaited
    // as a condition.
    t.mock.timers.enable({ apis: ['setInterval'] });
    let now = Date.parse('2024-01-16T00:00:00Z');
    const dir = tempDir();
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, rotation_interval_minutes: 1 }, { tables, log: quiet, now: () => now });
    for (const m of messagesFor(1, 3)) await c.process(m);
    assert.deepEqual(c.checkpoints(), {});
    now += 60_000;
    t.mock.timers.tick(15_000); // the ticker checks four times per interval
    // Ledgers 1 and 2 are complete (3 arrived); the timer writes them without waiting for more input.
    await waitFor(() => c.checkpoints().contract_data === 2 && c.checkpoints().contract_events === 2, 'the timed rotation to store ledgers 1 and 2');
    assert.ok(c.getMetrics().files_written >= 1);
    await c.close();
    assert.equal((c as unknown as { timer: { running: boolean } }).timer.running, false);
    assert.deepEqual(c.checkpoints(), { contract_data: 3, contract_events: 3 });
  });

  it("the rotation ticker is unref'd: it never keeps the process alive", async () => {
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: tempDir(), rotation_interval_minutes: 1 }, { tables, log: quiet });
    const timer = (c as unknown as { timer: { running: boolean; handle: { hasRef(): boolean } } }).timer;
    assert.equal(timer.running, true);
    assert.equal(timer.handle.hasRef(), false);
    await c.close();
    assert.equal(timer.running, false);
  });

  it('a replay writes the same keys and overwrites instead of duplicating', async () => {
    const dir = tempDir();
    await run(dir, messagesFor(1, 30), { buffer_size: 9 });
    const first = filesUnder(join(dir, 'lake'));
    rmSync(join(dir, 'lake', '_checkpoints'), { recursive: true });
    await run(dir, messagesFor(1, 30), { buffer_size: 9 });
    assert.deepEqual(filesUnder(join(dir, 'lake')), first);
    assert.deepEqual(await countsPerLedger(dir, 'contract_data'), expectedCounts(1, 30, 'contract_data'));
  });

  it('a restart reports its checkpoints, resumes after them and drops what was stored', async () => {
    const dir = tempDir();
    await run(dir, messagesFor(1, 20));
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'lake' }, { tables, log: quiet });
    assert.deepEqual(c.checkpoints(), { contract_data: 20, contract_events: 20 });
    assert.equal(c.resumeLedger(), 21);
    for (const m of messagesFor(10, 40)) await c.process(m);
    await c.close();
    assert.ok(c.getMetrics().duplicate_records_dropped > 0);
    await assertEveryLedgerOnce(dir, 40);
  });

  it('rejects go to _rejected/ as JSON Lines with their reason and never stop other rows', async () => {
    const dir = tempDir();
    const good = messagesFor(1, 10);
    const badBalance = contractDataMsg(4, 9);
    badBalance.payload.balance = '12abc';
    const noLedger = { payload: { a: 1 }, metadata: { table: 'contract_data' } };
    const notJson = { payload: '{oops', metadata: { table: 'contract_events', ledger_sequence: 5, ledger_close_time: closeOf(5) } };
    const tooWide = contractDataMsg(6, 9);
    tooWide.payload.ledger_entry_change = 2 ** 40;
    // Each bad message arrives among the messages of its own ledger (the host delivers in ledger order).
    const ledgerOf = (m: { metadata?: object }): number => Number((m.metadata as { ledger_sequence?: unknown } | undefined)?.ledger_sequence ?? 0);
    const msgs = [...good, badBalance, noLedger, notJson, tooWide].sort((a, b) => (ledgerOf(a) || 99) - (ledgerOf(b) || 99));
    const c = await run(dir, msgs);
    assert.deepEqual(await countsPerLedger(dir, 'contract_data'), expectedCounts(1, 10, 'contract_data'));
    const lines = filesUnder(join(dir, 'lake', '_rejected'), '.jsonl').flatMap((f) =>
      readFileSync(join(dir, 'lake', '_rejected', f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { table: string; ledger: number | null; reason: string; payload: unknown }),
    );
    assert.equal(lines.length, 4, JSON.stringify(lines.map((l) => l.reason)));
    assert.equal(c.getMetrics().rejected_records, 4);
    const reasons = lines.map((l) => l.reason).join(' | ');
    assert.match(reasons, /column balance: expected an integer amount/);
    assert.match(reasons, /missing or invalid ledger/);
    assert.match(reasons, /not valid JSON/);
    assert.match(reasons, /ledger_entry_change/);
    const bal = lines.find((l) => l.reason.includes('balance'))!;
    assert.equal(bal.ledger, 4);
    assert.equal((bal.payload as { balance: string }).balance, '12abc');
  });

  it('infers schemas from the whole buffer; with evolution off the first schema is fixed and unknown fields are counted', async () => {
    const dir = tempDir();
    const msg = (l: number, payload: Record<string, unknown>) => ({
      payload: { ledger_sequence: l, ...payload },
      metadata: { table: 'custom', ledger_sequence: l, ledger_close_time: closeOf(l) },
    });
    const msgs = [
      msg(1, { amount: 1, nested: { a: 'x' }, tags: ['a'], nothing: null }),
      msg(2, { amount: 1.5, nested: null, tags: [], nothing: null }),
      msg(3, { amount: 2, nested: { a: 'y', b: 3 }, tags: ['b', 'c'] }),
      // second file: a new field
      msg(4, { amount: 3, extra: 'new' }),
      msg(5, { amount: 'text' }), // incompatible with double: rejected, the rows around it kept
      msg(6, { amount: 6 }),
    ];
    const c = await run(dir, msgs, { buffer_size: 3 });
    const rows = await duck<Record<string, unknown>>(
      `SELECT ledger_sequence AS l, amount, nested, tags, nothing, typeof(amount) AS t FROM read_parquet('${dir}/lake/custom/**/*.parquet') ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((r) => [r.l, r.amount, r.t]),
      [
        [1n, 1, 'DOUBLE'],
        [2n, 1.5, 'DOUBLE'],
        [3n, 2, 'DOUBLE'],
        [4n, 3, 'DOUBLE'],
        [6n, 6, 'DOUBLE'],
      ],
    );
    assert.deepEqual(rows[2]!.nested, { a: 'y', b: 3n });
    assert.deepEqual(rows[2]!.tags, ['b', 'c']);
    assert.equal(rows[0]!.nothing, null);
    const m = c.getMetrics();
    assert.equal(m.unknown_fields_dropped, 1);
    assert.equal(m.rejected_records, 1);
  });

  it('with schema_evolution a new field is a new nullable column and ints widen to float', async () => {
    const dir = tempDir();
    const msg = (l: number, payload: Record<string, unknown>) => ({
      payload: { ledger_sequence: l, ...payload },
      metadata: { table: 'custom', ledger_sequence: l, ledger_close_time: closeOf(l) },
    });
    await run(dir, [msg(1, { n: 1 }), msg(2, { n: 2 }), msg(3, { n: 2.5, extra: true }), msg(4, { n: 4 })], { buffer_size: 2, schema_evolution: true });
    const rows = await duck<Record<string, unknown>>(
      `SELECT ledger_sequence AS l, n, extra FROM read_parquet('${dir}/lake/custom/**/*.parquet', union_by_name=true) ORDER BY 1`,
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.l), Number(r.n), r.extra]),
      [
        [1, 1, null],
        [2, 2, null],
        [3, 2.5, true],
        [4, 4, null],
      ],
    );
    const schema = JSON.parse(readFileSync(join(dir, 'lake', '_schemas', 'custom.json'), 'utf8')) as {
      version: number;
      fields: { name: string; type: string }[];
    };
    assert.equal(schema.version, 2);
    assert.deepEqual(
      schema.fields.map((f) => `${f.name}:${f.type}`),
      ['ledger_sequence:int64', 'n:double', 'extra:boolean'],
    );
  });

  it('a storage outage makes process reject, keeps everything, and recovers without loss or duplicates', async () => {
    const dir = tempDir();
    const store = new FlakyStore(new FsStore({ root: dir }));
    const c = await SaveToParquet.create(
      { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: 5, upload_attempts: 2 },
      { tables, log: quiet, store, retryBaseDelayMs: 1 },
    );
    const msgs = messagesFor(1, 40);
    let failures = 0;
    for (let i = 0; i < msgs.length; i++) {
      // An outage from message 30 on that lasts three refused process() calls.
      store.failing = i >= 30 && failures < 3;
      try {
        await c.process(msgs[i]!);
      } catch (err) {
        failures++;
        assert.match((err as Error).message, /injected outage/);
        i--; // the host re-sends a message that was not accepted
      }
    }
    await c.close();
    assert.ok(failures > 0);
    assert.ok(c.getMetrics().storage_retries > 0);
    await assertEveryLedgerOnce(dir, 40);
  });

  it(`uploads run in the background: the flow goes on while an upload hangs, waits once more than ${MAX_UNSAVED_FILES} files wait, and no checkpoint passes a file not yet stored`, async () => {
    const dir = tempDir();
    const { consumer: c, release } = await withHeldUploads(dir);
    const msgs = messagesFor(1, 120);
    let blocked: Promise<void> | undefined;
    let i = 0;
    for (; i < msgs.length; i++) {
      const call = c.process(msgs[i]!);
      if (await blocksOnFullLane(c, call)) {
        blocked = call;
        break;
      }
    }
    assert.ok(blocked !== undefined, 'the flow waits for the uploads at some point');
    const m = c.getMetrics();
    assert.equal(m.files_written, 0, 'nothing is stored while the upload hangs');
    assert.ok(m.files_uploading > MAX_UNSAVED_FILES, `${m.files_uploading} finished files wait: the flow went on past the hung upload`);
    // Every table has rows from ledger 1 or 2, none stored yet: no checkpoint may pass ledger 0.
    // The hung group's intent is on record (written in the background before its upload);
    // tables whose files wait behind it have none yet.
    await waitFor(
      () => existsSync(join(dir, 'lake/_checkpoints')) && filesUnder(join(dir, 'lake/_checkpoints'), '.json').length > 0,
      "the hung group's intent on record",
    );
    const checkpoints = filesUnder(join(dir, 'lake/_checkpoints'), '.json');
    for (const f of checkpoints) {
      const cp = JSON.parse(readFileSync(join(dir, 'lake/_checkpoints', f), 'utf8')) as { ledger: number; pending: unknown[] };
      assert.ok(cp.ledger <= 0, `${f}: checkpoint ${cp.ledger} stays below the first stored ledger`);
      assert.ok(cp.pending.length > 0, `${f}: the file being uploaded is on record as an intent`);
    }
    release();
    await blocked;
    for (i++; i < msgs.length; i++) await c.process(msgs[i]!);
    await c.close();
    assert.equal(c.getMetrics().files_uploading, 0);
    await assertEveryLedgerOnce(dir, 120);
  });

  it(`large files: the flow waits once ${MAX_UNSAVED_BYTES / 1024 / 1024} MiB of finished files wait, before ${MAX_UNSAVED_FILES} files do`, async () => {
    const dir = tempDir();
    const { consumer: c, release } = await withHeldUploads(dir, 1);
    // One file per ledger, a bit larger than its 5.2 MB of random base64 (which does not compress).
    const blob = (l: number): string => randomBytes(3_900_000).toString('base64') + l;
    const fileBytes = 5_200_000;
    const msg = (l: number) => ({
      payload: { ledger_sequence: l, blob: blob(l) },
      metadata: { table: 'custom', ledger_sequence: l, ledger_close_time: closeOf(l) },
    });
    let blocked: Promise<void> | undefined;
    let l = 1;
    for (; l <= MAX_UNSAVED_FILES + 2; l++) {
      const call = c.process(msg(l));
      if (await blocksOnFullLane(c, call)) {
        blocked = call;
        break;
      }
    }
    assert.ok(blocked !== undefined, 'the flow waits for the uploads');
    const waiting = c.getMetrics().files_uploading;
    assert.ok(waiting < MAX_UNSAVED_FILES, `it waited with ${waiting} files: the byte bound, not the file bound`);
    assert.ok(waiting * fileBytes > MAX_UNSAVED_BYTES, `${waiting} files of over 5.2 MB are past the byte bound`);
    release();
    await blocked;
    await c.close();
    assert.equal(c.getMetrics().files_written, l);
  });

  it("a restart after a stop while a table's first file was being stored resumes from the start (resumeLedger undefined), not from ledger 0", async () => {
    const dir = tempDir();
    const { consumer: first, release } = await withHeldUploads(dir);
    // A few files, fewer than the lane lets wait, so process() does not wait for the hung upload.
    for (const m of messagesFor(1, 6)) await first.process(m);
    assert.ok(first.getMetrics().files_uploading >= 1);
    // The first upload hangs: its table's checkpoint holds only the intent (ledger -1).
    await waitFor(
      () =>
        existsSync(join(dir, 'lake/_checkpoints')) &&
        filesUnder(join(dir, 'lake/_checkpoints'), '.json').some((f) => {
          try {
            return (JSON.parse(readFileSync(join(dir, 'lake/_checkpoints', f), 'utf8')) as { ledger: number }).ledger === -1;
          } catch {
            return false; // not written yet
          }
        }),
      "a checkpoint holding the first upload's intent",
    );
    const restarted = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'lake' }, { tables, log: quiet });
    assert.ok(Object.values(restarted.checkpoints()).includes(-1), JSON.stringify(restarted.checkpoints()));
    assert.equal(restarted.resumeLedger(), undefined);
    await restarted.close();
    release();
    await first.close();
  });

  it('processBatch writes the same lake as process, and after a failure mid-batch a re-send from BatchError.accepted loses and duplicates nothing', async () => {
    const byLedger = new Map<number, PipelineMessage[]>();
    for (const m of messagesFor(1, 60)) {
      const l = m.metadata.ledger_sequence as number;
      byLedger.set(l, [...(byLedger.get(l) ?? []), m]);
    }
    const one = tempDir();
    await run(one, messagesFor(1, 60), { buffer_size: 7 });
    const batched = tempDir();
    const store = new FlakyStore(new FsStore({ root: batched }));
    const c = await SaveToParquet.create(
      { storage_type: 'FS', local_path: batched, path_prefix: 'lake', buffer_size: 7, upload_attempts: 2 },
      { tables, log: quiet, store, retryBaseDelayMs: 1 },
    );
    let batchErrors = 0;
    for (const [ledger, batch] of byLedger) {
      if (ledger === 30) store.failing = true; // until the host sees it fail
      for (let from = 0; from < batch.length;) {
        try {
          await c.processBatch(batch.slice(from));
          from = batch.length;
        } catch (err) {
          assert.match((err as Error).message, /injected outage/);
          if (err instanceof BatchError) {
            assert.ok(err.accepted < err.total);
            from += err.accepted;
            batchErrors++;
          }
          store.failing = false; // the outage ends; the host re-sends what was not accepted
        }
      }
    }
    await c.close();
    assert.ok(store.failures > 0);
    assert.deepEqual(filesUnder(join(batched, 'lake')), filesUnder(join(one, 'lake')), 'the same files, cut at the same rows');
    for (const table of ['contract_data', 'contract_events']) {
      assert.deepEqual(await countsPerLedger(batched, table), expectedCounts(1, 60, table));
    }
    assert.ok(batchErrors > 0, 'an outage part way through a ledger fails its batch there');
  });

  it('close() after a lost file still stores the other tables (less to replay), then rejects; a restart stores every ledger once', async () => {
    const dir = tempDir();
    const config = { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: 6, encode_workers: 1 };
    const c = await SaveToParquet.create(config, { tables, log: quiet });
    const dataOnly = (l: number): PipelineMessage[] => Array.from({ length: rowsIn(l, 'contract_data') }, (_, i) => contractDataMsg(l, i));
    for (let ledger = 1; ledger <= 11; ledger++) {
      await c.processBatch(dataOnly(ledger));
      await c.ledgerComplete(ledger);
    }
    await killEncodeThread((c as unknown as { threads: unknown }).threads);
    // contract_events first appears in ledger 12; nothing was written for it before the crash.
    await c.processBatch(messagesFor(12, 12));
    await assert.rejects(c.close(), /contract_data file of ledgers .* could not be written/);
    const checkpoints = c.checkpoints();
    assert.ok(checkpoints.contract_data! < 12, `contract_data's checkpoint ${checkpoints.contract_data} stays below its lost file`);
    // Stored at close on a fresh thread, though contract_data's flush failed before it.
    assert.equal(checkpoints.contract_events, 12);
    const again = await SaveToParquet.create(config, { tables, log: quiet });
    for (let ledger = again.resumeLedger()!; ledger <= 20; ledger++) {
      await again.processBatch(ledger <= 11 ? dataOnly(ledger) : messagesFor(ledger, ledger));
      await again.ledgerComplete(ledger);
    }
    await again.close();
    assert.deepEqual(await countsPerLedger(dir, 'contract_data'), expectedCounts(1, 20, 'contract_data'));
    assert.deepEqual(await countsPerLedger(dir, 'contract_events'), expectedCounts(12, 20, 'contract_events'));
  });

  it('closing after a batch failed part way (what the pipeline host does) stores only the ledgers declared complete; a restart stores every ledger once', async () => {
    const dir = tempDir();
    const store = new FlakyStore(new FsStore({ root: dir }));
    const config = { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: 2, upload_attempts: 2 };
    const c = await SaveToParquet.create(config, { tables, log: quiet, store, retryBaseDelayMs: 1 });
    // Outages until one fails a ledger's batch after some of its messages were accepted;
    // an outage that fails a batch at its first message is waited out and the batch re-sent.
    let partial: { ledger: number; accepted: number } | undefined;
    for (let ledger = 1; ledger <= 120 && partial === undefined; ledger++) {
      if (ledger % 10 === 0) store.failing = true;
      const batch = messagesFor(ledger, ledger);
      for (;;) {
        try {
          await c.processBatch(batch);
        } catch (err) {
          store.failing = false;
          if (err instanceof BatchError && err.accepted > 0) {
            partial = { ledger, accepted: err.accepted };
            break;
          }
          // Nothing of it was accepted (a one-message batch fails with the plain error, as
          // process() does): send it again. Taking this for "the batch went in" lost the
          // ledger's rows whenever the lane's failure surfaced here (with encode threads,
          // about 1 run in 6), which was blamed on the consumer at first.
          continue;
        }
        try {
          await c.ledgerComplete(ledger);
        } catch {
          store.failing = false;
          await c.ledgerComplete(ledger); // the batch went in; its seal failed: declare it again
        }
        break;
      }
    }
    assert.ok(partial !== undefined, 'an outage failed a batch part way');
    // The host stops: it closes the consumer without declaring the ledger complete. Before
    // the fix close() stored the accepted part as if the ledger were whole, the checkpoint
    // passed it, and the restart below never wrote the rest.
    await c.close();
    const resume = c.resumeLedger();
    assert.ok(resume !== undefined && resume <= partial.ledger, `resume at ${resume}, ledger ${partial.ledger} was partly delivered`);
    const again = await SaveToParquet.create(config, { tables, log: quiet });
    for (let ledger = again.resumeLedger()!; ledger <= partial.ledger + 5; ledger++) {
      await again.processBatch(messagesFor(ledger, ledger));
      await again.ledgerComplete(ledger);
    }
    await again.close();
    await assertEveryLedgerOnce(dir, partial.ledger + 5);
  });

  it('ledgerComplete seals a ledger at once, advances over empty ledgers, and later rows of it are rejected as out of order', async () => {
    const dir = tempDir();
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'lake' }, { tables, log: quiet });
    await c.processBatch(messagesFor(1, 1));
    assert.equal(c.getMetrics().open_files, 0, 'without the signal the rows wait for the next ledger');
    await c.ledgerComplete(1);
    const tablesWithRows = ['contract_data', 'contract_events'].filter((t) => rowsIn(1, t) > 0).length;
    assert.equal(c.getMetrics().open_files, tablesWithRows, 'sealed into their files');
    await c.ledgerComplete(3); // ledgers 2 and 3 had no rows for this consumer
    assert.equal(c.getMetrics().current_ledger, 3);
    await c.processBatch(messagesFor(3, 3));
    assert.equal(c.getMetrics().rejected_records, messagesFor(3, 3).length);
    await assert.rejects(c.ledgerComplete(-1), /ledger must be a non-negative integer/);
    await c.processBatch(messagesFor(4, 6));
    await c.close();
    const expected = expectedCounts(1, 6, 'contract_data');
    for (const l of [2, 3]) expected.delete(l);
    assert.deepEqual(await countsPerLedger(dir, 'contract_data'), expected);
  });

  it('a reject at or below the complete ledger is on storage before its message counts as accepted', async () => {
    const dir = tempDir();
    const store = new FlakyStore(new FsStore({ root: dir }));
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'lake', upload_attempts: 1 }, { tables, log: quiet, store });
    await c.processBatch(messagesFor(1, 2));
    await c.ledgerComplete(2);
    await c.flush(); // every table's checkpoint is at ledger 2 now
    assert.equal(c.resumeLedger(), 3);
    const rejectDir = join(dir, 'lake', '_rejected');
    const rejectLines = (): { ledger: number | null; reason: string }[] =>
      (existsSync(rejectDir) ? filesUnder(rejectDir, '.jsonl') : []).flatMap((f) =>
        readFileSync(join(dir, 'lake', '_rejected', f), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { ledger: number | null; reason: string }),
      );
    assert.deepEqual(rejectLines(), []);
    // Out of order rows of ledger 2, and a message that names no ledger: no checkpoint can
    // wait for them any more, so the call returns only once they are written (a crash
    // right after it must not lose them).
    const late = messagesFor(2, 2);
    const unrouted = { payload: { id: 'x' }, metadata: { table: 'contract_events' } };
    // While storage is down, the batch fails and counts none of them as accepted.
    store.failing = true;
    await assert.rejects(c.processBatch([...late, unrouted]), (err: unknown) => {
      assert.ok(err instanceof BatchError);
      assert.equal(err.accepted, 0);
      return true;
    });
    store.failing = false;
    assert.deepEqual(rejectLines(), []);
    await c.processBatch([...late, unrouted]);
    const lines = rejectLines();
    // At least once: the failed batch's rejects are written too, now that storage is back.
    assert.equal(lines.filter((l) => /out of order/.test(l.reason)).length, 2 * late.length);
    assert.equal(lines.filter((l) => /missing or invalid ledger sequence/.test(l.reason)).length, 2);
    // A reject above the complete ledger stays buffered: the checkpoints wait for it instead.
    await c.processBatch([{ ...contractDataMsg(3, 0), payload: { ...contractDataMsg(3, 0).payload, ledger_sequence: 'x' } }]);
    assert.equal(rejectLines().length, lines.length);
    await c.close();
    assert.equal(rejectLines().length, lines.length + 1);
    assert.equal(c.resumeLedger(), 4);
  });

  it('dry_run writes nothing and logs what it would write', async () => {
    const dir = tempDir();
    const logs: string[] = [];
    const c = await run(dir, messagesFor(1, 10), { dry_run: true }, { log: (_l, m) => logs.push(m) });
    assert.deepEqual(filesUnder(dir, ''), []);
    assert.ok(
      logs.some((l) => /dry_run: would write .*contract_data-1-10\.parquet/.test(l)),
      logs.join('\n'),
    );
    assert.ok(c.getMetrics().files_written > 0);
  });

  it('exposes the metrics as an object and as Prometheus text', async () => {
    const dir = tempDir();
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir }, { tables, log: quiet });
    for (const m of messagesFor(1, 10)) await c.process(m);
    const open = c.getMetrics();
    assert.equal(open.records_buffered, messagesFor(1, 10).length);
    assert.equal(open.current_ledger, 10);
    await c.close();
    const m = c.getMetrics();
    for (const k of [
      'files_written',
      'records_written',
      'bytes_written',
      'records_buffered',
      'rejected_records',
      'storage_retries',
      'current_ledger',
      'last_flush_time',
    ])
      assert.ok(k in m, k);
    assert.equal(m.records_buffered, 0);
    assert.equal(m.files_written, 2);
    const text = c.prometheusMetrics();
    assert.match(text, /# TYPE cdp_save_to_parquet_files_written_total counter\ncdp_save_to_parquet_files_written_total\{consumer="SaveToParquet"\} 2\n/);
    assert.match(text, /cdp_save_to_parquet_current_ledger\{consumer="SaveToParquet"\} 10\n/);
  });

  it('include_metadata adds pipeline_metadata as JSON', async () => {
    const dir = tempDir();
    await run(dir, [contractEventMsg(1, 0), contractDataMsg(1, 0)], { include_metadata: true });
    const [r] = await duck<{ m: string }>(`SELECT pipeline_metadata AS m FROM read_parquet('${dir}/lake/contract_data/**/*.parquet')`);
    assert.equal(JSON.parse(r!.m).processor, 'ContractData');
  });
});
