/**
 * Tables with a fixed schema. The consumer does not know any table itself: whoever creates
 * it (the pipeline host, a library user) hands it a catalog, usually the one built from the
 * dataset definitions (src/datasets). A table not in the catalog gets an inferred schema.
 */
import type { FieldSpec } from 'cdp-parquet';

/** How a column's value may arrive in a message payload, beyond its name and type. */
export interface ColumnInput {
  /** Other names the value may arrive under (besides the column's name and its camelCase). */
  readonly aliases?: readonly string[];
  /** The value taken when a payload lacks the column (e.g. a count that is 0 when absent). */
  readonly absentAs?: unknown;
  /** A string column that stores any JSON value as its JSON text (a value arriving decoded). */
  readonly anyJson?: boolean;
}

export interface TableSchema {
  readonly name: string;
  /** Schema version written into every file's footer; bumped when the columns change. */
  readonly version: string;
  /** Dataset profile this definition belongs to ("default" or e.g. "hubble"). */
  readonly profile: string;
  readonly fields: readonly FieldSpec[];
  /** Per column (by name), how its value may arrive; columns not listed take only their own names. */
  readonly input: Readonly<Record<string, ColumnInput>>;
}

export interface TableCatalog {
  /** The definition of `table` in `profile` (undefined profile: "default"), if there is one. */
  find(table: string, profile: string | undefined): TableSchema | undefined;
  /**
   * The table of a message that names only its producer or kind (`metadata.processor`,
   * `message_type`), e.g. "ContractDataProcessor" -> "contract_data".
   */
  tableNamed(name: string): string | undefined;
  /** Every definition, for routing a message that names no table by the shape of its payload. */
  all(): readonly TableSchema[];
}

/** A catalog with no tables: every table's schema is inferred. */
export const EMPTY_CATALOG: TableCatalog = { find: () => undefined, tableNamed: () => undefined, all: () => [] };
