/**
 * The bytes of one column chunk's pages as they are encoded: page headers and compressed
 * bodies are copied straight into blocks that the chunk then hands over as its parts (to
 * the sink, or transferred whole from an encode worker), so a page body is copied once
 * after compression and never joined again. Blocks are never reused: the sink owns what it
 * was given (see Sink). A body the codec made for this page alone may be adopted as a part
 * of its own instead of copied (adopt).
 *
 * A chunk's first block is sized from the bytes the previous chunk of the same column
 * copied, so a column whose chunks are alike gets one or two blocks per chunk; further
 * blocks double up to MAX_BLOCK, which bounds the unused tail a chunk's last block can hold.
 */
const MIN_BLOCK = 4 * 1024;
const MAX_BLOCK = 1024 * 1024;
/** A chunk's last block is copied to its used size when more than this would stay unused. */
const MAX_UNUSED = 64 * 1024;

export class ChunkBytes {
  private parts: Uint8Array<ArrayBuffer>[] = [];
  private current: Uint8Array<ArrayBuffer> | undefined;
  /** The current block's bytes from `start` to `used` are not yet in `parts`. */
  private start = 0;
  private used = 0;
  /** Bytes appended or adopted since the last take(). */
  length = 0;
  /** Bytes copied into blocks since the last take(). */
  private copied = 0;
  /** Bytes the last chunk copied (the next chunk's first block). */
  private hint = 0;

  append(bytes: Uint8Array): void {
    let from = 0;
    const n = bytes.length;
    while (from < n) {
      let block = this.current;
      if (block === undefined || this.used === block.length) block = this.nextBlock(n - from);
      const count = Math.min(n - from, block.length - this.used);
      block.set(from === 0 && count === n ? bytes : bytes.subarray(from, from + count), this.used);
      this.used += count;
      from += count;
    }
    this.length += n;
    this.copied += n;
  }

  /**
   * Take `bytes` as a part as it is, when it is a whole ArrayBuffer of its own (so it can
   * be transferred without detaching anything else, such as a pooled Node Buffer's slab)
   * and no smaller than a block; else copy it. The caller gives up `bytes`.
   */
  adopt(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n < MIN_BLOCK || bytes.byteOffset !== 0 || bytes.buffer.byteLength !== n || !(bytes.buffer instanceof ArrayBuffer)) {
      this.append(bytes);
      return;
    }
    this.closePart();
    this.parts.push(bytes as Uint8Array<ArrayBuffer>);
    this.length += n;
  }

  /**
   * The bytes appended so far, as views in order; starts the next chunk empty. A last block
   * mostly unused is copied to its used size, so a chunk the sink holds (a whole row group
   * until it is written) does not hold that block's unused tail in memory as well.
   */
  take(): Uint8Array<ArrayBuffer>[] {
    if (this.current !== undefined && this.current.length - this.used > MAX_UNUSED) {
      this.current = this.current.slice(this.start, this.used);
      this.start = 0;
      this.used = this.current.length;
    }
    this.closePart();
    const parts = this.parts;
    this.hint = this.copied;
    this.parts = [];
    this.current = undefined;
    this.start = 0;
    this.used = 0;
    this.length = 0;
    this.copied = 0;
    return parts;
  }

  /** The current block's bytes not yet in `parts` become a part. */
  private closePart(): void {
    if (this.current !== undefined && this.used > this.start) this.parts.push(this.current.subarray(this.start, this.used));
    this.start = this.used;
  }

  private nextBlock(need: number): Uint8Array<ArrayBuffer> {
    this.closePart();
    const previous = this.current?.length ?? 0;
    const wanted = previous > 0 ? 2 * previous : Math.max(this.hint - this.copied, need);
    const block = new Uint8Array(Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, wanted)));
    this.current = block;
    this.start = 0;
    this.used = 0;
    return block;
  }
}
