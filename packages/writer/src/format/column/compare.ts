/**
 * Orderings used by statistics (parquet.thrift ColumnOrder, TypeDefinedOrder):
 * byte arrays compare as unsigned bytes, lexicographically; decimals stored as bytes
 * compare as signed big-endian two's complement integers.
 */
export function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}

export function compareSignedBigEndian(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const aLen = aEnd - aStart;
  const bLen = bEnd - bStart;
  const aNeg = aLen > 0 && (a[aStart]! & 0x80) !== 0;
  const bNeg = bLen > 0 && (b[bStart]! & 0x80) !== 0;
  if (aNeg !== bNeg) return aNeg ? -1 : 1;
  // Same sign: compare as if both were sign-extended to the longer length.
  const len = Math.max(aLen, bLen);
  const pad = aNeg ? 0xff : 0;
  for (let i = 0; i < len; i++) {
    const ai = i - (len - aLen);
    const bi = i - (len - bLen);
    const x = ai < 0 ? pad : a[aStart + ai]!;
    const y = bi < 0 ? pad : b[bStart + bi]!;
    if (x !== y) return x - y;
  }
  return 0;
}
