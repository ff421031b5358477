import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../packages/writer/src/encoding/byte-writer.js';
import {
  BoundaryOrder,
  CompressionCodec,
  ConvertedType,
  Encoding,
  FieldRepetitionType,
  PageType,
  Type,
  type ColumnIndex,
  type FileMetaData,
  type LogicalType,
  type PageHeader,
} from '../packages/writer/src/format/thrift/parquet-metadata.js';
import {
  encodeBloomFilterHeader,
  encodeColumnIndex,
  encodeFileMetaData,
  encodeOffsetIndex,
  writePageHeader,
} from '../packages/writer/src/format/thrift/parquet-serialize.js';
import {
  T,
  bin,
  bool,
  bytes,
  decodeStruct,
  empty,
  fieldIdsInOrder,
  i16,
  i32,
  i64,
  i8,
  list,
  str,
  struct,
  union,
  type DecodedStruct,
} from './thrift-helpers.js';

const BIG_OFFSET = 2n ** 53n + 12345n;

function sampleFileMetaData(): FileMetaData {
  return {
    version: 1,
    schema: [
      { name: 'schema', num_children: 4 },
      {
        name: 'id',
        type: Type.INT64,
        repetition_type: FieldRepetitionType.REQUIRED,
        converted_type: ConvertedType.UINT_64,
        logicalType: { INTEGER: { bitWidth: 64, isSigned: false } },
        field_id: 100,
      },
      {
        name: 'name',
        type: Type.BYTE_ARRAY,
        repetition_type: FieldRepetitionType.OPTIONAL,
        converted_type: ConvertedType.UTF8,
        logicalType: { STRING: {} },
      },
      {
        name: 'ts',
        type: Type.INT64,
        repetition_type: FieldRepetitionType.OPTIONAL,
        logicalType: { TIMESTAMP: { isAdjustedToUTC: true, unit: { NANOS: {} } } },
      },
      {
        name: 'amount',
        type: Type.FIXED_LEN_BYTE_ARRAY,
        type_length: 16,
        repetition_type: FieldRepetitionType.REQUIRED,
        converted_type: ConvertedType.DECIMAL,
        scale: 7,
        precision: 38,
        logicalType: { DECIMAL: { scale: 7, precision: 38 } },
      },
    ],
    num_rows: 3_000_000_000,
    row_groups: [
      {
        columns: [
          {
            file_offset: 0,
            meta_data: {
              type: Type.INT64,
              encodings: [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY],
              path_in_schema: ['id'],
              codec: CompressionCodec.ZSTD,
              num_values: 3_000_000_000,
              total_uncompressed_size: BIG_OFFSET,
              total_compressed_size: 1234,
              key_value_metadata: [{ key: 'k' }, { key: 'k2', value: 'v2' }],
              data_page_offset: 4,
              dictionary_page_offset: 4,
              statistics: {
                null_count: 0,
                min_value: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
                max_value: new Uint8Array([255, 255, 255, 255, 255, 255, 255, 127]),
                is_min_value_exact: true,
                is_max_value_exact: false,
              },
              encoding_stats: [{ page_type: PageType.DICTIONARY_PAGE, encoding: Encoding.PLAIN, count: 1 }],
              bloom_filter_offset: 9000,
              bloom_filter_length: 1056,
              size_statistics: { definition_level_histogram: [0, 3] },
            },
            offset_index_offset: 8000,
            offset_index_length: 30,
            column_index_offset: 7000,
            column_index_length: 40,
          },
        ],
        total_byte_size: 5000,
        num_rows: 3,
        sorting_columns: [{ column_idx: 0, descending: true, nulls_first: false }],
        file_offset: 4,
        total_compressed_size: 1234,
        ordinal: 0,
      },
    ],
    key_value_metadata: [{ key: 'ARROW:schema', value: 'ünïcode' }],
    created_by: 'cdp-parquet version 0.1.0',
    column_orders: [{ TYPE_ORDER: {} }, { TYPE_ORDER: {} }, { TYPE_ORDER: {} }, { IEEE_754_TOTAL_ORDER: {} }],
  };
}

test('FileMetaData decodes to the intended tree with declared wire types', () => {
  const decoded = decodeStruct(encodeFileMetaData(sampleFileMetaData()));
  const expected: DecodedStruct = {
    1: i32(1),
    2: list(T.STRUCT, [
      { 4: str('schema'), 5: i32(4) },
      {
        1: i32(Type.INT64),
        3: i32(FieldRepetitionType.REQUIRED),
        4: str('id'),
        6: i32(ConvertedType.UINT_64),
        9: i32(100),
        // IntType.bitWidth is an i8 (BYTE) in parquet.thrift, isSigned a bool.
        10: union(10, { 1: i8(64), 2: bool(false) }),
      },
      {
        1: i32(Type.BYTE_ARRAY),
        3: i32(FieldRepetitionType.OPTIONAL),
        4: str('name'),
        6: i32(ConvertedType.UTF8),
        10: union(1, {}),
      },
      {
        1: i32(Type.INT64),
        3: i32(FieldRepetitionType.OPTIONAL),
        4: str('ts'),
        10: union(8, { 1: bool(true), 2: union(3, {}) }),
      },
      {
        1: i32(Type.FIXED_LEN_BYTE_ARRAY),
        2: i32(16),
        3: i32(FieldRepetitionType.REQUIRED),
        4: str('amount'),
        6: i32(ConvertedType.DECIMAL),
        7: i32(7),
        8: i32(38),
        10: union(5, { 1: i32(7), 2: i32(38) }),
      },
    ]),
    3: i64(3_000_000_000),
    4: list(T.STRUCT, [
      {
        1: list(T.STRUCT, [
          {
            2: i64(0),
            3: struct({
              1: i32(Type.INT64),
              2: list(T.I32, [0, 3, 8]),
              3: list(T.STRING, [bytes('id')]),
              4: i32(CompressionCodec.ZSTD),
              5: i64(3_000_000_000),
              6: i64(BIG_OFFSET),
              7: i64(1234),
              8: list(T.STRUCT, [{ 1: str('k') }, { 1: str('k2'), 2: str('v2') }]),
              9: i64(4),
              11: i64(4),
              12: struct({
                3: i64(0),
                5: bin(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 127])),
                6: bin(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])),
                7: bool(false),
                8: bool(true),
              }),
              13: list(T.STRUCT, [{ 1: i32(PageType.DICTIONARY_PAGE), 2: i32(Encoding.PLAIN), 3: i32(1) }]),
              14: i64(9000),
              15: i32(1056),
              16: struct({ 3: list(T.I64, [0n, 3n]) }),
            }),
            4: i64(8000),
            5: i32(30),
            6: i64(7000),
            7: i32(40),
          },
        ]),
        2: i64(5000),
        3: i64(3),
        4: list(T.STRUCT, [{ 1: i32(0), 2: bool(true), 3: bool(false) }]),
        5: i64(4),
        6: i64(1234),
        // RowGroup.ordinal is declared i16.
        7: i16(0),
      },
    ]),
    5: list(T.STRUCT, [{ 1: str('ARROW:schema'), 2: str('ünïcode') }]),
    6: str('cdp-parquet version 0.1.0'),
    7: list(T.STRUCT, [{ 1: empty() }, { 1: empty() }, { 1: empty() }, { 2: empty() }]),
  };
  assert.deepEqual(decoded, expected);
});

test('FileMetaData fields are written in ascending id order', () => {
  assert.deepEqual(fieldIdsInOrder(encodeFileMetaData(sampleFileMetaData())), [1, 2, 3, 4, 5, 6, 7]);
  const minimal = encodeFileMetaData({ version: 1, schema: [{ name: 'root' }], num_rows: 0, row_groups: [] });
  assert.deepEqual(fieldIdsInOrder(minimal), [1, 2, 3, 4]);
});

test('every LogicalType member uses its parquet.thrift id and member layout', () => {
  const cases: [LogicalType, DecodedStruct][] = [
    [{ STRING: {} }, { 1: empty() }],
    [{ MAP: {} }, { 2: empty() }],
    [{ LIST: {} }, { 3: empty() }],
    [{ ENUM: {} }, { 4: empty() }],
    [{ DECIMAL: { scale: 0, precision: 1 } }, { 5: struct({ 1: i32(0), 2: i32(1) }) }],
    [{ DATE: {} }, { 6: empty() }],
    [{ TIME: { isAdjustedToUTC: false, unit: { MILLIS: {} } } }, { 7: struct({ 1: bool(false), 2: union(1, {}) }) }],
    [{ TIMESTAMP: { isAdjustedToUTC: true, unit: { MICROS: {} } } }, { 8: struct({ 1: bool(true), 2: union(2, {}) }) }],
    [{ INTEGER: { bitWidth: 8, isSigned: true } }, { 10: struct({ 1: i8(8), 2: bool(true) }) }],
    [{ UNKNOWN: {} }, { 11: empty() }],
    [{ JSON: {} }, { 12: empty() }],
    [{ BSON: {} }, { 13: empty() }],
    [{ UUID: {} }, { 14: empty() }],
    [{ FLOAT16: {} }, { 15: empty() }],
    [{ VARIANT: { specification_version: 1 } }, { 16: struct({ 1: i8(1) }) }],
    [{ GEOMETRY: { crs: 'OGC:CRS84' } }, { 17: struct({ 1: str('OGC:CRS84') }) }],
    [{ GEOGRAPHY: { algorithm: 4 } }, { 18: struct({ 2: i32(4) }) }],
  ];
  for (const [logicalType, expected] of cases) {
    const bytesOut = encodeFileMetaData({ version: 1, schema: [{ name: 'c', logicalType }], num_rows: 0, row_groups: [] });
    const schema = decodeStruct(bytesOut)[2]!.value as { elements: DecodedStruct[] };
    assert.deepEqual(schema.elements[0]![10], struct(expected), JSON.stringify(logicalType));
  }
});

test('unions must have exactly one member', () => {
  const withLogical =
    (logicalType: unknown): (() => Uint8Array) =>
    () =>
      encodeFileMetaData({
        version: 1,
        schema: [{ name: 'c', logicalType: logicalType as LogicalType }],
        num_rows: 0,
        row_groups: [],
      });
  assert.throws(withLogical({}), /no member/);
  assert.throws(withLogical({ STRING: {}, JSON: {} }), /both/);
  assert.throws(withLogical({ INTERVAL: {} }), /unknown member/);
  assert.throws(withLogical({ TIMESTAMP: { isAdjustedToUTC: true, unit: {} } }), /TimeUnit: no member/);
});

test('missing required fields are rejected instead of written', () => {
  const m = sampleFileMetaData();
  const bad = { ...m, num_rows: undefined } as unknown as FileMetaData;
  assert.throws(() => encodeFileMetaData(bad), RangeError);
  const noName = { ...m, schema: [{}] } as unknown as FileMetaData;
  assert.throws(() => encodeFileMetaData(noName), TypeError);
});

test('PageHeader: v1 data page with statistics and negative crc, appended to a buffer', () => {
  const out = new ByteWriter(8);
  out.writeBytes(new Uint8Array([0xaa]));
  const h: PageHeader = {
    type: PageType.DATA_PAGE,
    uncompressed_page_size: 1_000_000,
    compressed_page_size: 123_456,
    crc: 0xdeadbeef | 0,
    data_page_header: {
      num_values: 100,
      encoding: Encoding.RLE_DICTIONARY,
      definition_level_encoding: Encoding.RLE,
      repetition_level_encoding: Encoding.RLE,
      statistics: { null_count: 5, distinct_count: 7, max: bytes('z'), min: bytes('a'), nan_count: 0 },
    },
  };
  writePageHeader(h, out);
  const written = out.toBytes();
  assert.equal(written[0], 0xaa);
  assert.deepEqual(decodeStruct(written.subarray(1)), {
    1: i32(PageType.DATA_PAGE),
    2: i32(1_000_000),
    3: i32(123_456),
    4: i32(0xdeadbeef | 0),
    5: struct({
      1: i32(100),
      2: i32(Encoding.RLE_DICTIONARY),
      3: i32(Encoding.RLE),
      4: i32(Encoding.RLE),
      5: struct({ 1: str('z'), 2: str('a'), 3: i64(5), 4: i64(7), 9: i64(0) }),
    }),
  });
});

test('PageHeader: dictionary page and data page v2 (sub-header ids 7 and 8)', () => {
  const out = new ByteWriter();
  writePageHeader(
    {
      type: PageType.DICTIONARY_PAGE,
      uncompressed_page_size: 10,
      compressed_page_size: 10,
      dictionary_page_header: { num_values: 2, encoding: Encoding.PLAIN, is_sorted: false },
    },
    out,
  );
  const dictLength = out.length;
  writePageHeader(
    {
      type: PageType.DATA_PAGE_V2,
      uncompressed_page_size: 20,
      compressed_page_size: 15,
      data_page_header_v2: {
        num_values: 4,
        num_nulls: 1,
        num_rows: 4,
        encoding: Encoding.DELTA_BINARY_PACKED,
        definition_levels_byte_length: 2,
        repetition_levels_byte_length: 0,
        is_compressed: false,
        statistics: { null_count: 1 },
      },
    },
    out,
  );
  const all = out.toBytes();
  assert.deepEqual(decodeStruct(all.subarray(0, dictLength)), {
    1: i32(PageType.DICTIONARY_PAGE),
    2: i32(10),
    3: i32(10),
    7: struct({ 1: i32(2), 2: i32(Encoding.PLAIN), 3: bool(false) }),
  });
  assert.deepEqual(decodeStruct(all.subarray(dictLength)), {
    1: i32(PageType.DATA_PAGE_V2),
    2: i32(20),
    3: i32(15),
    8: struct({
      1: i32(4),
      2: i32(1),
      3: i32(4),
      4: i32(Encoding.DELTA_BINARY_PACKED),
      5: i32(2),
      6: i32(0),
      7: bool(false),
      8: struct({ 3: i64(1) }),
    }),
  });
});

test('writePageHeader leaves the buffer unchanged when the header is invalid', () => {
  const out = new ByteWriter();
  out.writeU8(7);
  const bad = { type: PageType.DATA_PAGE, uncompressed_page_size: 2 ** 31, compressed_page_size: 1 } as PageHeader;
  assert.throws(() => writePageHeader(bad, out), RangeError);
  assert.equal(out.length, 1);
});

test('ColumnIndex with 20 pages: list<bool>, list<binary>, enum, list<i64>', () => {
  const pages = 20;
  const ci: ColumnIndex = {
    null_pages: Array.from({ length: pages }, (_, i) => i % 4 === 1),
    min_values: Array.from({ length: pages }, (_, i) => (i % 4 === 1 ? new Uint8Array(0) : bytes(`a${i}`))),
    max_values: Array.from({ length: pages }, (_, i) => (i % 4 === 1 ? new Uint8Array(0) : bytes(`z${i}`))),
    boundary_order: BoundaryOrder.ASCENDING,
    null_counts: Array.from({ length: pages }, (_, i) => (i % 4 === 1 ? 1000 : 0)),
    definition_level_histograms: Array.from({ length: pages * 2 }, (_, i) => i),
    nan_counts: [BIG_OFFSET, -1],
  };
  assert.deepEqual(decodeStruct(encodeColumnIndex(ci)), {
    1: list(T.BOOL, ci.null_pages),
    2: list(T.STRING, ci.min_values),
    3: list(T.STRING, ci.max_values),
    4: i32(BoundaryOrder.ASCENDING),
    5: list(
      T.I64,
      ci.null_counts!.map((v) => BigInt(v)),
    ),
    7: list(
      T.I64,
      ci.definition_level_histograms!.map((v) => BigInt(v)),
    ),
    8: list(T.I64, [BIG_OFFSET, -1n]),
  });
  assert.throws(() => encodeColumnIndex({ ...ci, max_values: [] }), /lengths differ/);
});

test('OffsetIndex: PageLocation offset/first_row_index i64, size i32', () => {
  const locations = Array.from({ length: 16 }, (_, i) => ({
    offset: i === 15 ? BIG_OFFSET : 4 + i * 100,
    compressed_page_size: 100,
    first_row_index: i * 10,
  }));
  const decoded = decodeStruct(encodeOffsetIndex({ page_locations: locations, unencoded_byte_array_data_bytes: [5, 2 ** 40] }));
  assert.deepEqual(decoded, {
    1: list(
      T.STRUCT,
      locations.map((p) => ({ 1: i64(p.offset), 2: i32(100), 3: i64(p.first_row_index) })),
    ),
    2: list(T.I64, [5n, 2n ** 40n]),
  });
});

test('BloomFilterHeader: numBytes i32 and three nested single-member unions', () => {
  const b = encodeBloomFilterHeader({
    numBytes: 1024,
    algorithm: { BLOCK: {} },
    hash: { XXHASH: {} },
    compression: { UNCOMPRESSED: {} },
  });
  assert.deepEqual(decodeStruct(b), { 1: i32(1024), 2: union(1, {}), 3: union(1, {}), 4: union(1, {}) });
  // 0x15 varint(zigzag 1024 = 2048) = 0x80 0x10; each union: 0x1C (field 1 struct), 0x00 (empty), 0x00 (union stop).
  assert.equal(Buffer.from(b).toString('hex'), '158010' + '1c1c0000' + '1c1c0000' + '1c1c0000' + '00');
});
