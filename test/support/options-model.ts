/**
 * Random writer options for a given schema (forced encodings per column and globally,
 * per-column dictionary switches, bloom filters, page index on/off, sorting columns) and
 * the two ways of writing a case: writeRows, or writeColumns (column batches, flat
 * schemas only) with random batch sizes.
 */
import fc from 'fast-check';
import { MemorySink, ParquetWriter, type FieldSpec, type WriterOptions } from '../../packages/writer/src/index.js';
import type { ColumnOptions, SortingColumnOption } from '../../packages/writer/src/format/writer-options.js';
import { allowedFor, FORCED_ENCODINGS, physicalOf, type EncodingOption } from './columns.js';
import { isPrimitive } from './model.js';
import { leafColumns } from './stats.js';
import { arrowBytes, validityBitmap } from './arrow-layout.js';

export const CODECS = ['none', 'snappy', 'gzip', 'zstd', 'lz4', 'brotli'] as const;

export interface WriteCase {
  fields: FieldSpec[];
  rows: Record<string, unknown>[];
  options: WriterOptions;
  /** 'columns': ParquetWriter.writeColumns in `batches` (sizes); default writeRows. */
  via?: 'rows' | 'columns';
  batches?: number[];
  /** writeColumns inputs as {values, validity} (with typed arrays where the values allow). */
  validity?: boolean;
  /**
   * writeColumns inputs in Arrow's layout: string/binary columns as offsets + data (Int32Array
   * or BigInt64Array offsets), every column with a validity bitmap (takes precedence over validity).
   */
  arrow?: boolean;
  /** writeRows in calls of these sizes (the dictionaries look up and release strings between calls). */
  calls?: number[];
  /**
   * Written by a writer reset after a first file of other rows and other per-file options
   * (ParquetWriter.reset): the file must be the same as a new writer's.
   */
  afterReset?: boolean;
}

const bloomArb: fc.Arbitrary<ColumnOptions['bloomFilter']> = fc.oneof(
  fc.constant(true as const),
  fc.record(
    {
      ndv: fc.integer({ min: 1, max: 2000 }),
      fpp: fc.constantFrom(0.001, 0.01, 0.05, 0.2),
      maxBytes: fc.oneof(fc.constant(32), fc.integer({ min: 32, max: 4096 })),
    },
    { requiredKeys: [] },
  ),
);

/** Extra options that depend on the schema: per-column overrides, bloom filters, sorting columns, page index. */
export function schemaOptionsArb(fields: readonly FieldSpec[]): fc.Arbitrary<WriterOptions> {
  const leaves = leafColumns(fields);
  const perColumn = leaves.map((leaf) => {
    const p = physicalOf(leaf.spec);
    const encodings: EncodingOption[] = ['auto', 'dictionary', ...allowedFor(p)];
    return fc.option(
      fc
        .record(
          {
            encoding: fc.constantFrom(...encodings),
            dictionary: fc.boolean(),
            bloomFilter: p === 'BOOLEAN' ? fc.constant(undefined) : fc.option(bloomArb, { nil: undefined, freq: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((o) => {
          const out: ColumnOptions = {};
          if (o.encoding !== undefined) out.encoding = o.encoding;
          if (o.dictionary !== undefined) out.dictionary = o.dictionary;
          if (o.bloomFilter !== undefined) out.bloomFilter = o.bloomFilter;
          return out;
        }),
      { nil: undefined, freq: 2 },
    );
  });
  const sortingArb: fc.Arbitrary<SortingColumnOption[]> =
    leaves.length === 0
      ? fc.constant([])
      : fc.uniqueArray(fc.record({ column: fc.constantFrom(...leaves.map((l) => l.path)), descending: fc.boolean(), nullsFirst: fc.boolean() }), {
          maxLength: 3,
          selector: (s) => s.column,
        });
  return fc
    .record(
      {
        encoding: fc.constantFrom<EncodingOption>('auto', 'dictionary', ...FORCED_ENCODINGS),
        pageIndex: fc.boolean(),
        statistics: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        columns: fc.tuple(...perColumn).map((cols) => {
          const out: Record<string, ColumnOptions> = {};
          cols.forEach((c, i) => {
            if (c) out[leaves[i]!.path] = c;
          });
          return out;
        }),
        sortingColumns: sortingArb,
      },
      { requiredKeys: [] },
    )
    .map((o) => {
      const out: WriterOptions = { ...o } as WriterOptions;
      if (o.columns && Object.keys(o.columns).length === 0) delete out.columns;
      if (o.sortingColumns && o.sortingColumns.length === 0) delete out.sortingColumns;
      return out;
    });
}

/** Flat schemas (every top-level field primitive) can go through writeColumns. */
export function isFlat(fields: readonly FieldSpec[]): boolean {
  return fields.every((f) => isPrimitive(f));
}

/** Batch sizes summing to `n`, cut at random points (batches may straddle row groups). */
export function batchSizesArb(n: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 4 }).map((cuts) => {
    const points = new Set(cuts.filter((c) => c < n));
    const sorted = [...points].sort((a, b) => a - b);
    const out: number[] = [];
    let prev = 0;
    for (const p of [...sorted, n]) {
      if (p > prev) out.push(p - prev);
      prev = p;
    }
    return out;
  });
}

const BYTE_TYPES = new Set(['string', 'enum', 'json', 'bson', 'binary']);

function columnInput(f: FieldSpec, rows: readonly Record<string, unknown>[], validity: boolean, arrow: boolean, wide: boolean): unknown {
  const vals = rows.map((r) => r[f.name] ?? null);
  if (arrow) return arrowInput(f, vals, wide);
  if (!validity) return vals;
  const valid = vals.map((v) => v !== null);
  const numeric = vals.every((v) => v === null || typeof v === 'number');
  if (numeric && f.type === 'double') return { values: Float64Array.from(vals, (v) => (v === null ? 0 : (v as number))), validity: valid };
  if (numeric && f.type === 'int32') return { values: Int32Array.from(vals, (v) => (v === null ? 0 : (v as number))), validity: valid };
  return { values: vals.map((v) => (v === null ? undefined : v)), validity: Uint8Array.from(valid, Number) };
}

/**
 * Arrow layout: a validity bitmap for every column; string and binary columns whose values are
 * all strings or bytes as offsets + data (a null slot gets no bytes, as Arrow writes it), with
 * int64 offsets (Arrow's large_*) when `wide`.
 */
function arrowInput(f: FieldSpec, vals: unknown[], wide: boolean): unknown {
  const typed = typedArrayFor(f.type, vals);
  if (typed) return { values: typed, nullBitmap: validityBitmap(vals.length, (i) => vals[i] !== null) };
  if (!BYTE_TYPES.has(f.type) || !vals.every((v) => v === null || typeof v === 'string' || v instanceof Uint8Array)) {
    return { values: vals, nullBitmap: validityBitmap(vals.length, (i) => vals[i] !== null) };
  }
  return arrowBytes(vals as (string | Uint8Array | null)[], wide);
}

/** Arrow's typed array for a numeric column whose values are all numbers or bigints (null slots 0), else undefined. */
function typedArrayFor(type: string, vals: unknown[]): ArrayBufferView | undefined {
  const num = (v: unknown): number => (v === null ? 0 : Number(v));
  const big = (v: unknown): bigint => (v === null ? 0n : BigInt(v as number | bigint));
  if (!vals.every((v) => v === null || typeof v === 'number' || typeof v === 'bigint')) return undefined;
  if (!vals.every((v) => typeof v !== 'number' || Number.isInteger(v) || type === 'float' || type === 'double')) return undefined;
  switch (type) {
    case 'int32':
      return Int32Array.from(vals, num);
    case 'uint32':
      return Uint32Array.from(vals, num);
    case 'int64':
      return BigInt64Array.from(vals, big);
    case 'uint64':
      return BigUint64Array.from(vals, big);
    case 'float':
      return Float32Array.from(vals, num);
    case 'double':
      return Float64Array.from(vals, num);
    default:
      return undefined;
  }
}

/** Write a case the way it asks for. */
export async function writeCase(c: WriteCase): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = c.afterReset ? await resetWriter(c, sink) : new ParquetWriter(c.fields, sink, c.options);
  if (c.via === 'columns') {
    let at = 0;
    for (const size of c.batches ?? [c.rows.length]) {
      const slice = c.rows.slice(at, at + size);
      at += size;
      const columns: Record<string, unknown> = {};
      for (const [k, f] of c.fields.entries()) columns[f.name] = columnInput(f, slice, c.validity === true, c.arrow === true, k % 2 === 1);
      await writer.writeColumns({ numRows: slice.length, columns: columns as never });
    }
    if (at !== c.rows.length) throw new Error(`batches cover ${at} of ${c.rows.length} rows`);
  } else {
    let at = 0;
    for (const size of c.calls ?? [c.rows.length]) {
      await writer.writeRows(c.rows.slice(at, at + size));
      at += size;
    }
    if (at !== c.rows.length) throw new Error(`calls cover ${at} of ${c.rows.length} rows`);
  }
  await writer.close();
  return sink.bytes();
}

/**
 * A writer that has written a first file (the rows reversed and repeated, so its pages and
 * dictionaries grew on other values; no per-column options, other footer metadata) and is
 * reset into `sink` with the case's per-file options.
 */
async function resetWriter(c: WriteCase, sink: MemorySink): Promise<ParquetWriter> {
  const first = new ParquetWriter(c.fields, new MemorySink(), {
    ...c.options,
    columns: undefined,
    sortingColumns: undefined,
    keyValueMetadata: { first: 'file' },
  });
  const other = [...c.rows].reverse();
  await first.writeRows([...other, ...other.slice(0, 7)]);
  await first.close();
  return first.reset(sink, { columns: c.options.columns, sortingColumns: c.options.sortingColumns, keyValueMetadata: c.options.keyValueMetadata });
}

/** The full case arbitrary shared by the property suite and the fuzz run. */
export function writeCaseArb(
  schemaArb: fc.Arbitrary<FieldSpec[]>,
  rowsArb: (fields: FieldSpec[]) => fc.Arbitrary<Record<string, unknown>[]>,
  baseOptionsArb: fc.Arbitrary<WriterOptions>,
): fc.Arbitrary<WriteCase> {
  return schemaArb.chain((fields) =>
    fc.tuple(rowsArb(fields), baseOptionsArb, fc.option(schemaOptionsArb(fields), { freq: 3, nil: undefined })).chain(([rows, base, extra]) => {
      const options: WriterOptions = { ...base, ...(extra ?? {}) };
      const flat = isFlat(fields);
      return fc
        .record({
          via: flat ? fc.constantFrom<'rows' | 'columns'>('rows', 'columns') : fc.constant<'rows' | 'columns'>('rows'),
          batches: batchSizesArb(rows.length),
          validity: fc.boolean(),
          arrow: fc.boolean(),
          calls: fc.option(batchSizesArb(rows.length), { nil: undefined }),
          afterReset: fc.boolean(),
        })
        .map(({ calls, afterReset, ...w }) => ({ fields, rows, options, afterReset, ...(w.via === 'columns' ? w : { calls }) }));
    }),
  );
}
