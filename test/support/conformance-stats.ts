/**
 * Statistics rules of the conformance check: what a Statistics struct (chunk or page header)
 * or a ColumnIndex entry may hold for its column's sort order, and that its bounds bound the
 * values a reader returned for that chunk or page.
 */
import type { Findings } from './conformance-rules.js';
import { Converted, type SchemaEl, type Stats } from './footer-parse.js';
import { compareKeys, describeKey, statKey, type SortKey, type SortOrder } from './sort-order.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Types whose values are UTF-8 text (LogicalTypes.md STRING, ENUM, JSON). */
function isUtf8Type(el: SchemaEl): boolean {
  const l = el.logical?.name;
  if (l !== undefined) return l === 'STRING' || l === 'ENUM' || l === 'JSON';
  return el.convertedType === Converted.UTF8 || el.convertedType === Converted.ENUM || el.convertedType === Converted.JSON;
}

const isNaNKey = (k: SortKey): boolean => typeof k === 'number' && Number.isNaN(k);

/** What is known of the values a Statistics struct or ColumnIndex entry describes. */
export interface ValueFacts {
  /** Non-null values (NaN included) in the column's order; undefined when not known. */
  values?: SortKey[];
  /** Null entries (level entries without a value). */
  nulls?: number;
  /** All level entries, nulls included. */
  numValues?: number;
}

/** Decodes a min/max pair and checks it on its own: PLAIN width, valid value, float rules, min <= max. */
export function boundKeys(f: Findings, where: string, el: SchemaEl, order: SortOrder, min: Uint8Array, max: Uint8Array): [SortKey, SortKey] | undefined {
  const lo = statKey(order, min);
  const hi = statKey(order, max);
  const okLo = f.expect(typeof lo !== 'string', 'stats-plain', where, () => `min: ${String(lo)}`);
  const okHi = f.expect(typeof hi !== 'string', 'stats-plain', where, () => `max: ${String(hi)}`);
  if (!okLo || !okHi) return undefined;
  const a = lo as SortKey;
  const b = hi as SortKey;
  if (order.kind === 'bytes' && isUtf8Type(el)) {
    for (const [name, bytes] of [
      ['min', min],
      ['max', max],
    ] as const) {
      let valid = true;
      try {
        strictUtf8.decode(bytes);
      } catch {
        valid = false;
      }
      f.expect(valid, 'stats-valid-value', where, () => `${name} 0x${Buffer.from(bytes).toString('hex')} is not valid UTF-8`);
    }
  }
  if (order.kind === 'float') {
    const x = a as number;
    const y = b as number;
    if (!f.expect(!Number.isNaN(x) && !Number.isNaN(y), 'float-minmax', where, () => `NaN bound (min ${describeKey(a)}, max ${describeKey(b)})`))
      return undefined;
    f.expect(x !== 0 || Object.is(x, -0), 'float-minmax', where, () => 'a zero min is written as +0.0, not -0.0');
    f.expect(y !== 0 || Object.is(y, 0), 'float-minmax', where, () => 'a zero max is written as -0.0, not +0.0');
  }
  f.expect(compareKeys(a, b) <= 0, 'stats-bounds', where, () => `min ${describeKey(a)} sorts above max ${describeKey(b)}`);
  return [a, b];
}

/** Every non-NaN value sorts between the bounds (reported once per side). */
export function checkWithin(f: Findings, where: string, [min, max]: [SortKey, SortKey], values: readonly SortKey[]): void {
  let below: SortKey | undefined;
  let above: SortKey | undefined;
  for (const v of values) {
    if (isNaNKey(v)) continue;
    if (below === undefined && compareKeys(v, min) < 0) below = v;
    if (above === undefined && compareKeys(v, max) > 0) above = v;
  }
  f.expect(below === undefined, 'stats-bounds', where, () => `value ${describeKey(below!)} sorts below min ${describeKey(min)}`);
  f.expect(above === undefined, 'stats-bounds', where, () => `value ${describeKey(above!)} sorts above max ${describeKey(max)}`);
}

/** A Statistics struct (chunk metadata or a data page header) against its column and values. */
export function checkStatistics(f: Findings, where: string, el: SchemaEl, order: SortOrder, s: Stats, facts: ValueFacts): void {
  const floating = order.kind === 'float';
  if (s.min !== undefined || s.max !== undefined) {
    f.expect(
      (order.kind === 'int' && order.signed) || floating || order.kind === 'boolean',
      'stats-deprecated-minmax',
      where,
      () => `deprecated min/max on a column ordered ${order.kind === 'int' ? 'unsigned' : order.kind}`,
    );
  }
  if (order.kind === 'undefined') {
    f.expect(
      s.minValue === undefined && s.maxValue === undefined && s.min === undefined && s.max === undefined,
      'stats-undefined-order',
      where,
      () => `min/max written for a column without a sort order (${order.why})`,
    );
  }
  f.expect(floating ? s.nanCount !== undefined : s.nanCount === undefined, 'nan-count', where, () =>
    floating ? 'nan_count missing on a floating-point column' : `nan_count ${String(s.nanCount)} on a non-floating column`,
  );
  const { values } = facts;
  if (floating && values && s.nanCount !== undefined) {
    const nans = values.filter(isNaNKey).length;
    f.expect(s.nanCount === BigInt(nans), 'nan-count', where, () => `nan_count ${s.nanCount} for ${nans} NaN values`);
  }
  if (s.nullCount !== undefined) {
    if (facts.nulls !== undefined)
      f.expect(s.nullCount === BigInt(facts.nulls), 'null-count', where, () => `null_count ${s.nullCount}, ${facts.nulls} nulls read back`);
    if (facts.numValues !== undefined)
      f.expect(s.nullCount <= BigInt(facts.numValues), 'stats-counts', where, () => `null_count ${s.nullCount} > num_values ${facts.numValues}`);
  }
  if (s.distinctCount !== undefined && values) {
    f.expect(s.distinctCount <= BigInt(values.length), 'stats-counts', where, () => `distinct_count ${s.distinctCount} > ${values.length} non-null values`);
  }
  f.expect(s.isMinValueExact === undefined || s.minValue !== undefined, 'stats-exact', where, () => 'is_min_value_exact without min_value');
  f.expect(s.isMaxValueExact === undefined || s.maxValue !== undefined, 'stats-exact', where, () => 'is_max_value_exact without max_value');
  if (s.minValue === undefined || s.maxValue === undefined || order.kind === 'undefined') return;
  const keys = boundKeys(f, where, el, order, s.minValue, s.maxValue);
  if (!keys || !values) return;
  const real = values.filter((v) => !isNaNKey(v));
  if (real.length === 0) {
    f.fail(
      values.length > 0 ? 'float-minmax' : 'stats-bounds',
      where,
      values.length > 0 ? 'min/max written though every non-null value is NaN' : 'min/max written for a chunk or page without values',
    );
    return;
  }
  checkWithin(f, where, keys, real);
  if (s.isMinValueExact === true) {
    f.expect(
      real.some((v) => compareKeys(v, keys[0]) === 0),
      'stats-exact',
      where,
      () => `is_min_value_exact, but no value equals min ${describeKey(keys[0])}`,
    );
  }
  if (s.isMaxValueExact === true) {
    f.expect(
      real.some((v) => compareKeys(v, keys[1]) === 0),
      'stats-exact',
      where,
      () => `is_max_value_exact, but no value equals max ${describeKey(keys[1])}`,
    );
  }
}
