import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import { TokenTransferError } from './errors.js';

/**
 * One transaction of a ledger with everything the token transfer processor reads, as Go's
 * ingest.LedgerTransaction: apply-order index (1-based), hash, result, meta, the fee
 * changes charged before all transactions and (protocol 23+) the refund changes applied
 * after all of them.
 */
export interface LedgerTx {
  readonly ledgerSequence: number;
  readonly closeTime: number;
  readonly protocolVersion: number;
  readonly index: number;
  readonly hash: string;
  readonly result: xdr.TransactionResultPair;
  readonly meta: xdr.TransactionMeta;
  readonly feeChanges: xdr.LedgerEntryChange[];
  readonly postApplyFeeChanges: xdr.LedgerEntryChange[];
  /** The envelope (operations, source, memo). Found by hash, so only computed when asked for. */
  envelope(): xdr.TransactionEnvelope;
}

export interface LedgerInfo {
  sequence: number;
  closeTime: number;
  protocolVersion: number;
}

type AnyResultMeta = xdr.TransactionResultMeta | xdr.TransactionResultMetaV1;

function parts(lcm: xdr.LedgerCloseMeta): { header: xdr.LedgerHeader; processing: AnyResultMeta[] } {
  switch (lcm.switch()) {
    case 0:
      return { header: lcm.v0().ledgerHeader().header(), processing: lcm.v0().txProcessing() };
    case 1:
      return { header: lcm.v1().ledgerHeader().header(), processing: lcm.v1().txProcessing() };
    case 2:
      return { header: lcm.v2().ledgerHeader().header(), processing: lcm.v2().txProcessing() };
    default:
      throw new Error(`unsupported LedgerCloseMeta version ${lcm.switch()}`);
  }
}

export function ledgerInfo(lcm: xdr.LedgerCloseMeta): LedgerInfo {
  const { header } = parts(lcm);
  return { sequence: header.ledgerSeq(), closeTime: Number(header.scpValue().closeTime().toString()), protocolVersion: header.ledgerVersion() };
}

/** The envelopes of the ledger's transaction set, in set order (not apply order). */
function envelopesOf(lcm: xdr.LedgerCloseMeta): xdr.TransactionEnvelope[] {
  if (lcm.switch() === 0) return lcm.v0().txSet().txes();
  const set = lcm.switch() === 1 ? lcm.v1().txSet() : lcm.v2().txSet();
  const out: xdr.TransactionEnvelope[] = [];
  for (const phase of set.v1TxSet().phases()) {
    if (phase.switch() === 0) {
      for (const component of phase.v0Components()) out.push(...component.txsMaybeDiscountedFee().txes());
    } else {
      for (const stage of phase.parallelTxsComponent().executionStages()) for (const cluster of stage) out.push(...cluster);
    }
  }
  return out;
}

/**
 * Transaction hash: SHA-256 of TransactionSignaturePayload{networkId, tagged transaction}.
 * A v0 envelope is hashed as the v1 Transaction it converts to, whose XDR is the v0 XDR
 * behind a KEY_TYPE_ED25519 (0) discriminant: the v0 optional time bounds encode exactly
 * as PRECOND_NONE / PRECOND_TIME.
 */
function envelopeHash(networkId: Buffer, env: xdr.TransactionEnvelope): string {
  const h = createHash('sha256').update(networkId);
  const tag = Buffer.alloc(4);
  switch (env.switch().value) {
    case 0: // ENVELOPE_TYPE_TX_V0
      tag.writeUInt32BE(2);
      h.update(tag).update(Buffer.alloc(4)).update(env.v0().tx().toXDR());
      break;
    case 2: // ENVELOPE_TYPE_TX
      tag.writeUInt32BE(2);
      h.update(tag).update(env.v1().tx().toXDR());
      break;
    case 5: // ENVELOPE_TYPE_TX_FEE_BUMP
      tag.writeUInt32BE(5);
      h.update(tag).update(env.feeBump().tx().toXDR());
      break;
    default:
      throw new Error(`unsupported transaction envelope type ${env.switch().name}`);
  }
  return h.digest('hex');
}

/**
 * The ledger's transactions in apply order. Envelopes sit in the transaction set in another
 * order, so they are matched to results by hash; the hashing happens on the first call of
 * any transaction's envelope(), since reading unified events needs no envelope at all.
 */
export function ledgerTransactions(lcm: xdr.LedgerCloseMeta, networkPassphrase: string): LedgerTx[] {
  const { header, processing } = parts(lcm);
  const info = ledgerInfo(lcm);
  let byHash: Map<string, xdr.TransactionEnvelope> | undefined;
  const envelopeFor = (hash: string): xdr.TransactionEnvelope => {
    if (!byHash) {
      const networkId = createHash('sha256').update(networkPassphrase).digest();
      byHash = new Map(envelopesOf(lcm).map((env) => [envelopeHash(networkId, env), env]));
    }
    const env = byHash.get(hash);
    if (!env) throw new TokenTransferError(info.sequence, hash, null, 'no envelope in the transaction set has this hash (wrong network passphrase?)');
    return env;
  };
  return processing.map((p, i): LedgerTx => {
    const result = p.result();
    const hash = result.transactionHash().toString('hex');
    const meta = p.txApplyProcessing();
    const feeChanges = p.feeProcessing();
    // Go's reader refuses the original v0/v1 meta of protocols before 10 (re-emitted ledgers have v2).
    if (header.ledgerVersion() < 10 && meta.switch() < 2 && feeChanges.length > 0) {
      throw new TokenTransferError(
        info.sequence,
        hash,
        null,
        `TransactionMeta v${meta.switch()} cannot be read before protocol 10: process ledgers re-emitted by a current stellar-core`,
      );
    }
    return {
      ledgerSequence: info.sequence,
      closeTime: info.closeTime,
      protocolVersion: info.protocolVersion,
      index: i + 1,
      hash,
      result,
      meta,
      feeChanges,
      postApplyFeeChanges: 'postTxApplyFeeProcessing' in p ? p.postTxApplyFeeProcessing() : [],
      envelope: () => envelopeFor(hash),
    };
  });
}
