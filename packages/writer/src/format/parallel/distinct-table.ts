/**
 * A page of pending strings as a table of its distinct values, how a string page goes to
 * its encode worker: each distinct string is UTF-8 encoded once, where sending the page's
 * bytes would encode every value (the main thread's largest cost with workers), and the
 * worker's dictionary looks each entry up once (ByteArrayStore.distinct).
 *
 * The table is built as the page fills: after each writeRows call (EncoderPool.betweenCalls)
 * the call's new strings are added and the page lets them go (ByteArrayStore.release, with
 * `resolve` giving a value's bytes back). A page of a whole 10,000-row file otherwise kept
 * every string until the file's end, where every scavenge copied them, and the strings were
 * read again out of cache at the end. Built at once or bit by bit, the table is the same:
 * entries in order of first appearance.
 */
import { ByteWriter } from '../../encoding/byte-writer.js';
import { grow, type ByteArrayStore } from '../column/value-store.js';
import { takeBytes } from './spare-buffers.js';

export interface PackedTable {
  /** The distinct values' bytes; entry k spans offsets[k]..offsets[k+1]. */
  values: Uint8Array<ArrayBuffer>;
  offsets: Int32Array<ArrayBuffer>;
  /** Per value of the page, its entry. */
  ids: Int32Array<ArrayBuffer>;
  /** The sum of the values' lengths. */
  valueBytes: number;
  longest: number;
}

export class DistinctTable {
  private readonly map = new Map<string, number>();
  private ids = new Int32Array(256);
  private data = new ByteWriter(4096);
  private offsets = new Int32Array(256);
  private entries = 0;
  /** Values of the page in the table: the store's values 0..count-1. */
  count = 0;
  private valueBytes = 0;
  private longest = 0;
  private prev: string | undefined;
  private prevId = -1;
  private prevLength = 0;

  /** Whether a page can go as a table: every value of it a pending string (none encoded, none a worker's entry). */
  static fits(store: ByteArrayStore): boolean {
    return store.deferStrings && store.encoded === 0 && store.distinct === undefined && store.count > 0;
  }

  /** Adds the store's values count..store.count-1, pending strings (see fits) not yet released. */
  extend(store: ByteArrayStore): void {
    const to = store.count;
    if (to < this.count) throw new Error(`distinct table holds ${this.count} values, the page only ${to}`);
    const strings = store.strings;
    if (to > this.ids.length) this.ids = grow(this.ids, to, (k) => new Int32Array(k));
    const { map, ids, data } = this;
    let { entries, valueBytes, longest, prev, prevId, prevLength, offsets } = this;
    for (let i = this.count; i < to; i++) {
      const s = strings[i]!;
      if (s !== prev) {
        let id = map.get(s);
        if (id === undefined) {
          id = entries++;
          map.set(s, id);
          data.writeUtf8(s);
          offsets = grow(offsets, entries + 1, (k) => new Int32Array(k));
          offsets[entries] = data.length;
          longest = Math.max(longest, offsets[entries]! - offsets[id]!);
        }
        prev = s;
        prevId = id;
        prevLength = offsets[id + 1]! - offsets[id]!;
      }
      ids[i] = prevId;
      valueBytes += prevLength;
    }
    this.entries = entries;
    this.valueBytes = valueBytes;
    this.longest = longest;
    this.prev = prev;
    this.prevId = prevId;
    this.prevLength = prevLength;
    this.offsets = offsets;
    this.count = to;
  }

  /** Writes value i's bytes (ByteArrayStore.release's resolver while the page's strings are let go). */
  readonly resolve = (i: number, out: ByteWriter): void => {
    const id = this.ids[i]!;
    out.writeBytes(this.data.buffer.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  };

  /** The table, for a message to the worker; the table starts empty for the next page. */
  take(): PackedTable {
    // Handed over whole when well filled (the table goes on in a new allocation), else copied.
    const { values } = takeBytes(this.data, undefined);
    const packed: PackedTable = {
      values,
      offsets: this.offsets.slice(0, this.entries + 1),
      ids: this.ids.slice(0, this.count),
      valueBytes: this.valueBytes,
      longest: this.longest,
    };
    this.clear();
    return packed;
  }

  /** Empties the table (the page was sent another way, or taken). */
  clear(): void {
    this.map.clear();
    this.data.reset();
    this.offsets.fill(0, 0, this.entries + 1);
    this.entries = 0;
    this.count = 0;
    this.valueBytes = 0;
    this.longest = 0;
    this.prev = undefined;
    this.prevId = -1;
    this.prevLength = 0;
  }
}
