/**
 * A growable little-endian byte buffer. Encoders append into one of these and the
 * page assembler reuses it between pages, so the hot path allocates only when a page
 * is larger than any page before it.
 */
/** Node's Buffer, when present: its native utf8 write beats TextEncoder.encodeInto per call. */
type NodeBuffer = Uint8Array & { write(s: string, offset: number, encoding: 'utf8'): number };
const NodeBufferClass = (globalThis as { Buffer?: { from(a: ArrayBuffer, o: number, l: number): NodeBuffer } }).Buffer;
const utf8 = new TextEncoder();
/** Below this length a plain ASCII loop is cheaper than any native call. */
const SHORT_STRING = 24;

export class ByteWriter {
  buffer: Uint8Array;
  view: DataView;
  private nodeView: NodeBuffer | undefined;
  /** Number of bytes written so far. */
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buffer.buffer);
  }

  /**
   * Take `bytes` as the contents (no copy), e.g. a page received from another thread. Every
   * view of the old allocation is dropped with it.
   */
  adopt(bytes: Uint8Array<ArrayBuffer>): void {
    this.buffer = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.nodeView = undefined;
    this.length = bytes.length;
  }

  /**
   * Hand over the contents without copying (to transfer them to another thread) and start
   * again on `next` (a spare allocation, e.g. one the other thread gave back), or on a fresh
   * allocation of the same capacity.
   */
  detach(next?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
    const written = this.buffer.subarray(0, this.length) as Uint8Array<ArrayBuffer>;
    this.buffer = next ?? new Uint8Array(this.buffer.length);
    this.view = new DataView(this.buffer.buffer);
    this.nodeView = undefined;
    this.length = 0;
    return written;
  }

  /** Forget the contents but keep the allocation. */
  reset(): void {
    this.length = 0;
  }

  /** Make room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = Math.max(16, this.buffer.length * 2);
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
    this.nodeView = undefined;
  }

  writeU8(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  writeI32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }

  writeU32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  writeI64(value: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, value, true);
    this.length += 8;
  }

  writeF32(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  writeF64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Append a string as UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
  writeUtf8(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.buffer;
    const start = this.length;
    if (n <= SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        this.length = start + n;
        return;
      }
    }
    if (NodeBufferClass) {
      this.nodeView ??= NodeBufferClass.from(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
      this.length = start + this.nodeView.write(s, start, 'utf8');
      return;
    }
    this.length = start + utf8.encodeInto(s, buf.subarray(start)).written;
  }

  /** ULEB128 varint of a non-negative integer below 2^53. */
  writeVarint(value: number): void {
    this.ensure(10);
    while (value > 0x7f) {
      this.buffer[this.length++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.length++] = value;
  }

  /** ULEB128 varint of a non-negative bigint (used for zigzag-encoded 64-bit values). */
  writeVarBigint(value: bigint): void {
    this.ensure(10);
    while (value > 0x7fn) {
      this.buffer[this.length++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buffer[this.length++] = Number(value);
  }

  /** A view of the bytes written so far. It is invalidated by the next write or reset. */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** A copy of the bytes written so far, safe to keep after reset. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
