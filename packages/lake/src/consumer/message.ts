/**
 * The unit a consumer receives: a row for one table (`payload`) and what is needed to route
 * and partition it without looking inside (`metadata`). Pipeline hosts produce it; the
 * consumer defines it, so the consumer depends on no host.
 */
export interface MessageMetadata {
  /** Destination table, e.g. "contract_data". */
  table: string;
  /** Name of the component that produced the message, e.g. "ContractData". */
  processor?: string;
  /** Dataset profile of the row ("default" when absent), selecting which definition of `table` it follows. */
  profile?: string;
  ledger_sequence: number;
  /**
   * Ledger close time: seconds since the epoch (Stellar's own unit, what processors pass),
   * or ISO-8601 text (what the JSON-lines bridge carries), or a Date.
   */
  ledger_close_time: number | string | Date;
  network_passphrase?: string;
  [extra: string]: unknown;
}

export interface ConsumerMessage {
  payload: Record<string, unknown>;
  metadata: MessageMetadata;
}
