import { ByteWriter } from '../../encoding/byte-writer.js';
import { encodeBloomFilterHeader } from '../thrift/parquet-serialize.js';
import type { ColumnDescriptor } from '../schema/schema.js';
import type { PageBuffer } from '../column/page-buffer.js';
import { Hash64, type Hash64Parts, xxhash64BigInt64, xxhash64Bytes, xxhash64Double, xxhash64Float, xxhash64Int32 } from './xxhash64.js';
import { SplitBlockBloomFilter } from './split-block-bloom-filter.js';
import { optimalNumBytes } from './bloom-sizing.js';

export interface BloomFilterSettings {
  /** Distinct values expected per row group; without it the filter is sized from the data. */
  ndv?: number;
  fpp: number;
  maxBytes: number;
}

/**
 * Builds one column chunk's split-block bloom filter (BloomFilter.md). Values are hashed
 * with xxhash64 over their PLAIN encoding (byte arrays without the length prefix) as pages
 * are flushed; distinct hashes are kept in an open-addressing set so that, when no `ndv`
 * was given, the filter can be sized for the chunk's real number of distinct values.
 */
export class BloomFilterBuilder {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;
  private readonly cell = new Hash64();

  constructor(
    readonly descriptor: ColumnDescriptor,
    private readonly settings: BloomFilterSettings,
  ) {}

  addPage(page: PageBuffer): void {
    const store = page.store;
    const cell = this.cell;
    const n = store.count;
    switch (store.kind) {
      case 'int32':
        for (let i = 0; i < n; i++) this.add(xxhash64Int32(store.values[i]!, cell));
        break;
      case 'int64':
        for (let i = 0; i < n; i++) this.add(xxhash64BigInt64(store.values[i]!, cell));
        break;
      case 'float':
        for (let i = 0; i < n; i++) this.add(xxhash64Float(store.values[i]!, cell));
        break;
      case 'double':
        for (let i = 0; i < n; i++) this.add(xxhash64Double(store.values[i]!, cell));
        break;
      case 'bytes': {
        const buf = store.data.buffer;
        for (let i = 0; i < n; i++) this.add(xxhash64Bytes(buf, store.offsets[i]!, store.offsets[i + 1]!, cell));
        break;
      }
      case 'fixed': {
        const buf = store.data.buffer;
        const len = store.typeLength;
        for (let i = 0; i < n; i++) this.add(xxhash64Bytes(buf, i * len, (i + 1) * len, cell));
        break;
      }
      case 'boolean':
        break; // BloomFilter.md defines no filter for BOOLEAN; options reject it earlier
    }
  }

  private add(h: Hash64Parts): void {
    if (this.count * 2 >= this.used.length) this.grow();
    const mask = this.used.length - 1;
    for (let slot = (h.lo ^ h.hi) & mask; ; slot = (slot + 1) & mask) {
      if (!this.used[slot]) {
        this.used[slot] = 1;
        this.hi[slot] = h.hi;
        this.lo[slot] = h.lo;
        this.count++;
        return;
      }
      if (this.hi[slot] === h.hi && this.lo[slot] === h.lo) return;
    }
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const size = used.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.used = new Uint8Array(size);
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add({ hi: hi[i]!, lo: lo[i]! });
  }

  /** The BloomFilterHeader followed by the bitset; resets for the next row group. */
  finish(rowsInGroup: number): Uint8Array {
    // A row group cannot hold more distinct values than rows (Arrow sizes the same way).
    const ndv = Math.min(this.settings.ndv ?? this.count, Math.max(1, rowsInGroup));
    const filter = new SplitBlockBloomFilter(optimalNumBytes(ndv, this.settings.fpp, { maxBytes: this.settings.maxBytes }));
    for (let i = 0; i < this.used.length; i++) if (this.used[i]) filter.insertHashParts(this.hi[i]!, this.lo[i]!);
    const header = encodeBloomFilterHeader({
      numBytes: filter.numBytes,
      algorithm: { BLOCK: {} },
      hash: { XXHASH: {} },
      compression: { UNCOMPRESSED: {} },
    });
    const out = new ByteWriter(header.length + filter.numBytes);
    out.writeBytes(header);
    out.writeBytes(filter.bytes);
    this.used = new Uint8Array(1024);
    this.hi = new Uint32Array(1024);
    this.lo = new Uint32Array(1024);
    this.count = 0;
    return out.toBytes();
  }
}
