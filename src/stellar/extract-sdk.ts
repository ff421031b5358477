import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import type { DataEntryImage, ExtractedLedger, ExtractedTx } from './extracted.js';
import { contractEventsOf, entryChanges, evictedKeys, transactions } from './ledger-view.js';

/** Reference extractor: walks the fully decoded SDK object (slow, simple, obviously right). */

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function image(d: xdr.ContractDataEntry | xdr.LedgerKeyContractData, entry: xdr.LedgerEntry | undefined): DataEntryImage {
  const lk = xdr.LedgerKey.contractData(new xdr.LedgerKeyContractData({ contract: d.contract(), key: d.key(), durability: d.durability() }));
  const val = entry?.data().contractData().val();
  return {
    contract: u8(d.contract().toXDR()),
    key: u8(d.key().toXDR()),
    durability: d.durability().value,
    val: val ? u8(val.toXDR()) : undefined,
    lastModified: entry?.lastModifiedLedgerSeq(),
    keyHash: createHash('sha256').update(lk.toXDR()).digest('hex'),
  };
}

export function extractWithSdk(lcm: xdr.LedgerCloseMeta): ExtractedLedger {
  const ttl = new Map<string, number>();
  const txs: ExtractedTx[] = [];
  for (const tx of transactions(lcm)) {
    const out: ExtractedTx = { index: tx.index, hash: tx.hash, successful: tx.successful, dataChanges: [], events: [] };
    for (const { change } of entryChanges(tx.meta)) {
      const arm = change.switch().value;
      if (arm === 2) {
        const key = change.removed();
        if (key.switch().name === 'contractData') out.dataChanges.push({ change: arm, image: image(key.contractData(), undefined) });
        continue;
      }
      const entry = change.value() as xdr.LedgerEntry;
      const data = entry.data();
      if (data.switch().name === 'ttl') ttl.set(data.ttl().keyHash().toString('hex'), data.ttl().liveUntilLedgerSeq());
      else if (data.switch().name === 'contractData') out.dataChanges.push({ change: arm, image: image(data.contractData(), entry) });
    }
    let index = 0;
    for (const { event } of contractEventsOf(tx.meta)) {
      const body = event.body().v0();
      const cid = event.contractId();
      out.events.push({
        index: index++,
        type: event.type().value,
        contractId: cid ? u8(cid as unknown as Buffer) : null,
        topics: body.topics().map((t) => u8(t.toXDR())),
        data: u8(body.data().toXDR()),
      });
    }
    txs.push(out);
  }
  const evicted = evictedKeys(lcm).filter((k) => k.switch().name === 'contractData').map((k) => image(k.contractData(), undefined));
  return { txs, ttl, evicted };
}
