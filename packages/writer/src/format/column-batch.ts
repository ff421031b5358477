import { ParquetSchemaError, ParquetValueError, ValueConversionError, describeValue } from './errors.js';
import type { ParquetSchema } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';
import { ByteColumnInput, isByteColumnValues, type ByteColumnValues } from './column-batch-bytes.js';
import { TypedColumnInput, bulkArrayOf } from './column-batch-typed.js';
import type { RunColumnInput } from './column-batch-runs.js';

/**
 * Column-oriented input for flat schemas (every top-level field a primitive): each column
 * is an array or typed array of values, optionally with a validity array (truthy = present;
 * a null or undefined value is also null) or an Arrow validity bitmap. A string, enum, json,
 * bson or binary column may also come in Arrow's offsets + data layout (ByteColumnValues).
 * Skips the per-row object walk of the shredder.
 */
export interface ColumnBatch {
  numRows?: number;
  columns: Record<string, ArrayLike<unknown> | ColumnValues | ByteColumnValues>;
}

export interface ColumnValues {
  values: ArrayLike<unknown>;
  /** One entry per row, truthy = present. */
  validity?: ArrayLike<boolean | number>;
  /** Arrow validity bitmap: bit i (least significant first) set = row i present. */
  nullBitmap?: Uint8Array;
}

export type { ByteColumnValues };

export interface BatchHooks {
  mark(): void;
  rollback(): void;
  afterRows(count: number): Promise<void> | undefined;
  /** How many rows may go in before a row-group or page row limit needs checking. */
  rowsUntilLimit(): number;
}

/** Rows handed to the columns between page/row-group checks. */
const SLICE = 256;

export async function writeColumnBatch(
  batch: ColumnBatch,
  schema: ParquetSchema,
  buffers: readonly PageBuffer[],
  firstRow: number,
  hooks: BatchHooks,
): Promise<number> {
  if (typeof batch !== 'object' || batch === null || typeof batch.columns !== 'object' || batch.columns === null) {
    throw new ParquetSchemaError('batch', 'expected { columns: { name: values } }');
  }
  for (const name of Object.keys(batch.columns)) {
    if (!schema.roots.some((r) => r.name === name)) throw new ParquetSchemaError(`batch.columns.${name}`, 'not in the schema');
  }
  const given = schema.roots.map((root) => {
    if (root.kind !== 'leaf') throw new ParquetSchemaError(root.path, 'column batches need a flat schema; write nested fields as rows');
    return { root, raw: batch.columns[root.name] };
  });
  const lengths = given.filter((g) => g.raw !== undefined).map((g) => rowsIn(g.raw!));
  const numRows = batch.numRows ?? (lengths.length > 0 ? lengths[0]! : 0);
  const inputs = given.map(({ root, raw }): Input => {
    if (raw === undefined) {
      if (!root.optional) throw new ParquetValueError(root.path, firstRow, 'required column is missing from the batch');
      return { root, values: undefined, present: () => false };
    }
    if (rowsIn(raw) < numRows) throw new ParquetSchemaError(root.path, `has ${rowsIn(raw)} values, batch has ${numRows} rows`);
    const col = isByteColumnValues(raw) || isColumnValues(raw) ? raw : { values: raw };
    const present = presence(root.path, col.validity, col.nullBitmap, numRows);
    const column = schema.columns[root.column]!;
    if (isByteColumnValues(col)) return { root, bulk: new ByteColumnInput(column, root.optional, col, numRows, present) };
    const typed = bulkArrayOf(column, col.values);
    if (typed) return { root, bulk: new TypedColumnInput(column, root.optional, typed, present) };
    return { root, values: col.values, present };
  });

  for (let start = 0; start < numRows;) {
    // Slices stop exactly at row-group and page row limits, as the row-by-row path does.
    const end = Math.min(numRows, start + SLICE, start + hooks.rowsUntilLimit());
    hooks.mark();
    const failedAt = fillSlice(inputs, buffers, start, end, firstRow);
    if (failedAt) {
      // Keep the good rows before the bad one: redo them, then report the bad row.
      hooks.rollback();
      if (failedAt.row > start) {
        fillSlice(inputs, buffers, start, failedAt.row, firstRow);
        await hooks.afterRows(failedAt.row - start);
      }
      throw failedAt.error;
    }
    await hooks.afterRows(end - start);
    start = end;
  }
  return numRows;
}

/** A column of the batch: stored a run at a time (`bulk`, which knows its rows' presence), or converted value by value. */
type Input = { root: ParquetSchema['roots'][number] & { kind: 'leaf' } } & (
  { bulk: RunColumnInput } | { bulk?: undefined; values: ArrayLike<unknown> | undefined; present: (row: number) => boolean }
);

function fillSlice(
  inputs: Input[],
  buffers: readonly PageBuffer[],
  start: number,
  end: number,
  firstRow: number,
): { row: number; error: ParquetValueError } | undefined {
  let failed: { row: number; error: ParquetValueError } | undefined;
  for (const input of inputs) {
    const { root } = input;
    const buffer = buffers[root.column]!;
    const stop = failed ? failed.row : end;
    if (input.bulk) {
      failed = input.bulk.fill(buffer, start, stop, firstRow) ?? failed;
      continue;
    }
    const { values, present } = input;
    for (let r = start; r < stop; r++) {
      const v = values === undefined || !present(r) ? null : values[r];
      if (v === null || v === undefined) {
        if (!root.optional) {
          failed = { row: r, error: new ParquetValueError(root.path, firstRow + r, 'required value is missing') };
          break;
        }
        buffer.appendNull(0, 0);
        continue;
      }
      try {
        buffer.appendValue(v, 0);
      } catch (err) {
        const reason = err instanceof ValueConversionError ? err.message : `cannot write ${describeValue(v)}`;
        failed = { row: r, error: new ParquetValueError(root.path, firstRow + r, reason) };
        break;
      }
    }
  }
  return failed;
}

/** Rows a column holds: its values, or its offsets less one. */
function rowsIn(raw: ArrayLike<unknown> | ColumnValues | ByteColumnValues): number {
  if (isByteColumnValues(raw)) return Math.max(0, (raw.offsets?.length ?? 0) - 1);
  return isColumnValues(raw) ? raw.values.length : raw.length;
}

/** Whether row r is present, from a validity array, an Arrow bitmap, or neither (all present). */
function presence(path: string, validity: ArrayLike<boolean | number> | undefined, bitmap: Uint8Array | undefined, numRows: number): (row: number) => boolean {
  if (validity !== undefined && bitmap !== undefined) throw new ParquetSchemaError(path, 'give validity or nullBitmap, not both');
  if (bitmap !== undefined) {
    if (!(bitmap instanceof Uint8Array)) throw new ParquetSchemaError(path, 'nullBitmap must be a Uint8Array');
    if (bitmap.length * 8 < numRows) throw new ParquetSchemaError(path, `nullBitmap has ${bitmap.length * 8} bits, batch has ${numRows} rows`);
    return (r) => ((bitmap[r >> 3]! >> (r & 7)) & 1) === 1;
  }
  if (validity !== undefined) {
    if (validity.length < numRows) throw new ParquetSchemaError(path, `validity has ${validity.length} entries, batch has ${numRows} rows`);
    return (r) => !!validity[r];
  }
  return () => true;
}

function isColumnValues(x: ArrayLike<unknown> | ColumnValues | ByteColumnValues): x is ColumnValues {
  return typeof x === 'object' && x !== null && 'values' in x && !ArrayBuffer.isView(x) && !Array.isArray(x);
}
