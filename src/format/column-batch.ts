import { ParquetSchemaError, ParquetValueError, ValueConversionError, describeValue } from './errors.js';
import type { ParquetSchema } from './schema/schema.js';
import type { ColumnChunkWriter } from './column/column-writer.js';

/**
 * Column-oriented input for flat schemas (every top-level field a primitive): each column
 * is an array or typed array of values, optionally with a validity array (truthy = present;
 * a null or undefined value is also null). Skips the per-row object walk of the shredder.
 */
export interface ColumnBatch {
  numRows?: number;
  columns: Record<string, ArrayLike<unknown> | ColumnValues>;
}

export interface ColumnValues {
  values: ArrayLike<unknown>;
  validity?: ArrayLike<boolean | number>;
}

export interface BatchHooks {
  mark(): void;
  rollback(): void;
  afterRows(count: number): Promise<void> | undefined;
  /** How many rows may go in before a row-group or page row limit needs checking. */
  rowsUntilLimit(): number;
}

/** Rows handed to the columns between page/row-group checks. */
const SLICE = 256;

export async function writeColumnBatch(batch: ColumnBatch, schema: ParquetSchema, columns: ColumnChunkWriter[],
  firstRow: number, hooks: BatchHooks): Promise<number> {
  if (typeof batch !== 'object' || batch === null || typeof batch.columns !== 'object' || batch.columns === null) {
    throw new ParquetSchemaError('batch', 'expected { columns: { name: values } }');
  }
  const inputs = schema.roots.map((root) => {
    if (root.kind !== 'leaf') throw new ParquetSchemaError(root.path, 'column batches need a flat schema; write nested fields as rows');
    const raw = batch.columns[root.name];
    if (raw === undefined) {
      if (!root.optional) throw new ParquetValueError(root.path, firstRow, 'required column is missing from the batch');
      return { root, values: undefined, validity: undefined };
    }
    const col = isColumnValues(raw) ? raw : { values: raw };
    return { root, values: col.values, validity: col.validity };
  });
  for (const name of Object.keys(batch.columns)) {
    if (!schema.roots.some((r) => r.name === name)) throw new ParquetSchemaError(`batch.columns.${name}`, 'not in the schema');
  }
  const lengths = inputs.filter((i) => i.values).map((i) => i.values!.length);
  const numRows = batch.numRows ?? (lengths.length > 0 ? lengths[0]! : 0);
  for (const i of inputs) {
    if (i.values && i.values.length < numRows) {
      throw new ParquetSchemaError(i.root.path, `has ${i.values.length} values, batch has ${numRows} rows`);
    }
  }

  for (let start = 0; start < numRows;) {
    // Slices stop exactly at row-group and page row limits, as the row-by-row path does.
    const end = Math.min(numRows, start + SLICE, start + hooks.rowsUntilLimit());
    hooks.mark();
    const failedAt = fillSlice(inputs, columns, start, end, firstRow);
    if (failedAt) {
      // Keep the good rows before the bad one: redo them, then report the bad row.
      hooks.rollback();
      if (failedAt.row > start) {
        fillSlice(inputs, columns, start, failedAt.row, firstRow);
        await hooks.afterRows(failedAt.row - start);
      }
      throw failedAt.error;
    }
    await hooks.afterRows(end - start);
    start = end;
  }
  return numRows;
}

type Input = { root: ParquetSchema['roots'][number]; values: ArrayLike<unknown> | undefined; validity: ArrayLike<boolean | number> | undefined };

function fillSlice(inputs: Input[], columns: ColumnChunkWriter[], start: number, end: number, firstRow: number):
  { row: number; error: ParquetValueError } | undefined {
  let failed: { row: number; error: ParquetValueError } | undefined;
  for (const { root, values, validity } of inputs) {
    if (root.kind !== 'leaf') continue;
    const buffer = columns[root.column]!.buffer;
    const stop = failed ? failed.row : end;
    for (let r = start; r < stop; r++) {
      const v = values === undefined || (validity && !validity[r]) ? null : values[r];
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

function isColumnValues(x: ArrayLike<unknown> | ColumnValues): x is ColumnValues {
  return typeof x === 'object' && x !== null && 'values' in x && !ArrayBuffer.isView(x) && !Array.isArray(x);
}
