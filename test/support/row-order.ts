/**
 * Row orders that put a column's extreme values at the edges: rows sorted ascending or
 * descending by one top-level primitive column, or with its maximum moved to the first or the
 * last row (bounds computed across page and row group edges; boundary orders other than
 * UNORDERED). Values compare in the column's sort order (index-check.ts compareCanon); nulls
 * and NaN sort last.
 */
import fc from 'fast-check';
import type { FieldSpec, PrimitiveTypeSpec } from '../../packages/writer/src/format/schema/types.js';
import { canon, isPrimitive, type Canon } from './model.js';
import { compareCanon } from './index-check.js';

type Order = 'as-given' | 'ascending' | 'descending' | 'max-first' | 'max-last';

function key(spec: PrimitiveTypeSpec, v: unknown): Canon | undefined {
  if (v === null || v === undefined) return undefined;
  const c = canon(spec, v);
  return (c.k === 'float' || c.k === 'half') && Number.isNaN(c.v) ? undefined : c;
}

function compare(a: Canon | undefined, b: Canon | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  return compareCanon(a, b);
}

export function orderRows(fields: readonly FieldSpec[], rows: Record<string, unknown>[], order: Order, column: number): Record<string, unknown>[] {
  const leaves = fields.filter((f): f is FieldSpec & PrimitiveTypeSpec => isPrimitive(f));
  if (order === 'as-given' || leaves.length === 0 || rows.length < 2) return rows;
  const f = leaves[column % leaves.length]!;
  const keyed = rows.map((row) => ({ row, k: key(f, row[f.name]) }));
  if (order === 'ascending' || order === 'descending') {
    const sign = order === 'ascending' ? 1 : -1;
    // Nulls stay last either way: the maximum is then the last or the first non-null value.
    keyed.sort((a, b) => (a.k === undefined || b.k === undefined ? compare(a.k, b.k) : sign * compare(a.k, b.k)));
    return keyed.map((x) => x.row);
  }
  let at = 0;
  keyed.forEach((x, i) => {
    if (x.k !== undefined && (keyed[at]!.k === undefined || compare(x.k, keyed[at]!.k) > 0)) at = i;
  });
  const [max] = keyed.splice(at, 1);
  return (order === 'max-first' ? [max!, ...keyed] : [...keyed, max!]).map((x) => x.row);
}

/** `rows`, reordered half of the time so a column's maximum is first or last (see orderRows). */
export function edgeOrderedRowsArb(fields: readonly FieldSpec[], rows: fc.Arbitrary<Record<string, unknown>[]>): fc.Arbitrary<Record<string, unknown>[]> {
  return fc
    .tuple(rows, fc.constantFrom<Order>('as-given', 'as-given', 'as-given', 'ascending', 'descending', 'max-first', 'max-last'), fc.nat())
    .map(([rs, order, column]) => orderRows(fields, rs, order, column));
}
