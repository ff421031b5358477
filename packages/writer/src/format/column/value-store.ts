import { ByteWriter } from '../../encoding/byte-writer.js';
import { INT64_HI, INT64_LO } from '../../encoding/endian.js';

/**
 * The non-null values of one column for the page being built, in their physical
 * representation, held in typed arrays so that page encoding, dictionary building and
 * statistics run over flat memory. `truncate` lets the shredder undo a half-written row.
 */
export type ValueStore = BooleanStore | Int32Store | Int64Store | FloatStore | DoubleStore | ByteArrayStore | FixedStore;

/** `array`, or a copy at least twice as long when it has fewer than `needed` slots. */
export function grow<T extends Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array as never);
  return next;
}

export class BooleanStore {
  readonly kind = 'boolean';
  values = new Uint8Array(1024);
  count = 0;
  constructor(readonly convert: (v: unknown) => boolean) {}
  append(v: unknown): void {
    const b = this.convert(v);
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1, (n) => new Uint8Array(n));
    this.values[this.count++] = b ? 1 : 0;
  }
  truncate(count: number): void {
    this.count = count;
  }
  byteSize(): number {
    return Math.ceil(this.count / 8);
  }
}

export class Int32Store {
  readonly kind = 'int32';
  values = new Int32Array(1024);
  count = 0;
  constructor(readonly convert: (v: unknown) => number) {}
  append(v: unknown): void {
    const n = this.convert(v);
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1, (k) => new Int32Array(k));
    this.values[this.count++] = n;
  }
  /** Values already in stored form (a column batch's typed array, see PrimitiveMapping.bulk). */
  appendAll(values: Int32Array): void {
    this.values = grow(this.values, this.count + values.length, (k) => new Int32Array(k));
    this.values.set(values, this.count);
    this.count += values.length;
  }
  truncate(count: number): void {
    this.count = count;
  }
  byteSize(): number {
    return this.count * 4;
  }
}

const TWO_32 = 4294967296;

/**
 * INT64 values. Reading or writing a BigInt64Array element makes a BigInt, so a value given
 * as a safe-integer number (timestamps mostly are) is written as its two 32-bit halves
 * through `words`, and the dictionary and statistics read them the same way.
 */
export class Int64Store {
  readonly kind = 'int64';
  private array = new BigInt64Array(1024);
  /** `values` as 32-bit halves: value i is words[2i + INT64_LO] (unsigned bits) and words[2i + INT64_HI] (signed). */
  words = new Int32Array(this.array.buffer);
  count = 0;
  /** `convert` may return a number when the value is a safe integer (exact as two halves). */
  constructor(readonly convert: (v: unknown) => bigint | number) {}
  get values(): BigInt64Array<ArrayBuffer> {
    return this.array;
  }
  set values(values: BigInt64Array<ArrayBuffer>) {
    this.array = values;
    this.words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  }
  append(v: unknown): void {
    const n = this.convert(v);
    if (typeof n === 'number') {
      const hi = Math.floor(n / TWO_32);
      this.appendWords((n - hi * TWO_32) | 0, hi);
      return;
    }
    if (this.count === this.array.length) this.values = grow(this.array, this.count + 1, (k) => new BigInt64Array(k));
    this.array[this.count++] = n;
  }
  /** Values already in stored form (a column batch's typed array, see PrimitiveMapping.bulk). */
  appendAll(values: BigInt64Array): void {
    if (this.count + values.length > this.array.length) this.values = grow(this.array, this.count + values.length, (k) => new BigInt64Array(k));
    this.array.set(values, this.count); // same element type: a copy of the bits, no BigInts
    this.count += values.length;
  }
  /** Append a value given as its halves (capacity is made here). */
  appendWords(lo: number, hi: number): void {
    if (this.count === this.array.length) this.values = grow(this.array, this.count + 1, (k) => new BigInt64Array(k));
    const at = 2 * this.count++;
    this.words[at + INT64_LO] = lo;
    this.words[at + INT64_HI] = hi;
  }
  truncate(count: number): void {
    this.count = count;
  }
  byteSize(): number {
    return this.count * 8;
  }
}

export class FloatStore {
  readonly kind = 'float';
  values = new Float32Array(1024);
  count = 0;
  constructor(readonly convert: (v: unknown) => number) {}
  append(v: unknown): void {
    const n = this.convert(v);
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1, (k) => new Float32Array(k));
    this.values[this.count++] = n;
  }
  /** Values already in stored form (a column batch's typed array, see PrimitiveMapping.bulk). */
  appendAll(values: Float32Array): void {
    this.values = grow(this.values, this.count + values.length, (k) => new Float32Array(k));
    this.values.set(values, this.count);
    this.count += values.length;
  }
  truncate(count: number): void {
    this.count = count;
  }
  byteSize(): number {
    return this.count * 4;
  }
}

export class DoubleStore {
  readonly kind = 'double';
  values = new Float64Array(1024);
  count = 0;
  constructor(readonly convert: (v: unknown) => number) {}
  append(v: unknown): void {
    const n = this.convert(v);
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1, (k) => new Float64Array(k));
    this.values[this.count++] = n;
  }
  /** Values already in stored form (a column batch's typed array, see PrimitiveMapping.bulk). */
  appendAll(values: Float64Array): void {
    this.values = grow(this.values, this.count + values.length, (k) => new Float64Array(k));
    this.values.set(values, this.count);
    this.count += values.length;
  }
  truncate(count: number): void {
    this.count = count;
  }
  byteSize(): number {
    return this.count * 8;
  }
}

/**
 * A page's byte-array values as ids into a table of its distinct values: how the main
 * thread ships a page of strings to an encode worker, UTF-8 encoding each distinct string
 * once (see parallel/protocol.ts). Equal ids mean equal bytes.
 */
export interface DistinctValues {
  /** The distinct values' bytes, concatenated; entry k spans offsets[k]..offsets[k+1]. */
  data: Uint8Array;
  offsets: Int32Array;
  /** Per value of the page, its entry. */
  ids: Int32Array;
  /** Per entry, its index in the column's dictionary once looked up there, else -1 (Dictionary.indexPage fills it). */
  dictionaryIndex: Int32Array;
}

/**
 * BYTE_ARRAY values concatenated in `data`; value i spans offsets[i]..offsets[i+1] once
 * encoded. With `deferStrings` (columns where a string is stored as its UTF-8 text) string
 * values are only kept as JS strings when appended: a dictionary-encoded page never needs
 * their bytes, since the dictionary finds repeats by the string itself and encodes only
 * new entries. Values `encoded`..count-1 are such pending strings; `materialize` encodes
 * them, and everything that reads `data`/`offsets` calls it first.
 */
export class ByteArrayStore {
  readonly kind = 'bytes';
  readonly data = new ByteWriter(1024);
  offsets = new Int32Array(1025);
  count = 0;
  /** Values before this index have their bytes in `data`. */
  encoded = 0;
  /**
   * The JS string each value came from, when it came as one: the dictionary looks strings
   * up by their (hash-cached) JS identity before falling back to hashing bytes. A given
   * string always converts to the same bytes in a column, so the two lookups agree.
   */
  readonly strings: (string | undefined)[] = [];
  /**
   * Set by loadDistinct (an encode worker's page): values `encoded`..count-1 are pending as
   * entries of this table instead of as strings. A dictionary-encoded page then never needs
   * their bytes either; the dictionary looks each entry up once.
   */
  distinct: DistinctValues | undefined;
  /**
   * Values `encoded`..released-1 are pending as dictionary entries: the chunk's dictionary
   * has indexed them and their strings were let go (see release), so a page's strings die
   * young instead of living in the heap until the page is written, which made every
   * scavenge copy them. `resolve` writes such a value's bytes if the page has to be written
   * without the dictionary after all.
   */
  private released = 0;
  private resolve: ((i: number, out: ByteWriter) => void) | undefined;
  /**
   * byteSize() without the length prefixes: bytes of values written as bytes plus the
   * UTF-16 length of deferred strings (their UTF-8 length for ASCII). It is fixed when a
   * value is appended, so page and row-group cuts do not depend on when strings get encoded.
   */
  private estimate = 0;
  /** `write` appends one value's bytes to `data` (or throws). */
  constructor(
    readonly write: (v: unknown, data: ByteWriter) => void,
    readonly deferStrings = false,
  ) {}
  append(v: unknown): void {
    if (this.deferStrings && typeof v === 'string') {
      this.strings[this.count++] = v;
      this.estimate += v.length;
      return;
    }
    if (this.encoded < this.count) this.materialize();
    const before = this.data.length;
    try {
      this.write(v, this.data);
    } catch (err) {
      this.data.length = before;
      throw err;
    }
    this.strings[this.count] = typeof v === 'string' ? v : undefined;
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.count + 2, (k) => new Int32Array(k));
    this.offsets[++this.count] = this.data.length;
    this.encoded = this.count;
    this.estimate += this.data.length - before;
  }
  appendBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.encoded < this.count) this.materialize();
    this.strings[this.count] = undefined;
    this.data.writeBytes(bytes.subarray(start, end));
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.count + 2, (k) => new Int32Array(k));
    this.offsets[++this.count] = this.data.length;
    this.encoded = this.count;
    this.estimate += end - start;
  }
  /**
   * Values from..to-1 of an Arrow-layout column (value i is bytes[offsets[i], offsets[i+1]),
   * offsets non-decreasing, checked by the caller) in one copy of their bytes.
   */
  appendRun(bytes: Uint8Array, offsets: Int32Array, from: number, to: number): void {
    if (this.encoded < this.count) this.materialize();
    const first = offsets[from]!;
    const shift = this.data.length - first;
    this.data.writeBytes(bytes.subarray(first, offsets[to]!));
    const n = to - from;
    if (this.count + n + 1 > this.offsets.length) this.offsets = grow(this.offsets, this.count + n + 1, (k) => new Int32Array(k));
    const own = this.offsets;
    const strings = this.strings;
    let c = this.count;
    for (let k = from + 1; k <= to; k++) {
      strings[c] = undefined;
      own[++c] = offsets[k]! + shift;
    }
    this.count = c;
    this.encoded = c;
    this.estimate += offsets[to]! - first;
  }
  /**
   * Values up to `to` have been looked up in a dictionary (or, with encode workers, put into
   * the page's distinct-value table), which can give their bytes back through `resolve`
   * until the page is written: their pending strings are dropped.
   */
  release(to: number, resolve: (i: number, out: ByteWriter) => void): void {
    const strings = this.strings;
    for (let i = Math.max(this.released, this.encoded); i < to; i++) strings[i] = undefined;
    if (to > this.released) this.released = to;
    this.resolve = resolve;
  }

  /** No value is pending as a dictionary entry any more (all encoded, or the page reset or replaced). */
  private forgetReleased(): void {
    this.released = 0;
    this.resolve = undefined;
  }

  /** Encode the pending strings (or copy the pending entries), so that `data` and `offsets` hold every value. */
  materialize(): void {
    const n = this.count;
    if (this.encoded === n) return;
    if (n + 1 > this.offsets.length) this.offsets = grow(this.offsets, n + 1, (k) => new Int32Array(k));
    const { data, offsets, strings, distinct } = this;
    if (distinct !== undefined) {
      const { ids, data: table, offsets: at } = distinct;
      for (let i = this.encoded; i < n; i++) {
        const id = ids[i]!;
        data.writeBytes(table.subarray(at[id]!, at[id + 1]!));
        offsets[i + 1] = data.length;
      }
      // Every value has its bytes now; values appended later would have no id.
      this.distinct = undefined;
    } else {
      const released = Math.min(this.released, n);
      for (let i = this.encoded; i < released; i++) {
        this.resolve!(i, data);
        offsets[i + 1] = data.length;
      }
      for (let i = Math.max(this.encoded, released); i < n; i++) {
        data.writeUtf8(strings[i]!);
        offsets[i + 1] = data.length;
      }
    }
    this.encoded = n;
    this.forgetReleased();
  }
  /** Take already-encoded values (a page received by an encode worker). */
  load(data: Uint8Array<ArrayBuffer>, offsets: Int32Array<ArrayBuffer>, count: number): void {
    this.data.adopt(data);
    this.offsets = offsets;
    this.count = count;
    this.encoded = count;
    this.strings.length = 0;
    this.distinct = undefined;
    this.forgetReleased();
    this.estimate = data.length;
  }
  /**
   * Take a page as entries of a distinct-value table (a page received by an encode worker);
   * `valueBytes` is the sum of the values' lengths, which byteSize() reports as for load().
   */
  loadDistinct(distinct: DistinctValues, count: number, valueBytes: number): void {
    this.data.reset();
    this.offsets[0] = 0;
    this.count = count;
    this.encoded = 0;
    this.strings.length = 0;
    this.distinct = distinct;
    this.forgetReleased();
    this.estimate = valueBytes;
  }
  truncate(count: number): void {
    if (count === 0) {
      this.estimate = 0;
      this.distinct = undefined;
      this.forgetReleased();
    } else {
      // Then the loop below sees bytes or strings only (a row rolled back never reaches values
      // released by a dictionary lookup, which happens between calls).
      if (this.distinct !== undefined || count < this.released) this.materialize();
      for (let i = count; i < this.count; i++) {
        const s = this.strings[i];
        this.estimate -= this.deferStrings && s !== undefined ? s.length : this.offsets[i + 1]! - this.offsets[i]!;
      }
    }
    this.count = count;
    if (this.encoded > count) this.encoded = count;
    this.data.length = this.offsets[this.encoded]!;
  }
  byteSize(): number {
    return this.estimate + 4 * this.count;
  }
}

/** FIXED_LEN_BYTE_ARRAY (and INT96) values of `typeLength` bytes each, concatenated. */
export class FixedStore {
  readonly kind = 'fixed';
  readonly data = new ByteWriter(1024);
  count = 0;
  constructor(
    readonly typeLength: number,
    /** Writes one value at out[offset..offset+typeLength); `view` is a DataView over `out`, index for index. */
    readonly write: (v: unknown, out: Uint8Array, offset: number, view: DataView) => void,
  ) {}
  append(v: unknown): void {
    this.data.ensure(this.typeLength);
    this.write(v, this.data.buffer, this.data.length, this.data.view);
    this.data.length += this.typeLength;
    this.count++;
  }
  appendBytes(bytes: Uint8Array, start: number, end: number): void {
    this.data.writeBytes(bytes.subarray(start, end));
    this.count++;
  }
  truncate(count: number): void {
    this.count = count;
    this.data.length = count * this.typeLength;
  }
  byteSize(): number {
    return this.data.length;
  }
}
