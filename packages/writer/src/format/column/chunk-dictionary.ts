import type { ByteWriter } from '../../encoding/byte-writer.js';
import { bitWidth } from '../../encoding/bit-width.js';
import { encodeRleHybrid } from '../../encoding/rle-hybrid.js';
import { createDictionary, type Dictionary } from './dictionary.js';
import type { ByteArrayStore, ValueStore } from './value-store.js';

/** Values interned before `auto` judges whether a first page's dictionary can pay. */
const DICTIONARY_SAMPLE = 1024;

export interface ChunkDictionaryOptions {
  /** `auto` judges on the chunk's first page whether the dictionary pays; otherwise it is kept until the limit. */
  auto: boolean;
  /** Fall back from the dictionary once its page would pass this many bytes. */
  pageSizeLimit: number;
}

/**
 * The dictionary side of one column chunk (Encodings.md, "Dictionary Encoding"): which
 * pages are dictionary-encoded, their indices, and when the chunk falls back. The column
 * writer asks it to encode each page and falls back to its value encoding when it declines;
 * it never sees how values are looked up.
 *
 * Rules: the dictionary must stay under its size limit, and in `auto` it must pay for itself
 * on the chunk's first page (dictionary plus indices smaller than the plain values); if it
 * does not, that page is encoded with the fallback and the dictionary is dropped. Once it
 * passes the limit later, the following pages fall back while the pages already written
 * keep their dictionary encoding.
 */
export class ChunkDictionary {
  private dictionary: Dictionary | undefined;
  /** The dictionary object chunks reuse (undefined until a chunk needs one). */
  private kept: Dictionary | undefined;
  /** False once the chunk's pages no longer go through the dictionary. */
  private active = false;
  /** Whether a data page of this chunk has been dictionary-encoded yet. */
  private pageWritten = false;
  /** The open page's dictionary indices, valid for its first `indexed` values. */
  private indices = new Int32Array(1024);
  private indexed = 0;
  /** Distinct values among the first DICTIONARY_SAMPLE of the chunk's first page, once known. */
  private distinctInSample = -1;
  /** Writes the bytes of the open page's value i from its entry (for ByteArrayStore.release); set while a byte-array dictionary is in use. */
  private resolver: ((i: number, out: ByteWriter) => void) | undefined;

  constructor(
    private readonly kind: ValueStore['kind'],
    private readonly typeLength: number,
    private options: ChunkDictionaryOptions,
  ) {}

  /** New settings for the chunks that start from now on (see ColumnChunkWriter.configure). */
  configure(options: ChunkDictionaryOptions): void {
    this.options = options;
  }

  /** Begin a chunk; `enabled` false leaves every page to the fallback. */
  startChunk(enabled: boolean): void {
    // The previous chunk's dictionary, emptied: its tables and entry store have grown to this
    // column's size already (a new one per chunk re-grew them for every file of the consumer).
    if (enabled && this.kept === undefined) this.kept = createDictionary(this.kind, this.typeLength);
    else if (enabled) this.kept!.clear();
    const dict = enabled ? this.kept : undefined;
    this.dictionary = dict;
    this.active = dict !== undefined;
    // Bound to this chunk's dictionary: it still answers for the open page after drop().
    this.resolver =
      dict !== undefined && dict.values.kind === 'bytes'
        ? (i, out) => {
            const entries = dict.values as ByteArrayStore;
            const k = this.indices[i]!;
            out.writeBytes(entries.data.buffer.subarray(entries.offsets[k]!, entries.offsets[k + 1]!));
          }
        : undefined;
    this.pageWritten = false;
    this.indexed = 0;
    this.distinctInSample = -1;
  }

  /** True while pages still go through the dictionary (it can only grow then). */
  get growing(): boolean {
    return this.dictionary !== undefined && this.active;
  }

  /** The dictionary's entries when a page of the chunk used them (the chunk needs a dictionary page). */
  get writtenEntries(): ValueStore | undefined {
    return this.pageWritten ? this.dictionary?.values : undefined;
  }

  /** Size of the dictionary page as it stands (PLAIN, before compression). */
  byteSize(): number {
    return this.dictionary?.byteSize() ?? 0;
  }

  /**
   * Looks the open page's new values up now, while the caller has just made them and they
   * are in cache; at page flush a page of thousands of rows would be read back cold. The
   * result is the same as indexing at flush (same values, same order), and so are the
   * decisions encodePage takes from it. A first page whose sample is nearly all distinct
   * is left for the flush, which will most likely drop the dictionary.
   */
  indexAhead(store: ValueStore): void {
    const dict = this.dictionary;
    if (dict === undefined || !this.active) return;
    const count = store.count;
    if (count <= this.indexed) return;
    this.reserveIndices(count);
    if (this.judging() && this.sampleMostlyDistinct(dict, store, Math.min(count, DICTIONARY_SAMPLE))) return;
    dict.indexPage(store, this.indices, this.indexed, count);
    this.indexed = count;
    // The page needs only the indices now: its strings can go before the next scavenge
    // (they would be kept until the page is written, often the whole file in the consumer).
    if (this.resolver !== undefined && store.kind === 'bytes' && store.deferStrings) store.release(count, this.resolver);
  }

  /**
   * A page without values: while the dictionary is in use and has entries, its page stays
   * dictionary-encoded (just the bit width); returns false when the fallback should write it.
   */
  encodeEmptyPage(out: ByteWriter): boolean {
    const dict = this.dictionary;
    if (!dict || !this.active || dict.values.count === 0) return false;
    out.writeU8(Math.max(1, bitWidth(dict.values.count - 1)));
    return true;
  }

  /**
   * The page's values as a 1-byte bit width and RLE/bit-packed indices; false (with `out`
   * to be reset by the caller) when this page and the rest of the chunk fall back.
   */
  encodePage(store: ValueStore, out: ByteWriter): boolean {
    const dict = this.dictionary;
    if (!dict || !this.active) return false;
    const count = store.count;
    this.reserveIndices(count);
    const judged = this.judging();
    // Distinct values (hashes, XDR blobs) give up after a sample of the first page instead
    // of interning the whole page only to throw the dictionary away.
    if (judged && count > 2 * DICTIONARY_SAMPLE && this.sampleMostlyDistinct(dict, store, DICTIONARY_SAMPLE)) return this.drop();
    dict.indexPage(store, this.indices, this.indexed, count);
    this.indexed = count;
    const width = Math.max(1, bitWidth(Math.max(0, dict.values.count - 1))); // an all-null page may come first
    out.writeU8(width);
    encodeRleHybrid(this.indices, count, width, out);
    const limit = this.options.pageSizeLimit;
    if (judged && (dict.byteSize() + out.length >= dict.plainSizeOf(this.indices, count) || dict.byteSize() > limit)) {
      return this.drop();
    }
    if (dict.byteSize() > limit) this.active = false;
    return true;
  }

  /** The dictionary's entries (while the chunk has a dictionary). */
  get entries(): ValueStore | undefined {
    return this.dictionary?.values;
  }

  /** The open page's indices into `entries`, once encodePage accepted it (until pageDone). */
  get pageIndices(): Int32Array {
    return this.indices;
  }

  /** PLAIN size of the open page's `count` values, from their indices (after encodePage accepted it). */
  pagePlainSize(count: number): number {
    return this.dictionary!.plainSizeOf(this.indices, count);
  }

  /** The open page was written (`dictionaryEncoded`: as indices); the next page starts. */
  pageDone(dictionaryEncoded: boolean): void {
    if (dictionaryEncoded) this.pageWritten = true;
    this.indexed = 0;
    this.distinctInSample = -1;
  }

  /** In `auto`, the chunk's first dictionary page decides whether the dictionary pays. */
  private judging(): boolean {
    return this.options.auto && !this.pageWritten;
  }

  /**
   * Index the first page up to `to` values of the sample (once) and tell whether the full
   * sample came out nearly all distinct. Only such samples are judged early: skewed columns
   * (a few thousand ids) can look diverse in a sample and still pay over the whole page.
   */
  private sampleMostlyDistinct(dict: Dictionary, store: ValueStore, to: number): boolean {
    if (this.indexed < DICTIONARY_SAMPLE) {
      dict.indexPage(store, this.indices, this.indexed, to);
      this.indexed = to;
      if (to === DICTIONARY_SAMPLE) this.distinctInSample = dict.values.count;
    }
    return this.distinctInSample > DICTIONARY_SAMPLE * 0.9;
  }

  private reserveIndices(count: number): void {
    if (this.indices.length >= count) return;
    const next = new Int32Array(Math.max(count, this.indices.length * 2));
    next.set(this.indices.subarray(0, this.indexed));
    this.indices = next;
  }

  /** The dictionary does not pay on the chunk's first page: that page and the rest use the fallback. */
  private drop(): false {
    this.active = false;
    this.dictionary = undefined;
    return false;
  }
}
