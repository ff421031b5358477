import type { PageBuffer } from '../column/page-buffer.js';
import type { CompressionName } from '../../codecs/codec.js';

/**
 * Worst-case growth factor and constant of each built-in codec's output over its input:
 * snappy n + n/6 + 32 (its documented MaxCompressedLength); LZ4 n + n/255 + 16; zstd
 * n + n/256 + 64 (ZSTD_COMPRESSBOUND); deflate stored blocks 5 bytes per 16 KiB plus
 * gzip's 18; brotli's uncompressed meta-blocks a few bytes per 64 KiB. Rounded up.
 */
const EXPANSION: Readonly<Record<CompressionName, number>> = {
  UNCOMPRESSED: 1,
  SNAPPY: 1 + 1 / 6,
  LZ4_RAW: 1.01,
  ZSTD: 1.01,
  GZIP: 1.01,
  BROTLI: 1.01,
};

/**
 * An upper bound on how much one page, once encoded, adds to ColumnChunkWriter.bufferedSize
 * (its compressed size with header, plus the growth of the column's dictionary).
 *
 * The row-group byte limit is checked against that exact sum; with workers the sizes of
 * pages still being encoded are unknown. For the file to stay byte-identical the writer
 * must cut row groups at exactly the same rows, so it only goes on without waiting for
 * those pages when the sum stays under the limit even if each came out at this bound.
 * The bound need only be safe, and is loose term by term (B: the page's exact PLAIN value
 * bytes, from `shape`; C: its values; L: its level slots):
 * - levels, per level kind present: RLE/bit-packed at <= 8 bits, run headers, group
 *   padding and the v1 length prefix: <= 2 L + 32;
 * - values: PLAIN and BYTE_STREAM_SPLIT are B; dictionary indices <= 4.1 C + 16;
 *   DELTA_BINARY_PACKED <= 64 bits per value plus block headers; DELTA_LENGTH_BYTE_ARRAY
 *   and DELTA_BYTE_ARRAY the bytes plus one or two delta-packed length lists: all of them
 *   <= B + 17 C + 256;
 * - compression of levels and values: EXPANSION times that, plus 1024;
 * - header: statistics hold min and max, each at most the longest value (truncation can
 *   keep a max whole), plus 256 bytes for the other fields and the CRC;
 * - dictionary growth, while the column's dictionary still takes values: the page's new
 *   distinct values PLAIN-encoded, <= B.
 */
export function pageSizeBound(b: PageBuffer, shape: PageShape, codec: CompressionName, dictionaryGrowing: boolean): number {
  const B = shape.plainBytes;
  const C = b.store.count;
  const L = b.levelCount;
  const levels = (b.maxDef > 0 ? 2 * L + 32 : 0) + (b.maxRep > 0 ? 2 * L + 32 : 0);
  const values = B + 17 * C + 256;
  const stats = 2 * shape.longest + 256;
  return Math.ceil(EXPANSION[codec] * (levels + values) + 1024 + stats + (dictionaryGrowing ? B : 0));
}

/** What pageSizeBound needs of a page's values, beyond their count. */
export interface PageShape {
  /** Exact PLAIN bytes of the values (byte arrays with their 4-byte length prefixes). */
  plainBytes: number;
  /** Bytes of the longest value in PLAIN form (without its length prefix). */
  longest: number;
}

/** The page's shape from its store; byte-array strings are encoded first (byteSize() only estimates them). */
export function plainShape(b: PageBuffer): PageShape {
  const store = b.store;
  switch (store.kind) {
    case 'bytes': {
      store.materialize();
      let longest = 0;
      const o = store.offsets;
      for (let i = 0; i < store.count; i++) longest = Math.max(longest, o[i + 1]! - o[i]!);
      return { plainBytes: store.data.length + 4 * store.count, longest };
    }
    case 'fixed':
      return { plainBytes: store.byteSize(), longest: store.typeLength };
    case 'boolean':
      return { plainBytes: store.byteSize(), longest: 1 };
    default:
      return { plainBytes: store.byteSize(), longest: 8 };
  }
}
