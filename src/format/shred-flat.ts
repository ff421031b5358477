import { ParquetValueError, ValueConversionError, describeValue } from './errors.js';
import type { ShredNode } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';
import { RowShredder } from './shred.js';

/** What the writer needs from a shredder: one row in, levels and values out (or a ParquetValueError). */
export interface Shredder {
  shred(row: unknown, rowIndex: number): void;
}

/**
 * The shredder for a schema: for a flat schema (every top-level field a primitive) a
 * function generated for it, else the general RowShredder.
 *
 * Why generate code: on a flat schema shredding is just "for each column, read the field
 * and store it", but written as a loop every call site (`row[name]`, `store.append`) sees
 * every column's shape and class and goes megamorphic. Unrolled per column, each site
 * sees one column only, so V8 keeps its inline caches and inlines the value conversion.
 * Where code cannot be generated (a Content-Security-Policy without 'unsafe-eval') the
 * general shredder is used; both produce the same levels, values and errors.
 */
export function createShredder(roots: readonly ShredNode[], buffers: readonly PageBuffer[]): Shredder {
  const general = new RowShredder(roots, buffers);
  if (roots.length === 0 || roots.some((n) => n.kind !== 'leaf' || n.repLevel !== 0)) return general;
  try {
    return compileFlatShredder(roots as readonly Extract<ShredNode, { kind: 'leaf' }>[], buffers);
  } catch {
    return general;
  }
}

function compileFlatShredder(leaves: readonly Extract<ShredNode, { kind: 'leaf' }>[], buffers: readonly PageBuffer[]): Shredder {
  const lines: string[] = [];
  leaves.forEach((leaf, i) => {
    const b = buffers[leaf.column]!;
    // A flat column's levels: definition 1 when optional and present, 0 when null.
    lines.push(`c = ${i}; v = row[${JSON.stringify(leaf.name)}];`);
    lines.push('if (v === null || v === undefined) {');
    lines.push(leaf.optional ? `  b${i}.pushLevels(0, 0); b${i}.nullCount++;` : `  missing(${i}, rowIndex);`);
    lines.push(`} else { s${i}.append(v); b${i}.pushLevels(${b.maxDef}, 0); }`);
  });
  const params = leaves.flatMap((_, i) => [`b${i}`, `s${i}`]);
  const body = [
    'return function shredFlat(row, rowIndex) {',
    '  if (typeof row !== "object" || row === null || Array.isArray(row)) notObject(row, rowIndex);',
    '  let c = -1, v;',
    '  try {',
    ...lines.map((l) => `    ${l}`),
    '  } catch (err) { failed(c, rowIndex, err); }',
    '};',
  ].join('\n');
  const args: unknown[] = leaves.flatMap((leaf) => {
    const b = buffers[leaf.column]!;
    return [b, b.store];
  });
  const missing = (i: number, rowIndex: number): never => {
    throw new ParquetValueError(leaves[i]!.path, rowIndex, 'required value is missing');
  };
  const notObject = (row: unknown, rowIndex: number): never => {
    throw new ParquetValueError('<row>', rowIndex, `expected an object, got ${describeValue(row)}`);
  };
  const failed = (i: number, rowIndex: number, err: unknown): never => {
    if (err instanceof ValueConversionError) throw new ParquetValueError(leaves[i]!.path, rowIndex, err.message);
    throw err;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see createShredder
  const make = new Function('missing', 'notObject', 'failed', ...params, body) as (...a: unknown[]) => Shredder['shred'];
  return { shred: make(missing, notObject, failed, ...args) };
}
