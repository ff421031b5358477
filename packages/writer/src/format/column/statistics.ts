import type { SortOrder } from '../schema/primitive-mapping.js';
import type { ValueStore } from './value-store.js';
import { compareBytes, compareSignedBigEndian } from './compare.js';
import { float16BitsToNumber } from '../values/float16.js';
import { INT64_HI, INT64_LO } from '../../encoding/endian.js';

/**
 * Min/max/null/NaN statistics of a page or a column chunk, in the column's sort order
 * (parquet.thrift Statistics and ColumnOrder). NaN never becomes a min or max; it is
 * counted in nanCount instead. Byte values are held as copies so they outlive the page.
 */
export interface ValueStats {
  min: number | bigint | Uint8Array | undefined;
  max: number | bigint | Uint8Array | undefined;
  nullCount: number;
  nanCount: number;
}

export function emptyStats(): ValueStats {
  return { min: undefined, max: undefined, nullCount: 0, nanCount: 0 };
}

type Comparator = (a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number) => number;

function byteComparator(order: SortOrder): Comparator {
  return order === 'decimal-bytes' ? compareSignedBigEndian : compareBytes;
}

/** Order of int64 values a and b of a words view (Int64Store.words), signed or unsigned. */
function compareInt64Words(w: Int32Array, a: number, b: number, unsigned: boolean): number {
  let x = w[2 * a + INT64_HI]!;
  let y = w[2 * b + INT64_HI]!;
  if (x !== y) return unsigned ? (x >>> 0) - (y >>> 0) : x - y;
  x = w[2 * a + INT64_LO]! >>> 0;
  y = w[2 * b + INT64_LO]! >>> 0;
  return x - y;
}

/** Statistics over the first `store.count` values of a page's store. */
export function computeStats(store: ValueStore, order: SortOrder, nullCount: number): ValueStats {
  const stats = emptyStats();
  stats.nullCount = nullCount;
  const n = store.count;
  if (n === 0 || order === 'none') return stats;
  switch (store.kind) {
    case 'boolean': {
      let min = 1;
      let max = 0;
      const v = store.values;
      for (let i = 0; i < n; i++) {
        if (v[i]! < min) min = v[i]!;
        if (v[i]! > max) max = v[i]!;
      }
      stats.min = min;
      stats.max = max;
      return stats;
    }
    case 'int32': {
      const v = store.values;
      if (order === 'uint32') {
        let min = v[0]! >>> 0;
        let max = min;
        for (let i = 1; i < n; i++) {
          const x = v[i]! >>> 0;
          if (x < min) min = x;
          if (x > max) max = x;
        }
        stats.min = min | 0;
        stats.max = max | 0;
      } else {
        let min = v[0]!;
        let max = min;
        for (let i = 1; i < n; i++) {
          const x = v[i]!;
          if (x < min) min = x;
          else if (x > max) max = x;
        }
        stats.min = min;
        stats.max = max;
      }
      return stats;
    }
    case 'int64': {
      // Compared as halves (high word signed or unsigned, then low word unsigned): reading
      // the BigInt64Array would make a BigInt per value. Only min and max become BigInts.
      const w = store.words;
      const unsigned = order === 'uint64';
      let minI = 0;
      let maxI = 0;
      for (let i = 1; i < n; i++) {
        if (compareInt64Words(w, i, minI, unsigned) < 0) minI = i;
        else if (compareInt64Words(w, i, maxI, unsigned) > 0) maxI = i;
      }
      stats.min = store.values[minI]!;
      stats.max = store.values[maxI]!;
      return stats;
    }
    case 'float':
    case 'double': {
      const v = store.values;
      let min = Infinity;
      let max = -Infinity;
      let nans = 0;
      let seen = false;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (x !== x) {
          nans++;
          continue;
        }
        seen = true;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      stats.nanCount = nans;
      if (seen) {
        // -0.0 and +0.0 compare equal; the spec asks for -0.0 as min and +0.0 as max.
        stats.min = min === 0 ? -0 : min;
        stats.max = max === 0 ? 0 : max;
      }
      return stats;
    }
    case 'bytes': {
      const { data, offsets } = store;
      const buf = data.buffer;
      const cmp = byteComparator(order);
      let minI = 0;
      let maxI = 0;
      for (let i = 1; i < n; i++) {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        if (cmp(buf, s, e, buf, offsets[minI]!, offsets[minI + 1]!) < 0) minI = i;
        else if (cmp(buf, s, e, buf, offsets[maxI]!, offsets[maxI + 1]!) > 0) maxI = i;
      }
      stats.min = buf.slice(offsets[minI]!, offsets[minI + 1]!);
      stats.max = buf.slice(offsets[maxI]!, offsets[maxI + 1]!);
      return stats;
    }
    case 'fixed': {
      const buf = store.data.buffer;
      const len = store.typeLength;
      if (order === 'float16') return float16Stats(stats, buf, n);
      const cmp = byteComparator(order);
      let minS = 0;
      let maxS = 0;
      for (let i = 1; i < n; i++) {
        const s = i * len;
        if (cmp(buf, s, s + len, buf, minS, minS + len) < 0) minS = s;
        else if (cmp(buf, s, s + len, buf, maxS, maxS + len) > 0) maxS = s;
      }
      stats.min = buf.slice(minS, minS + len);
      stats.max = buf.slice(maxS, maxS + len);
      return stats;
    }
  }
}

function float16Stats(stats: ValueStats, buf: Uint8Array, n: number): ValueStats {
  let minI = -1;
  let maxI = -1;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = float16BitsToNumber(buf[2 * i]! | (buf[2 * i + 1]! << 8));
    if (x !== x) {
      stats.nanCount++;
      continue;
    }
    if (x < min || minI < 0) {
      min = x;
      minI = i;
    }
    if (x > max || maxI < 0) {
      max = x;
      maxI = i;
    }
  }
  if (minI >= 0) {
    // -0.0 and +0.0 compare equal; the spec asks for -0.0 as min and +0.0 as max.
    stats.min = min === 0 ? Uint8Array.of(0x00, 0x80) : buf.slice(2 * minI, 2 * minI + 2);
    stats.max = max === 0 ? Uint8Array.of(0x00, 0x00) : buf.slice(2 * maxI, 2 * maxI + 2);
  }
  return stats;
}

/** Merge `page` into `into` (chunk statistics are the union of page statistics). */
export function mergeStats(into: ValueStats, page: ValueStats, order: SortOrder): void {
  into.nullCount += page.nullCount;
  into.nanCount += page.nanCount;
  if (page.min === undefined || page.max === undefined) return;
  if (into.min === undefined || into.max === undefined) {
    into.min = page.min;
    into.max = page.max;
    return;
  }
  if (compareValues(page.min, into.min, order) < 0) into.min = page.min;
  if (compareValues(page.max, into.max, order) > 0) into.max = page.max;
}

export function compareValues(a: number | bigint | Uint8Array, b: number | bigint | Uint8Array, order: SortOrder): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (order === 'float16') {
      return float16BitsToNumber(a[0]! | (a[1]! << 8)) - float16BitsToNumber(b[0]! | (b[1]! << 8)) || (a[1]! & 0x80 ? -1 : 0) - (b[1]! & 0x80 ? -1 : 0);
    }
    return byteComparator(order)(a, 0, a.length, b, 0, b.length);
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (order === 'uint64') {
      const x = BigInt.asUintN(64, a);
      const y = BigInt.asUintN(64, b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (order === 'uint32') return (a >>> 0) - (b >>> 0);
    if (a === 0 && b === 0) return (Object.is(a, -0) ? -1 : 0) - (Object.is(b, -0) ? -1 : 0);
    return a - b;
  }
  throw new Error('statistics values of different kinds');
}
