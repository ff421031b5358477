/**
 * A ledger whose XDR holds something the decoder does not know (a union arm of a newer
 * protocol, a truncated object). It names the XDR type, and once the callers up the stack
 * add them, the transaction (1-based apply order) and the ledger, so a run stops saying
 * exactly where instead of writing a guess.
 */
export class XdrDecodeError extends Error {
  constructor(
    readonly xdrType: string,
    readonly detail: string,
    readonly txIndex?: number,
    readonly ledger?: number,
  ) {
    super(
      `${ledger !== undefined ? `ledger ${ledger}: ` : ''}${txIndex !== undefined ? `transaction ${txIndex}: ` : ''}cannot decode XDR ${xdrType}: ${detail}`,
    );
    this.name = 'XdrDecodeError';
  }

  /** The same error placed in a transaction or ledger. */
  at(where: { txIndex?: number; ledger?: number }): XdrDecodeError {
    return new XdrDecodeError(this.xdrType, this.detail, where.txIndex ?? this.txIndex, where.ledger ?? this.ledger);
  }
}

/** An unknown union arm of `xdrType` at byte `pos`. */
export const unknownArm = (xdrType: string, discriminant: number, pos: number): XdrDecodeError =>
  new XdrDecodeError(xdrType, `no arm for discriminant ${discriminant} (byte ${pos})`);
