/**
 * The token transfer event model of the Stellar SDK's token transfer processor (Go:
 * processors/token_transfer, token_transfer_event.proto), as plain TypeScript values.
 *
 * One event is one movement of value: a transfer between two holders, a mint (value
 * appears at a holder), a burn (value leaves a holder), a clawback (an issuer takes value
 * back) or a fee (XLM charged by, or with a negative amount refunded to, the fee account).
 * Holders are strkeys: G (account), C (contract), B (claimable balance) or L (liquidity
 * pool); M (muxed account) only where a SEP-41 contract names one in its topics.
 */
export type TokenTransferKind = 'transfer' | 'mint' | 'burn' | 'clawback' | 'fee';

export const TOKEN_TRANSFER_KINDS: readonly TokenTransferKind[] = ['transfer', 'mint', 'burn', 'clawback', 'fee'];

/**
 * A classic Stellar asset: XLM, or a credit asset named by code (trailing NULs of the XDR
 * code removed) and issuer account. A SEP-41 token that is not a Stellar Asset Contract has
 * no classic asset: its events carry `asset: null` and are identified by contractAddress.
 */
export type TokenAsset = { readonly native: true } | { readonly native: false; readonly code: string; readonly issuer: string };

/**
 * Destination multiplexing information (CAP-67 `to_muxed_id`, Go proto MuxedInfo): the id
 * of an M address, or the transaction memo standing for it (text; hash and return memos
 * as 32 bytes).
 */
export type MuxedInfo =
  { readonly type: 'id'; readonly id: bigint } | { readonly type: 'text'; readonly text: string } | { readonly type: 'hash'; readonly hash: Uint8Array };

export interface TokenTransferEvent {
  kind: TokenTransferKind;
  ledgerSequence: number;
  /** Ledger close time, seconds since the Unix epoch. */
  closeTime: number;
  /** Transaction hash, lower-case hex. */
  txHash: string;
  /** 1-based position of the transaction in apply order (Go's LedgerTransaction.Index). */
  txIndex: number;
  /** 1-based operation index (SEP-35), null for fee events. */
  opIndex: number | null;
  /** C strkey of the token contract (for classic assets: the asset's Stellar Asset Contract). */
  contractAddress: string;
  /** Holder the value leaves: null for mint. */
  from: string | null;
  /** Holder the value reaches: null for burn, clawback and fee. */
  to: string | null;
  asset: TokenAsset | null;
  /** Exact amount in the token's smallest unit; the full i128 range. Negative only for fee refunds. */
  amount: bigint;
  toMuxedInfo: MuxedInfo | null;
}

/** A contract event named like a token event whose shape is not SEP-41's: left out, never guessed. */
export interface SkippedEvent {
  ledgerSequence: number;
  txHash: string;
  /** 1-based operation index of the event. */
  opIndex: number;
  /** C strkey of the emitting contract, or null when the event has none. */
  contractAddress: string | null;
  /** The event name (first topic). */
  topic: string;
  /** Why the shape is not a token event's. */
  reason: string;
}

export const NATIVE: TokenAsset = Object.freeze({ native: true });
