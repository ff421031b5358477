import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig } from '../packages/lake/src/consumer/index.js';
import { cgroupCpuQuota, resolveEncodeWorkers, usableCpus } from '../packages/lake/src/consumer/encode-workers.js';

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
    assert.equal(c.encode_workers, 'auto');
  });

  it('encode_workers is an integer from 0 to 64', () => {
    assert.equal(parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: '2' }).encode_workers, 2);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: -1 }), /encode_workers: must be >= 0/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 65 }), /encode_workers: must be <= 64/);
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 1.5 }), /encode_workers: expected an integer/);
    assert.equal(parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 'auto' }).encode_workers, 'auto');
    assert.throws(
      () => parseConfig({ storage_type: 'FS', local_path: '/x', encode_workers: 'many' }),
      /encode_workers: expected a number or "auto", got "many"/,
    );
    // Only encode_workers takes "auto".
    assert.throws(() => parseConfig({ storage_type: 'FS', local_path: '/x', buffer_size: 'auto' }), /buffer_size: expected a number, got "auto"/);
  });

  it('encode_workers auto is one thread with two or more usable CPUs, counting a cgroup CPU quota', () => {
    assert.equal(resolveEncodeWorkers('auto', 1), 0);
    assert.equal(resolveEncodeWorkers('auto', 2), 1);
    assert.equal(resolveEncodeWorkers('auto', 16), 1);
    assert.equal(resolveEncodeWorkers(3, 1), 3, 'a number is taken as it is');
    const files =
      (map: Record<string, string>) =>
      (path: string): string | undefined =>
        map[path];
    assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
    assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 1, '1.5 CPUs: one');
    assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': '400000 100000' })), 4);
    assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' })), undefined);
    assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' })), 2);
    assert.equal(cgroupCpuQuota(files({})), undefined);
    assert.equal(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' })), 1, 'half a CPU still runs the pipeline');
    assert.equal(usableCpus(files({})), availableParallelism());
    assert.equal(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '6400000 100000' })), availableParallelism(), 'a quota above the machine is the machine');
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
    assert.throws(
      () => parseConfig({ storage_type: 'FS', local_path: '/x', bufer_size: 10 }),
      (e: unknown) => e instanceof ConfigError && e.key === 'bufer_size' && /did you mean "buffer_size"/.test(e.message),
    );
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
    const doc = parse(
      'storage_type: "S3"\nbucket_name: lake\nregion: us-west-2\nbuffer_size: 25000\nmax_file_size_mb: "256"\nrotation_interval_minutes: 30.0\npartition_by: ledger_range\nledgers_per_file: 10000\n',
    ) as Record<string, unknown>;
    const c = parseConfig(doc);
    assert.deepEqual([c.buffer_size, c.max_file_size_mb, c.rotation_interval_minutes, c.partition_by], [25000, 256, 30, 'ledger_range']);
  });
});
