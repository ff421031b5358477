/**
 * Sets of ledgers as sorted, disjoint, inclusive intervals: what `verify` needs to compare
 * millions of ledgers without a map entry per ledger.
 */
export type Interval = readonly [number, number];

/** Sorted, merged (adjacent intervals join) copy of `xs`. */
export function union(xs: readonly Interval[]): Interval[] {
  const sorted = xs.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The parts of [start, end] that no interval of `covered` (a union) holds. */
export function gaps(start: number, end: number, covered: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let next = start;
  for (const [a, b] of covered) {
    if (b < next) continue;
    if (a > end) break;
    if (a > next) out.push([next, Math.min(a - 1, end)]);
    next = Math.max(next, b + 1);
    if (next > end) break;
  }
  if (next <= end) out.push([next, end]);
  return out;
}

export function size(xs: readonly Interval[]): number {
  return xs.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

export function clip([a, b]: Interval, start: number, end: number): Interval | undefined {
  const lo = Math.max(a, start);
  const hi = Math.min(b, end);
  return lo <= hi ? [lo, hi] : undefined;
}

export function show([a, b]: Interval): string {
  return a === b ? `${a}` : `${a}-${b}`;
}
