/**
 * Number of bits needed to represent every integer in [0, maxValue].
 *
 * Used to size definition/repetition levels (bit width of the max level, Encodings.md
 * "Run Length Encoding / Bit-Packing Hybrid (RLE = 3)") and dictionary indices
 * (RLE_DICTIONARY writes this width as a single byte before the runs). A max of 0
 * needs 0 bits, which is how flat REQUIRED columns end up with no level bytes.
 */
export function bitWidth(maxValue: number): number {
  if (!Number.isInteger(maxValue) || maxValue < 0) {
    throw new RangeError(`bitWidth: expected a non-negative integer, got ${maxValue}`);
  }
  if (maxValue <= 0xffffffff) return 32 - Math.clz32(maxValue);
  // Beyond 32 bits Math.clz32 would truncate; the hybrid encoding never needs this,
  // but answering correctly up to 2^53 keeps the helper honest.
  let width = 32;
  let rest = Math.floor(maxValue / 0x100000000);
  while (rest > 0) {
    width++;
    rest = Math.floor(rest / 2);
  }
  return width;
}
