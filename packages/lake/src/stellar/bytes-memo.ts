/**
 * Memoises a pure function of short byte strings (contract ids, ledger keys, event topics):
 * equal bytes give back the very same result object.
 *
 * Why: the same few contracts, keys and topics recur in most rows of a ledger. Besides
 * skipping the work (base32, SHA-256, JSON text, base64), handing the writer one string
 * object per distinct value matters downstream: a dictionary lookup of a string V8 has
 * hashed before is a pointer compare, while every fresh copy must be hashed and compared
 * character by character.
 *
 * The table hashes the bytes in place (no key string is built), keeps its keys in one arena
 * and is cleared wholesale when full, which bounds memory without LRU bookkeeping. Inputs
 * longer than `maxKeyBytes` are computed every time (they rarely repeat and would crowd the
 * arena).
 */
const everyMemo: Array<{ clear(): void }> = [];

/**
 * Empties every memo in the process. Benchmarks that replay the same ledgers call it per
 * pass, so that only the repetition within a pass is counted.
 */
export function clearBytesMemos(): void {
  for (const m of everyMemo) m.clear();
}

export class BytesMemo<V> {
  private table: Int32Array; // entry + 1; 0 = empty
  private hashes: Int32Array;
  private offsets: Int32Array; // entry i's key is arena[offsets[i], offsets[i + 1])
  private arena: Uint8Array;
  private readonly values: V[] = [];

  constructor(
    private readonly compute: (bytes: Uint8Array) => V,
    private readonly maxEntries = 16_384,
    private readonly maxKeyBytes = 256,
  ) {
    // A power of two (slots are hash & mask) at least twice the entries (probes stay short).
    this.table = new Int32Array(2 ** Math.ceil(Math.log2(2 * maxEntries)));
    this.hashes = new Int32Array(maxEntries);
    this.offsets = new Int32Array(maxEntries + 1);
    this.arena = new Uint8Array(Math.min(maxEntries * 64, 1 << 20));
    everyMemo.push(this);
  }

  get size(): number {
    return this.values.length;
  }

  get(bytes: Uint8Array): V {
    const len = bytes.length;
    if (len > this.maxKeyBytes) return this.compute(bytes);
    // FNV-1a over the bytes, then a final mix so that low bits (the slot) depend on all.
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    h ^= h >>> 15;
    const table = this.table;
    const mask = table.length - 1;
    let slot = h & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) break;
      const idx = entry - 1;
      if (this.hashes[idx] !== h) continue;
      const start = this.offsets[idx]!;
      if (this.offsets[idx + 1]! - start !== len) continue;
      const arena = this.arena;
      let k = 0;
      while (k < len && arena[start + k] === bytes[k]) k++;
      if (k === len) return this.values[idx]!;
    }
    const value = this.compute(bytes);
    if (this.values.length === this.maxEntries) {
      this.clear();
      slot = h & mask;
    }
    this.insert(slot, h, bytes, value);
    return value;
  }

  clear(): void {
    this.table.fill(0);
    this.values.length = 0;
  }

  private insert(slot: number, h: number, bytes: Uint8Array, value: V): void {
    const idx = this.values.length;
    const start = this.offsets[idx]!;
    const end = start + bytes.length;
    if (end > this.arena.length) {
      const grown = new Uint8Array(Math.max(end, 2 * this.arena.length));
      grown.set(this.arena.subarray(0, start));
      this.arena = grown;
    }
    this.arena.set(bytes, start);
    this.offsets[idx + 1] = end;
    this.hashes[idx] = h;
    this.values.push(value);
    this.table[slot] = idx + 1;
  }
}
