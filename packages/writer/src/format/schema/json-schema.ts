import { ParquetSchemaError, describeValue } from '../errors.js';
import { ALL_TYPE_NAMES, type FieldSpec, type TypeSpec } from './types.js';
import { compileSchema } from './schema.js';
import type { Schema } from './builders.js';

/**
 * The JSON schema file format (documented in docs/json-schema.md):
 *   {"fields": [{"name": "id", "type": "int64"}, {"name": "tags", "type": "list",
 *     "optional": true, "element": {"type": "string"}}, ...]}
 * Each type accepts only its own keys; an unknown key is an error naming its path, so a
 * typo such as "optinal" cannot silently make a column required.
 */
const KEYS_BY_TYPE: Record<string, readonly string[]> = {
  fixed: ['length'],
  time: ['unit', 'utc'],
  timestamp: ['unit', 'utc'],
  decimal: ['precision', 'scale', 'physical'],
  list: ['element'],
  struct: ['fields'],
  map: ['key', 'value'],
};

export function parseJsonSchema(input: string | unknown): Schema<Record<string, unknown>> {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (err) {
      throw new ParquetSchemaError('schema', `is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { fields?: unknown }).fields)) {
    throw new ParquetSchemaError('schema', 'expected an object with a "fields" array');
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'fields') throw new ParquetSchemaError(`schema.${key}`, 'unknown key; a schema has only "fields"');
  }
  const fields = (doc as { fields: unknown[] }).fields.map((f, i) => checkField(f, `fields[${i}]`));
  compileSchema(fields); // full validation (types, lengths, precision) with paths
  return { fields };
}

function checkField(f: unknown, where: string): FieldSpec {
  if (typeof f !== 'object' || f === null) throw new ParquetSchemaError(where, `expected a field object, got ${describeValue(f)}`);
  const name = (f as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') throw new ParquetSchemaError(where, 'needs a non-empty "name"');
  return { ...checkType(f, `${where} (${name})`, true), name } as FieldSpec;
}

function checkType(t: unknown, where: string, named: boolean): TypeSpec {
  if (typeof t !== 'object' || t === null) throw new ParquetSchemaError(where, `expected a type object, got ${describeValue(t)}`);
  const spec = t as Record<string, unknown>;
  const type = spec.type;
  if (typeof type !== 'string' || !ALL_TYPE_NAMES.includes(type)) {
    throw new ParquetSchemaError(`${where}.type`, `unknown type ${describeValue(type)}; known types: ${ALL_TYPE_NAMES.join(', ')}`);
  }
  const allowed = new Set(['type', 'optional', ...(named ? ['name'] : []), ...(KEYS_BY_TYPE[type] ?? [])]);
  for (const key of Object.keys(spec)) {
    if (!allowed.has(key)) {
      throw new ParquetSchemaError(`${where}.${key}`, `unknown key for type ${type}; allowed: ${[...allowed].join(', ')}`);
    }
  }
  switch (type) {
    case 'list':
      return { ...spec, element: checkType(spec.element, `${where}.element`, false) } as TypeSpec;
    case 'map':
      return {
        ...spec,
        key: checkType(spec.key, `${where}.key`, false),
        value: checkType(spec.value, `${where}.value`, false),
      } as TypeSpec;
    case 'struct': {
      if (!Array.isArray(spec.fields)) throw new ParquetSchemaError(`${where}.fields`, 'struct needs a "fields" array');
      return { ...spec, fields: spec.fields.map((f, i) => checkField(f, `${where}.fields[${i}]`)) } as TypeSpec;
    }
    default:
      return spec as unknown as TypeSpec;
  }
}
