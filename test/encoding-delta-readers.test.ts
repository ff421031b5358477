/**
 * End-to-end proof for the DELTA_* and BYTE_STREAM_SPLIT encoders: hand-assemble a
 * minimal Parquet file (one REQUIRED column per encoding, two uncompressed v1 data pages
 * each, so the second page checks that a range restarts cleanly) and read it back with
 * pyarrow (Arrow C++ decoders), DuckDB and polars from the repo's .venv.
 *
 * The file is built here rather than with ParquetWriter so the encoders are tested on
 * their own, before the column writer selects them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import {
  encodeByteStreamSplitDouble,
  encodeByteStreamSplitFixedLenByteArray,
  encodeByteStreamSplitFloat,
  encodeByteStreamSplitInt32,
  encodeByteStreamSplitInt64,
} from '../packages/writer/src/encoding/byte-stream-split.js';
import { encodeDeltaBinaryPackedInt32, encodeDeltaBinaryPackedInt64 } from '../packages/writer/src/encoding/delta-binary-packed.js';
import { encodeDeltaByteArray, encodeDeltaByteArrayFixedLen } from '../packages/writer/src/encoding/delta-byte-array.js';
import { encodeDeltaLengthByteArray } from '../packages/writer/src/encoding/delta-length-byte-array.js';
import type { ByteArrayValues } from '../packages/writer/src/encoding/plain.js';
import {
  CompressionCodec,
  Encoding,
  FieldRepetitionType,
  PageType,
  Type,
  type ColumnChunk,
  type SchemaElement,
} from '../packages/writer/src/format/thrift/parquet-metadata.js';
import { encodeFileMetaData, writePageHeader } from '../packages/writer/src/format/thrift/parquet-serialize.js';
import { rng } from './support/rng.js';

const PYTHON = join(process.cwd(), '.venv/bin/python');
const N = 1000;
const SPLIT = 613; // page boundary: mid-block, mid-miniblock

interface Column {
  name: string;
  type: Type;
  typeLength?: number;
  encoding: Encoding;
  encode: (start: number, end: number, out: ByteWriter) => void;
  /** Expected values as the Python side prints them (ints as decimal strings, else hex). */
  expected: string[];
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function byteArrays(parts: Uint8Array[]): ByteArrayValues {
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
  const data = new Uint8Array(offsets[parts.length]);
  parts.forEach((p, i) => data.set(p, offsets[i]));
  return { data, offsets };
}

function buildColumns(): Column[] {
  const r = rng(99);
  const u32 = (): number => Math.floor(r() * 4294967296);
  const extremes32 = [-0x80000000, 0x7fffffff, -0x80000000, 0, -1, 0x7fffffff];
  const i32 = Int32Array.from({ length: N }, (_, i) => (i < extremes32.length ? extremes32[i] : r() < 0.1 ? u32() | 0 : (i * 1000 + (u32() & 1023)) | 0));
  const ts = Int32Array.from({ length: N }, (_, i) => 1_700_000_000 + i * 5 + (u32() & 3));
  const extremes64 = [-(1n << 63n), (1n << 63n) - 1n, -(1n << 63n), 0n, -1n];
  const i64 = BigInt64Array.from({ length: N }, (_, i) =>
    i < extremes64.length ? extremes64[i] : r() < 0.1 ? BigInt.asIntN(64, (BigInt(u32()) << 32n) | BigInt(u32())) : 1_700_000_000_000_000n + BigInt(i) * 997n,
  );
  const f32 = Float32Array.from({ length: N }, () => (r() - 0.5) * 1e5);
  f32[1] = NaN;
  f32[2] = -0;
  f32[3] = Infinity;
  const f64 = Float64Array.from({ length: N }, () => (r() - 0.5) * 1e15);
  f64[4] = -Infinity;
  f64[5] = Number.MIN_VALUE;
  const enc = new TextEncoder();
  const strings = byteArrays(
    Array.from({ length: N }, (_, i) =>
      i % 50 === 7 ? new Uint8Array(0) : enc.encode(`GABC${(Math.floor(i / 3) * 7919).toString(36)}-${'é'.repeat(i % 5)}${i % 11}`),
    ),
  );
  const flba16 = Uint8Array.from({ length: N * 16 }, (_, i) => ((i & 15) < 9 ? i & 15 : u32() & 0xff));
  const flba5 = Uint8Array.from({ length: N * 5 }, () => u32() & 0xff);

  const view32 = new DataView(f32.buffer);
  const view64 = new DataView(f64.buffer);
  const strExpected = Array.from({ length: N }, (_, i) => hex(strings.data.subarray(strings.offsets[i], strings.offsets[i + 1])));
  const fixedExpected = (flat: Uint8Array, k: number): string[] => Array.from({ length: N }, (_, i) => hex(flat.subarray(i * k, (i + 1) * k)));
  const DBP = Encoding.DELTA_BINARY_PACKED;
  const BSS = Encoding.BYTE_STREAM_SPLIT;
  return [
    { name: 'i32_dbp', type: Type.INT32, encoding: DBP, encode: (s, e, o) => encodeDeltaBinaryPackedInt32(i32, s, e, o), expected: Array.from(i32, String) },
    { name: 'ts_dbp', type: Type.INT32, encoding: DBP, encode: (s, e, o) => encodeDeltaBinaryPackedInt32(ts, s, e, o), expected: Array.from(ts, String) },
    { name: 'i64_dbp', type: Type.INT64, encoding: DBP, encode: (s, e, o) => encodeDeltaBinaryPackedInt64(i64, s, e, o), expected: Array.from(i64, String) },
    {
      name: 'bin_dlba',
      type: Type.BYTE_ARRAY,
      encoding: Encoding.DELTA_LENGTH_BYTE_ARRAY,
      encode: (s, e, o) => encodeDeltaLengthByteArray(strings, s, e, o),
      expected: strExpected,
    },
    {
      name: 'bin_dba',
      type: Type.BYTE_ARRAY,
      encoding: Encoding.DELTA_BYTE_ARRAY,
      encode: (s, e, o) => encodeDeltaByteArray(strings, s, e, o),
      expected: strExpected,
    },
    {
      name: 'flba_dba',
      type: Type.FIXED_LEN_BYTE_ARRAY,
      typeLength: 16,
      encoding: Encoding.DELTA_BYTE_ARRAY,
      encode: (s, e, o) => encodeDeltaByteArrayFixedLen(flba16, 16, s, e, o),
      expected: fixedExpected(flba16, 16),
    },
    {
      name: 'f32_bss',
      type: Type.FLOAT,
      encoding: BSS,
      encode: (s, e, o) => encodeByteStreamSplitFloat(f32, s, e, o),
      expected: Array.from({ length: N }, (_, i) => hex(new Uint8Array(view32.buffer, i * 4, 4))),
    },
    {
      name: 'f64_bss',
      type: Type.DOUBLE,
      encoding: BSS,
      encode: (s, e, o) => encodeByteStreamSplitDouble(f64, s, e, o),
      expected: Array.from({ length: N }, (_, i) => hex(new Uint8Array(view64.buffer, i * 8, 8))),
    },
    { name: 'i32_bss', type: Type.INT32, encoding: BSS, encode: (s, e, o) => encodeByteStreamSplitInt32(i32, s, e, o), expected: Array.from(i32, String) },
    { name: 'i64_bss', type: Type.INT64, encoding: BSS, encode: (s, e, o) => encodeByteStreamSplitInt64(i64, s, e, o), expected: Array.from(i64, String) },
    {
      name: 'flba_bss',
      type: Type.FIXED_LEN_BYTE_ARRAY,
      typeLength: 5,
      encoding: BSS,
      encode: (s, e, o) => encodeByteStreamSplitFixedLenByteArray(flba5, 5, s, e, o),
      expected: fixedExpected(flba5, 5),
    },
  ];
}

/** PAR1, then per column two v1 data pages (no levels: REQUIRED), then the footer. */
function buildFile(columns: Column[]): Uint8Array {
  const out = new ByteWriter(1 << 16);
  out.writeBytes(new TextEncoder().encode('PAR1'));
  const chunks: ColumnChunk[] = [];
  const body = new ByteWriter(1 << 14);
  for (const c of columns) {
    const chunkStart = out.length;
    for (const [start, end] of [
      [0, SPLIT],
      [SPLIT, N],
    ]) {
      body.reset();
      c.encode(start, end, body);
      writePageHeader(
        {
          type: PageType.DATA_PAGE,
          uncompressed_page_size: body.length,
          compressed_page_size: body.length,
          data_page_header: {
            num_values: end - start,
            encoding: c.encoding,
            definition_level_encoding: Encoding.RLE,
            repetition_level_encoding: Encoding.RLE,
          },
        },
        out,
      );
      out.writeBytes(body.written());
    }
    const size = out.length - chunkStart;
    chunks.push({
      file_offset: 0,
      meta_data: {
        type: c.type,
        encodings: [c.encoding],
        path_in_schema: [c.name],
        codec: CompressionCodec.UNCOMPRESSED,
        num_values: N,
        total_uncompressed_size: size,
        total_compressed_size: size,
        data_page_offset: chunkStart,
      },
    });
  }
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: columns.length },
    ...columns.map((c) => ({ name: c.name, type: c.type, type_length: c.typeLength, repetition_type: FieldRepetitionType.REQUIRED })),
  ];
  const footer = encodeFileMetaData({
    version: 1,
    schema,
    num_rows: N,
    row_groups: [{ columns: chunks, total_byte_size: out.length - 4, num_rows: N }],
    created_by: 'cdp-parquet encoder test',
  });
  out.writeBytes(footer);
  out.writeU32(footer.length);
  out.writeBytes(new TextEncoder().encode('PAR1'));
  return out.toBytes();
}

const PY_READ = String.raw`
import json, struct, sys
path = sys.argv[1]
def norm(v, t):
    if v is None: return None
    if t == 'f32': return struct.pack('<f', v).hex()
    if t == 'f64': return struct.pack('<d', v).hex()
    if isinstance(v, (bytes, bytearray, memoryview)): return bytes(v).hex()
    return str(v)
def kind(name):
    return 'f32' if name.startswith('f32') else 'f64' if name.startswith('f64') else 'x'
result = {}
import pyarrow.parquet as pq
try:
    t = pq.read_table(path)
    result['pyarrow'] = {n: [norm(v, kind(n)) for v in t.column(n).to_pylist()] for n in t.column_names}
except Exception as e:
    result['pyarrow'] = {'__error__': repr(e)}
import duckdb
result['duckdb'] = {}
for n in json.loads(sys.argv[2]):
    try:
        rows = duckdb.sql(f"select {n} from read_parquet('{path}')").fetchall()
        result['duckdb'][n] = [norm(r[0], kind(n)) for r in rows]
    except Exception as e:
        result['duckdb'][n] = {'__error__': repr(e)}
import polars as pl
result['polars'] = {}
for n in json.loads(sys.argv[2]):
    try:
        s = pl.read_parquet(path, columns=[n])[n].to_list()
        result['polars'][n] = [norm(v, kind(n)) for v in s]
    except Exception as e:
        result['polars'][n] = {'__error__': repr(e)}
print(json.dumps(result))
`;

test('pyarrow, DuckDB and polars decode every DELTA_* / BYTE_STREAM_SPLIT page we encode', { skip: !existsSync(PYTHON) && 'no .venv' }, (t) => {
  const columns = buildColumns();
  const dir = mkdtempSync(join(tmpdir(), 'delta-readers-'));
  try {
    const path = join(dir, 'encodings.parquet');
    writeFileSync(path, buildFile(columns));
    const stdout = execFileSync(PYTHON, ['-c', PY_READ, path, JSON.stringify(columns.map((c) => c.name))], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const result = JSON.parse(stdout) as Record<string, Record<string, string[] | { __error__: string }>>;
    assert.ok(!('__error__' in result.pyarrow), `pyarrow failed: ${JSON.stringify(result.pyarrow)}`);
    const unsupported: string[] = [];
    for (const reader of ['pyarrow', 'duckdb', 'polars']) {
      for (const c of columns) {
        const got = result[reader][c.name];
        if (!Array.isArray(got)) {
          // Only tolerate a reader refusing an encoding outright, never wrong values.
          assert.match(got.__error__, /not (yet )?(supported|implemented)|only supported|unsupported|NotImplemented/i, `${reader} ${c.name}: ${got.__error__}`);
          unsupported.push(`${reader}:${c.name} (${got.__error__.slice(0, 120)})`);
          continue;
        }
        assert.deepEqual(got, c.expected, `${reader} ${c.name}`);
      }
    }
    // pyarrow (Arrow C++) supports all of them: it must not be on the list.
    assert.ok(!unsupported.some((u) => u.startsWith('pyarrow')), unsupported.join(', '));
    if (unsupported.length > 0) t.diagnostic(`readers without support: ${unsupported.join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
