import type { SortOrder } from '../schema/primitive-mapping.js';
import type { ByteArrayStore, FixedStore } from './value-store.js';
import { compareBytes, compareSignedBigEndian } from './compare.js';
import { emptyStats, type ValueStats } from './statistics.js';

/**
 * Page statistics of a dictionary-encoded byte-array page, computed over the distinct
 * dictionary entries the page uses rather than over every value: a page of 20,000 values
 * usually references a few hundred entries, and comparing long strings is the expensive
 * part. Gives exactly the min/max that computeStats gives over the values themselves.
 */
export class DictionaryStats {
  private marks = new Uint32Array(1024);
  private stamp = 0;

  compute(dict: ByteArrayStore | FixedStore, indices: Int32Array, count: number, order: SortOrder, nullCount: number): ValueStats {
    const stats = emptyStats();
    stats.nullCount = nullCount;
    if (count === 0) return stats;
    if (this.marks.length < dict.count) this.marks = new Uint32Array(Math.max(dict.count, this.marks.length * 2));
    const marks = this.marks;
    // A fresh stamp per page marks which entries this page has already compared.
    if (++this.stamp === 0xffffffff) {
      marks.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const cmp = order === 'decimal-bytes' ? compareSignedBigEndian : compareBytes;
    const buf = dict.data.buffer;
    const fixed = dict.kind === 'fixed' ? dict.typeLength : 0;
    const offsets = dict.kind === 'bytes' ? dict.offsets : undefined;
    const start = (i: number): number => (offsets ? offsets[i]! : i * fixed);
    const end = (i: number): number => (offsets ? offsets[i + 1]! : (i + 1) * fixed);
    let minI = indices[0]!;
    let maxI = minI;
    marks[minI] = stamp;
    for (let k = 1; k < count; k++) {
      const i = indices[k]!;
      if (marks[i] === stamp) continue;
      marks[i] = stamp;
      if (cmp(buf, start(i), end(i), buf, start(minI), end(minI)) < 0) minI = i;
      else if (cmp(buf, start(i), end(i), buf, start(maxI), end(maxI)) > 0) maxI = i;
    }
    stats.min = buf.slice(start(minI), end(minI));
    stats.max = buf.slice(start(maxI), end(maxI));
    return stats;
  }
}
