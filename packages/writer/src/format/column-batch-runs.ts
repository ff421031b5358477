/**
 * Column-batch input that goes into the page a run of present rows at a time (Arrow-layout
 * bytes, typed arrays stored as bits) instead of value by value. The loop over rows, nulls and
 * runs is here; each kind says how a run is checked and stored.
 */
import { ParquetValueError } from './errors.js';
import type { ColumnDescriptor } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';

export type FillFailure = { row: number; error: ParquetValueError };

export abstract class RunColumnInput {
  constructor(
    protected readonly column: ColumnDescriptor,
    private readonly optional: boolean,
    private readonly present: (row: number) => boolean,
  ) {}

  /** Rows start..stop-1 into the page buffer; returns the first row that cannot go in (the rows before it are in). */
  fill(buffer: PageBuffer, start: number, stop: number, firstRow: number): FillFailure | undefined {
    const present = this.present;
    for (let r = start; r < stop;) {
      if (!present(r)) {
        if (!this.optional) return this.failure(r, firstRow, 'required value is missing');
        buffer.appendNull(0, 0);
        r++;
        continue;
      }
      let end = r + 1;
      while (end < stop && present(end)) end++;
      const failed = this.storeRun(buffer, r, end, firstRow);
      if (failed) return failed;
      r = end;
    }
    return undefined;
  }

  /** Stores the present rows from..to-1 with their levels, up to the first that cannot go in. */
  protected abstract storeRun(buffer: PageBuffer, from: number, to: number, firstRow: number): FillFailure | undefined;

  protected failure(row: number, firstRow: number, reason: string): FillFailure {
    return { row, error: new ParquetValueError(this.column.pathString, firstRow + row, reason) };
  }
}
