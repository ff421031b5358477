/**
 * What the datasets need from a ledger, as raw XDR slices: changes of contract data, contract
 * code and TTL entries, and the events transactions emitted. Two extractors produce it (the
 * SDK walk and the fast byte scanner), so rows are built by one piece of code and the
 * extractors can be checked against each other.
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
  /** XDR of the LedgerKeyContractData (contract, key, durability): the LedgerKey without its type tag. */
  keyBody: Uint8Array;
  /** XDR of the whole ContractDataEntry; undefined for key-only images. */
  entry: Uint8Array | undefined;
}

/** LedgerEntryChangeType: 0 created, 1 updated, 2 removed, 3 state, 4 restored. */
export type ChangeType = number;

export interface DataChange {
  change: ChangeType;
  image: DataEntryImage;
}

/** The cost inputs of a ContractCodeEntry v1 extension, in XDR field order (nInstructions ... nDataSegmentBytes). */
export type CodeCostInputs = readonly number[];

/** One CONTRACT_CODE entry image (key-only for removals). */
export interface CodeChange {
  change: ChangeType;
  /** 32-byte SHA-256 of the Wasm. */
  hash: Uint8Array;
  /** ContractCodeEntry.ext arm (0 or 1); undefined for key-only images. */
  extV: number | undefined;
  /** The v1 extension's cost inputs, null without it (or key-only). */
  costInputs: CodeCostInputs | null;
  lastModified: number | undefined;
  /** Hex SHA-256 of the LedgerKey XDR. */
  keyHash: string;
}

/** One TTL entry image (key-only for removals). */
export interface TtlChange {
  change: ChangeType;
  /** Hex of the TTL's keyHash: the SHA-256 of the LedgerKey it extends. */
  keyHash: string;
  liveUntil: number | undefined;
  lastModified: number | undefined;
}

export interface EventItem {
  /** Position among the transaction's events of its list (see ExtractedTx.events), in order. */
  index: number;
  /** ContractEventType: 0 system, 1 contract, 2 diagnostic. */
  type: number;
  /** 32-byte contract hash or null. */
  contractId: Uint8Array | null;
  topics: Uint8Array[];
  data: Uint8Array;
  /** 0-based operation that emitted it (TxMeta v3: always 0, its one operation); null for transaction-level events. */
  opIndex: number | null;
  /** XDR of the whole ContractEvent. */
  bytes: Uint8Array;
}

export interface DiagnosticItem {
  inSuccessfulContractCall: boolean;
  event: EventItem;
}

export interface ExtractedTx {
  /** 1-based position in apply order, as Go's LedgerTransaction.Index. */
  index: number;
  hash: string;
  successful: boolean;
  /** TransactionMeta version (0..4). */
  metaVersion: number;
  dataChanges: DataChange[];
  codeChanges: CodeChange[];
  ttlChanges: TtlChange[];
  /** Operation events: TxMeta v3 sorobanMeta.events, v4 operations[].events. */
  events: EventItem[];
  /** TxMeta v4 transaction-level events (fees and refunds), in order. */
  txEvents: EventItem[];
  /**
   * Diagnostic events (v3 sorobanMeta.diagnosticEvents, v4 diagnosticEvents), read on first
   * call: a Soroban transaction carries several times more of them than contract events, and
   * only some datasets read them, so an extractor checks their bytes and keeps where they are.
   */
  diagnosticEvents: () => readonly DiagnosticItem[];
}

export interface ExtractedLedger {
  txs: ExtractedTx[];
  /** TTL keyHash (hex) -> liveUntilLedgerSeq, last write in the ledger wins. */
  ttl: Map<string, number>;
  /** Contract-data keys evicted at ledger close (key-only images). */
  evicted: DataEntryImage[];
}

export const CONTRACT_DATA_TYPE = 6;
export const CONTRACT_CODE_TYPE = 7;
export const TTL_TYPE = 9;

/** An ExtractedTx with nothing extracted yet. */
export function newTx(index: number): ExtractedTx {
  return {
    index,
    hash: '',
    successful: false,
    metaVersion: 0,
    dataChanges: [],
    codeChanges: [],
    ttlChanges: [],
    events: [],
    txEvents: [],
    diagnosticEvents: NO_DIAGNOSTICS,
  };
}

const NO_DIAGNOSTICS = (): readonly DiagnosticItem[] => [];
