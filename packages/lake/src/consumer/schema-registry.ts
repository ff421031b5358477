/**
 * One schema per table. Tables in the consumer's catalog have fixed definitions (the
 * datasets'); other tables get a schema
 * inferred from the whole buffer of their first file. With schema_evolution off that schema
 * is then fixed (unknown fields are dropped and counted); with it on, each later file's
 * buffer is folded in (new nullable columns, int widening) before the file is written. A
 * file is always written with exactly one schema, so two schemas never share a file.
 * Inferred schemas are persisted under `_schemas/` so a restart keeps the same schema.
 */
import type { FieldSpec } from 'cdp-parquet';
import type { TableCatalog, TableSchema } from './table-catalog.js';
import { inferFields, unifyFields } from './tables/inferred.js';
import { METADATA_FIELD } from './tables/metadata-column.js';
import { compileRowConverter, type RowConverter } from './tables/row-converter.js';

/** A table with a fixed schema, ready to convert payloads into rows. */
export interface FixedTable {
  readonly schema: TableSchema;
  /** The writer fields: the schema's, plus pipeline_metadata when include_metadata is on. */
  readonly fields: readonly FieldSpec[];
  readonly toRow: RowConverter;
}

export interface StoredSchema {
  table: string;
  version: number;
  fields: FieldSpec[];
}

export interface ResolvedSchema {
  fields: FieldSpec[];
  version: number;
  /** True when this call created or changed the schema (it must be persisted). */
  changed: boolean;
  changes: string[];
}

export class SchemaRegistry {
  private readonly inferred = new Map<string, StoredSchema>();

  constructor(
    private readonly catalog: TableCatalog,
    private readonly evolution: boolean,
    private readonly includeMetadata: boolean,
  ) {}

  /** The fixed definition of `table` in `profile`, compiled, or undefined for an inferred table. */
  fixed(table: string, profile: string | undefined): FixedTable | undefined {
    const schema = this.catalog.find(table, profile);
    if (schema === undefined) return undefined;
    const fields = this.includeMetadata ? [...schema.fields, METADATA_FIELD] : [...schema.fields];
    return { schema, fields, toRow: compileRowConverter(schema) };
  }

  /** The table of a message that names only its producer or kind, if the catalog knows it. */
  tableNamed(name: string): string | undefined {
    return this.catalog.tableNamed(name);
  }

  load(schema: StoredSchema): void {
    this.inferred.set(schema.table, schema);
  }

  current(table: string): StoredSchema | undefined {
    return this.inferred.get(table);
  }

  /** The schema the next file of an inferred table is written with, given that file's rows. */
  resolve(table: string, rows: readonly Record<string, unknown>[]): ResolvedSchema {
    const seen = inferFields(rows);
    const prev = this.inferred.get(table);
    if (prev === undefined) {
      const stored = { table, version: 1, fields: seen };
      this.inferred.set(table, stored);
      return { fields: seen, version: 1, changed: true, changes: [`created with ${seen.length} columns`] };
    }
    if (!this.evolution) return { fields: prev.fields, version: prev.version, changed: false, changes: [] };
    const merged = unifyFields(prev.fields, seen, true);
    if (merged.changes.length === 0) return { fields: prev.fields, version: prev.version, changed: false, changes: [] };
    const stored = { table, version: prev.version + 1, fields: merged.fields };
    this.inferred.set(table, stored);
    return { fields: merged.fields, version: stored.version, changed: true, changes: merged.changes };
  }

  /** Undo a resolve whose file was never written, so the next attempt infers again. */
  restore(table: string, previous: StoredSchema | undefined): void {
    if (previous === undefined) this.inferred.delete(table);
    else this.inferred.set(table, previous);
  }
}
