/**
 * hyparquet as the fourth, in-process reader. Its parsers are overridden so temporal
 * values come back as raw integers (no Date rounding) and JSON as text; what it returns
 * is then encoded like readers.py does, guided by the schema (hyparquet carries no Arrow
 * types). Values of an unexpected JS type are encoded as {"unexpected": ...} so they can
 * never compare equal to an expectation.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { FieldSpec, TypeSpec } from '../../packages/writer/src/index.js';
import type { JsonValue } from './python-readers.js';
import { encFloat, hex, containsType } from './model.js';
import { sortedEntries } from './expected.js';

// ignoreBOM: a leading U+FEFF is part of the value (a default decoder would drop it).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * hyparquet-compressors 1.1.2 rejects the valid 1-byte LZ4 block of an empty input (token
 * 0x00: no literals, no match) with "lz4 offset out of range 0"; pyarrow, DuckDB and polars
 * accept it. Shim exactly that case so the rest of hyparquet's reading is still checked.
 */
const codecs: typeof compressors = {
  ...compressors,
  LZ4_RAW: (input: Uint8Array, outputLength: number) =>
    input.length === 1 && input[0] === 0 && outputLength === 0 ? new Uint8Array(0) : compressors.LZ4_RAW!(input, outputLength),
};

function unexpected(v: unknown): JsonValue {
  return { unexpected: `${typeof v}:${String(v)}` };
}

function encodeLeaf(spec: TypeSpec, v: unknown): JsonValue {
  switch (spec.type) {
    case 'boolean':
      return typeof v === 'boolean' ? v : unexpected(v);
    case 'float':
    case 'double':
    case 'float16':
      return typeof v === 'number' ? encFloat(v) : unexpected(v);
    case 'decimal':
      return typeof v === 'number' ? encFloat(v) : unexpected(v);
    case 'string':
    case 'json':
    case 'uuid':
      return typeof v === 'string' ? v : unexpected(v);
    case 'enum':
    case 'binary':
    case 'bson':
    case 'fixed':
      return v instanceof Uint8Array ? hex(v) : unexpected(v);
    default:
      return typeof v === 'number' || typeof v === 'bigint' ? String(v) : unexpected(v);
  }
}

export function encodeHyparquet(spec: TypeSpec, v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  switch (spec.type) {
    case 'list':
      return Array.isArray(v) ? v.map((x) => encodeHyparquet(spec.element, x)) : unexpected(v);
    case 'struct': {
      if (typeof v !== 'object') return unexpected(v);
      const out: { [k: string]: JsonValue } = {};
      for (const f of spec.fields) out[f.name] = encodeHyparquet(f, (v as Record<string, unknown>)[f.name]);
      return out;
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return unexpected(v);
      const obj: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) obj[k] = encodeHyparquet(spec.value, x);
      return sortedEntries(obj);
    }
    default:
      return encodeLeaf(spec, v);
  }
}

/** Top-level fields hyparquet can read (it rejects BSON). */
export function hyparquetFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.filter((f) => !containsType(f, 'bson'));
}

export interface HyparquetResult {
  numRows: number;
  rows: { [k: string]: JsonValue }[];
}

export async function readWithHyparquet(bytes: Uint8Array, fields: readonly FieldSpec[]): Promise<HyparquetResult> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const readable = hyparquetFields(fields);
  if (readable.length === 0) return { numRows: Number(metadata.num_rows), rows: [] };
  const raw = await parquetReadObjects({
    file: buffer,
    metadata,
    columns: readable.map((f) => f.name),
    compressors: codecs,
    utf8: false,
    parsers: {
      timestampFromMilliseconds: (v: bigint) => v,
      timestampFromMicroseconds: (v: bigint) => v,
      timestampFromNanoseconds: (v: bigint) => v,
      dateFromDays: (v: number) => v,
      jsonFromBytes: (b: Uint8Array) => b && decoder.decode(b),
      stringFromBytes: (b: Uint8Array) => b && decoder.decode(b),
    },
  });
  const rows = raw.map((row) => {
    const out: { [k: string]: JsonValue } = {};
    for (const f of readable) out[f.name] = encodeHyparquet(f, (row as Record<string, unknown>)[f.name]);
    return out;
  });
  return { numRows: Number(metadata.num_rows), rows };
}
