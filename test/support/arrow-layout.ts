/**
 * Column data in Apache Arrow's layout, for writeColumns tests: validity bitmaps and the
 * variable-size binary layout (offsets + data) that ByteColumnValues takes.
 */
const utf8 = new TextEncoder();

/** Arrow validity bitmap of `length` rows: bit i (least significant first) set when present(i). */
export function validityBitmap(length: number, present: (i: number) => boolean): Uint8Array {
  const bits = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (present(i)) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

/**
 * Strings (as UTF-8) and bytes as offsets + data with a validity bitmap; a null slot gets no
 * bytes, as Arrow writes it. `wide`: int64 offsets (Arrow's large_utf8 / large_binary).
 */
export function arrowBytes(
  values: readonly (string | Uint8Array | null)[],
  wide = false,
): { offsets: Int32Array | BigInt64Array; data: Uint8Array; nullBitmap: Uint8Array } {
  const parts = values.map((v) => (v === null ? new Uint8Array(0) : typeof v === 'string' ? utf8.encode(v) : v));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.length;
  });
  const data = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  const nullBitmap = validityBitmap(values.length, (i) => values[i] !== null);
  return { offsets: wide ? BigInt64Array.from(offsets, (o) => BigInt(o)) : offsets, data, nullBitmap };
}
