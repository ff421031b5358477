/**
 * Test-side knowledge of leaf columns, independent of src/: each column's physical type
 * (from the LogicalTypes spec and our schema documentation), the encodings Encodings.md
 * allows for it, the encoding a column ends up with under given writer options, its
 * definition/repetition levels per row (a small Dremel model), and the known reader
 * limitations for forced encodings (asserted by message, never skipped silently).
 */
import type { FieldSpec, PrimitiveTypeSpec, TypeSpec } from '../../packages/writer/src/format/schema/types.js';
import type { WriterOptions } from '../../packages/writer/src/index.js';
import { isPrimitive, mapEntries } from './model.js';
import { decimalPhysical, leafColumns } from './stats.js';

export type Physical = 'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY';
export type ForcedEncoding = 'PLAIN' | 'RLE' | 'DELTA_BINARY_PACKED' | 'DELTA_LENGTH_BYTE_ARRAY' | 'DELTA_BYTE_ARRAY' | 'BYTE_STREAM_SPLIT';
export type EncodingOption = 'auto' | 'dictionary' | ForcedEncoding;
export const FORCED_ENCODINGS: readonly ForcedEncoding[] = [
  'PLAIN',
  'RLE',
  'DELTA_BINARY_PACKED',
  'DELTA_LENGTH_BYTE_ARRAY',
  'DELTA_BYTE_ARRAY',
  'BYTE_STREAM_SPLIT',
];

export function physicalOf(spec: PrimitiveTypeSpec): Physical {
  switch (spec.type) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'date':
      return 'INT32';
    case 'int64':
    case 'uint64':
    case 'timestamp':
      return 'INT64';
    case 'time':
      return spec.unit === 'ms' ? 'INT32' : 'INT64';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'float16':
    case 'fixed':
    case 'uuid':
      return 'FIXED_LEN_BYTE_ARRAY';
    case 'string':
    case 'enum':
    case 'json':
    case 'bson':
    case 'binary':
      return 'BYTE_ARRAY';
    case 'int96':
      return 'INT96';
    case 'decimal': {
      const p = decimalPhysical(spec);
      return p === 'int32' ? 'INT32' : p === 'int64' ? 'INT64' : p === 'fixed' ? 'FIXED_LEN_BYTE_ARRAY' : 'BYTE_ARRAY';
    }
  }
}

/** Encodings.md: the value encodings defined for each physical type (besides dictionary). */
export function allowedFor(p: Physical): ForcedEncoding[] {
  switch (p) {
    case 'BOOLEAN':
      return ['PLAIN', 'RLE'];
    case 'INT32':
    case 'INT64':
      return ['PLAIN', 'DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT'];
    case 'FLOAT':
    case 'DOUBLE':
      return ['PLAIN', 'BYTE_STREAM_SPLIT'];
    case 'BYTE_ARRAY':
      return ['PLAIN', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY'];
    case 'FIXED_LEN_BYTE_ARRAY':
      return ['PLAIN', 'DELTA_BYTE_ARRAY', 'BYTE_STREAM_SPLIT'];
    case 'INT96':
      return ['PLAIN'];
  }
}

/** The encoding option in force for a column: its own, else the global one when it fits the type, else auto. */
export function effectiveEncoding(spec: PrimitiveTypeSpec, path: string, options: WriterOptions): EncodingOption {
  const own = options.columns?.[path]?.encoding as EncodingOption | undefined;
  if (own !== undefined) return own;
  const global = (options.encoding ?? 'auto') as EncodingOption;
  if (global === 'auto' || global === 'dictionary') return global;
  return allowedFor(physicalOf(spec)).includes(global) ? global : 'auto';
}

export type LimitedReader = 'duckdb' | 'polars' | 'hyparquet';

/**
 * The error a reader is known to raise for a forced encoding on this column (readers
 * lacking a decoder; the files are valid per Encodings.md and pyarrow reads them), or
 * undefined when the reader must read it.
 */
export function readerLimitation(spec: PrimitiveTypeSpec, encoding: EncodingOption, reader: LimitedReader, nested = false): RegExp | undefined {
  const p = physicalOf(spec);
  if (reader === 'duckdb') {
    // DuckDB 1.5: BYTE_STREAM_SPLIT only for FLOAT/DOUBLE; DELTA_LENGTH_BYTE_ARRAY only on string/blob (not decimals).
    if (encoding === 'BYTE_STREAM_SPLIT' && p !== 'FLOAT' && p !== 'DOUBLE') {
      return /BYTE_STREAM_SPLIT encoding is only supported for FLOAT or DOUBLE data/;
    }
    if (encoding === 'DELTA_LENGTH_BYTE_ARRAY' && spec.type === 'decimal') {
      return /Delta Length Byte Array encoding is only supported for string\/blob data/;
    }
  }
  if (reader === 'polars' && p === 'FIXED_LEN_BYTE_ARRAY' && (encoding === 'DELTA_BYTE_ARRAY' || encoding === 'BYTE_STREAM_SPLIT')) {
    return /Not yet supported: Decoding FixedLenByteArray\(\d+\) "(DeltaByteArray|ByteStreamSplit)"-encoded/;
  }
  // polars 1.44 on nested columns (under a struct/list/map), chunks of several pages with a
  // null parent: forced DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY pages panic ("validity must be
  // equal to the array's length") and forced DELTA_BINARY_PACKED / BYTE_STREAM_SPLIT pages panic
  // ("validity mask length must match the number of values"), also on files pyarrow writes
  // (writer-encodings.test.ts). `auto` keeps nested columns PLAIN for that reason.
  if (reader === 'polars' && nested && (encoding === 'DELTA_LENGTH_BYTE_ARRAY' || encoding === 'DELTA_BYTE_ARRAY')) {
    return /validity must be equal to the array's length/;
  }
  if (reader === 'polars' && nested && (encoding === 'DELTA_BINARY_PACKED' || encoding === 'BYTE_STREAM_SPLIT')) {
    return /validity mask length must match the number of values/;
  }
  return undefined;
}

/** Known limitations a case runs into for one reader (column path -> expected error). */
export function caseLimitations(fields: readonly FieldSpec[], options: WriterOptions, reader: LimitedReader): { path: string; error: RegExp }[] {
  const out: { path: string; error: RegExp }[] = [];
  for (const leaf of leafColumns(fields)) {
    const error = readerLimitation(leaf.spec, effectiveEncoding(leaf.spec, leaf.path, options), reader, leaf.path.includes('.'));
    if (error) out.push({ path: leaf.path, error });
  }
  return out;
}

// ---- definition and repetition levels ---------------------------------------------------

export interface Levels {
  def: number[];
  rep: number[];
}

export interface LeafLevelInfo {
  path: string;
  spec: PrimitiveTypeSpec;
  maxDef: number;
  maxRep: number;
}

/** Max levels per leaf (LIST/MAP are 3-level: the repeated group adds one def and one rep level). */
export function leafLevelInfo(fields: readonly FieldSpec[]): LeafLevelInfo[] {
  const out: LeafLevelInfo[] = [];
  const walk = (spec: TypeSpec, path: string, d: number, r: number): void => {
    const dd = d + (spec.optional ? 1 : 0);
    if (isPrimitive(spec)) out.push({ path, spec, maxDef: dd, maxRep: r });
    else if (spec.type === 'struct') for (const f of spec.fields) walk(f, `${path}.${f.name}`, dd, r);
    else if (spec.type === 'list') walk(spec.element, `${path}.list.element`, dd + 1, r + 1);
    else {
      walk({ ...spec.key, optional: false }, `${path}.key_value.key`, dd + 1, r + 1);
      walk(spec.value, `${path}.key_value.value`, dd + 1, r + 1);
    }
  };
  for (const f of fields) walk(f, f.name, 0, 0);
  return out;
}

function nullAll(spec: TypeSpec, d: number, r: number, cols: Levels[], base: number): number {
  if (isPrimitive(spec)) {
    cols[base]!.def.push(d);
    cols[base]!.rep.push(r);
    return base + 1;
  }
  if (spec.type === 'struct') {
    let i = base;
    for (const f of spec.fields) i = nullAll(f, d, r, cols, i);
    return i;
  }
  if (spec.type === 'list') return nullAll(spec.element, d, r, cols, base);
  return nullAll(spec.value, d, r, cols, nullAll(spec.key, d, r, cols, base));
}

/** Emit the levels of value `v` of `spec` (ancestors defined up to level d; first entry at rep r; rl repeated ancestors). */
function emitLevels(spec: TypeSpec, v: unknown, d: number, r: number, rl: number, cols: Levels[], base: number): number {
  if (v === null || v === undefined) return nullAll(spec, d, r, cols, base);
  const dd = d + (spec.optional ? 1 : 0);
  if (isPrimitive(spec)) {
    cols[base]!.def.push(dd);
    cols[base]!.rep.push(r);
    return base + 1;
  }
  if (spec.type === 'struct') {
    let i = base;
    for (const f of spec.fields) i = emitLevels(f, (v as Record<string, unknown>)[f.name], dd, r, rl, cols, i);
    return i;
  }
  if (spec.type === 'list') {
    const items = v as unknown[];
    if (items.length === 0) return nullAll(spec.element, dd, r, cols, base);
    let next = base;
    items.forEach((item, i) => {
      next = emitLevels(spec.element, item, dd + 1, i === 0 ? r : rl + 1, rl + 1, cols, base);
    });
    return next;
  }
  const entries = mapEntries(v);
  const key = { ...spec.key, optional: false } as TypeSpec;
  if (entries.length === 0) return nullAll(spec.value, dd, r, cols, nullAll(key, dd, r, cols, base));
  let next = base;
  entries.forEach(([k, x], i) => {
    const rr = i === 0 ? r : rl + 1;
    const mid = emitLevels(key, k, dd + 1, rr, rl + 1, cols, base);
    next = emitLevels(spec.value, x, dd + 1, rr, rl + 1, cols, mid);
  });
  return next;
}

/** Levels of one row, per leaf column. */
export function rowLevels(fields: readonly FieldSpec[], row: Record<string, unknown>): Levels[] {
  const cols: Levels[] = leafColumns(fields).map(() => ({ def: [], rep: [] }));
  let i = 0;
  for (const f of fields) i = emitLevels(f, row[f.name], 0, 0, 0, cols, i);
  return cols;
}

export function histogram(levels: readonly number[], max: number): number[] {
  const h = new Array<number>(max + 1).fill(0);
  for (const l of levels) h[l]!++;
  return h;
}
