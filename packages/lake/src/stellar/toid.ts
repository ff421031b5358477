/**
 * Total Order ID as used by Horizon, stellar-rpc and stellar-etl: ledger sequence in the high
 * 32 bits, 1-based transaction application order in the next 20, operation index in the low
 * 12 (0 for the transaction itself; operations count from 1).
 */
export function toid(ledger: number, txIndex: number, opIndex: number): bigint {
  if (!Number.isInteger(txIndex) || txIndex < 0 || txIndex >= 1 << 20) throw new RangeError(`toid: transaction index ${txIndex} out of range`);
  if (!Number.isInteger(opIndex) || opIndex < 0 || opIndex >= 1 << 12) throw new RangeError(`toid: operation index ${opIndex} out of range`);
  return (BigInt(ledger) << 32n) | (BigInt(txIndex) << 12n) | BigInt(opIndex);
}

/**
 * stellar-rpc style event id: "%019d-%010d" of TOID(ledger, tx, op 0) and the event's index
 * within its transaction. Zero padding keeps lexical order equal to chain order.
 */
export function eventId(ledger: number, txIndex: number, eventIndex: number): string {
  return `${toid(ledger, txIndex, 0).toString().padStart(19, '0')}-${eventIndex.toString().padStart(10, '0')}`;
}
