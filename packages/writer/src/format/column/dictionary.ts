import { ByteWriter } from '../../encoding/byte-writer.js';
import { ByteArrayStore, DoubleStore, FixedStore, FloatStore, type DistinctValues, type ValueStore } from './value-store.js';
import { WordDictionary } from './word-dictionary.js';

/**
 * A column chunk's dictionary (Encodings.md, "Dictionary Encoding"): distinct values in
 * first-seen order, kept in a ValueStore of the column's own kind so the dictionary page
 * is just those values PLAIN-encoded. Byte values are found through an open-addressing
 * hash table over the stored bytes, so interning a value allocates nothing.
 */
export interface Dictionary {
  readonly values: ValueStore;
  /** Index values from..to of `page` into `indices` (appending unseen values). */
  indexPage(page: ValueStore, indices: Int32Array, from: number, to: number): void;
  /** Size of the PLAIN-encoded dictionary page. */
  byteSize(): number;
  /**
   * PLAIN size of `count` values given by their indices: for byte arrays the entries'
   * bytes plus 4-byte length prefixes (exact even when the page's strings were never
   * encoded, see ByteArrayStore.deferStrings).
   */
  plainSizeOf(indices: Int32Array, count: number): number;
  /** Forget every entry for the next chunk, keeping the allocations (see ChunkDictionary.startChunk). */
  clear(): void;
}

/** Hash tables above this many slots are not kept for the next chunk: clearing them would cost more than they save. */
export const KEEP_TABLE_SLOTS = 1 << 16;

export function createDictionary(kind: ValueStore['kind'], typeLength: number): Dictionary | undefined {
  switch (kind) {
    case 'int32':
      return new WordDictionary('int32');
    case 'int64':
      return new WordDictionary('int64');
    // Map keys use SameValueZero, which would fold -0.0 into 0.0; give -0.0 its own key.
    case 'float':
      return new MapDictionary<number>(new FloatStore(asNumber), 4, floatKey);
    case 'double':
      return new MapDictionary<number>(new DoubleStore(asNumber), 8, floatKey);
    case 'bytes':
      return new BytesDictionary(new ByteArrayStore(() => undefined));
    case 'fixed':
      return new BytesDictionary(new FixedStore(typeLength, () => undefined));
    case 'boolean':
      return undefined; // bit-packed booleans are already smaller than indices
  }
}

// The dictionary's own stores receive physical values that were converted already.
const asNumber = (v: unknown): number => v as number;

function floatKey(v: number): number | string {
  return v === 0 && 1 / v < 0 ? '-0' : v;
}

type NumericStore = FloatStore | DoubleStore;

class MapDictionary<T extends number> implements Dictionary {
  private readonly map = new Map<T | string, number>();
  constructor(
    readonly values: NumericStore,
    private readonly width: number,
    private readonly key: (v: T) => T | string,
  ) {}

  indexPage(page: ValueStore, indices: Int32Array, from: number, to: number): void {
    const src = (page as NumericStore).values as unknown as ArrayLike<T>;
    const dict = this.values;
    const map = this.map;
    for (let i = from; i < to; i++) {
      const v = src[i]!;
      const k = this.key(v);
      let idx = map.get(k);
      if (idx === undefined) {
        idx = dict.count;
        map.set(k, idx);
        (dict as { append(x: unknown): void }).append(v);
      }
      indices[i] = idx;
    }
  }

  byteSize(): number {
    return this.values.count * this.width;
  }

  plainSizeOf(_indices: Int32Array, count: number): number {
    return count * this.width;
  }

  clear(): void {
    this.map.clear();
    this.values.truncate(0);
  }
}

class BytesDictionary implements Dictionary {
  private table = new Int32Array(1024); // entry index + 1; 0 = empty slot
  private hashes = new Int32Array(256);

  /** Entry index by the JS string a value came from (see ByteArrayStore.strings). */
  private readonly byString = new Map<string, number>();
  /** Where a pending (never encoded) string is encoded to be looked up by its bytes. */
  private readonly scratch = new ByteWriter(256);

  constructor(readonly values: ByteArrayStore | FixedStore) {}

  indexPage(page: ValueStore, indices: Int32Array, from: number, to: number): void {
    if (page.kind === 'bytes' && page.distinct !== undefined) {
      this.indexDistinct(page.distinct, indices, from, to);
    } else if (page.kind === 'bytes') {
      const { offsets, strings, encoded } = page;
      const buf = page.data.buffer;
      const byString = this.byString;
      // Runs of one value (a transaction's events, a ledger's rows) are common: comparing
      // with the previous string is cheaper than hashing a string the Map has not seen.
      let prev: string | undefined;
      let prevIdx = -1;
      for (let i = from; i < to; i++) {
        const s = strings[i];
        if (s === undefined) {
          indices[i] = this.intern(buf, offsets[i]!, offsets[i + 1]!);
          prev = undefined;
          continue;
        }
        if (s === prev) {
          indices[i] = prevIdx;
          continue;
        }
        let idx = byString.get(s);
        if (idx === undefined) {
          if (i < encoded) idx = this.intern(buf, offsets[i]!, offsets[i + 1]!);
          else {
            const scratch = this.scratch;
            scratch.reset();
            scratch.writeUtf8(s);
            idx = this.intern(scratch.buffer, 0, scratch.length);
          }
          byString.set(s, idx);
        }
        indices[i] = idx;
        prev = s;
        prevIdx = idx;
      }
    } else if (page.kind === 'fixed') {
      const buf = page.data.buffer;
      const len = page.typeLength;
      for (let i = from; i < to; i++) indices[i] = this.intern(buf, i * len, i * len + len);
    }
  }

  byteSize(): number {
    return this.values.byteSize();
  }

  clear(): void {
    if (this.table.length > KEEP_TABLE_SLOTS) this.table = new Int32Array(1024);
    else this.table.fill(0);
    this.byString.clear();
    this.values.truncate(0);
  }

  /**
   * Values pending as entries of a distinct-value table (all of the page's values while the
   * table is set, see ByteArrayStore.distinct): each entry is interned once, at its first value.
   */
  private indexDistinct(distinct: DistinctValues, indices: Int32Array, from: number, to: number): void {
    const { ids, dictionaryIndex, data, offsets } = distinct;
    for (let i = from; i < to; i++) {
      const id = ids[i]!;
      let idx = dictionaryIndex[id]!;
      if (idx < 0) {
        idx = this.intern(data, offsets[id]!, offsets[id + 1]!);
        dictionaryIndex[id] = idx;
      }
      indices[i] = idx;
    }
  }

  plainSizeOf(indices: Int32Array, count: number): number {
    const store = this.values;
    if (store.kind === 'fixed') return count * store.typeLength;
    const offsets = store.offsets;
    let size = 4 * count;
    for (let i = 0; i < count; i++) {
      const idx = indices[i]!;
      size += offsets[idx + 1]! - offsets[idx]!;
    }
    return size;
  }

  /** A DataView over the bytes last looked up, and over the entries' bytes (they move when they grow). */
  private lookupBytes: Uint8Array | undefined;
  private lookupView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private entryBytes: Uint8Array | undefined;
  private entryView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  private intern(buf: Uint8Array, start: number, end: number): number {
    // FNV-1a over 4-byte words (then the tail), with linear probing at load factor <= 1/2.
    // Words are read through a DataView: one unaligned load instead of four byte loads.
    if (buf !== this.lookupBytes) {
      this.lookupBytes = buf;
      this.lookupView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.lookupView;
    let h = 0x811c9dc5 | 0;
    let i = start;
    for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getInt32(i, true), 0x01000193);
    for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    h ^= h >>> 15;
    const mask = this.table.length - 1;
    const store = this.values;
    const stored = store.data.buffer;
    if (stored !== this.entryBytes) {
      this.entryBytes = stored;
      this.entryView = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
    }
    const entries = this.entryView;
    const len = end - start;
    const fixed = store.kind === 'fixed' ? store.typeLength : 0;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const idx = entry - 1;
      if (this.hashes[idx] !== h) continue;
      let s: number;
      if (fixed > 0) s = idx * fixed;
      else {
        const offsets = (store as ByteArrayStore).offsets;
        s = offsets[idx]!;
        if (offsets[idx + 1]! - s !== len) continue;
      }
      let k = 0;
      while (k + 4 <= len && entries.getInt32(s + k, true) === view.getInt32(start + k, true)) k += 4;
      while (k < len && stored[s + k] === buf[start + k]) k++;
      if (k === len) return idx;
    }
    const idx = store.count;
    store.appendBytes(buf, start, end);
    if (idx >= this.hashes.length) {
      const next = new Int32Array(this.hashes.length * 2);
      next.set(this.hashes);
      this.hashes = next;
    }
    this.hashes[idx] = h;
    if ((idx + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(idx, h);
    return idx;
  }

  private place(idx: number, h: number): void {
    const mask = this.table.length - 1;
    let slot = h & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = idx + 1;
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity);
    for (let i = 0; i < this.values.count; i++) this.place(i, this.hashes[i]!);
  }
}
