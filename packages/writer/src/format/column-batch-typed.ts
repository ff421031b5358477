/**
 * Fixed-width columns of a column batch given as the typed array whose every element is a
 * valid value of the column (PrimitiveMapping.bulk: Int32Array for int32, Uint32Array for
 * uint32, BigInt64Array for int64 and timestamps, Float64Array for double, ...), as Arrow
 * holds them. A run of present values is copied into the page as bits: no conversion per
 * value, and no BigInt made per element of a BigInt64Array.
 */
import { RunColumnInput } from './column-batch-runs.js';
import type { ColumnDescriptor } from './schema/schema.js';
import type { BulkArrayName } from './schema/primitive-mapping.js';
import type { PageBuffer } from './column/page-buffer.js';

const BULK_ARRAYS: Record<BulkArrayName, { new (...args: never[]): ArrayBufferView }> = {
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  Float32Array,
  Float64Array,
};

/** The typed array `values` is, when its elements can be stored as they are in `column`. */
export function bulkArrayOf(column: ColumnDescriptor, values: unknown): ArrayBufferView | undefined {
  const bulk = column.mapping.bulk;
  return bulk !== undefined && values instanceof BULK_ARRAYS[bulk] ? values : undefined;
}

export class TypedColumnInput extends RunColumnInput {
  constructor(
    column: ColumnDescriptor,
    optional: boolean,
    private readonly values: ArrayBufferView,
    present: (row: number) => boolean,
  ) {
    super(column, optional, present);
  }

  protected storeRun(buffer: PageBuffer, from: number, to: number): undefined {
    this.copy(buffer, from, to);
    buffer.pushPresent(to - from);
    return undefined;
  }

  /** Values from..to-1 into the store, viewed as the store's own element type (Uint32 as Int32 bits, BigUint64 as BigInt64). */
  private copy(buffer: PageBuffer, from: number, to: number): void {
    const { buffer: bytes, byteOffset } = this.values;
    const store = buffer.store;
    const n = to - from;
    switch (store.kind) {
      case 'int32':
        store.appendAll(new Int32Array(bytes, byteOffset + from * 4, n));
        break;
      case 'int64':
        store.appendAll(new BigInt64Array(bytes, byteOffset + from * 8, n));
        break;
      case 'float':
        store.appendAll(new Float32Array(bytes, byteOffset + from * 4, n));
        break;
      case 'double':
        store.appendAll(new Float64Array(bytes, byteOffset + from * 8, n));
        break;
      default:
        throw new Error(`no bulk copy into a ${store.kind} store`);
    }
  }
}
