/**
 * How often (in rows) a writer re-checks the open row group's byte size against
 * rowGroupBytes between page flushes: summing every column's buffered size per row would
 * cost more than the rows. The single-threaded and the parallel writer use the same rule,
 * so both cut row groups at the same rows.
 */
const SIZE_CHECK_INTERVAL = 256;

/** True when going from `before` to `after` rows in the group crossed a check point. */
export function sizeCheckDue(before: number, after: number): boolean {
  return Math.floor(after / SIZE_CHECK_INTERVAL) !== Math.floor(before / SIZE_CHECK_INTERVAL);
}
