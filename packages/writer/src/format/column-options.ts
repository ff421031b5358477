import { ParquetSchemaError, describeValue } from './errors.js';
import type { ParquetSchema } from './schema/schema.js';
import type { ResolvedWriterOptions } from './writer-options.js';
import { allowedEncodings, ENCODING_CHOICES, type EncodingChoice } from './column/value-encoding.js';
import type { BloomFilterSettings } from './bloom/bloom-filter-builder.js';
import { Type, type SortingColumn } from './thrift/parquet-metadata.js';

export interface ResolvedColumnOptions {
  encoding: EncodingChoice;
  dictionary: boolean;
  bloomFilter: BloomFilterSettings | undefined;
}

const DEFAULT_FPP = 0.01;
const DEFAULT_BLOOM_MAX_BYTES = 1024 * 1024;

/** Per-column settings from the writer options, validated against the schema's columns. */
export function resolveColumnOptions(
  schema: ParquetSchema,
  options: ResolvedWriterOptions,
): { columns: ResolvedColumnOptions[]; sortingColumns: SortingColumn[] | undefined } {
  const byPath = new Map(schema.columns.map((c) => [c.pathString, c]));
  const overrides = options.columns ?? {};
  for (const path of Object.keys(overrides)) {
    if (!byPath.has(path)) {
      throw new ParquetSchemaError(`options.columns.${path}`, `no such column; columns are ${[...byPath.keys()].join(', ')}`);
    }
  }
  const columns = schema.columns.map((c) => {
    const o = overrides[c.pathString] ?? {};
    const where = `options.columns.${c.pathString}`;
    for (const key of Object.keys(o)) {
      if (!['encoding', 'dictionary', 'bloomFilter'].includes(key)) {
        throw new ParquetSchemaError(`${where}.${key}`, 'unknown column option; known: encoding, dictionary, bloomFilter');
      }
    }
    const encoding = o.encoding ?? options.encoding;
    if (!ENCODING_CHOICES.includes(encoding)) {
      throw new ParquetSchemaError(`${where}.encoding`, `must be one of ${ENCODING_CHOICES.join(', ')}, got ${describeValue(encoding)}`);
    }
    const allowed = allowedEncodings(c.mapping.physicalType);
    if (encoding !== 'auto' && encoding !== 'dictionary' && !allowed.includes(encoding)) {
      // A global encoding that does not fit this type leaves the column on auto; a
      // per-column one is a mistake worth reporting.
      if (o.encoding !== undefined) {
        throw new ParquetSchemaError(`${where}.encoding`, `${encoding} does not apply to this column's type; allowed: ${allowed.join(', ')}`);
      }
    }
    const effective = encoding !== 'auto' && encoding !== 'dictionary' && !allowed.includes(encoding) ? 'auto' : encoding;
    const dictionary = o.dictionary ?? options.dictionary;
    if (typeof dictionary !== 'boolean') throw new ParquetSchemaError(`${where}.dictionary`, 'must be a boolean');
    return { encoding: effective, dictionary, bloomFilter: bloomSettings(o.bloomFilter, where, c.mapping.physicalType) };
  });
  const sortingColumns = options.sortingColumns?.map((s, i) => {
    const column = byPath.get(s.column);
    if (!column) throw new ParquetSchemaError(`options.sortingColumns[${i}].column`, `no such column ${describeValue(s.column)}`);
    return { column_idx: column.index, descending: s.descending === true, nulls_first: s.nullsFirst === true };
  });
  return { columns, sortingColumns };
}

function bloomSettings(value: unknown, where: string, physicalType: Type): BloomFilterSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (physicalType === Type.BOOLEAN) throw new ParquetSchemaError(`${where}.bloomFilter`, 'BloomFilter.md defines no filter for BOOLEAN columns');
  if (value === true) return { fpp: DEFAULT_FPP, maxBytes: DEFAULT_BLOOM_MAX_BYTES };
  if (typeof value !== 'object' || value === null) throw new ParquetSchemaError(`${where}.bloomFilter`, 'must be true or {ndv, fpp, maxBytes}');
  const v = value as { ndv?: unknown; fpp?: unknown; maxBytes?: unknown };
  for (const key of Object.keys(v)) {
    if (!['ndv', 'fpp', 'maxBytes'].includes(key)) throw new ParquetSchemaError(`${where}.bloomFilter.${key}`, 'unknown; known: ndv, fpp, maxBytes');
  }
  if (v.ndv !== undefined && (!Number.isInteger(v.ndv) || (v.ndv as number) < 1)) {
    throw new ParquetSchemaError(`${where}.bloomFilter.ndv`, `must be a positive integer, got ${describeValue(v.ndv)}`);
  }
  const fpp = v.fpp ?? DEFAULT_FPP;
  if (typeof fpp !== 'number' || !(fpp > 0 && fpp < 1))
    throw new ParquetSchemaError(`${where}.bloomFilter.fpp`, `must be in (0, 1), got ${describeValue(fpp)}`);
  const maxBytes = v.maxBytes ?? DEFAULT_BLOOM_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 32) {
    throw new ParquetSchemaError(`${where}.bloomFilter.maxBytes`, `must be an integer >= 32, got ${describeValue(maxBytes)}`);
  }
  return { ndv: v.ndv as number | undefined, fpp, maxBytes };
}
