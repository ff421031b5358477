import type { FieldSpec } from 'cdp-parquet';
import type { InputRecord } from '../message-input.js';

/** The JSON column added to every table when include_metadata is on. */
export const METADATA_FIELD: FieldSpec = { name: 'pipeline_metadata', type: 'json', optional: true };

export function metadataJson(rec: InputRecord): string {
  return JSON.stringify(rec.metadata, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}
