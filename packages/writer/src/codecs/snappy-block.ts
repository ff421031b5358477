/**
 * A Snappy block compressor (the raw format of google/snappy's format_description.txt,
 * which Parquet's SNAPPY codec uses: a varint length, then literal and copy elements).
 * Written for V8: 4-byte loads through a DataView (signed: an unsigned load above 2^31 is a
 * heap number, allocated wherever the optimiser cannot keep it in a register), matches
 * extended a word at a time (the last partial word through the XOR's lowest set byte),
 * literals below 256 bytes copied as words (no subarray view to allocate) and longer ones
 * with TypedArray.set, and one output buffer reused across pages, so a page costs a single
 * exact-size copy. The hash table is 8K 16-bit entries: 16 KiB stays in
 * L1, where a larger table's lookups would miss the cache, at a ratio still below
 * google/snappy's own.
 */
const BLOCK = 1 << 16; // matches never reach across 64 KiB blocks, so offsets fit 2 bytes
const HASH_BITS = 13;
const INPUT_MARGIN = 15; // bytes kept clear at a block's end so 4-byte loads stay in bounds
const table = new Uint16Array(1 << HASH_BITS);

let out = new Uint8Array(0);
let outView = new DataView(out.buffer);

/** The largest Snappy output for n input bytes (google/snappy's MaxCompressedLength). */
export function maxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export function snappyCompress(input: Uint8Array): Uint8Array {
  const n = input.length;
  const need = maxCompressedLength(n);
  if (out.length < need + 16) {
    out = new Uint8Array(Math.max(need + 16, out.length * 2));
    outView = new DataView(out.buffer);
  }
  let op = 0;
  // Preamble: the uncompressed length as a little-endian varint.
  let v = n;
  while (v >= 0x80) {
    out[op++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[op++] = v;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  for (let start = 0; start < n; start += BLOCK) {
    op = compressBlock(input, view, start, Math.min(n, start + BLOCK), op);
  }
  return out.slice(0, op);
}

function hash(x: number): number {
  return Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function emitLiteral(input: Uint8Array, inView: DataView, from: number, to: number, op: number): number {
  const len = to - from;
  const n = len - 1;
  if (n < 60) out[op++] = n << 2;
  else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else if (n < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  } else if (n < 0x1000000) {
    out[op++] = 62 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = n >>> 16;
  } else {
    out[op++] = 63 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = (n >>> 16) & 0xff;
    out[op++] = n >>> 24;
  }
  if (len < 256 && to + 4 <= input.length) {
    // Word copies; may write up to 3 bytes past the literal, which later output overwrites
    // (out always has slack beyond the worst case) and read up to 3 past it (checked above).
    for (let i = 0; i < len; i += 4) outView.setInt32(op + i, inView.getInt32(from + i, true), true);
    return op + len;
  }
  if (len < 16) {
    for (let i = from; i < to; i++) out[op++] = input[i]!;
    return op;
  }
  out.set(input.subarray(from, to), op);
  return op + len;
}

function emitCopy(offset: number, len: number, op: number): number {
  // Long matches go out as 64-byte copies, leaving at least 4 bytes for the last one.
  while (len >= 68) {
    out[op++] = (63 << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    out[op++] = (59 << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    out[op++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
    out[op++] = offset & 0xff;
  } else {
    out[op++] = ((len - 1) << 2) | 2;
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

function compressBlock(input: Uint8Array, view: DataView, start: number, end: number, op: number): number {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    table.fill(0);
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = hash(view.getInt32(ip, true));
    outer: for (;;) {
      // Look for a 4-byte match, skipping ahead faster the longer nothing matches.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const h = nextHash;
        // google/snappy 1.1's schedule: the step grows by 1/32 of itself per miss, so long
        // incompressible runs (XDR blobs, hashes) are crossed in far fewer probes.
        const step = skip >>> 5;
        skip += step;
        nextIp = ip + step;
        if (nextIp > ipLimit) break outer;
        nextHash = hash(view.getInt32(nextIp, true));
        candidate = start + table[h]!;
        table[h] = ip - start;
      } while (view.getInt32(ip, true) !== view.getInt32(candidate, true));

      op = emitLiteral(input, view, nextEmit, ip, op);
      // Emit copies for as long as the byte after each match starts another match.
      for (;;) {
        const base = ip;
        let a = candidate + 4;
        let b = ip + 4;
        while (b + 4 <= end && view.getInt32(a, true) === view.getInt32(b, true)) {
          a += 4;
          b += 4;
        }
        if (b + 4 <= end) {
          // The words differ: the first differing byte is the lowest set byte of the XOR.
          const x = view.getInt32(a, true) ^ view.getInt32(b, true);
          b += (31 - Math.clz32(x & -x)) >>> 3;
        } else {
          while (b < end && input[a] === input[b]) {
            a++;
            b++;
          }
        }
        ip = b;
        op = emitCopy(base - candidate, b - base, op);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[hash(view.getInt32(ip - 1, true))] = ip - 1 - start;
        const h = hash(view.getInt32(ip, true));
        candidate = start + table[h]!;
        table[h] = ip - start;
        if (view.getInt32(ip, true) !== view.getInt32(candidate, true)) break;
      }
      nextHash = hash(view.getInt32(++ip, true));
    }
  }
  if (nextEmit < end) op = emitLiteral(input, view, nextEmit, end, op);
  return op;
}
