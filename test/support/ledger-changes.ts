// Synthetic ledgers for the ledger-entry datasets: a real protocol 23 ledger (load test 88) with
// its header re-stamped and its transactions replaced by ones whose meta holds the given
// LedgerEntryChanges. Entries and changes are built with the SDK's xdr classes only.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { xdr } from '@stellar/stellar-sdk';
import { readLedgerStream } from '../../packages/lake/src/pipeline/source/xdr-stream.js';
import { ledgerRecordFromBytes, type LedgerRecord } from '../../packages/lake/src/stellar/ledger-record.js';
import { LOAD_TEST_FILE } from '../pipeline-helpers.js';

export const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

let template: Buffer | undefined;
async function templateXdr(): Promise<Buffer> {
  template ??= Buffer.from((await readLedgerStream(readFileSync(LOAD_TEST_FILE)))[2]!.bytes);
  return template;
}

/** A copy of a LedgerCloseMeta v1/v2 with a new ledger sequence and close time (s). */
export function restamp(lcm: xdr.LedgerCloseMeta, seq: number, closeTime: number): xdr.LedgerCloseMeta {
  const copy = xdr.LedgerCloseMeta.fromXDR(lcm.toXDR());
  const header = (copy.switch() === 1 ? copy.v1() : copy.v2()).ledgerHeader().header();
  header.ledgerSeq(seq);
  header.scpValue().closeTime(xdr.Uint64.fromString(String(closeTime)));
  return copy;
}

/** One transaction's meta: LedgerEntryChanges per operation (and optionally before/after). */
export interface TxChanges {
  before?: xdr.LedgerEntryChange[];
  operations: xdr.LedgerEntryChange[][];
  after?: xdr.LedgerEntryChange[];
}

/** A LedgerCloseMeta v2 for ledger `seq` closed at `closeTime` (s), one tx per item. */
export async function ledgerWithChanges(seq: number, closeTime: number, txs: TxChanges[]): Promise<LedgerRecord> {
  return ledgerRecordFromBytes(new Uint8Array((await metaWithChanges(seq, closeTime, txs)).toXDR()));
}

/** The same ledger as an SDK object. */
export async function metaWithChanges(seq: number, closeTime: number, txs: TxChanges[]): Promise<xdr.LedgerCloseMeta> {
  const lcm = restamp(xdr.LedgerCloseMeta.fromXDR(await templateXdr()), seq, closeTime);
  const v2 = lcm.v2();
  const proto = v2.txProcessing()[0]!;
  v2.txProcessing(
    txs.map((t, i) => {
      const tp = xdr.TransactionResultMetaV1.fromXDR(proto.toXDR());
      tp.result().transactionHash(sha256(Buffer.from(`tx ${seq} ${i}`)));
      const meta = tp.txApplyProcessing().v4();
      meta.txChangesBefore(t.before ?? []);
      meta.operations(t.operations.map((changes) => new xdr.OperationMetaV2({ ext: new xdr.ExtensionPoint(0), changes, events: [] })));
      meta.txChangesAfter(t.after ?? []);
      meta.events([]);
      meta.diagnosticEvents([]);
      return tp;
    }),
  );
  v2.evictedKeys([]);
  return lcm;
}

export function entry(lastModified: number, data: xdr.LedgerEntryData): xdr.LedgerEntry {
  return new xdr.LedgerEntry({ lastModifiedLedgerSeq: lastModified, data, ext: new xdr.LedgerEntryExt(0) });
}

export function dataEntry(
  contractId: Buffer,
  key: xdr.ScVal,
  val: xdr.ScVal,
  lastModified: number,
  durability = xdr.ContractDataDurability.persistent(),
): xdr.LedgerEntry {
  const contract = xdr.ScAddress.scAddressTypeContract(contractId as unknown as xdr.ContractId);
  return entry(lastModified, xdr.LedgerEntryData.contractData(new xdr.ContractDataEntry({ ext: new xdr.ExtensionPoint(0), contract, key, durability, val })));
}

export function codeEntry(hash: Buffer, lastModified: number, costInputs?: number[], code = Buffer.from('\0asm')): xdr.LedgerEntry {
  const ext =
    costInputs === undefined
      ? new xdr.ContractCodeEntryExt(0)
      : new xdr.ContractCodeEntryExt(
          1,
          new xdr.ContractCodeEntryV1({
            ext: new xdr.ExtensionPoint(0),
            costInputs: new xdr.ContractCodeCostInputs({
              ext: new xdr.ExtensionPoint(0),
              nInstructions: costInputs[0]!,
              nFunctions: costInputs[1]!,
              nGlobals: costInputs[2]!,
              nTableEntries: costInputs[3]!,
              nTypes: costInputs[4]!,
              nDataSegments: costInputs[5]!,
              nElemSegments: costInputs[6]!,
              nImports: costInputs[7]!,
              nExports: costInputs[8]!,
              nDataSegmentBytes: costInputs[9]!,
            }),
          }),
        );
  return entry(lastModified, xdr.LedgerEntryData.contractCode(new xdr.ContractCodeEntry({ ext, hash, code })));
}

export const ttlEntry = (keyHash: Buffer, liveUntil: number, lastModified: number): xdr.LedgerEntry =>
  entry(lastModified, xdr.LedgerEntryData.ttl(new xdr.TtlEntry({ keyHash, liveUntilLedgerSeq: liveUntil })));

export function ledgerKey(e: xdr.LedgerEntry): xdr.LedgerKey {
  const d = e.data();
  switch (d.switch().name) {
    case 'contractData': {
      const c = d.contractData();
      return xdr.LedgerKey.contractData(new xdr.LedgerKeyContractData({ contract: c.contract(), key: c.key(), durability: c.durability() }));
    }
    case 'contractCode':
      return xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: d.contractCode().hash() }));
    case 'ttl':
      return xdr.LedgerKey.ttl(new xdr.LedgerKeyTtl({ keyHash: d.ttl().keyHash() }));
    default:
      throw new Error(`ledgerKey: ${d.switch().name}`);
  }
}

export const keyHashOf = (e: xdr.LedgerEntry): Buffer => sha256(ledgerKey(e).toXDR());

export const CREATED = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryCreated(e);
export const STATE = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryState(e);
export const UPDATED = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryUpdated(e);
export const REMOVED = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryRemoved(ledgerKey(e));
export const RESTORED = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryRestored(e);
/** [STATE before, UPDATED after], as core writes an update. */
export const update = (before: xdr.LedgerEntry, after: xdr.LedgerEntry): xdr.LedgerEntryChange[] => [STATE(before), UPDATED(after)];
/** [STATE before, REMOVED key], as core writes a removal. */
export const remove = (before: xdr.LedgerEntry): xdr.LedgerEntryChange[] => [STATE(before), REMOVED(before)];
