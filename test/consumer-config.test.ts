import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../src/consumer/index.js';

describe('SaveToParquet config', () => {
  it('fills in the design defaults', () => {
    const c = parseConfig({ storage_type: 'FS', local_path: '/tmp/x' });
    assert.equal(c.compression, 'snappy');
    assert.equal(c.max_file_size_mb, 128);
    assert.equal(c.buffer_size, 10000);
    assert.equal(c.rotation_interval_minutes, 60);
    assert.equal(c.partition_by, 'ledger_day');
    assert.equal(c.ledgers_per_file, 10000);
    assert.equal(c.schema_evolution, false);
    assert.equal(c.include_metadata, false);
    assert.equal(c.dry_run, false);
    assert.equal(c.debug, false);
    assert.equal(c.encode_workers, 0);
  });

  it('encode_workers is an integer from 0 to 64', () => {
    assert.equal(parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: '2' }).encode_workers, 2);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: -1 }), /encode_workers: must be >= 0/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 65 }), /encode_workers: must be <= 64/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 1.5 }), /encode_workers: expected an integer/);
  });

  it('accepts integers as YAML ints, integral floats and numeric strings', () => {
    for (const v of [5000, 5000.0, '5000', ' 5000 ', '5e3']) {
      assert.equal(parseConfig({ storage_type: 'S3', bucket_name: 'b', buffer_size: v }).buffer_size, 5000, String(v));
    }
    assert.throws(() => parseConfig({ storage_type: 'S3', bucket_name: 'b', buffer_size: 10.5 }), /buffer_size: expected an integer/);
    assert.throws(() => parseConfig({ storage_type: 'S3', bucket_name: 'b', buffer_size: 'lots' }), /buffer_size: expected a number/);
    assert.throws(() => parseConfig({ storage_type: 'S3', bucket_name: 'b', buffer_size: 0 }), /buffer_size: must be >= 1/);
  });

  it('names an unknown key and suggests the closest known one', () => {
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', bufer_size: 10 }), (e: unknown) =>
      e instanceof ConfigError && e.key === 'bufer_size' && /did you mean "buffer_size"/.test(e.message));
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', partitionBy: 'hour' }), /did you mean "partition_by"/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', max_file_size: 1 }), /did you mean "max_file_size_mb"/);
  });

  it('names wrong types and missing required keys', () => {
    assert.throws(() => parseConfig({ local_path: '/x' }), /storage_type: required/);
    assert.throws(() => parseConfig({ storage_type: 'FTP' }), /storage_type: expected one of FS, GCS, S3/);
    assert.throws(() => parseConfig({ storage_type: 'S3' }), /bucket_name: required/);
    assert.throws(() => parseConfig({ storage_type: 'FS' }), /local_path: required/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', schema_evolution: 'yes' }), /schema_evolution: expected true or false/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', partition_by: 'week' }), /partition_by: expected one of/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: 7 }), /local_path: expected a string/);
  });

  it('maps compression names onto writer codecs and storage types case-insensitively', () => {
    assert.equal(parseConfig({ storage_type: 'fs', local_path: '/x', compression: 'lz4' }).compression, 'lz4_raw');
    assert.equal(parseConfig({ storage_type: 'gcs', bucket_name: 'b', compression: 'ZSTD' }).storage_type, 'GCS');
    assert.equal(parseConfig({ storage_type: 'FS', local_path: '/x', path_prefix: '/a/b/' }).path_prefix, 'a/b');
  });

  it('reads a YAML document', async () => {
    const { parse } = await import('yaml');
    const doc = parse('storage_type: "S3"\nbucket_name: lake\nregion: us-west-2\nbuffer_size: 25000\nmax_file_size_mb: "256"\nrotation_interval_minutes: 30.0\npartition_by: ledger_range\nledgers_per_file: 10000\n') as Record<string, unknown>;
    const c = parseConfig(doc);
    assert.deepEqual([c.buffer_size, c.max_file_size_mb, c.rotation_interval_minutes, c.partition_by], [25000, 256, 30, 'ledger_range']);
  });
});
