import type { ByteWriter } from '../../encoding/byte-writer.js';
import {
  encodePlainBoolean,
  encodePlainByteArray,
  encodePlainDouble,
  encodePlainFixedLenByteArray,
  encodePlainFloat,
  encodePlainInt32,
  encodePlainInt64,
} from '../../encoding/plain.js';
import type { ValueStore } from './value-store.js';

/** PLAIN-encode every value held by `store` (Encodings.md, "Plain"). */
export function encodePlainValues(store: ValueStore, out: ByteWriter): void {
  const n = store.count;
  switch (store.kind) {
    case 'boolean':
      return encodePlainBoolean(store.values, 0, n, out);
    case 'int32':
      return encodePlainInt32(store.values, 0, n, out);
    case 'int64':
      return encodePlainInt64(store.values, 0, n, out);
    case 'float':
      return encodePlainFloat(store.values, 0, n, out);
    case 'double':
      return encodePlainDouble(store.values, 0, n, out);
    case 'bytes':
      return encodePlainByteArray({ data: store.data.buffer, offsets: store.offsets }, 0, n, out);
    // INT96 values are 12 bytes each in file order, so they encode like fixed-length bytes.
    case 'fixed':
      return encodePlainFixedLenByteArray(store.data.buffer.subarray(0, n * store.typeLength), store.typeLength, 0, n, out);
  }
}
