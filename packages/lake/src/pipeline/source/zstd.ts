import * as zlib from 'node:zlib';
import { loadZstdWasm } from 'cdp-parquet/zstd';

/**
 * zstd decompression for data-lake objects.
 *
 * Galexie writes frames with a streaming encoder, so the frame header often has no content
 * size, and @bokuweb/zstd-wasm's one-shot `decompress` then guesses 1 MiB and fails with
 * dstSize_tooSmall. That library has no streaming API, so instead we walk the frame's block
 * headers (cheap: a few bytes per 128 KiB block) to compute a tight upper bound on the
 * output, and decompress each frame once into a buffer of that size.
 * Node >= 22.15 has native zstd in zlib; use it when present.
 */

type NativeZstd = (buf: Uint8Array) => Buffer;
const nativeZstd: NativeZstd | undefined = (zlib as unknown as { zstdDecompressSync?: NativeZstd }).zstdDecompressSync;

export { loadZstdWasm, type WasmZstd } from 'cdp-parquet/zstd';

const ZSTD_MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;

export interface ZstdFrame {
  /** Byte range of the frame in the input. */
  start: number;
  end: number;
  /** Exact size if the header carries it, otherwise an upper bound from the block headers. */
  outputBound: number;
  skippable: boolean;
}

/** Splits a zstd stream into frames and bounds each frame's decompressed size. */
export function scanZstdFrames(buf: Uint8Array): ZstdFrame[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames: ZstdFrame[] = [];
  let p = 0;
  while (p < buf.length) {
    if (p + 4 > buf.length) throw new Error(`zstd: truncated frame magic at ${p}`);
    const magic = dv.getUint32(p, true);
    const start = p;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      const size = dv.getUint32(p + 4, true);
      p += 8 + size;
      frames.push({ start, end: p, outputBound: 0, skippable: true });
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new Error(`zstd: bad magic 0x${magic.toString(16)} at ${p}`);
    p += 4;
    const fhd = buf[p++]!;
    const fcsFlag = fhd >> 6;
    const singleSegment = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictFlag = fhd & 3;
    let windowSize = 0;
    if (!singleSegment) {
      const wd = buf[p++]!;
      const windowLog = 10 + (wd >> 3);
      const base = 2 ** windowLog;
      windowSize = base + (base / 8) * (wd & 7);
    }
    p += [0, 1, 2, 4][dictFlag]!;
    const fcsSize = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag]!;
    let contentSize = -1;
    if (fcsSize === 1) contentSize = buf[p]!;
    else if (fcsSize === 2) contentSize = dv.getUint16(p, true) + 256;
    else if (fcsSize === 4) contentSize = dv.getUint32(p, true);
    else if (fcsSize === 8) contentSize = Number(dv.getBigUint64(p, true));
    p += fcsSize;
    if (singleSegment) windowSize = contentSize;
    const blockMax = Math.min(windowSize, MAX_BLOCK);
    let bound = 0;
    for (;;) {
      if (p + 3 > buf.length) throw new Error('zstd: truncated block header');
      const bh = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16);
      p += 3;
      const last = bh & 1;
      const type = (bh >> 1) & 3;
      const size = bh >>> 3;
      if (type === 0) {
        bound += size;
        p += size;
      } else if (type === 1) {
        bound += size;
        p += 1;
      } else if (type === 2) {
        bound += blockMax;
        p += size;
      } else throw new Error('zstd: reserved block type');
      if (last) break;
    }
    if (checksum) p += 4;
    if (p > buf.length) throw new Error('zstd: truncated frame');
    frames.push({ start, end: p, outputBound: contentSize >= 0 ? contentSize : bound, skippable: false });
  }
  return frames;
}

/** Decompresses a whole zstd object (one or more frames): node:zlib where present, else WASM. */
export async function zstdDecompress(buf: Uint8Array): Promise<Uint8Array> {
  if (nativeZstd) {
    const out = nativeZstd(buf);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  return wasmZstdDecompress(buf);
}

/** The WASM path of zstdDecompress, on any runtime (exported so tests can run it on Node >= 22.15 too). */
export async function wasmZstdDecompress(buf: Uint8Array): Promise<Uint8Array> {
  const z = await loadZstdWasm();
  const frames = scanZstdFrames(buf).filter((f) => !f.skippable);
  const parts = frames.map((f) =>
    // +1 because a zero-sized request would be replaced by the library's 1 MiB default.
    z.decompress(buf.subarray(f.start, f.end), { defaultHeapSize: f.outputBound + 1 }),
  );
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, x) => n + x.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
