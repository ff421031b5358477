import type { ByteWriter } from '../../encoding/byte-writer.js';

/**
 * Value buffers that went to an encode worker whole come back once their page is encoded,
 * and the main thread's stores start later pages on them. A fresh allocation instead is
 * paged in (and zeroed) by the kernel on first write, a second pass over memory that large
 * binary columns would pay on the main thread for every page.
 */
export class SpareBuffers {
  private readonly spares: ArrayBuffer[] = [];
  private bytes = 0;

  /** At most `maxBytes` are kept; the rest is left to the garbage collector. */
  constructor(private readonly maxBytes: number) {}

  /** A spare of at least `bytes` (the smallest one here), if any. */
  take(bytes: number): Uint8Array<ArrayBuffer> | undefined {
    let best = -1;
    for (let i = 0; i < this.spares.length; i++) {
      const size = this.spares[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.spares[best]!.byteLength)) best = i;
    }
    if (best < 0) return undefined;
    const [buffer] = this.spares.splice(best, 1);
    this.bytes -= buffer!.byteLength;
    return new Uint8Array(buffer!);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.bytes + buffer.byteLength > this.maxBytes) return;
    this.spares.push(buffer);
    this.bytes += buffer.byteLength;
  }
}

/**
 * A page's value bytes for transfer: a full-enough buffer is handed over whole (the writer
 * continues on a fresh one) rather than copied; a mostly empty one is copied, so a small
 * page does not ship (and re-allocate) a large buffer.
 */
export function takeBytes(data: ByteWriter, spares: SpareBuffers | undefined): { values: Uint8Array<ArrayBuffer>; whole: boolean } {
  const { buffer } = data;
  if (data.length >= buffer.length / 2 && buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) {
    return { values: data.detach(spares?.take(buffer.length)), whole: true };
  }
  return { values: buffer.slice(0, data.length), whole: false };
}
