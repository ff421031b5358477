/**
 * One schema per table. Built-in tables have fixed definitions; other tables get a schema
 * inferred from the whole buffer of their first file. With schema_evolution off that schema
 * is then fixed (unknown fields are dropped and counted); with it on, each later file's
 * buffer is folded in (new nullable columns, int widening) before the file is written. A
 * file is always written with exactly one schema, so two schemas never share a file.
 * Inferred schemas are persisted under `_schemas/` so a restart keeps the same schema.
 */
import type { FieldSpec } from '../format/schema/types.js';
import { assetDetails } from './tables/asset-details.js';
import { contractData } from './tables/contract-data.js';
import { contractEvents } from './tables/contract-events.js';
import { inferFields, unifyFields } from './tables/inferred.js';
import { METADATA_FIELD, type TableDef } from './tables/table-def.js';

export const BUILT_IN_TABLES: readonly TableDef[] = [contractData, contractEvents, assetDetails];

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
  private readonly builtIns = new Map<string, TableDef>();
  private readonly inferred = new Map<string, StoredSchema>();

  constructor(private readonly evolution: boolean, private readonly includeMetadata: boolean) {
    for (const t of BUILT_IN_TABLES) this.builtIns.set(t.name, t);
  }

  builtIn(table: string): TableDef | undefined {
    return this.builtIns.get(table);
  }

  /** The writer fields of a built-in table (plus pipeline_metadata when configured). */
  builtInFields(def: TableDef): FieldSpec[] {
    return this.includeMetadata ? [...def.fields, METADATA_FIELD] : [...def.fields];
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
