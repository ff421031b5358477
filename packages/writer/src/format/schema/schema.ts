import { FieldRepetitionType, ConvertedType, Type, type SchemaElement } from '../thrift/parquet-metadata.js';
import { ParquetSchemaError, describeValue } from '../errors.js';
import { ALL_TYPE_NAMES, isPrimitiveSpec, type FieldSpec, type TypeSpec } from './types.js';
import { mapPrimitive, type PrimitiveMapping } from './primitive-mapping.js';

/** One leaf column: where it sits, its levels and its physical type. */
export interface ColumnDescriptor {
  index: number;
  /** path_in_schema, e.g. ['tags', 'list', 'element']. */
  path: string[];
  /** Dotted path for messages and option keys. */
  pathString: string;
  maxDefinitionLevel: number;
  maxRepetitionLevel: number;
  mapping: PrimitiveMapping;
}

/**
 * The tree the shredder walks (Dremel record shredding). `defLevel` is the definition
 * level reached when this node's value is present; `repLevel` is the repetition level of
 * the innermost repeated ancestor (for lists and maps: of the node's own repeated group).
 */
export type ShredNode = LeafNode | StructNode | ListNode | MapNode;
interface NodeBase {
  name: string;
  path: string;
  optional: boolean;
  defLevel: number;
  repLevel: number;
  /** Indices of every leaf column below (or at) this node. */
  leaves: number[];
}
interface LeafNode extends NodeBase {
  kind: 'leaf';
  column: number;
}
interface StructNode extends NodeBase {
  kind: 'struct';
  children: ShredNode[];
}
interface ListNode extends NodeBase {
  kind: 'list';
  element: ShredNode;
}
interface MapNode extends NodeBase {
  kind: 'map';
  key: ShredNode;
  value: ShredNode;
}

export interface ParquetSchema {
  fields: readonly FieldSpec[];
  /** Flattened depth-first, root first, as FileMetaData.schema wants it. */
  elements: SchemaElement[];
  columns: ColumnDescriptor[];
  /** Children of the (required) root. */
  roots: ShredNode[];
}

const MAX_LEVEL = 255;

export function compileSchema(fields: readonly FieldSpec[]): ParquetSchema {
  if (!Array.isArray(fields) || fields.length === 0) {
    throw new ParquetSchemaError('schema', 'needs at least one field');
  }
  const elements: SchemaElement[] = [{ name: 'schema', num_children: fields.length }];
  const columns: ColumnDescriptor[] = [];
  const roots = compileChildren(fields, 'schema', [], 0, 0, elements, columns);
  return { fields, elements, columns, roots };
}

function compileChildren(
  fields: readonly FieldSpec[],
  parentPath: string,
  pathPrefix: string[],
  def: number,
  rep: number,
  elements: SchemaElement[],
  columns: ColumnDescriptor[],
): ShredNode[] {
  const seen = new Set<string>();
  return fields.map((field, i) => {
    if (typeof field !== 'object' || field === null || typeof field.name !== 'string' || field.name === '') {
      throw new ParquetSchemaError(`${parentPath}.fields[${i}]`, 'every field needs a non-empty string name');
    }
    if (seen.has(field.name)) throw new ParquetSchemaError(`${parentPath}.${field.name}`, 'duplicate field name');
    seen.add(field.name);
    return compileNode(field.name, field, [...pathPrefix, field.name], def, rep, elements, columns);
  });
}

function compileNode(
  name: string,
  spec: TypeSpec,
  path: string[],
  parentDef: number,
  rep: number,
  elements: SchemaElement[],
  columns: ColumnDescriptor[],
): ShredNode {
  const pathString = path.join('.');
  if (typeof spec !== 'object' || spec === null || !ALL_TYPE_NAMES.includes(spec.type)) {
    const got = typeof spec === 'object' && spec !== null ? describeValue(spec.type) : describeValue(spec);
    throw new ParquetSchemaError(pathString, `unknown type ${got}; known types: ${ALL_TYPE_NAMES.join(', ')}`);
  }
  if (spec.optional !== undefined && typeof spec.optional !== 'boolean') {
    throw new ParquetSchemaError(pathString, `optional must be a boolean, got ${describeValue(spec.optional)}`);
  }
  const optional = spec.optional === true;
  const defLevel = parentDef + (optional ? 1 : 0);
  if (defLevel > MAX_LEVEL) throw new ParquetSchemaError(pathString, 'schema is nested too deeply');
  const repetition_type = optional ? FieldRepetitionType.OPTIONAL : FieldRepetitionType.REQUIRED;
  const base = { name, path: pathString, optional, defLevel, repLevel: rep };

  if (isPrimitiveSpec(spec)) {
    const mapping = mapPrimitive(spec, pathString);
    const column = columns.length;
    columns.push({ index: column, path, pathString, maxDefinitionLevel: defLevel, maxRepetitionLevel: rep, mapping });
    // parquet.thrift SchemaElement.type_length is the value width for FIXED_LEN_BYTE_ARRAY
    // only; on any other type it would claim a maximum bit length (INT96 keeps its 12 bytes
    // in the mapping for the value store, not in the schema).
    const typeLength = mapping.physicalType === Type.FIXED_LEN_BYTE_ARRAY ? mapping.typeLength : undefined;
    elements.push({
      name,
      type: mapping.physicalType,
      type_length: typeLength,
      repetition_type,
      converted_type: mapping.convertedType,
      scale: mapping.scale,
      precision: mapping.precision,
      logicalType: mapping.logicalType,
    });
    return { ...base, kind: 'leaf', column, leaves: [column] };
  }

  const firstColumn = columns.length;
  const leavesSince = (): number[] => Array.from({ length: columns.length - firstColumn }, (_, k) => firstColumn + k);

  if (spec.type === 'struct') {
    if (!Array.isArray(spec.fields) || spec.fields.length === 0) {
      throw new ParquetSchemaError(pathString, 'struct needs a non-empty fields array');
    }
    elements.push({ name, repetition_type, num_children: spec.fields.length });
    const children = compileChildren(spec.fields, pathString, path, defLevel, rep, elements, columns);
    return { ...base, kind: 'struct', children, leaves: leavesSince() };
  }

  if (spec.type === 'list') {
    if (typeof spec.element !== 'object' || spec.element === null) {
      throw new ParquetSchemaError(pathString, 'list needs an element type');
    }
    // Three-level list (LogicalTypes.md, "Lists"): <name> (LIST) { repeated group list { element } }.
    elements.push({ name, repetition_type, num_children: 1, converted_type: ConvertedType.LIST, logicalType: { LIST: {} } });
    elements.push({ name: 'list', repetition_type: FieldRepetitionType.REPEATED, num_children: 1 });
    const element = compileNode('element', spec.element, [...path, 'list', 'element'], defLevel + 1, rep + 1, elements, columns);
    return { ...base, kind: 'list', element, leaves: leavesSince() };
  }

  // Map (LogicalTypes.md, "Maps"): <name> (MAP) { repeated group key_value { required key; value } }.
  if (typeof spec.key !== 'object' || spec.key === null || typeof spec.value !== 'object' || spec.value === null) {
    throw new ParquetSchemaError(pathString, 'map needs key and value types');
  }
  if (spec.key.optional) throw new ParquetSchemaError(`${pathString}.key`, 'map keys must be required');
  elements.push({ name, repetition_type, num_children: 1, converted_type: ConvertedType.MAP, logicalType: { MAP: {} } });
  elements.push({ name: 'key_value', repetition_type: FieldRepetitionType.REPEATED, num_children: 2 });
  const key = compileNode('key', spec.key, [...path, 'key_value', 'key'], defLevel + 1, rep + 1, elements, columns);
  const value = compileNode('value', spec.value, [...path, 'key_value', 'value'], defLevel + 1, rep + 1, elements, columns);
  return { ...base, kind: 'map', key, value, leaves: leavesSince() };
}
