/**
 * DELTA_LENGTH_BYTE_ARRAY encoder (Encodings.md, "Delta-length byte array:
 * (DELTA_LENGTH_BYTE_ARRAY = 6)"):
 *
 *   <lengths, DELTA_BINARY_PACKED (INT32)> <all value bytes concatenated>
 *
 * Values come in the same shape PLAIN uses (one data buffer plus n + 1 offsets), so the
 * bytes of a range are already contiguous and go out with a single copy.
 */
import type { ByteWriter } from './byte-writer.js';
import { encodeDeltaBinaryPackedInt32 } from './delta-binary-packed.js';
import type { ByteArrayValues } from './plain.js';
import { checkByteArrayRange } from './value-range.js';

// Lengths of the current page, reused across calls (grown on demand, never shrunk):
// the page-level cost is one pass over the offsets, not one allocation per value.
let lengthScratch = new Int32Array(1024);

function scratchFor(count: number): Int32Array {
  if (lengthScratch.length < count) {
    let size = lengthScratch.length * 2;
    while (size < count) size *= 2;
    lengthScratch = new Int32Array(size);
  }
  return lengthScratch;
}

export function encodeDeltaLengthByteArray(values: ByteArrayValues, start: number, end: number, out: ByteWriter): void {
  checkByteArrayRange(values, start, end, 'DELTA_LENGTH_BYTE_ARRAY');
  const { data, offsets } = values;
  const count = end - start;
  const lengths = scratchFor(count);
  for (let i = 0; i < count; i++) {
    const len = offsets[start + i + 1] - offsets[start + i];
    if (len < 0) throw new RangeError(`DELTA_LENGTH_BYTE_ARRAY: offsets decrease at value ${start + i}`);
    lengths[i] = len;
  }
  encodeDeltaBinaryPackedInt32(lengths, 0, count, out);
  if (count > 0) out.writeBytes(data.subarray(offsets[start], offsets[end]));
}
