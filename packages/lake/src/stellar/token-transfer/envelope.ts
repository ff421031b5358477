import { xdr } from '@stellar/stellar-sdk';

/**
 * What the processor reads from a transaction envelope, for all three envelope types.
 * For a fee bump: the inner transaction's source, operations, memo and sequence number,
 * and the outer transaction's fee source (Go: xdr.TransactionEnvelope helpers).
 */
export interface EnvelopeView {
  source: xdr.MuxedAccount;
  feeSource: xdr.MuxedAccount;
  operations: xdr.Operation[];
  memo: xdr.Memo;
  seqNum: bigint;
  /** A Soroban transaction: its body carries SorobanTransactionData. */
  soroban: boolean;
}

export function envelopeView(env: xdr.TransactionEnvelope): EnvelopeView {
  switch (env.switch().value) {
    case 0: {
      const tx = env.v0().tx();
      const source = xdr.MuxedAccount.keyTypeEd25519(tx.sourceAccountEd25519());
      return { source, feeSource: source, operations: tx.operations(), memo: tx.memo(), seqNum: BigInt(tx.seqNum().toString()), soroban: false };
    }
    case 2: {
      const tx = env.v1().tx();
      return {
        source: tx.sourceAccount(),
        feeSource: tx.sourceAccount(),
        operations: tx.operations(),
        memo: tx.memo(),
        seqNum: BigInt(tx.seqNum().toString()),
        soroban: tx.ext().switch() === 1,
      };
    }
    case 5: {
      const outer = env.feeBump().tx();
      const tx = outer.innerTx().v1().tx();
      return {
        source: tx.sourceAccount(),
        feeSource: outer.feeSource(),
        operations: tx.operations(),
        memo: tx.memo(),
        seqNum: BigInt(tx.seqNum().toString()),
        soroban: tx.ext().switch() === 1,
      };
    }
    default:
      throw new Error(`unsupported transaction envelope type ${env.switch().name}`);
  }
}

/** The operation's source account, the transaction's when the operation names none. */
export const operationSource = (env: EnvelopeView, op: xdr.Operation): xdr.MuxedAccount => op.sourceAccount() ?? env.source;
