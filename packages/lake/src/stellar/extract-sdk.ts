import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import type { CodeChange, DataEntryImage, EventItem, ExtractedLedger, ExtractedTx } from './extracted.js';
import { newTx } from './extracted.js';
import { contractEventsOf, diagnosticEventsOf, entryChanges, evictedKeys, transactions, txEventsOf } from './ledger-view.js';

/** Reference extractor: walks the fully decoded SDK object (slow, simple, obviously right). */

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function image(d: xdr.ContractDataEntry | xdr.LedgerKeyContractData, entry: xdr.LedgerEntry | undefined): DataEntryImage {
  const keyData = new xdr.LedgerKeyContractData({ contract: d.contract(), key: d.key(), durability: d.durability() });
  const data = entry?.data().contractData();
  return {
    contract: u8(d.contract().toXDR()),
    key: u8(d.key().toXDR()),
    durability: d.durability().value,
    val: data ? u8(data.val().toXDR()) : undefined,
    lastModified: entry?.lastModifiedLedgerSeq(),
    keyHash: sha256Hex(xdr.LedgerKey.contractData(keyData).toXDR()),
    keyBody: u8(keyData.toXDR()),
    entry: data ? u8(data.toXDR()) : undefined,
  };
}

function code(change: number, hash: Buffer, entry: xdr.LedgerEntry | undefined): CodeChange {
  const c = entry?.data().contractCode();
  const ext = c?.ext();
  const inputs = ext?.switch() === 1 ? ext.v1().costInputs() : undefined;
  return {
    change,
    hash: u8(hash),
    extV: ext?.switch(),
    costInputs: inputs
      ? [
          inputs.nInstructions(),
          inputs.nFunctions(),
          inputs.nGlobals(),
          inputs.nTableEntries(),
          inputs.nTypes(),
          inputs.nDataSegments(),
          inputs.nElemSegments(),
          inputs.nImports(),
          inputs.nExports(),
          inputs.nDataSegmentBytes(),
        ]
      : null,
    lastModified: entry?.lastModifiedLedgerSeq(),
    keyHash: sha256Hex(xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash })).toXDR()),
  };
}

function eventItem(event: xdr.ContractEvent, index: number, opIndex: number | null): EventItem {
  const body = event.body().v0();
  const cid = event.contractId();
  return {
    index,
    type: event.type().value,
    contractId: cid ? u8(cid as unknown as Buffer) : null,
    topics: body.topics().map((t) => u8(t.toXDR())),
    data: u8(body.data().toXDR()),
    opIndex,
    bytes: u8(event.toXDR()),
  };
}

export function extractWithSdk(lcm: xdr.LedgerCloseMeta): ExtractedLedger {
  const ttl = new Map<string, number>();
  const txs: ExtractedTx[] = [];
  for (const tx of transactions(lcm)) {
    const out: ExtractedTx = { ...newTx(tx.index), hash: tx.hash, successful: tx.successful, metaVersion: tx.meta.switch() };
    for (const { change } of entryChanges(tx.meta)) {
      const arm = change.switch().value;
      if (arm === 2) {
        const key = change.removed();
        const kind = key.switch().name;
        if (kind === 'contractData') out.dataChanges.push({ change: arm, image: image(key.contractData(), undefined) });
        else if (kind === 'contractCode') out.codeChanges.push(code(arm, key.contractCode().hash(), undefined));
        else if (kind === 'ttl')
          out.ttlChanges.push({ change: arm, keyHash: key.ttl().keyHash().toString('hex'), liveUntil: undefined, lastModified: undefined });
        continue;
      }
      const entry = change.value() as xdr.LedgerEntry;
      const data = entry.data();
      const kind = data.switch().name;
      if (kind === 'ttl') {
        const keyHash = data.ttl().keyHash().toString('hex');
        ttl.set(keyHash, data.ttl().liveUntilLedgerSeq());
        out.ttlChanges.push({ change: arm, keyHash, liveUntil: data.ttl().liveUntilLedgerSeq(), lastModified: entry.lastModifiedLedgerSeq() });
      } else if (kind === 'contractData') out.dataChanges.push({ change: arm, image: image(data.contractData(), entry) });
      else if (kind === 'contractCode') out.codeChanges.push(code(arm, data.contractCode().hash(), entry));
    }
    let index = 0;
    for (const { event, opIndex } of contractEventsOf(tx.meta)) out.events.push(eventItem(event, index++, opIndex));
    txEventsOf(tx.meta).forEach((event, i) => out.txEvents.push(eventItem(event, i, null)));
    const diagnostics = diagnosticEventsOf(tx.meta).map((d, i) => ({
      inSuccessfulContractCall: d.inSuccessfulContractCall(),
      event: eventItem(d.event(), i, null),
    }));
    out.diagnosticEvents = () => diagnostics;
    txs.push(out);
  }
  const evicted = evictedKeys(lcm)
    .filter((k) => k.switch().name === 'contractData')
    .map((k) => image(k.contractData(), undefined));
  return { txs, ttl, evicted };
}
