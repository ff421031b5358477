/**
 * What the processors need from a ledger, as raw XDR slices: contract-data changes, TTLs and
 * contract events. Two extractors produce it (the SDK walk and the fast byte scanner), so
 * rows are built by one piece of code and the extractors can be checked against each other.
 */

/** One CONTRACT_DATA entry image: the ledger key parts and (unless key-only) the value. */
export interface DataEntryImage {
  /** XDR of the ScAddress owning the entry. */
  contract: Uint8Array;
  /** XDR of the key ScVal. */
  key: Uint8Array;
  /** ContractDataDurability: 0 temporary, 1 persistent. */
  durability: number;
  /** XDR of the value ScVal; undefined for key-only images (removals, evictions). */
  val: Uint8Array | undefined;
  lastModified: number | undefined;
  /** Hex SHA-256 of the LedgerKey XDR. */
  keyHash: string;
}

export interface DataChange {
  /** LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 3 state, 4 restored. */
  change: number;
  image: DataEntryImage;
}

export interface EventItem {
  /** Position among the transaction's events (all types), in order. */
  index: number;
  /** ContractEventType: 0 system, 1 contract, 2 diagnostic. */
  type: number;
  /** 32-byte contract hash or null. */
  contractId: Uint8Array | null;
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface ExtractedTx {
  index: number;
  hash: string;
  successful: boolean;
  dataChanges: DataChange[];
  events: EventItem[];
}

export interface ExtractedLedger {
  txs: ExtractedTx[];
  /** TTL keyHash (hex) -> liveUntilLedgerSeq, last write in the ledger wins. */
  ttl: Map<string, number>;
  /** Contract-data keys evicted at ledger close (key-only images). */
  evicted: DataEntryImage[];
}

export const CONTRACT_DATA_TYPE = 6;
export const TTL_TYPE = 9;
