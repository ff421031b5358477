import { ParquetValueError, ValueConversionError, describeValue } from './errors.js';
import type { ShredNode } from './schema/schema.js';
import type { PageBuffer } from './column/page-buffer.js';

/**
 * Record shredding (the Dremel algorithm the Parquet format is built on): walks one row
 * against the schema tree and appends definition levels, repetition levels and values
 * to each leaf column's page buffer. Missing and null are the same thing; an empty list
 * is recorded at the list's own definition level, a null list one level lower, so
 * empty lists, null lists, lists of nulls and null structs all stay distinct.
 */
export class RowShredder {
  private rowIndex = 0;

  constructor(
    private readonly roots: readonly ShredNode[],
    private readonly buffers: readonly PageBuffer[],
  ) {}

  /** Shred `row` as row number `rowIndex`; throws ParquetValueError (callers roll back). */
  shred(row: unknown, rowIndex: number): void {
    this.rowIndex = rowIndex;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ParquetValueError('<row>', rowIndex, `expected an object, got ${describeValue(row)}`);
    }
    const record = row as Record<string, unknown>;
    for (const node of this.roots) this.node(node, record[node.name], 0, 0);
  }

  private node(node: ShredNode, value: unknown, parentDef: number, rep: number): void {
    if (value === null || value === undefined) {
      if (!node.optional) throw new ParquetValueError(node.path, this.rowIndex, 'required value is missing');
      this.nulls(node, parentDef, rep);
      return;
    }
    switch (node.kind) {
      case 'leaf':
        try {
          this.buffers[node.column]!.appendValue(value, rep);
        } catch (err) {
          if (err instanceof ValueConversionError) throw new ParquetValueError(node.path, this.rowIndex, err.message);
          throw err;
        }
        return;
      case 'struct': {
        if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) {
          throw new ParquetValueError(node.path, this.rowIndex, `expected an object, got ${describeValue(value)}`);
        }
        const record = value as Record<string, unknown>;
        for (const child of node.children) this.node(child, record[child.name], node.defLevel, rep);
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) {
          throw new ParquetValueError(node.path, this.rowIndex, `expected an array, got ${describeValue(value)}`);
        }
        if (value.length === 0) {
          this.nulls(node, node.defLevel, rep);
          return;
        }
        const element = node.element;
        for (let i = 0; i < value.length; i++) {
          this.node(element, value[i], node.defLevel + 1, i === 0 ? rep : element.repLevel);
        }
        return;
      }
      case 'map':
        this.map(node, value, rep);
        return;
    }
  }

  private map(node: Extract<ShredNode, { kind: 'map' }>, value: unknown, rep: number): void {
    // A map arrives as a Map, an array of [key, value] pairs, or a plain object (string keys).
    let entries: Iterable<readonly [unknown, unknown]>;
    if (value instanceof Map) entries = value.entries();
    else if (Array.isArray(value)) {
      for (const pair of value) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new ParquetValueError(node.path, this.rowIndex, `map entries must be [key, value] pairs, got ${describeValue(pair)}`);
        }
      }
      entries = value as [unknown, unknown][];
    } else if (typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
      entries = Object.entries(value as Record<string, unknown>);
    } else {
      throw new ParquetValueError(node.path, this.rowIndex, `expected a map, got ${describeValue(value)}`);
    }
    let first = true;
    for (const [k, v] of entries) {
      const entryRep = first ? rep : node.key.repLevel;
      this.node(node.key, k, node.defLevel + 1, entryRep);
      this.node(node.value, v, node.defLevel + 1, entryRep);
      first = false;
    }
    if (first) this.nulls(node, node.defLevel, rep);
  }

  /** Every leaf below `node` records "absent at definition level def". */
  private nulls(node: ShredNode, def: number, rep: number): void {
    for (const column of node.leaves) this.buffers[column]!.appendNull(def, rep);
  }
}
