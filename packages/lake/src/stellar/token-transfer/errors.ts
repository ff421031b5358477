/**
 * A ledger whose token movements cannot be derived: an operation whose ledger entry changes
 * lack what its events are computed from (the claimed claimable balance, the liquidity
 * pool), a fee that does not follow from the fee changes, malformed fee events. Names the
 * ledger, the transaction and, when known, the operation (1-based).
 */
export class TokenTransferError extends Error {
  constructor(
    readonly ledgerSequence: number,
    readonly txHash: string,
    readonly opIndex: number | null,
    readonly detail: string,
  ) {
    super(`token transfers: ledger ${ledgerSequence}, transaction ${txHash}${opIndex === null ? '' : `, operation ${opIndex}`}: ${detail}`);
    this.name = 'TokenTransferError';
  }
}
