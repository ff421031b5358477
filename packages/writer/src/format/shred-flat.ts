import { ParquetValueError, ValueConversionError, describeValue } from './errors.js';
import type { ShredNode } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';
import { RowShredder } from './shred.js';

/** What the writer needs from a shredder: one row in, levels and values out (or a ParquetValueError). */
export interface Shredder {
  shred(row: unknown, rowIndex: number): void;
}

/**
 * The shredder for a schema: for a flat schema (every top-level field a primitive or a
 * list of primitives) a function generated for it, else the general RowShredder.
 *
 * Why generate code: on a flat schema shredding is just "for each column, read the field
 * and store it", but written as a loop every call site (`row[name]`, `store.append`) sees
 * every column's shape and class and goes megamorphic. Unrolled per column, each site
 * sees one column only, so V8 keeps its inline caches and inlines the value conversion.
 * Where code cannot be generated (a Content-Security-Policy without 'unsafe-eval') the
 * general shredder is used; both produce the same levels, values and errors.
 */
export function createShredder(roots: readonly ShredNode[], buffers: readonly PageBuffer[]): Shredder {
  const flat = roots.every((n) => n.kind === 'leaf' || (n.kind === 'list' && n.element.kind === 'leaf'));
  if (roots.length > 0 && flat) {
    try {
      return compileFlatShredder(roots as readonly FlatRoot[], buffers);
    } catch {
      // no code generation here (CSP): the general shredder below
    }
  }
  return new RowShredder(roots, buffers);
}

type Leaf = Extract<ShredNode, { kind: 'leaf' }>;
type FlatRoot = Leaf | (Extract<ShredNode, { kind: 'list' }> & { element: Leaf });

/**
 * The generated body follows RowShredder.node case by case (Dremel levels as it records
 * them): a null or missing field is one slot at the parent's level 0; a list adds one slot
 * per element (repetition level 0 for the first, the element's for the rest), an empty
 * list one slot at the list's own definition level, a null element one at the level below
 * the element's.
 */
function compileFlatShredder(roots: readonly FlatRoot[], buffers: readonly PageBuffer[]): Shredder {
  const lines: string[] = [];
  const leafPaths: string[] = [];
  roots.forEach((root, i) => {
    const leaf = root.kind === 'leaf' ? root : root.element;
    const b = buffers[leaf.column]!;
    leafPaths.push(leaf.path);
    const isNull = (x: string): string => `${x} === null || ${x} === undefined`;
    lines.push(`c = ${i}; v = row[${JSON.stringify(root.name)}];`);
    lines.push(`if (${isNull('v')}) {`);
    if (root.kind === 'leaf') {
      // A top-level leaf has no repetition: PageBuffer.pushRow writes only what can differ.
      lines.push(root.optional ? `  b${i}.pushRow(0); b${i}.nullCount++;` : `  missing(${JSON.stringify(root.path)}, rowIndex);`);
      lines.push(`} else { s${i}.append(v); b${i}.pushRow(${b.maxDef}); }`);
      return;
    }
    lines.push(root.optional ? `  b${i}.pushLevels(0, 0); b${i}.nullCount++;` : `  missing(${JSON.stringify(root.path)}, rowIndex);`);
    lines.push(`} else if (!Array.isArray(v)) notArray(${JSON.stringify(root.path)}, v, rowIndex);`);
    lines.push(`else if (v.length === 0) { b${i}.pushLevels(${root.defLevel}, 0); b${i}.nullCount++; }`);
    lines.push('else {');
    lines.push('  for (let k = 0; k < v.length; k++) {');
    lines.push(`    const e = v[k], r = k === 0 ? 0 : ${leaf.repLevel};`);
    lines.push(`    if (${isNull('e')}) {`);
    lines.push(
      leaf.optional ? `      b${i}.pushLevels(${root.defLevel + 1}, r); b${i}.nullCount++;` : `      missing(${JSON.stringify(leaf.path)}, rowIndex);`,
    );
    lines.push(`    } else { s${i}.append(e); b${i}.pushLevels(${b.maxDef}, r); }`);
    lines.push('  }');
    lines.push('}');
  });
  const params = roots.flatMap((_, i) => [`b${i}`, `s${i}`]);
  const body = [
    'return function shredFlat(row, rowIndex) {',
    '  if (typeof row !== "object" || row === null || Array.isArray(row)) notObject(row, rowIndex);',
    '  let c = -1, v;',
    '  try {',
    ...lines.map((l) => `    ${l}`),
    '  } catch (err) { failed(c, rowIndex, err); }',
    '};',
  ].join('\n');
  const args: unknown[] = roots.flatMap((root) => {
    const b = buffers[(root.kind === 'leaf' ? root : root.element).column]!;
    return [b, b.store];
  });
  const missing = (path: string, rowIndex: number): never => {
    throw new ParquetValueError(path, rowIndex, 'required value is missing');
  };
  const notArray = (path: string, value: unknown, rowIndex: number): never => {
    throw new ParquetValueError(path, rowIndex, `expected an array, got ${describeValue(value)}`);
  };
  const notObject = (row: unknown, rowIndex: number): never => {
    throw new ParquetValueError('<row>', rowIndex, `expected an object, got ${describeValue(row)}`);
  };
  // Only value conversions throw ValueConversionError: name the column's leaf.
  const failed = (i: number, rowIndex: number, err: unknown): never => {
    if (err instanceof ValueConversionError) throw new ParquetValueError(leafPaths[i]!, rowIndex, err.message);
    throw err;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see createShredder
  const make = new Function('missing', 'notArray', 'notObject', 'failed', ...params, body) as (...a: unknown[]) => Shredder['shred'];
  return { shred: make(missing, notArray, notObject, failed, ...args) };
}
