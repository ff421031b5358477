import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import type { CodeChange, DataEntryImage, DiagnosticItem, EventItem, ExtractedLedger, ExtractedTx } from '../extracted.js';
import { CONTRACT_CODE_TYPE, CONTRACT_DATA_TYPE, TTL_TYPE, newTx } from '../extracted.js';
import type { Skipper } from './xdr-skip.js';
import { XdrCursor, skipperFor } from './xdr-skip.js';
import { BytesMemo } from '../bytes-memo.js';
import { XdrDecodeError, unknownArm } from '../decode-error.js';
import { toHex } from '../buffer-view.js';

/**
 * Fast extractor: walks LedgerCloseMeta bytes, skipping (not decoding) everything except
 * contract data, contract code and TTL changes and events, which it returns as raw slices. Field
 * order comes from the SDK's type objects, so struct layouts are never restated here; only
 * the names of the fields we descend into are.
 */

type Handlers = Record<string, (c: XdrCursor) => void>;

interface TypeShape {
  _fields?: Array<[string, unknown]>;
  _switches?: Map<unknown, unknown>;
  _arms?: Record<string, unknown>;
  _childType?: unknown;
}

const fieldCache = new Map<unknown, Array<[string, Skipper]>>();
function fieldsOf(type: unknown): Array<[string, Skipper]> {
  let f = fieldCache.get(type);
  if (!f) {
    const shape = type as TypeShape;
    if (!shape._fields) throw new Error('extract-fast: not a struct type');
    f = shape._fields.map(([name, t]) => [name, skipperFor(t)] as [string, Skipper]);
    fieldCache.set(type, f);
  }
  return f;
}

function walkStruct(c: XdrCursor, type: unknown, handlers: Handlers): void {
  for (const [name, skip] of fieldsOf(type)) {
    const h = handlers[name];
    if (h) h(c);
    else skip(c);
  }
}

/** Arm type of an int- or enum-switched union for discriminant `v`. */
function armType(union: unknown, v: number): unknown {
  const u = union as TypeShape;
  for (const [sw, arm] of u._switches!) {
    const value = typeof sw === 'number' ? sw : (sw as { value: number }).value;
    if (value === v) return typeof arm === 'string' ? u._arms![arm] : undefined;
  }
  throw unknownArm((union as { unionName?: string }).unionName ?? 'union', v, -1);
}

function fieldType(struct: unknown, name: string): unknown {
  const f = (struct as TypeShape)._fields!.find(([n]) => n === name);
  if (!f) throw new Error(`extract-fast: no field ${name}`);
  return f[1];
}

const childOf = (t: unknown): unknown => (t as TypeShape)._childType;

const skipLedgerEntry = skipperFor(xdr.LedgerEntry);
const skipLedgerKey = skipperFor(xdr.LedgerKey);
const skipScAddress = skipperFor(xdr.ScAddress);
const skipScVal = skipperFor(xdr.ScVal);
const skipExtPoint = skipperFor(xdr.ExtensionPoint);
const skipLedgerEntryExt = skipperFor(fieldType(xdr.LedgerEntry, 'ext'));
const skipTxResultPair = skipperFor(xdr.TransactionResultPair);
const skipVarOpaque = (c: XdrCursor): void => c.skip((c.u32() + 3) & ~3);
const LEDGER_KEY_CONTRACT_DATA = new Uint8Array([0, 0, 0, CONTRACT_DATA_TYPE]);
const LEDGER_KEY_CONTRACT_CODE = new Uint8Array([0, 0, 0, CONTRACT_CODE_TYPE]);
const COST_INPUTS = 10;
/** ContractEventType: 0 system, 1 contract, 2 diagnostic. */
const CONTRACT_EVENT_TYPE_MAX = 2;

// Keys recur (a balance updated every ledger, its STATE image before each update); see BytesMemo.
const ledgerKeyHashes = new BytesMemo((body) => createHash('sha256').update(LEDGER_KEY_CONTRACT_DATA).update(body).digest('hex'), 16_384, 1024);

/** Reads ContractDataEntry / LedgerKeyContractData fields {[ext,] contract, key, durability[, val]}. */
function readDataBody(c: XdrCursor, withExt: boolean, withVal: boolean, lastModified: number | undefined): DataEntryImage {
  const entryStart = c.pos;
  if (withExt) skipExtPoint(c);
  const contractStart = c.pos;
  skipScAddress(c);
  const keyStart = c.pos;
  skipScVal(c);
  const keyEnd = c.pos;
  const durability = c.u32();
  // The LedgerKey of a contract-data entry is its type tag followed by exactly these bytes.
  const keyBody = c.slice(contractStart);
  const keyHash = ledgerKeyHashes.get(keyBody);
  let val: Uint8Array | undefined;
  let entry: Uint8Array | undefined;
  if (withVal) {
    const valStart = c.pos;
    skipScVal(c);
    val = c.slice(valStart);
    entry = c.slice(entryStart);
  }
  return { contract: c.slice(contractStart, keyStart), key: c.slice(keyStart, keyEnd), durability, val, lastModified, keyHash, keyBody, entry };
}

const codeKeyHash = (hash: Uint8Array): string => createHash('sha256').update(LEDGER_KEY_CONTRACT_CODE).update(hash).digest('hex');

/** Reads a ContractCodeEntry {ext, hash, code}; the code itself is skipped. */
function readCodeEntry(c: XdrCursor, change: number, lastModified: number): CodeChange {
  const extV = c.u32();
  let costInputs: number[] | null = null;
  if (extV === 1) {
    skipExtPoint(c); // ContractCodeEntryV1.ext
    skipExtPoint(c); // ContractCodeCostInputs.ext
    costInputs = [];
    for (let i = 0; i < COST_INPUTS; i++) costInputs.push(c.u32());
  } else if (extV !== 0) {
    throw unknownArm('ContractCodeEntryExt', extV, c.pos - 4);
  }
  const hash = c.slice(c.pos, c.pos + 32);
  c.skip(32);
  skipVarOpaque(c);
  return { change, hash, extV, costInputs, lastModified, keyHash: codeKeyHash(hash) };
}

function readChanges(c: XdrCursor, tx: ExtractedTx, ttl: Map<string, number>): void {
  const n = c.u32();
  for (let i = 0; i < n; i++) {
    const change = c.u32();
    if (change === 2) {
      const keyType = c.peekU32();
      if (keyType === CONTRACT_DATA_TYPE) {
        c.skip(4);
        tx.dataChanges.push({ change, image: readDataBody(c, false, false, undefined) });
      } else if (keyType === CONTRACT_CODE_TYPE) {
        const hash = c.slice(c.pos + 4, c.pos + 36);
        c.skip(36);
        tx.codeChanges.push({ change, hash, extV: undefined, costInputs: null, lastModified: undefined, keyHash: codeKeyHash(hash) });
      } else if (keyType === TTL_TYPE) {
        tx.ttlChanges.push({ change, keyHash: toHex(c.slice(c.pos + 4, c.pos + 36)), liveUntil: undefined, lastModified: undefined });
        c.skip(36);
      } else skipLedgerKey(c);
      continue;
    }
    const type = c.peekU32(4);
    if (type === CONTRACT_DATA_TYPE) {
      const lastModified = c.u32();
      c.skip(4);
      tx.dataChanges.push({ change, image: readDataBody(c, true, true, lastModified) });
      skipLedgerEntryExt(c);
    } else if (type === CONTRACT_CODE_TYPE) {
      const lastModified = c.u32();
      c.skip(4);
      tx.codeChanges.push(readCodeEntry(c, change, lastModified));
      skipLedgerEntryExt(c);
    } else if (type === TTL_TYPE) {
      const lastModified = c.peekU32();
      const keyHash = toHex(c.slice(c.pos + 8, c.pos + 40));
      const liveUntil = c.dv.getUint32(c.pos + 40);
      ttl.set(keyHash, liveUntil);
      tx.ttlChanges.push({ change, keyHash, liveUntil, lastModified });
      skipLedgerEntry(c);
    } else skipLedgerEntry(c);
  }
}

/** Skips one ContractEvent, refusing the arms readEvent refuses. */
function skipEvent(c: XdrCursor): void {
  skipExtPoint(c);
  if (c.u32() !== 0) c.skip(32);
  const type = c.u32();
  if (type > CONTRACT_EVENT_TYPE_MAX) throw unknownArm('ContractEventType', type, c.pos - 4);
  const bodyV = c.u32();
  if (bodyV !== 0) throw unknownArm('ContractEventBody', bodyV, c.pos - 4);
  const nt = c.u32();
  for (let t = 0; t < nt; t++) skipScVal(c);
  skipScVal(c);
}

/** Reads one ContractEvent into an EventItem. */
function readEvent(c: XdrCursor, index: number, opIndex: number | null): EventItem {
  const start = c.pos;
  skipExtPoint(c);
  const contractId = c.u32() !== 0 ? c.slice(c.pos, c.pos + 32) : null;
  if (contractId) c.skip(32);
  const type = c.u32();
  if (type > CONTRACT_EVENT_TYPE_MAX) throw unknownArm('ContractEventType', type, c.pos - 4);
  const bodyV = c.u32();
  if (bodyV !== 0) throw unknownArm('ContractEventBody', bodyV, c.pos - 4);
  const topics: Uint8Array[] = [];
  const nt = c.u32();
  for (let t = 0; t < nt; t++) {
    const s = c.pos;
    skipScVal(c);
    topics.push(c.slice(s));
  }
  const ds = c.pos;
  skipScVal(c);
  return { index, type, contractId, topics, data: c.slice(ds), opIndex, bytes: c.slice(start) };
}

function readEvents(c: XdrCursor, tx: ExtractedTx, opIndex: number): void {
  const n = c.u32();
  for (let i = 0; i < n; i++) tx.events.push(readEvent(c, tx.events.length, opIndex));
}

/**
 * DiagnosticEvent[]: checked and skipped now, read into items on the first call of
 * tx.diagnosticEvents (see ExtractedTx).
 */
function readDiagnosticEvents(c: XdrCursor, tx: ExtractedTx): void {
  const start = c.pos;
  const n = c.u32();
  for (let i = 0; i < n; i++) {
    c.skip(4); // inSuccessfulContractCall
    skipEvent(c);
  }
  const buf = c.buf;
  let items: DiagnosticItem[] | undefined;
  tx.diagnosticEvents = () => (items ??= diagnosticItems(new XdrCursor(buf, start)));
}

function diagnosticItems(c: XdrCursor): DiagnosticItem[] {
  const n = c.u32();
  const out: DiagnosticItem[] = [];
  for (let i = 0; i < n; i++) {
    const inSuccessfulContractCall = c.u32() !== 0;
    out.push({ inSuccessfulContractCall, event: readEvent(c, i, null) });
  }
  return out;
}

/** TransactionEvent[] {stage, event} of TxMeta v4. */
function readTxEvents(c: XdrCursor, tx: ExtractedTx): void {
  const n = c.u32();
  for (let i = 0; i < n; i++) {
    c.u32(); // TransactionEventStage
    tx.txEvents.push(readEvent(c, tx.txEvents.length, null));
  }
}

function readTxMeta(c: XdrCursor, tx: ExtractedTx, ttl: Map<string, number>): void {
  const v = c.u32();
  tx.metaVersion = v;
  const arm = armType(xdr.TransactionMeta, v);
  const changes = (cc: XdrCursor): void => readChanges(cc, tx, ttl);
  const ops = (cc: XdrCursor, opType: unknown): void => {
    const n = cc.u32();
    for (let i = 0; i < n; i++) walkStruct(cc, opType, { changes, events: (c3) => readEvents(c3, tx, i) });
  };
  if (v === 0) {
    ops(c, childOf(arm));
    return;
  }
  const opType = childOf(fieldType(arm, 'operations'));
  walkStruct(c, arm, {
    txChanges: changes,
    txChangesBefore: changes,
    txChangesAfter: changes,
    operations: (cc) => ops(cc, opType),
    // v3 events live in sorobanMeta (the transaction's one operation); v4 keeps them per
    // operation (handled in `ops`), transaction-level and diagnostic ones beside them.
    sorobanMeta:
      v === 3
        ? (cc) => {
            if (cc.u32() !== 0) {
              walkStruct(cc, childOf(fieldType(arm, 'sorobanMeta')), {
                events: (c3) => readEvents(c3, tx, 0),
                diagnosticEvents: (c3) => readDiagnosticEvents(c3, tx),
              });
            }
          }
        : (cc) => skipperFor(fieldType(arm, 'sorobanMeta'))(cc),
    events: (cc) => readTxEvents(cc, tx),
    diagnosticEvents: (cc) => readDiagnosticEvents(cc, tx),
  });
}

/** A read past the end (DataView's RangeError) is a truncated ledger. */
function asDecodeError(err: unknown): unknown {
  if (err instanceof RangeError) return new XdrDecodeError('LedgerCloseMeta', `ends early (${err.message})`);
  return err;
}

export function extractFast(bytes: Uint8Array): ExtractedLedger {
  try {
    return extractFastUnchecked(bytes);
  } catch (err) {
    throw asDecodeError(err);
  }
}

function extractFastUnchecked(bytes: Uint8Array): ExtractedLedger {
  const c = new XdrCursor(bytes);
  const ttl = new Map<string, number>();
  const txs: ExtractedTx[] = [];
  const evicted: DataEntryImage[] = [];
  const v = c.u32();
  const arm = armType(xdr.LedgerCloseMeta, v);
  const resultMetaType = childOf(fieldType(arm, 'txProcessing'));
  walkStruct(c, arm, {
    txProcessing: (cc) => {
      const n = cc.u32();
      for (let i = 0; i < n; i++) {
        const tx: ExtractedTx = newTx(i + 1);
        try {
          walkStruct(cc, resultMetaType, {
            result: (c2) => {
              tx.hash = toHex(c2.slice(c2.pos, c2.pos + 32));
              // TransactionResult{int64 feeCharged, union result{code...}}: 0/1 are the success codes.
              const code = c2.dv.getInt32(c2.pos + 32 + 8);
              tx.successful = code === 0 || code === 1;
              skipTxResultPair(c2);
            },
            txApplyProcessing: (c2) => readTxMeta(c2, tx, ttl),
          });
        } catch (err) {
          const e = asDecodeError(err);
          throw e instanceof XdrDecodeError ? e.at({ txIndex: tx.index }) : e;
        }
        txs.push(tx);
      }
    },
    evictedKeys: (cc) => {
      const n = cc.u32();
      for (let i = 0; i < n; i++) {
        if (cc.peekU32() === CONTRACT_DATA_TYPE) {
          cc.skip(4);
          evicted.push(readDataBody(cc, false, false, undefined));
        } else skipLedgerKey(cc);
      }
    },
  });
  if (c.pos !== bytes.length) throw new XdrDecodeError('LedgerCloseMeta', `${bytes.length - c.pos} trailing bytes`);
  return { txs, ttl, evicted };
}
