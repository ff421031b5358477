/**
 * Schemas for tables without a built-in definition, inferred from the whole buffer of a
 * file (never from its first message, which would turn `1` into an int column that the next
 * `1.5` cannot enter): int vs float is decided over all values, objects become STRUCTs,
 * arrays LISTs, a column that is null everywhere a nullable string. Every inferred column is
 * nullable, so a row that lacks a field is still a valid row.
 */
import type { FieldSpec, TypeSpec } from 'cdp-parquet';

type Inferred = TypeSpec | undefined; // undefined: only nulls seen so far

function typeOfValue(v: unknown): Inferred {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return { type: 'boolean', optional: true };
  if (typeof v === 'bigint') return { type: 'int64', optional: true };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'int64' : 'double', optional: true };
  if (typeof v === 'string') return { type: 'string', optional: true };
  if (v instanceof Uint8Array) return { type: 'binary', optional: true };
  if (v instanceof Date) return { type: 'timestamp', unit: 'us', utc: true, optional: true };
  if (Array.isArray(v)) {
    let el: Inferred;
    for (const x of v) el = unify(el, typeOfValue(x));
    return { type: 'list', element: finish(el), optional: true };
  }
  if (typeof v === 'object') return { type: 'struct', fields: inferFields([v as Record<string, unknown>]), optional: true };
  return { type: 'string', optional: true };
}

const NUMERIC_RANK: Record<string, number> = { int32: 1, int64: 2, double: 3 };

/** Combines two observations of the same column; a genuine conflict keeps the first type. */
function unify(a: Inferred, b: Inferred): Inferred {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.type === 'struct' && b.type === 'struct') return { type: 'struct', fields: unifyFields(a.fields, b.fields, true).fields, optional: true };
  if (a.type === 'list' && b.type === 'list') return { type: 'list', element: unify(a.element, b.element) ?? a.element, optional: true };
  const ra = NUMERIC_RANK[a.type];
  const rb = NUMERIC_RANK[b.type];
  if (ra !== undefined && rb !== undefined) return ra >= rb ? a : b;
  return a;
}

function finish(t: Inferred): TypeSpec {
  if (t === undefined) return { type: 'string', optional: true };
  if (t.type === 'struct') return { ...t, fields: t.fields.map((f) => ({ ...finish(f), name: f.name })) };
  if (t.type === 'list') return { ...t, element: finish(t.element) };
  return t;
}

/** Infers the fields of a buffer of objects, in order of first appearance. */
export function inferFields(rows: readonly Record<string, unknown>[]): FieldSpec[] {
  const types = new Map<string, Inferred>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) types.set(k, unify(types.get(k), typeOfValue(v)));
  }
  return [...types].map(([name, t]) => ({ ...finish(t), name }));
}

export interface MergeResult {
  fields: FieldSpec[];
  /** Human-readable list of what changed (added columns, widened types), for logs. */
  changes: string[];
}

/**
 * Schema evolution: `next` (inferred from the new buffer) folded into `prev`. Existing
 * columns keep their position; int32 -> int64 and int -> double widen; a new field becomes a
 * new nullable column when `allowAdd`. Any other difference keeps the old type, so the values
 * that do not fit are rejected row by row by the writer rather than changing the column.
 */
export function unifyFields(prev: readonly FieldSpec[], next: readonly FieldSpec[], allowAdd: boolean, path = ''): MergeResult {
  const changes: string[] = [];
  const byName = new Map(next.map((f) => [f.name, f]));
  const fields: FieldSpec[] = prev.map((old) => {
    const neu = byName.get(old.name);
    if (neu === undefined) return old;
    const merged = widen(old, neu, allowAdd, `${path}${old.name}`, changes);
    return { ...merged, name: old.name };
  });
  const known = new Set(prev.map((f) => f.name));
  for (const f of next) {
    if (known.has(f.name)) continue;
    if (!allowAdd) continue;
    fields.push({ ...f, optional: true });
    changes.push(`added ${path}${f.name} (${describeType(f)})`);
  }
  return { fields, changes };
}

function widen(old: TypeSpec, neu: TypeSpec, allowAdd: boolean, path: string, changes: string[]): TypeSpec {
  if (old.type === 'struct' && neu.type === 'struct') {
    const r = unifyFields(old.fields, neu.fields, allowAdd, `${path}.`);
    changes.push(...r.changes);
    return { ...old, fields: r.fields };
  }
  if (old.type === 'list' && neu.type === 'list') {
    return { ...old, element: widen(old.element, neu.element, allowAdd, `${path}[]`, changes) };
  }
  const ro = NUMERIC_RANK[old.type];
  const rn = NUMERIC_RANK[neu.type];
  if (allowAdd && ro !== undefined && rn !== undefined && rn > ro) {
    changes.push(`widened ${path} ${old.type} -> ${neu.type}`);
    return { ...old, type: neu.type } as TypeSpec;
  }
  return old;
}

function describeType(t: TypeSpec): string {
  if (t.type === 'list') return `list<${describeType(t.element)}>`;
  if (t.type === 'struct') return `struct<${t.fields.map((f) => `${f.name}: ${describeType(f)}`).join(', ')}>`;
  return t.type;
}

/**
 * Keeps only the schema's fields of a row (recursively through structs and lists), counting
 * the fields it drops: with schema evolution off, unknown fields are dropped and counted.
 */
export function projectRow(row: Record<string, unknown>, fields: readonly FieldSpec[]): { row: Record<string, unknown>; dropped: number } {
  let dropped = 0;
  const struct = (v: Record<string, unknown>, fs: readonly FieldSpec[]): Record<string, unknown> => {
    const names = new Set(fs.map((f) => f.name));
    for (const k of Object.keys(v)) if (!names.has(k) && v[k] !== undefined) dropped++;
    const out: Record<string, unknown> = {};
    for (const f of fs) out[f.name] = value(v[f.name], f);
    return out;
  };
  const value = (v: unknown, t: TypeSpec): unknown => {
    if (v === null || v === undefined) return null;
    if (t.type === 'struct' && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date))
      return struct(v as Record<string, unknown>, t.fields);
    if (t.type === 'list' && Array.isArray(v)) return v.map((x) => value(x, t.element));
    return v;
  };
  return { row: struct(row, fields), dropped };
}
