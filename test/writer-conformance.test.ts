/**
 * Spec conformance of written files, checked by the independent footer conformance check
 * (support/conformance.ts): statistics that bound their values (truncated text bounds at the
 * edges of UTF-8), the legacy annotations of local TIME/TIMESTAMP columns, type_length only on
 * FIXED_LEN_BYTE_ARRAY; and the check itself, which must report each kind of broken file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySink, ParquetWriter, type FieldSpec, type WriterOptions } from '../packages/writer/src/index.js';
import type { FileMetaData, OffsetIndex, ColumnIndex } from '../packages/writer/src/format/thrift/parquet-metadata.js';
import { BoundaryOrder, ConvertedType, Encoding } from '../packages/writer/src/format/thrift/parquet-metadata.js';
import { encodeColumnIndex, encodeFileMetaData, encodeOffsetIndex } from '../packages/writer/src/format/thrift/parquet-serialize.js';
import { readerSession } from './support/reader-session.js';
import { checkConformance, formatViolations, type RuleId } from './support/conformance.js';
import { Boundary, Converted, parseColumnIndex, parseFooter, parseOffsetIndex, parsePageHeader } from './support/footer-parse.js';
import { compareBytes } from './support/sort-order.js';
import { isReaderError, type LeavesResult } from './support/python-readers.js';

const session = readerSession('cdp-parquet-conformance-');
const utf8 = new TextEncoder();

async function write(
  fields: FieldSpec[],
  rows: Record<string, unknown>[],
  options: WriterOptions = {},
): Promise<{ bytes: Uint8Array; metadata: FileMetaData }> {
  const sink = new MemorySink();
  const w = new ParquetWriter(fields, sink, options);
  await w.writeRows(rows);
  const summary = await w.close();
  return { bytes: sink.bytes(), metadata: summary.metadata };
}

async function leavesOf(bytes: Uint8Array): Promise<LeavesResult> {
  const r = (await session.read(bytes, ['leaves'])).leaves;
  assert.ok(r && !isReaderError(r), `pyarrow could not read the leaves: ${JSON.stringify(r)}`);
  return r;
}

async function assertConforms(bytes: Uint8Array, what: string): Promise<number> {
  const r = checkConformance(bytes, await leavesOf(bytes));
  assert.deepEqual(r.violations, [], `${what}:\n${formatViolations(r.violations)}`);
  return r.checks;
}

// ---- statistics of text at the edges ----------------------------------------------------

const EDGE_MAXIMA = [
  '\uFEFF' + 'a'.repeat(70), // a byte-order mark first: dropped by a default TextDecoder
  '\uFEFF'.repeat(30),
  '\uFEFFz\u{10FFFF}'.repeat(9),
  '\u{10FFFF}'.repeat(20), // no larger character: the exact value is kept
  '\uFFFF'.repeat(25),
  '\uFFFF' + '\u{10FFFF}'.repeat(20),
  'e\u0301'.repeat(30), // combining marks
  '\u{1F600}'.repeat(20), // surrogate pairs in JS
  '\u0000'.repeat(70),
  'z'.repeat(63) + '\u00e9', // a 2-byte character across the 64-byte limit
];

test('string statistics bound every value when the max is long and starts or ends with an edge character (chunk and page bounds, limits 64, 9, 4, 1)', async () => {
  let checks = 0;
  for (const max of EDGE_MAXIMA) {
    for (const limit of [64, 9, 4, 1]) {
      // The max first, last, and among smaller values; pages of two rows.
      const small = ['', 'a', '\u0000', max.slice(0, 2), 'b'.repeat(80)];
      const rows = [max, ...small, max].map((s) => ({ s }));
      const { bytes } = await write([{ name: 's', type: 'string' }], rows, { statisticsTruncateLength: limit, dataPageRowLimit: 2, dictionary: false });
      checks += await assertConforms(bytes, `max ${JSON.stringify(max)}, limit ${limit}`);
      // And directly: the footer's max_value sorts at or above the largest value's bytes.
      const stats = parseFooter(bytes).meta.rowGroups[0]!.columns[0]!.meta!.statistics!;
      const largest = rows.map((r) => utf8.encode(r.s)).reduce((a, b) => (compareBytes(a, b) >= 0 ? a : b));
      assert.ok(
        compareBytes(stats.maxValue!, largest) >= 0,
        `max ${JSON.stringify(max)}, limit ${limit}: max_value ${Buffer.from(stats.maxValue!).toString('hex')} sorts below ${Buffer.from(largest).toString('hex')}`,
      );
    }
  }
  assert.ok(checks > 1000, `${checks} rules applied`);
});

test('string statistics at the truncation limit are exact, one byte past it truncated to valid UTF-8 bounds', async () => {
  for (const limit of [64, 10, 5, 3]) {
    for (const tail of ['a', '\u00e9', '\uFEFF', '\u{10FFFF}']) {
      const t = utf8.encode(tail).length;
      for (const extra of [0, 1]) {
        // A string of exactly `limit + extra` bytes ending in `tail`, which sits across the limit when extra = 1.
        const len = limit + extra;
        if (len < t) continue;
        const s = 'q'.repeat(len - t) + tail;
        assert.equal(utf8.encode(s).length, len);
        const { bytes } = await write([{ name: 's', type: 'string' }], [{ s }, { s: 'a' }], { statisticsTruncateLength: limit });
        await assertConforms(bytes, `${len} bytes, limit ${limit}`);
        const st = parseFooter(bytes).meta.rowGroups[0]!.columns[0]!.meta!.statistics!;
        if (extra === 0) {
          assert.deepEqual(st.maxValue, utf8.encode(s), `${len} bytes at limit ${limit}: the exact max`);
          assert.equal(st.isMaxValueExact, true);
        } else {
          assert.equal(st.isMaxValueExact, st.maxValue!.length <= limit ? false : true, `${len} bytes past limit ${limit}`);
          assert.ok(compareBytes(st.maxValue!, utf8.encode(s)) >= 0);
        }
      }
    }
  }
});

test('ColumnIndex boundary_order describes the bounds as written: truncation can reorder ascending values', async () => {
  // Pages of two sorted values. With a 1-byte limit, 'a1' keeps the min 'a' but 'é1' (2-byte
  // first character) keeps the empty prefix: the written mins go down although the values go up.
  const rows = ['a1', 'a2', '\u00e91', '\u00e92', '\u00e93', '\u00e94'].map((s) => ({ s }));
  const { bytes } = await write([{ name: 's', type: 'string' }], rows, { statisticsTruncateLength: 1, dataPageRowLimit: 2, dictionary: false });
  await assertConforms(bytes, 'ascending strings cut to one byte');
  // And the plain case keeps its order: the same values untruncated are ASCENDING.
  const whole = await write([{ name: 's', type: 'string' }], rows, { dataPageRowLimit: 2, dictionary: false });
  await assertConforms(whole.bytes, 'ascending strings');
  const c = parseFooter(whole.bytes).meta.rowGroups[0]!.columns[0]!;
  assert.equal(parseColumnIndex(whole.bytes, Number(c.columnIndexOffset)).index.boundaryOrder, Boundary.ASCENDING);
});

// ---- annotations ------------------------------------------------------------------------

test('local and UTC TIME/TIMESTAMP columns carry the legacy converted type for MILLIS and MICROS, none for NANOS', async () => {
  const fields: FieldSpec[] = [];
  for (const type of ['time', 'timestamp'] as const) {
    for (const unit of ['ms', 'us', 'ns'] as const) {
      for (const utc of [true, false]) fields.push({ name: `${type}_${unit}_${utc ? 'utc' : 'local'}`, type, unit, utc });
    }
  }
  const row = Object.fromEntries(fields.map((f) => [f.name, f.type === 'time' && (f as { unit: string }).unit === 'ms' ? 1000 : 1000n]));
  const { bytes } = await write(fields, [row]);
  await assertConforms(bytes, 'time and timestamp columns');
  const got = Object.fromEntries(
    parseFooter(bytes)
      .meta.schema.slice(1)
      .map((e) => [e.name, e.convertedType]),
  );
  const want = (name: string): number | undefined => {
    const [type, unit] = name.split('_');
    if (unit === 'ns') return undefined;
    if (type === 'time') return unit === 'ms' ? Converted.TIME_MILLIS : Converted.TIME_MICROS;
    return unit === 'ms' ? Converted.TIMESTAMP_MILLIS : Converted.TIMESTAMP_MICROS;
  };
  assert.deepEqual(got, Object.fromEntries(fields.map((f) => [f.name, want(f.name)])));
});

test('type_length is written for FIXED_LEN_BYTE_ARRAY columns only (not INT96)', async () => {
  const fields: FieldSpec[] = [
    { name: 'i96', type: 'int96' },
    { name: 'fx', type: 'fixed', length: 5 },
    { name: 'u', type: 'uuid' },
    { name: 'h', type: 'float16' },
    { name: 'd', type: 'decimal', precision: 30, scale: 2 },
    { name: 'n', type: 'int64' },
  ];
  const { bytes } = await write(fields, [{ i96: 0n, fx: new Uint8Array(5), u: new Uint8Array(16), h: 1.5, d: '1.25', n: 3n }]);
  await assertConforms(bytes, 'fixed-width columns');
  const lengths = Object.fromEntries(
    parseFooter(bytes)
      .meta.schema.slice(1)
      .map((e) => [e.name, e.typeLength]),
  );
  assert.deepEqual(lengths, { i96: undefined, fx: 5, u: 16, h: 2, d: 13, n: undefined });
});

// ---- the check reports broken files -----------------------------------------------------

/** `bytes` with its footer replaced by `meta` re-encoded, and `extra` bytes (page index structs) placed before it. */
function withFooter(bytes: Uint8Array, meta: FileMetaData, extra: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { start } = parseFooter(bytes);
  const footer = encodeFileMetaData(meta);
  const out = new Uint8Array(start + extra.length + footer.length + 8);
  out.set(bytes.subarray(0, start));
  out.set(extra, start);
  out.set(footer, start + extra.length);
  new DataView(out.buffer).setUint32(start + extra.length + footer.length, footer.length, true);
  out.set(utf8.encode('PAR1'), out.length - 4);
  return out;
}

const SAMPLE_FIELDS: FieldSpec[] = [
  { name: 'n', type: 'int32', optional: true },
  { name: 's', type: 'string' },
  { name: 'ts', type: 'timestamp', unit: 'ms', utc: false },
  { name: 'i96', type: 'int96' },
  { name: 'd', type: 'double' },
  { name: 'dec', type: 'decimal', precision: 9, scale: 2 },
  { name: 'l', type: 'list', element: { type: 'int64', optional: true } },
];
const SAMPLE_ROWS = Array.from({ length: 6 }, (_, i) => ({
  n: i === 2 ? null : i + 1,
  s: `v${i}`,
  ts: BigInt(i),
  i96: BigInt(i),
  d: i / 2,
  dec: i,
  l: i % 3 === 0 ? [] : [BigInt(i), null],
}));

function mutated(meta: FileMetaData, change: (m: FileMetaData) => void): FileMetaData {
  const copy = structuredClone(meta);
  change(copy);
  return copy;
}

test('the conformance check reports each kind of rule broken (and the unbroken file passes)', async () => {
  const { bytes, metadata } = await write(SAMPLE_FIELDS, SAMPLE_ROWS, { dataPageRowLimit: 2, pageChecksum: true });
  const leaves = await leavesOf(bytes);
  assert.deepEqual(checkConformance(bytes, leaves).violations, [], 'the file as written');
  const col = (m: FileMetaData, name: string) => m.row_groups[0]!.columns.find((c) => c.meta_data!.path_in_schema[0] === name)!;
  const el = (m: FileMetaData, name: string) => m.schema.find((e) => e.name === name)!;
  const cases: [string, RuleId, Uint8Array][] = [
    [
      'type_length on INT96',
      'type-length',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 'i96').type_length = 12;
        }),
      ),
    ],
    [
      'type_length on INT32',
      'type-length',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 'n').type_length = 8;
        }),
      ),
    ],
    [
      'local timestamp without TIMESTAMP_MILLIS',
      'converted-for-logical',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 's').converted_type = undefined;
          el(m, 'ts').converted_type = undefined;
        }),
      ),
    ],
    [
      'STRING annotating INT32',
      'logical-physical',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 'n').logicalType = { STRING: {} };
          el(m, 'n').converted_type = ConvertedType.UTF8;
        }),
      ),
    ],
    [
      'a converted type without its logical type',
      'logical-for-converted',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 's').logicalType = undefined;
        }),
      ),
    ],
    [
      'DECIMAL(10) on INT32',
      'decimal-params',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          el(m, 'dec').precision = 10;
          el(m, 'dec').logicalType = { DECIMAL: { precision: 10, scale: 2 } };
        }),
      ),
    ],
    [
      'no column_orders',
      'column-orders',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          m.column_orders = undefined;
        }),
      ),
    ],
    [
      'a max below the largest value',
      'stats-bounds',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 's').meta_data!.statistics!.max_value = utf8.encode('v4');
        }),
      ),
    ],
    [
      'a min above the smallest value',
      'stats-bounds',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 'n').meta_data!.statistics!.min_value = Uint8Array.of(2, 0, 0, 0);
        }),
      ),
    ],
    [
      'a max flagged exact that no value equals',
      'stats-exact',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 's').meta_data!.statistics!.max_value = utf8.encode('v9');
        }),
      ),
    ],
    [
      'a bound that is not UTF-8',
      'stats-valid-value',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 's').meta_data!.statistics!.max_value = Uint8Array.of(0x76, 0xff);
        }),
      ),
    ],
    [
      'a 3-byte INT32 bound',
      'stats-plain',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 'n').meta_data!.statistics!.min_value = Uint8Array.of(1, 0, 0);
        }),
      ),
    ],
    [
      'min/max on INT96',
      'stats-undefined-order',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          const s = col(m, 'i96').meta_data!.statistics!;
          s.min_value = new Uint8Array(12);
          s.max_value = new Uint8Array(12).fill(1);
        }),
      ),
    ],
    [
      'no nan_count on a double',
      'nan-count',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 'd').meta_data!.statistics!.nan_count = undefined;
        }),
      ),
    ],
    [
      'a zero max written as -0.0',
      'float-minmax',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          const s = col(m, 'd').meta_data!.statistics!;
          s.min_value = Uint8Array.of(0, 0, 0, 0, 0, 0, 0xf0, 0xbf);
          s.max_value = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x80);
        }),
      ),
    ],
    [
      'null_count off by one',
      'null-count',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          const s = col(m, 'n').meta_data!.statistics!;
          s.null_count = 2;
        }),
      ),
    ],
    [
      'num_values off by one',
      'num-values',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          col(m, 'l').meta_data!.num_values = Number(col(m, 'l').meta_data!.num_values) + 1;
        }),
      ),
    ],
    [
      'row count off by one',
      'row-counts',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          m.num_rows = Number(m.num_rows) + 1;
        }),
      ),
    ],
    [
      'data_page_offset off by one',
      'chunk-layout',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          const md = col(m, 'n').meta_data!;
          md.data_page_offset = Number(md.data_page_offset) + 1;
        }),
      ),
    ],
    [
      'an encoding missing from the list',
      'chunk-encodings',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          for (const c of m.row_groups[0]!.columns) c.meta_data!.encodings = [Encoding.BYTE_STREAM_SPLIT];
        }),
      ),
    ],
    [
      'the OffsetIndex pointing at the ColumnIndex',
      'index-location',
      withFooter(
        bytes,
        mutated(metadata, (m) => {
          const c = col(m, 'n');
          c.offset_index_offset = c.column_index_offset;
        }),
      ),
    ],
  ];
  // A page body byte changed: its CRC no longer matches.
  const broken = bytes.slice();
  const first = Number(col(metadata, 's').meta_data!.data_page_offset);
  const { header, length } = parsePageHeader(bytes, first);
  broken[first + length + header.compressedPageSize - 1]! ^= 0x01;
  cases.push(['a page whose CRC does not match', 'page-crc', broken]);
  // Column n's page index replaced by a struct placed just before the footer.
  const { start } = parseFooter(bytes);
  const withIndex = (kind: 'offset' | 'column', struct: Uint8Array): Uint8Array =>
    withFooter(
      bytes,
      mutated(metadata, (m) => {
        const c = col(m, 'n');
        c[`${kind}_index_offset`] = start;
        c[`${kind}_index_length`] = struct.length;
      }),
      struct,
    );
  // An OffsetIndex whose second page location is off by one byte.
  const realOi = offsetIndexOf(bytes, Number(col(metadata, 'n').offset_index_offset));
  const shifted: OffsetIndex = { page_locations: realOi.page_locations.map((l, i) => (i === 1 ? { ...l, offset: Number(l.offset) + 1 } : l)) };
  cases.push(['an OffsetIndex offset off by one', 'offset-index', withIndex('offset', encodeOffsetIndex(shifted))]);
  // A ColumnIndex that claims DESCENDING for ascending pages (n: 1,2 | null,4 | 5,6).
  const ci: ColumnIndex = {
    null_pages: [false, false, false],
    boundary_order: BoundaryOrder.DESCENDING,
    null_counts: [0, 1, 0],
    min_values: [1, 4, 5].map((v) => Uint8Array.of(v, 0, 0, 0)),
    max_values: [2, 4, 6].map((v) => Uint8Array.of(v, 0, 0, 0)),
  };
  cases.push(['a ColumnIndex with the wrong boundary_order', 'column-index', withIndex('column', encodeColumnIndex(ci))]);
  for (const [what, rule, file] of cases) {
    const found = checkConformance(file, leaves).violations;
    assert.ok(
      found.some((v) => v.rule === rule),
      `${what}: expected a ${rule} violation, found ${found.length === 0 ? 'none' : formatViolations(found)}`,
    );
  }
});

/** The OffsetIndex at `offset`, as the writer's struct (to re-encode it altered). */
function offsetIndexOf(bytes: Uint8Array, offset: number): OffsetIndex {
  const { index } = parseOffsetIndex(bytes, offset);
  return {
    page_locations: index.pageLocations.map((l) => ({
      offset: Number(l.offset),
      compressed_page_size: l.compressedPageSize,
      first_row_index: Number(l.firstRowIndex),
    })),
  };
}
