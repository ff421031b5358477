/**
 * The unit that flows between pipeline components (source -> processors -> consumers).
 *
 * `payload` is a flat row for one table; `metadata` carries what every consumer needs to
 * route and partition the row without looking inside the payload (the ledger a row came
 * from and its close time, which drive ledger_day / ledger_range partitioning).
 */
export interface MessageMetadata {
  /** Destination table / message kind, e.g. "contract_data" or "contract_events". */
  table: string;
  /** Name of the component that produced the message, e.g. "ContractData". */
  processor?: string;
  ledger_sequence: number;
  /** Ledger close time as ISO-8601 UTC text (JSON-safe, survives the JSON-lines bridge). */
  ledger_close_time: string;
  network_passphrase?: string;
  [extra: string]: unknown;
}

export interface PipelineMessage {
  payload: Record<string, unknown>;
  metadata: MessageMetadata;
}

/** Close time in seconds since epoch -> ISO-8601 text with a `Z` suffix. */
export function closeTimeToIso(closeTimeSeconds: number): string {
  return new Date(closeTimeSeconds * 1000).toISOString();
}
