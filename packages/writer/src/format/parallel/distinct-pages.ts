/**
 * When a string column's pages go to its encode worker as distinct-value tables (see
 * protocol.ts packDistinct). A table costs a map lookup per value and saves encoding every
 * repeat; for columns of nearly unique strings (hashes, ids) it is all cost, so after a page
 * whose values were mostly distinct the column sends plain pages for a while, then tries a
 * table again. Only speed depends on this: the worker rebuilds the same values either way.
 */
/** Above this share of distinct values a table does not pay. */
const MOSTLY_DISTINCT = 0.75;
/** Pages sent plain before a column that did not pay tries a table again. */
const PLAIN_PAGES_BEFORE_RETRY = 16;

export class DistinctPagePolicy {
  /** Per column, pages still to send plain. */
  private readonly plainFor: Int32Array;

  constructor(columns: number) {
    this.plainFor = new Int32Array(columns);
  }

  /** Whether the column's next page should go as a table (counts down a plain stretch). */
  use(column: number): boolean {
    if (this.plainFor[column] === 0) return true;
    this.plainFor[column]!--;
    return false;
  }

  /** Whether the column's open page will go as a table (use() without counting down). */
  wouldUse(column: number): boolean {
    return this.plainFor[column] === 0;
  }

  /** What a table page held: `entries` distinct values of `values`. */
  observe(column: number, entries: number, values: number): void {
    if (entries > values * MOSTLY_DISTINCT) this.plainFor[column] = PLAIN_PAGES_BEFORE_RETRY;
  }
}
