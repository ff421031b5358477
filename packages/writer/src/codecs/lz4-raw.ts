import type { Codec, CodecFactory } from './codec.js';

/**
 * LZ4_RAW: a single raw LZ4 block per page (lz4_Block_format.md), with no LZ4 frame and
 * no Hadoop length prefix (that is the deprecated LZ4 codec, id 5, which we never write).
 *
 * Match finding is lz4js's `compressBlock`. Two things need care around it:
 *
 * 1. End-of-block rules. The block format requires the last 5 bytes to be literals and
 *    the last match to start at least 12 bytes (MFLIMIT) before the end of the block.
 *    lz4js honours the first but starts matches up to 10 bytes before the end, and the
 *    reference decoder (LZ4_decompress_safe, used by Arrow, parquet-java, DuckDB...)
 *    rejects such blocks when the output buffer is exactly the uncompressed size, which
 *    it always is in Parquet. So we let lz4js see all but the last TAIL_RESERVE bytes and
 *    then rewrite its final literal run to also carry those bytes.
 * 2. lz4js returns 0 when it found no match at all (including inputs under 13 bytes);
 *    we then emit a literal-only block, which is always valid.
 */

/** lz4js hashes 4-byte sequences into 2^16 slots. */
const HASH_TABLE_SIZE = 1 << 16;

/** lz4js stops starting matches 10 bytes before the end; the format needs 12. */
const TAIL_RESERVE = 2;

/** Literal lengths of 15 or more spill into extra bytes (the token nibble saturates). */
const RUN_MASK = 15;

/** Size of a block that stores `length` bytes as one literal run. */
function literalOnlySize(length: number): number {
  const extra = length >= RUN_MASK ? 1 + Math.floor((length - RUN_MASK) / 255) : 0;
  return 1 + extra + length;
}

/**
 * Write a final sequence: token (literal count, match nibble 0), the literal-length
 * continuation bytes, then src[from..to). Returns the position after it.
 */
function writeLastLiterals(dst: Uint8Array, pos: number, src: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length >= RUN_MASK) {
    dst[pos++] = RUN_MASK << 4;
    let rest = length - RUN_MASK;
    for (; rest >= 255; rest -= 255) dst[pos++] = 255;
    dst[pos++] = rest;
  } else {
    dst[pos++] = length << 4;
  }
  dst.set(src.subarray(from, to), pos);
  return pos + length;
}

/**
 * Walk the sequences of an LZ4 block and return where the last one (literals only)
 * starts and how many literals it has. Cost is one step per sequence, not per byte.
 */
function findLastSequence(block: Uint8Array, size: number): { tokenAt: number; literals: number } {
  let pos = 0;
  for (;;) {
    const tokenAt = pos;
    const token = block[pos++];
    let literals = token >>> 4;
    if (literals === RUN_MASK) {
      let byte: number;
      do {
        byte = block[pos++];
        literals += byte;
      } while (byte === 255);
    }
    pos += literals;
    if (pos >= size) return { tokenAt, literals };
    pos += 2; // match offset
    if ((token & 15) === 15) {
      while (block[pos++] === 255) {
        // match-length continuation bytes
      }
    }
  }
}

export const createLz4RawCodec: CodecFactory = async (): Promise<Codec> => {
  const lz4 = await import('lz4js');
  // Per codec instance, reused between pages. lz4js stores positions in the table and
  // only range-checks them, so it must be zeroed before every block: a stale entry equal
  // to the current position would produce an (invalid) zero-offset match.
  const hashTable = new Uint32Array(HASH_TABLE_SIZE);
  let scratch = new Uint8Array(0);

  const compress = (input: Uint8Array): Uint8Array => {
    const length = input.length;
    // compressBound leaves room for the at most 1 extra length byte and TAIL_RESERVE
    // literals the final-run rewrite adds, and for a literal-only block.
    const bound = lz4.compressBound(length) + 8;
    if (scratch.length < bound) scratch = new Uint8Array(bound);
    const head = length - TAIL_RESERVE;
    let size = 0;
    if (head > 0) {
      hashTable.fill(0);
      size = lz4.compressBlock(input, scratch, 0, head, hashTable);
    }
    let end: number;
    if (size === 0) {
      end = writeLastLiterals(scratch, 0, input, 0, length);
    } else {
      const last = findLastSequence(scratch, size);
      end = writeLastLiterals(scratch, last.tokenAt, input, head - last.literals, length);
      // Matches never make a block meaningfully larger, but incompressible input can
      // cost a few bytes of tokens; a literal-only block is then the smaller valid choice.
      if (end > literalOnlySize(length)) end = writeLastLiterals(scratch, 0, input, 0, length);
    }
    return scratch.slice(0, end);
  };

  return { name: 'LZ4_RAW', compress };
};
