/**
 * Column batches in Apache Arrow's layout: string/binary columns as offsets + data, validity
 * as a bitmap. Same file as the row path for the same data; bad offsets and bad UTF-8 are
 * refused naming the column and row, with the rows before them kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readObjects, writeRowsToBytes } from './support/write-read.js';
import { arrowBytes, validityBitmap } from './support/arrow-layout.js';
import { MemorySink, ParquetSchemaError, ParquetValueError, ParquetWriter, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';

const fields: FieldSpec[] = [
  { name: 'id', type: 'int32' },
  { name: 's', type: 'string' },
  { name: 'o', type: 'string', optional: true },
  { name: 'b', type: 'binary', optional: true },
  { name: 'j', type: 'json', optional: true },
];

type Row = { id: number; s: string; o: string | null; b: Uint8Array | null; j: string | null };

function rowsOf(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i,
    s: `key-${i % 37}-${'x'.repeat(i % 11)}`,
    o: i % 4 === 0 ? null : `opt${i % 5}`,
    b: i % 3 === 0 ? null : Uint8Array.from({ length: i % 9 }, (_, k) => (i * 31 + k) & 255),
    j: i % 6 === 0 ? null : JSON.stringify({ n: i }),
  }));
}

const utf8 = new TextEncoder();

function arrowBatch(rows: Row[], wide = false): { numRows: number; columns: Record<string, unknown> } {
  return {
    numRows: rows.length,
    columns: {
      id: Int32Array.from(rows, (r) => r.id),
      s: arrowBytes(
        rows.map((r) => r.s),
        wide,
      ),
      o: arrowBytes(
        rows.map((r) => r.o),
        !wide,
      ),
      b: arrowBytes(
        rows.map((r) => r.b),
        wide,
      ),
      j: arrowBytes(
        rows.map((r) => r.j),
        wide,
      ),
    },
  };
}

const viaRows = writeRowsToBytes;
const read = readObjects;

for (const [name, options] of [
  ['defaults', {}],
  ['small pages and row groups, page v2, no dictionary', { dataPageRowLimit: 7, rowGroupSize: 50, pageVersion: 2, dictionary: false }],
  ['2 workers, zstd', { workers: 2, compression: 'zstd', dataPageRowLimit: 64 }],
] as [string, WriterOptions][]) {
  test(`Arrow-layout batches write the same file as writeRows (${name}), int32 and int64 offsets`, async () => {
    const rows = rowsOf(1000);
    const expected = await viaRows(fields, rows, options);
    for (const wide of [false, true]) {
      const sink = new MemorySink();
      const writer = new ParquetWriter(fields, sink, options);
      // Three batches of uneven sizes, so runs cross batch, page and row-group boundaries.
      for (const [from, to] of [
        [0, 1],
        [1, 613],
        [613, 1000],
      ] as const)
        await writer.writeColumns(arrowBatch(rows.slice(from, to), wide) as never);
      await writer.close();
      assert.ok(Buffer.from(sink.bytes()).equals(Buffer.from(expected)), `bytes differ (wide offsets: ${wide})`);
    }
  });
}

test('non-ASCII strings in Arrow layout read back exactly', async () => {
  const values = ['héllo', '', '日本語', '🙂 emoji', 'plain', 'ça'];
  const sink = new MemorySink();
  const writer = new ParquetWriter([{ name: 's', type: 'string' }], sink, { dataPageRowLimit: 2 });
  await writer.writeColumns({ columns: { s: arrowBytes(values) } } as never);
  await writer.close();
  assert.deepEqual(
    (await read(sink.bytes())).map((r) => r.s),
    values,
  );
});

/** One string column 's' (required) with a bad value at row 3 of 6; rows 0-2 must be kept. */
const BAD: { what: string; column: () => unknown; reason: RegExp; kept?: string[] }[] = [
  {
    what: 'invalid UTF-8 (a lone continuation byte)',
    reason: /not valid UTF-8/,
    column: () => bytesColumn([utf8.encode('a'), utf8.encode('b'), utf8.encode('c'), Uint8Array.of(0x80), utf8.encode('e'), utf8.encode('f')]),
  },
  {
    what: 'invalid UTF-8 (a truncated sequence)',
    reason: /not valid UTF-8/,
    column: () => bytesColumn([utf8.encode('a'), utf8.encode('b'), utf8.encode('c'), Uint8Array.of(0x61, 0xe6, 0x97), utf8.encode('e'), utf8.encode('f')]),
  },
  {
    what: 'a value starting inside a character',
    reason: /inside a character/,
    kept: ['a', 'b', 'é'],
    // Value 2 is 'é' (C3 A9); value 3 starts at its A9: one well-formed text, but not four values.
    column: () => ({ offsets: Int32Array.of(0, 1, 2, 4, 5, 6, 7), data: Uint8Array.of(0x61, 0x62, 0xc3, 0xa9, 0xa9, 0x65, 0x66) }),
  },
  { what: 'decreasing offsets', reason: /offsets decrease/, column: () => ({ offsets: Int32Array.of(0, 1, 2, 3, 2, 5, 6), data: utf8.encode('abcdef') }) },
  {
    what: 'an offset past the data',
    reason: /past the end of data/,
    column: () => ({ offsets: Int32Array.of(0, 1, 2, 3, 9, 10, 11), data: utf8.encode('abcdef') }),
  },
  {
    what: 'a large_ offset past 2^31',
    reason: /past 2\^31/,
    column: () => ({ offsets: BigInt64Array.of(0n, 1n, 2n, 3n, 2n ** 32n, 5n, 6n), data: utf8.encode('abcdef') }),
  },
  {
    what: 'a null in a required column (bitmap)',
    reason: /required value is missing/,
    column: () => ({ offsets: Int32Array.of(0, 1, 2, 3, 3, 4, 5), data: utf8.encode('abcef'), nullBitmap: Uint8Array.of(0b110111) }),
  },
];

/** Required bytes: offsets + data, no bitmap. */
function bytesColumn(parts: Uint8Array[]): { offsets: Int32Array | BigInt64Array; data: Uint8Array } {
  const { offsets, data } = arrowBytes(parts);
  return { offsets, data };
}

for (const { what, column, reason, kept = ['a', 'b', 'c'] } of BAD) {
  test(`Arrow layout, ${what}: ParquetValueError at column s, row 3; rows 0-2 kept, writer usable`, async () => {
    for (const workers of [0, 1]) {
      const sink = new MemorySink();
      const writer = new ParquetWriter(
        [
          { name: 'n', type: 'int32' },
          { name: 's', type: 'string' },
        ],
        sink,
        { workers },
      );
      await assert.rejects(writer.writeColumns({ columns: { n: Int32Array.of(0, 1, 2, 3, 4, 5), s: column() } } as never), (err: unknown) => {
        assert.ok(err instanceof ParquetValueError, `expected ParquetValueError, got ${String(err)}`);
        assert.equal(err.columnPath, 's');
        assert.equal(err.rowIndex, 3);
        assert.match(err.reason, reason);
        return true;
      });
      await writer.writeColumns({ columns: { n: Int32Array.of(9), s: bytesColumn([utf8.encode('z')]) } } as never);
      await writer.close();
      assert.deepEqual(await read(sink.bytes()), [...kept.map((s, n) => ({ n, s })), { n: 9, s: 'z' }]);
    }
  });
}

test('Arrow layout: the wrong shape is a ParquetSchemaError naming the column', async () => {
  const cases: { fields: FieldSpec[]; columns: Record<string, unknown>; message: RegExp }[] = [
    {
      fields: [{ name: 'd', type: 'decimal', precision: 20, scale: 2, physical: 'binary' }],
      columns: { d: { offsets: Int32Array.of(0, 1), data: Uint8Array.of(1) } },
      message: /string, enum, json, bson and binary/,
    },
    { fields: [{ name: 'x', type: 'int64' }], columns: { x: { offsets: Int32Array.of(0, 1), data: Uint8Array.of(1) } }, message: /string, enum, json/ },
    { fields: [{ name: 's', type: 'string' }], columns: { s: { offsets: [0, 1], data: Uint8Array.of(97) } }, message: /Int32Array or a BigInt64Array/ },
    { fields: [{ name: 's', type: 'string' }], columns: { s: { offsets: Int32Array.of(0, 1), data: [97] } }, message: /data must be a Uint8Array/ },
    {
      fields: [{ name: 's', type: 'string', optional: true }],
      columns: { s: { offsets: Int32Array.of(0, 1), data: Uint8Array.of(97), nullBitmap: Uint8Array.of(1), validity: [1] } },
      message: /not both/,
    },
    {
      fields: [{ name: 'n', type: 'int32', optional: true }],
      columns: { n: { values: new Int32Array(9), nullBitmap: Uint8Array.of(255) } },
      message: /nullBitmap has 8 bits, batch has 9 rows/,
    },
  ];
  for (const c of cases) {
    const writer = new ParquetWriter(c.fields, new MemorySink());
    await assert.rejects(
      writer.writeColumns({ columns: c.columns } as never),
      (err: unknown) => err instanceof ParquetSchemaError && reasonMatches(err, c.fields[0]!.name, c.message),
    );
    await writer.abort();
  }
});

function reasonMatches(err: Error, column: string, message: RegExp): boolean {
  assert.match(err.message, new RegExp(`\\b${column}\\b`));
  assert.match(err.message, message);
  return true;
}

test('Arrow layout: nullBitmap on fixed-width columns, nulls read back as null', async () => {
  const sink = new MemorySink();
  const writer = new ParquetWriter(
    [
      { name: 'n', type: 'int32', optional: true },
      { name: 'f', type: 'double', optional: true },
    ],
    sink,
  );
  await writer.writeColumns({
    columns: {
      n: { values: Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), nullBitmap: Uint8Array.of(0b01010101, 1) },
      f: { values: Float64Array.of(1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5), nullBitmap: Uint8Array.of(0b10101010, 0) },
    },
  });
  await writer.close();
  const rows = await read(sink.bytes());
  assert.deepEqual(
    rows.map((r) => r.n),
    [1, null, 3, null, 5, null, 7, null, 9],
  );
  assert.deepEqual(
    rows.map((r) => r.f),
    [null, 2.5, null, 4.5, null, 6.5, null, 8.5, null],
  );
});

test('UTF-8 validation: the Node check and the TextDecoder fallback agree with a strict decode (random bytes, 2,000 runs)', async () => {
  const fc = (await import('fast-check')).default;
  const { decoderIsUtf8, isWellFormedUtf8 } = await import('../packages/writer/src/encoding/utf8-validate.js');
  const strict = new TextDecoder('utf-8', { fatal: true });
  const reference = (b: Uint8Array): boolean => {
    try {
      strict.decode(b);
      return true;
    } catch {
      return false;
    }
  };
  // Mostly text with stray bytes, so both outcomes come up often.
  const bytesArb = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme' }).map((s) => [...utf8.encode(s)]),
        fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 3 }),
      ),
      { maxLength: 6 },
    )
    .map((parts) => Uint8Array.from(parts.flat()));
  let valid = 0;
  fc.assert(
    fc.property(bytesArb, (b) => {
      const expected = reference(b);
      if (expected) valid++;
      assert.equal(isWellFormedUtf8(b, 0, b.length), expected);
      assert.equal(decoderIsUtf8(b), expected);
    }),
    { numRuns: 2000 },
  );
  assert.ok(valid > 200 && valid < 1800, `both outcomes exercised (${valid} valid of 2000)`);
});

test('typed arrays (int32, uint32, int64, uint64, timestamp, float, double) are copied as bits: same file as writeRows', async () => {
  const typedFields: FieldSpec[] = [
    { name: 'i32', type: 'int32', optional: true },
    { name: 'u32', type: 'uint32' },
    { name: 'i64', type: 'int64', optional: true },
    { name: 'u64', type: 'uint64' },
    { name: 'ts', type: 'timestamp', unit: 'us', optional: true },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double', optional: true },
  ];
  const n = 777;
  const i32 = Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0);
  const u32 = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0);
  const i64 = BigInt64Array.from({ length: n }, (_, i) => BigInt(i - 300) * 12345678901234n);
  const u64 = BigUint64Array.from({ length: n }, (_, i) => (1n << 63n) + BigInt(i) * 977n);
  const ts = BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000_000n + BigInt(i) * 1_000_003n);
  const f = Float32Array.from({ length: n }, (_, i) => (i % 50 === 0 ? -0 : i / 7));
  const d = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Infinity : Math.sin(i) * 1e10));
  const isNull = (i: number): boolean => i % 5 === 2;
  const rows = Array.from({ length: n }, (_, i) => ({
    i32: isNull(i) ? null : i32[i]!,
    u32: u32[i]!,
    i64: isNull(i) ? null : i64[i]!,
    u64: u64[i]!,
    ts: isNull(i) ? null : ts[i]!,
    f: f[i]!,
    d: isNull(i) ? null : d[i]!,
  }));
  for (const options of [{ dataPageRowLimit: 50 }, { dictionary: false, pageVersion: 2 as const }, { workers: 1 }] as WriterOptions[]) {
    const expected = await viaRows(typedFields, rows, options);
    const sink = new MemorySink();
    const writer = new ParquetWriter(typedFields, sink, options);
    for (const [from, to] of [
      [0, 300],
      [300, n],
    ] as const) {
      const part = <T extends { subarray(a: number, b: number): T }>(a: T): T => a.subarray(from, to);
      const bits = validityBitmap(to - from, (i) => !isNull(from + i));
      await writer.writeColumns({
        columns: {
          i32: { values: part(i32), nullBitmap: bits },
          u32: part(u32),
          i64: { values: part(i64), nullBitmap: bits },
          u64: part(u64),
          ts: { values: part(ts), nullBitmap: bits },
          f: part(f),
          d: { values: part(d), nullBitmap: bits },
        },
      });
    }
    await writer.close();
    assert.ok(Buffer.from(sink.bytes()).equals(Buffer.from(expected)), `bytes differ with ${JSON.stringify(options)}`);
    // And the values, where the bits matter most: uint32 above 2^31, uint64 above 2^63, nulls.
    const back = await read(sink.bytes());
    for (const i of [1, 2, 3, 500]) {
      assert.equal(back[i]!.u32, u32[i]);
      assert.equal(back[i]!.u64, u64[i]);
      assert.equal(back[i]!.i64, isNull(i) ? null : i64[i]);
    }
  }
});
