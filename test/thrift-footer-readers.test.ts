/**
 * Cross-checks the footer against real Parquet readers: a metadata-only file
 * (`PAR1` + FileMetaData + length + `PAR1`, no row groups) is valid Parquet, so
 * DuckDB (C++ Thrift), parquet-wasm (arrow-rs) and hyparquet (its own compact decoder) can read our schema,
 * logical types and key/value metadata without any data pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata } from 'hyparquet';
import { readParquet, readSchema } from 'parquet-wasm';
import { encodeFileMetaData } from '../packages/writer/src/format/thrift/parquet-serialize.js';
import { ConvertedType as C, FieldRepetitionType as R, Type, type FileMetaData } from '../packages/writer/src/format/thrift/parquet-metadata.js';

const meta: FileMetaData = {
  version: 1,
  schema: [
    { name: 'schema', num_children: 6 },
    {
      name: 'i8',
      type: Type.INT32,
      repetition_type: R.OPTIONAL,
      converted_type: C.INT_8,
      logicalType: { INTEGER: { bitWidth: 8, isSigned: true } },
    },
    {
      name: 'u64',
      type: Type.INT64,
      repetition_type: R.REQUIRED,
      converted_type: C.UINT_64,
      logicalType: { INTEGER: { bitWidth: 64, isSigned: false } },
    },
    { name: 's', type: Type.BYTE_ARRAY, repetition_type: R.OPTIONAL, converted_type: C.UTF8, logicalType: { STRING: {} } },
    {
      name: 'ts',
      type: Type.INT64,
      repetition_type: R.OPTIONAL,
      logicalType: { TIMESTAMP: { isAdjustedToUTC: true, unit: { MICROS: {} } } },
      converted_type: C.TIMESTAMP_MICROS,
    },
    {
      name: 'd',
      type: Type.FIXED_LEN_BYTE_ARRAY,
      type_length: 16,
      repetition_type: R.REQUIRED,
      converted_type: C.DECIMAL,
      scale: 7,
      precision: 38,
      logicalType: { DECIMAL: { scale: 7, precision: 38 } },
    },
    { name: 'f', type: Type.DOUBLE, repetition_type: R.OPTIONAL },
  ],
  num_rows: 0,
  row_groups: [],
  key_value_metadata: [{ key: 'origin', value: 'stellar-cdp' }],
  created_by: 'cdp-parquet thrift test',
  column_orders: Array.from({ length: 6 }, () => ({ TYPE_ORDER: {} })),
};

function metadataOnlyFile(m: FileMetaData): Buffer {
  const footer = encodeFileMetaData(m);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length, 0);
  return Buffer.concat([Buffer.from('PAR1'), footer, length, Buffer.from('PAR1')]);
}

test('hyparquet parses the footer', () => {
  const file = metadataOnlyFile(meta);
  const md = parquetMetadata(new Uint8Array(file).buffer);
  assert.equal(md.version, 1);
  assert.equal(md.created_by, 'cdp-parquet thrift test');
  assert.deepEqual(
    md.schema.map((e) => e.name),
    ['schema', 'i8', 'u64', 's', 'ts', 'd', 'f'],
  );
  assert.deepEqual(md.schema[1]!.logical_type, { type: 'INTEGER', bitWidth: 8, isSigned: true });
  assert.deepEqual(md.schema[4]!.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
  assert.deepEqual(md.key_value_metadata, [{ key: 'origin', value: 'stellar-cdp' }]);
});

test('DuckDB reads the schema from the footer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thrift-footer-'));
  const path = join(dir, 'empty.parquet');
  writeFileSync(path, metadataOnlyFile(meta));
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    const describe = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    const types = Object.fromEntries(describe.getRowObjectsJson().map((r) => [String(r['column_name']), String(r['column_type'])]));
    assert.deepEqual(types, {
      i8: 'TINYINT',
      u64: 'UBIGINT',
      s: 'VARCHAR',
      ts: 'TIMESTAMP WITH TIME ZONE',
      d: 'DECIMAL(38,7)',
      f: 'DOUBLE',
    });
    const kv = await conn.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}')`);
    assert.deepEqual(kv.getRowObjectsJson(), [{ k: 'origin', v: 'stellar-cdp' }]);
    const count = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`);
    assert.deepEqual(count.getRowObjectsJson(), [{ n: 0 }]);
    conn.closeSync();
  } finally {
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parquet-wasm (arrow-rs) reads the schema and key/value metadata', () => {
  const file = new Uint8Array(metadataOnlyFile(meta));
  const schema = readSchema(file);
  const md = schema.metadata();
  const origin = md instanceof Map ? md.get('origin') : (md as Record<string, string>)['origin'];
  assert.equal(origin, 'stellar-cdp');
  schema.free();
  const table = readParquet(file);
  assert.equal(table.numBatches, 0);
  table.free();
});
