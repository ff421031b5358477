import { cereal, xdr } from '@stellar/stellar-sdk';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import { ledgerRecordFromBytes } from '../../stellar/ledger-record.js';

/**
 * Splits an uncompressed `LedgerCloseMetaBatch{startSequence, endSequence,
 * LedgerCloseMeta ledgerCloseMetas<>}` into per-ledger records.
 *
 * XDR arrays carry no per-element lengths, so a batch of one ledger (the common galexie
 * setting) is sliced without decoding; larger batches are decoded element by element with
 * the SDK reader, noting the byte offsets, and the decoded objects seed each record's cache
 * so that work is not thrown away.
 */
export interface DecodedBatch {
  startSequence: number;
  endSequence: number;
  ledgers: LedgerRecord[];
}

interface PositionedReader {
  _index: number;
}

export function decodeLedgerBatch(bytes: Uint8Array): DecodedBatch {
  if (bytes.length < 12) throw new Error(`LedgerCloseMetaBatch too short (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const startSequence = dv.getUint32(0);
  const endSequence = dv.getUint32(4);
  const count = dv.getUint32(8);
  const ledgers: LedgerRecord[] = [];
  if (count === 1) {
    ledgers.push(ledgerRecordFromBytes(bytes.subarray(12)));
  } else if (count > 1) {
    const body = Buffer.from(bytes.buffer, bytes.byteOffset + 12, bytes.byteLength - 12);
    const reader = new cereal.XdrReader(body);
    const pos = reader as unknown as PositionedReader;
    for (let i = 0; i < count; i++) {
      const from = pos._index;
      const meta = xdr.LedgerCloseMeta.read(reader as unknown as Buffer);
      ledgers.push(ledgerRecordFromBytes(body.subarray(from, pos._index), meta));
    }
  }
  for (const [i, l] of ledgers.entries()) {
    if (l.sequence !== startSequence + i) {
      throw new Error(`LedgerCloseMetaBatch ${startSequence}-${endSequence}: ledger #${i} has sequence ${l.sequence}`);
    }
  }
  return { startSequence, endSequence, ledgers };
}
