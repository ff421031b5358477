import type { PageBuffer } from '../column/page-buffer.js';

/**
 * An upper bound on how much one page, once encoded, adds to ColumnChunkWriter.bufferedSize
 * (its compressed size with header, plus the growth of the column's dictionary).
 *
 * The row-group byte limit is checked against that exact sum; with workers the sizes of
 * pages still being encoded are unknown. For the file to stay byte-identical, the writer
 * must cut row groups at exactly the same rows, so it only skips waiting for those pages
 * when the sum stays under the limit even if every one of them came out at this bound.
 * The bound is deliberately loose (it need only be safe), term by term, with B the page's
 * plain value bytes (store.byteSize()), C its values and L its level slots:
 * - levels: RLE/bit-packed at <= 8 bits per level and kind, plus run headers and the v1
 *   length prefixes: <= 2.5 L + 32;
 * - values: PLAIN is B; dictionary indices <= 4.1 C; DELTA_BINARY_PACKED <= 64 bits per
 *   value plus block headers; DELTA_(LENGTH_)BYTE_ARRAY <= the bytes plus two delta-packed
 *   length lists: all <= 3 B + 5 C + 256;
 * - compression of that (snappy's worst expansion n + n/6 + 32 is the largest of the
 *   built-in codecs): <= 1.25 n + 1024;
 * - header with statistics (min/max, possibly untruncated and possibly twice, for the
 *   deprecated fields): <= 4 B + 512;
 * - dictionary growth: the new distinct values PLAIN-encoded, <= B.
 */
export function pageSizeBound(b: PageBuffer): number {
  const B = b.store.byteSize();
  const C = b.store.count;
  const L = b.levelCount;
  const body = 2.5 * L + 32 + 3 * B + 5 * C + 256;
  return Math.ceil(1.25 * body + 1024 + 4 * B + 512 + B);
}
