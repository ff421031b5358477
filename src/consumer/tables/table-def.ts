import type { FieldSpec } from '../../format/schema/types.js';
import type { InputRecord } from '../message-input.js';

/**
 * A built-in table: a fixed schema and a converter from a message payload (object form, any
 * accepted spelling) to a row of writer values. `toRow` throws RejectError with the reason.
 */
export interface TableDef {
  readonly name: string;
  /** Schema version written into every file's footer; bump it when the fields change. */
  readonly version: string;
  readonly fields: readonly FieldSpec[];
  toRow(rec: InputRecord): Record<string, unknown>;
}

/** The JSON column added to every table when include_metadata is on. */
export const METADATA_FIELD: FieldSpec = { name: 'pipeline_metadata', type: 'json', optional: true };

export function metadataJson(rec: InputRecord): string {
  return JSON.stringify(rec.metadata, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
