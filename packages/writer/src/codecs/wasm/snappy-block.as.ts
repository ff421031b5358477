/**
 * The Snappy block compressor of ../snappy-block.ts in AssemblyScript, compiled to a 1 KiB
 * WebAssembly module (scripts/build-wasm.mjs writes it to snappy-block.wasm.ts; this file is
 * not part of the TypeScript build). Same hash, table, probe schedule and element choices,
 * so it writes the same bytes as the JavaScript one, which stays the fallback where
 * WebAssembly is unavailable. What WebAssembly gains here: 8-byte loads to extend matches,
 * short literals copied as 8-byte words and long ones with memory.copy, and no bounds checks.
 *
 * Memory layout (the caller, ../snappy-wasm.ts, owns everything above 80 KiB):
 *   64 KiB .. 80 KiB   the hash table, 8K 16-bit entries (reset per 64 KiB block)
 *   `inp`              the input, followed by at least 16 bytes of slack
 *   `outp`             the output, room for 32 + n + n/6 bytes plus 16 bytes of slack
 */
const BLOCK: i32 = 1 << 16;
const HASH_BITS: i32 = 13;
const INPUT_MARGIN: i32 = 15;
const TABLE: usize = 65536; // below it: the module's own (empty) static data

// @ts-ignore
@inline function hash(x: i32): i32 {
  return <i32>(<u32>(x * 0x1e35a7bd) >> (32 - HASH_BITS));
}
// @ts-ignore
@inline function tget(h: i32): i32 {
  return <i32>load<u16>(TABLE + (<usize>h << 1));
}
// @ts-ignore
@inline function tset(h: i32, v: i32): void {
  store<u16>(TABLE + (<usize>h << 1), <u16>v);
}
// @ts-ignore
@inline function ld(base: usize, at: i32): i32 {
  return load<i32>(base + <usize>at);
}

/** Compress n bytes at `inp` into `outp`; returns the compressed length. */
export function compress(inp: usize, n: i32, outp: usize): i32 {
  let op = outp;
  let v = <u32>n;
  while (v >= 0x80) {
    store<u8>(op++, (v & 0x7f) | 0x80);
    v >>= 7;
  }
  store<u8>(op++, v);
  for (let start = 0; start < n; start += BLOCK) {
    op = compressBlock(inp, start, min(n, start + BLOCK), op);
  }
  return <i32>(op - outp);
}

function emitLiteral(inp: usize, from: i32, to: i32, op: usize): usize {
  const len = to - from;
  const n = len - 1;
  if (n < 60) store<u8>(op++, n << 2);
  else if (n < 0x100) {
    store<u8>(op++, 60 << 2);
    store<u8>(op++, n);
  } else if (n < 0x10000) {
    store<u8>(op++, 61 << 2);
    store<u16>(op, n);
    op += 2;
  } else if (n < 0x1000000) {
    store<u8>(op++, 62 << 2);
    store<u16>(op, n);
    store<u8>(op + 2, n >>> 16);
    op += 3;
  } else {
    store<u8>(op++, 63 << 2);
    store<u32>(op, n);
    op += 4;
  }
  const src = inp + <usize>from;
  if (len <= 64) {
    // Word copies may read and write up to 7 bytes past the literal: the caller leaves
    // slack after the input and the output, and later output overwrites the excess.
    for (let i: usize = 0; i < <usize>len; i += 8) store<u64>(op + i, load<u64>(src + i));
  } else {
    memory.copy(op, src, <usize>len);
  }
  return op + <usize>len;
}

function emitCopy(offset: i32, len: i32, op: usize): usize {
  while (len >= 68) {
    store<u8>(op, (63 << 2) | 2);
    store<u16>(op + 1, offset);
    op += 3;
    len -= 64;
  }
  if (len > 64) {
    store<u8>(op, (59 << 2) | 2);
    store<u16>(op + 1, offset);
    op += 3;
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    store<u8>(op, ((offset >>> 8) << 5) | ((len - 4) << 2) | 1);
    store<u8>(op + 1, offset);
    op += 2;
  } else {
    store<u8>(op, ((len - 1) << 2) | 2);
    store<u16>(op + 1, offset);
    op += 3;
  }
  return op;
}

function compressBlock(inp: usize, start: i32, end: i32, op: usize): usize {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    memory.fill(TABLE, 0, 2 << HASH_BITS);
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = hash(ld(inp, ip));
    while (true) {
      // Look for a 4-byte match, skipping ahead faster the longer nothing matches
      // (google/snappy 1.1's schedule, as in the JavaScript compressor).
      let skip = 32;
      let nextIp = ip;
      let candidate: i32 = 0;
      let found = false;
      do {
        ip = nextIp;
        const h = nextHash;
        const step = skip >>> 5;
        skip += step;
        nextIp = ip + step;
        if (nextIp > ipLimit) break;
        nextHash = hash(ld(inp, nextIp));
        candidate = start + tget(h);
        tset(h, ip - start);
        if (ld(inp, ip) == ld(inp, candidate)) { found = true; break; }
      } while (true);
      if (!found) break;

      op = emitLiteral(inp, nextEmit, ip, op);
      // Emit copies for as long as the byte after each match starts another match.
      let done = false;
      while (true) {
        const base = ip;
        let a = candidate + 4;
        let b = ip + 4;
        // Extend the match 8 bytes at a time; the first differing byte is the lowest set
        // byte of the XOR. The last few bytes of the block go one at a time.
        while (true) {
          if (b + 8 > end) {
            while (b < end && load<u8>(inp + <usize>a) == load<u8>(inp + <usize>b)) {
              a++;
              b++;
            }
            break;
          }
          const x = load<u64>(inp + <usize>a) ^ load<u64>(inp + <usize>b);
          if (x != 0) {
            b += <i32>(ctz<u64>(x) >> 3);
            break;
          }
          a += 8;
          b += 8;
        }
        ip = b;
        op = emitCopy(base - candidate, b - base, op);
        nextEmit = ip;
        if (ip >= ipLimit) { done = true; break; }
        tset(hash(ld(inp, ip - 1)), ip - 1 - start);
        const h = hash(ld(inp, ip));
        candidate = start + tget(h);
        tset(h, ip - start);
        if (ld(inp, ip) != ld(inp, candidate)) break;
      }
      if (done) break;
      nextHash = hash(ld(inp, ++ip));
    }
  }
  if (nextEmit < end) op = emitLiteral(inp, nextEmit, end, op);
  return op;
}
