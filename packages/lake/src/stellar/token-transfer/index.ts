/**
 * Token transfer events of Stellar ledgers (CAP-67 unified events, SEP-41): who moved
 * which asset to whom, minted, burned, clawed back or paid as fees, with the
 * reconciliation against ledger balances (their table: src/datasets/token-transfers.ts).
 */
export type { MuxedInfo, SkippedEvent, TokenAsset, TokenTransferEvent, TokenTransferKind } from './event.js';
export { TOKEN_TRANSFER_KINDS } from './event.js';
export { TokenTransferError } from './errors.js';
export type { TokenTransferOptions, TokenTransferResult } from './processor.js';
export { tokenTransferEvents, verifyTokenTransfers } from './processor.js';
export type { TokenTransferMismatch } from './verify.js';
export { TokenTransferMismatchError } from './verify.js';
