import { INT64_HI, INT64_LO } from '../../encoding/endian.js';
import { Int32Store, Int64Store, type ValueStore } from './value-store.js';
import { KEEP_TABLE_SLOTS, type Dictionary } from './dictionary.js';

/**
 * The dictionary of an INT32 or INT64 column (Encodings.md, "Dictionary Encoding"). Values
 * are hashed and compared as 32-bit words (an INT64 as its two halves, Int64Store.words) in
 * an open-addressing table, as BytesDictionary does for bytes. A Map would cost more: keyed
 * by BigInt it makes a BigInt per INT64 value read, and growing it to a row group's
 * distinct ledger numbers or timestamps was most of the writer's remaining garbage.
 */
export class WordDictionary implements Dictionary {
  readonly values: Int32Store | Int64Store;
  private table = new Int32Array(1024); // entry index + 1; 0 = empty slot

  constructor(kind: 'int32' | 'int64') {
    this.values = kind === 'int32' ? new Int32Store((v) => v as number) : new Int64Store((v) => v as bigint);
  }

  indexPage(page: ValueStore, indices: Int32Array, from: number, to: number): void {
    if (this.values.kind === 'int32') this.indexInt32((page as Int32Store).values, this.values, indices, from, to);
    else this.indexInt64((page as Int64Store).words, this.values, indices, from, to);
  }

  byteSize(): number {
    return this.values.byteSize();
  }

  plainSizeOf(_indices: Int32Array, count: number): number {
    return count * (this.values.kind === 'int32' ? 4 : 8);
  }

  clear(): void {
    if (this.table.length > KEEP_TABLE_SLOTS) this.table = new Int32Array(1024);
    else this.table.fill(0);
    this.values.truncate(0);
  }

  private indexInt32(src: Int32Array, dict: Int32Store, indices: Int32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const v = src[i]!;
      const mask = this.table.length - 1;
      let slot = hashWords(v, 0) & mask;
      let entry: number;
      while ((entry = this.table[slot]!) !== 0 && dict.values[entry - 1] !== v) slot = (slot + 1) & mask;
      if (entry === 0) {
        entry = dict.count + 1;
        dict.append(v);
        this.place(slot, entry);
      }
      indices[i] = entry - 1;
    }
  }

  private indexInt64(src: Int32Array, dict: Int64Store, indices: Int32Array, from: number, to: number): void {
    let stored = dict.words;
    for (let i = from; i < to; i++) {
      const lo = src[2 * i + INT64_LO]!;
      const hi = src[2 * i + INT64_HI]!;
      const mask = this.table.length - 1;
      let slot = hashWords(lo, hi) & mask;
      let entry: number;
      while ((entry = this.table[slot]!) !== 0) {
        const at = 2 * (entry - 1);
        if (stored[at + INT64_LO] === lo && stored[at + INT64_HI] === hi) break;
        slot = (slot + 1) & mask;
      }
      if (entry === 0) {
        entry = dict.count + 1;
        dict.appendWords(lo, hi);
        stored = dict.words;
        this.place(slot, entry);
      }
      indices[i] = entry - 1;
    }
  }

  /** Fills an empty slot; doubles the table past load factor 1/2. */
  private place(slot: number, entry: number): void {
    this.table[slot] = entry;
    if (entry * 2 <= this.table.length) return;
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const dict = this.values;
    for (let idx = 0; idx < dict.count; idx++) {
      const h = dict.kind === 'int32' ? hashWords(dict.values[idx]!, 0) : hashWords(dict.words[2 * idx + INT64_LO]!, dict.words[2 * idx + INT64_HI]!);
      let s = h & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = idx + 1;
    }
    this.table = table;
  }
}

function hashWords(lo: number, hi: number): number {
  const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
