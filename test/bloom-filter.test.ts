import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { readBloomFilter, sbbfContains, sbbfInsert } from 'hyparquet/src/bloom.js';
import { optimalNumBytes } from '../packages/writer/src/format/bloom/bloom-sizing.js';
import {
  bloomInsertByteArray,
  bloomInsertDouble,
  bloomInsertFixedLenByteArray,
  bloomInsertFloat,
  bloomInsertInt32,
  bloomInsertInt64,
} from '../packages/writer/src/format/bloom/bloom-values.js';
import { BLOOM_SALT, SplitBlockBloomFilter } from '../packages/writer/src/format/bloom/split-block-bloom-filter.js';
import { Hash64, xxhash64Int32 } from '../packages/writer/src/format/bloom/xxhash64.js';
import type { ByteArrayValues } from '../packages/writer/src/encoding/plain.js';
import { rng } from './support/rng.js';

const u32 = (r: () => number): number => Math.floor(r() * 4294967296);
const hash64 = (r: () => number): bigint => (BigInt(u32(r)) << 32n) | BigInt(u32(r));

/** BloomFilter.md "Algorithm", evaluated in BigInt: block = (h >> 32) * n >> 32, bit i = (lo * SALT[i] mod 2^32) >> 27. */
function referenceBits(hash: bigint, numBlocks: number): { block: number; bits: number[] } {
  const block = Number(((hash >> 32n) * BigInt(numBlocks)) >> 32n);
  const lo = hash & 0xffffffffn;
  const bits = BLOOM_SALT.map((salt) => Number(((lo * BigInt(salt)) & 0xffffffffn) >> 27n));
  return { block, bits };
}

test('the spec SALT constants', () => {
  assert.deepEqual(
    BLOOM_SALT.map((s) => s.toString(16)),
    ['47b6137b', '44974d91', '8824ad5b', 'a2b7289d', '705495c7', '2df1424b', '9efc4947', '5c6bfb31'],
  );
});

test('insert sets exactly the spec bits, for power-of-two and odd block counts', () => {
  const r = rng(21);
  for (const numBlocks of [1, 2, 3, 7, 64, 1000, 4096, 1 << 22]) {
    const filter = new SplitBlockBloomFilter(numBlocks * 32);
    for (let k = 0; k < 50; k++) {
      const h = k === 0 ? 0xffffffffffffffffn : k === 1 ? 0n : hash64(r);
      const { block, bits } = referenceBits(h, numBlocks);
      const before = filter.words.slice(block * 8, block * 8 + 8);
      filter.insertHash(h);
      for (let i = 0; i < 8; i++) {
        assert.equal(filter.words[block * 8 + i], (before[i] | (1 << bits[i])) >>> 0, `blocks=${numBlocks} lane ${i}`);
      }
      assert.ok(filter.checkHash(h));
      assert.ok(filter.checkHash({ hi: Number(h >> 32n), lo: Number(h & 0xffffffffn) }));
    }
  }
});

test('same bitset as hyparquet sbbfInsert, and both agree on membership', () => {
  const r = rng(22);
  const filter = new SplitBlockBloomFilter(8192);
  const theirs = new Uint32Array(8192 / 4);
  const inserted: bigint[] = [];
  for (let k = 0; k < 3000; k++) {
    const h = hash64(r);
    inserted.push(h);
    filter.insertHash(h);
    sbbfInsert(theirs, h);
  }
  assert.deepEqual(filter.words, theirs);
  for (const h of inserted) assert.ok(filter.checkHash(h));
  for (let k = 0; k < 3000; k++) {
    const h = hash64(r);
    assert.equal(filter.checkHash(h), sbbfContains(theirs, h));
  }
});

test('bytes are little-endian lanes; fromBytes and union round trip', () => {
  const a = new SplitBlockBloomFilter(64);
  a.insertHashParts(0, 0); // block 0, every lane bit (0 * salt) >> 27 = 0
  assert.deepEqual(Array.from(a.bytes.subarray(0, 8)), [1, 0, 0, 0, 1, 0, 0, 0]);
  const b = SplitBlockBloomFilter.fromBytes(a.bytes.slice());
  assert.deepEqual(b.words, a.words);
  const c = new SplitBlockBloomFilter(64);
  c.insertHashParts(0xffffffff, 0x12345678);
  c.union(a);
  assert.ok(c.checkHashParts(0, 0) && c.checkHashParts(0xffffffff, 0x12345678));
  assert.equal(c.fillRatio(), 16 / 512);
  assert.throws(() => c.union(new SplitBlockBloomFilter(32)), RangeError);
  assert.throws(() => new SplitBlockBloomFilter(48), RangeError);
  assert.throws(() => new SplitBlockBloomFilter(0), RangeError);
});

test('no false negatives; measured false-positive rate within 2x of the configured fpp', () => {
  const cell = new Hash64();
  for (const [ndv, fpp] of [
    [100_000, 0.01],
    [50_000, 0.05],
    [20_000, 0.001],
    [3_000, 0.1],
  ] as const) {
    const filter = new SplitBlockBloomFilter(optimalNumBytes(ndv, fpp));
    // Present: even ints; absent: odd ints (hashes of distinct PLAIN values).
    const present = Int32Array.from({ length: ndv }, (_, i) => 2 * i);
    bloomInsertInt32(filter, present, 0, ndv);
    for (let i = 0; i < ndv; i++) {
      xxhash64Int32(present[i], cell);
      assert.ok(filter.checkHashParts(cell.hi, cell.lo), `false negative for ${present[i]}`);
    }
    const probes = 400_000;
    let hits = 0;
    for (let i = 0; i < probes; i++) {
      xxhash64Int32(2 * i + 1, cell);
      if (filter.checkHashParts(cell.hi, cell.lo)) hits++;
    }
    const measured = hits / probes;
    assert.ok(measured <= 2 * fpp, `ndv=${ndv} fpp=${fpp}: measured ${measured}`);
  }
});

test('a byte cap keeps the filter small and degrades the fpp as expected', () => {
  const ndv = 100_000;
  const numBytes = optimalNumBytes(ndv, 0.01, { maxBytes: 16 * 1024 });
  assert.equal(numBytes, 16384);
  const filter = new SplitBlockBloomFilter(numBytes);
  bloomInsertInt32(
    filter,
    Int32Array.from({ length: ndv }, (_, i) => i),
    0,
    ndv,
  );
  const cell = new Hash64();
  let hits = 0;
  for (let i = 0; i < 100_000; i++) if (filter.checkHash(xxhash64Int32(ndv + i, cell))) hits++;
  // 1.31 bits per value: most probes hit, but never a false negative above.
  assert.ok(hits / 100_000 > 0.5);
});

// ---------------------------------------------------------------------------------------
// The real proof: Arrow C++ (pyarrow) writes bloom filters. Ours, for the same values
// with the same ndv/fpp, must be byte-for-byte identical, which pins xxhash64, PLAIN
// hashing per type, block selection, masks and sizing all at once.
// ---------------------------------------------------------------------------------------

const PYTHON = join(process.cwd(), '.venv/bin/python');

const PY_WRITE = `
import json, sys
import pyarrow as pa, pyarrow.parquet as pq
spec = json.load(open(sys.argv[1]))
cols, opts = {}, {}
for c in spec['columns']:
    t = c['type']
    if t == 'int32': arr = pa.array(c['values'], pa.int32())
    elif t == 'int64': arr = pa.array([int(v) for v in c['values']], pa.int64())
    elif t == 'float': arr = pa.array(c['values'], pa.float32())
    elif t == 'double': arr = pa.array(c['values'], pa.float64())
    elif t == 'string': arr = pa.array(c['values'], pa.string())
    elif t == 'flba': arr = pa.array([bytes.fromhex(v) for v in c['values']], pa.binary(c['typeLength']))
    cols[c['name']] = arr
    opts[c['name']] = {'ndv': c['ndv'], 'fpp': c['fpp']}
pq.write_table(pa.table(cols), spec['path'], use_dictionary=False, bloom_filter_options=opts)
`;

interface PyColumn {
  name: string;
  type: 'int32' | 'int64' | 'float' | 'double' | 'string' | 'flba';
  values: (number | string)[];
  typeLength?: number;
  ndv: number;
  fpp: number;
  ours: SplitBlockBloomFilter;
}

test('byte-for-byte identical to the bloom filters pyarrow writes', { skip: !existsSync(PYTHON) && 'no .venv' }, () => {
  const r = rng(23);
  const n = 5000;
  const columns: PyColumn[] = [];
  const add = (c: Omit<PyColumn, 'ours'>, insert: (f: SplitBlockBloomFilter) => void): void => {
    // Arrow sizes with min(ndv, rows in the row group); an ndv above the row count
    // (f64 below) checks that we land on the same size when given the same clamp.
    const ours = new SplitBlockBloomFilter(optimalNumBytes(Math.min(c.ndv, n), c.fpp));
    insert(ours);
    columns.push({ ...c, ours });
  };

  const ints = Int32Array.from({ length: n }, () => u32(r) | 0);
  add({ name: 'i32', type: 'int32', values: Array.from(ints), ndv: n, fpp: 0.01 }, (f) => bloomInsertInt32(f, ints, 0, n));
  const longs = BigInt64Array.from({ length: n }, () => BigInt.asIntN(64, hash64(r)));
  add({ name: 'i64', type: 'int64', values: Array.from(longs, String), ndv: 3000, fpp: 0.05 }, (f) => bloomInsertInt64(f, longs, 0, n));
  const floats = Float32Array.from({ length: n }, () => (r() - 0.5) * 1e4);
  add({ name: 'f32', type: 'float', values: Array.from(floats), ndv: n, fpp: 0.001 }, (f) => bloomInsertFloat(f, floats, 0, n));
  const doubles = Float64Array.from({ length: n }, () => (r() - 0.5) * 1e9);
  add({ name: 'f64', type: 'double', values: Array.from(doubles), ndv: 20_000, fpp: 0.02 }, (f) => bloomInsertDouble(f, doubles, 0, n));
  const strings = Array.from({ length: n }, (_, i) => `G${(u32(r) * 7919).toString(36)}-${i % 97}${'x'.repeat(i % 45)}`);
  const enc = strings.map((s) => new TextEncoder().encode(s));
  const offsets = new Int32Array(n + 1);
  enc.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
  const data = new Uint8Array(offsets[n]);
  enc.forEach((b, i) => data.set(b, offsets[i]));
  const byteArrays: ByteArrayValues = { data, offsets };
  add({ name: 'str', type: 'string', values: strings, ndv: n, fpp: 0.01 }, (f) => bloomInsertByteArray(f, byteArrays, 0, n));
  const flba = Uint8Array.from({ length: n * 16 }, () => Math.floor(r() * 256));
  const flbaHex = Array.from({ length: n }, (_, i) => Buffer.from(flba.subarray(i * 16, (i + 1) * 16)).toString('hex'));
  add({ name: 'uuid', type: 'flba', typeLength: 16, values: flbaHex, ndv: 100, fpp: 0.01 }, (f) => bloomInsertFixedLenByteArray(f, flba, 16, 0, n));

  const dir = mkdtempSync(join(tmpdir(), 'bloom-pyarrow-'));
  try {
    const path = join(dir, 'bloom.parquet');
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify({ path, columns: columns.map(({ ours: _o, ...c }) => c) }));
    execFileSync(PYTHON, ['-c', PY_WRITE, specPath], { stdio: 'pipe' });
    const file = readFileSync(path);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const meta = parquetMetadata(buffer);
    const chunks = meta.row_groups[0].columns;
    assert.equal(chunks.length, columns.length);
    columns.forEach((c, i) => {
      const md = chunks[i].meta_data;
      assert.ok(md?.bloom_filter_offset !== undefined, `${c.name}: pyarrow wrote no bloom filter`);
      const reader = { view: new DataView(buffer), offset: Number(md.bloom_filter_offset) };
      const theirs = readBloomFilter(reader);
      assert.ok(theirs, `${c.name}: unreadable bloom filter`);
      assert.equal(c.ours.numBytes, theirs.numBytes, `${c.name}: size (ndv=${c.ndv}, fpp=${c.fpp})`);
      assert.ok(
        Buffer.from(c.ours.bytes).equals(Buffer.from(theirs.blocks.buffer, theirs.blocks.byteOffset, theirs.blocks.byteLength)),
        `${c.name}: bitset differs from pyarrow's`,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
