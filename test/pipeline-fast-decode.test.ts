import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { xdr } from '@stellar/stellar-sdk';
import { contractDataProcessor } from './support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from './support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { extractFast } from '../packages/lake/src/stellar/fast/extract-fast.js';
import type { ExtractedLedger } from '../packages/lake/src/stellar/extracted.js';
import { XdrCursor, skipperFor } from '../packages/lake/src/stellar/fast/xdr-skip.js';
import { extractWithSdk } from '../packages/lake/src/stellar/extract-sdk.js';
import { extractLedger } from '../packages/lake/src/stellar/extract.js';
import { XdrDecodeError } from '../packages/lake/src/stellar/decode-error.js';
import type { LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { ledgerRecordFromBytes } from '../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE } from './pipeline-helpers.js';
import { allFixtureLedgers } from './support/fixture-ledgers.js';

test('skippers compiled from SDK types land exactly on the end of every fixture ledger', async () => {
  const skip = skipperFor(xdr.LedgerCloseMeta);
  for (const l of await allFixtureLedgers()) {
    const c = new XdrCursor(l.bytes);
    skip(c);
    assert.equal(c.pos, l.bytes.length, `ledger ${l.sequence}`);
  }
  // Nested values too: an ScVal skipper over a deep vec/map ends where toXDR ended.
  const v = xdr.ScVal.scvVec([
    xdr.ScVal.scvMap([new xdr.ScMapEntry({ key: xdr.ScVal.scvSymbol('k'), val: xdr.ScVal.scvVec([xdr.ScVal.scvString('abcde')]) })]),
    xdr.ScVal.scvVoid(),
  ]);
  const bytes = Buffer.concat([v.toXDR(), Buffer.from([9, 9, 9, 9])]);
  const c = new XdrCursor(bytes);
  skipperFor(xdr.ScVal)(c);
  assert.equal(c.pos, bytes.length - 4);
});

/** The extraction with its lazily read parts read (diagnostic events), for deepEqual. */
function materialized(x: ExtractedLedger): unknown {
  return { ...x, txs: x.txs.map((tx) => ({ ...tx, diagnosticEvents: tx.diagnosticEvents() })) };
}

test('fast scanner extracts exactly what the SDK walk extracts, and rows are identical', async () => {
  for (const l of await allFixtureLedgers()) {
    assert.deepEqual(materialized(extractFast(l.bytes)), materialized(extractWithSdk(l.meta())), `ledger ${l.sequence}`);
    const fresh = (): LedgerRecord => ledgerRecordFromBytes(l.bytes);
    assert.deepEqual(
      contractDataProcessor({ decode: 'fast', includeEvictions: true }).rows(fresh()),
      contractDataProcessor({ decode: 'sdk', includeEvictions: true }).rows(fresh()),
    );
    assert.deepEqual(contractEventsProcessor({ decode: 'fast' }).rows(fresh()), contractEventsProcessor({ decode: 'sdk' }).rows(fresh()));
  }
});

test('fast scanner rejects truncated input instead of returning partial rows', async () => {
  const [, l85] = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  assert.throws(() => extractFast(l85!.bytes.subarray(0, l85!.bytes.length - 100)), XdrDecodeError);
});

test('an unknown union arm stops extraction naming the ledger, the transaction and the XDR type', async () => {
  const [, l85] = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  // Turn the 3rd transaction's meta into TransactionMeta arm 9, which no protocol defines.
  const meta = xdr.LedgerCloseMeta.fromXDR(Buffer.from(l85!.bytes));
  const bytes = new Uint8Array(meta.toXDR());
  const metaXdr = new Uint8Array(meta.v2().txProcessing()[2]!.txApplyProcessing().toXDR());
  const at = Buffer.from(bytes).indexOf(Buffer.from(metaXdr));
  assert.ok(at > 0);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, 9);
  const record = ledgerRecordFromBytes(bytes);
  for (const mode of ['fast'] as const) {
    assert.throws(
      () => extractLedger(record, mode),
      (e: unknown) =>
        e instanceof XdrDecodeError &&
        e.ledger === 85 &&
        e.txIndex === 3 &&
        /TransactionMeta/.test(e.xdrType) &&
        /^ledger 85: transaction 3: cannot decode XDR TransactionMeta/.test(e.message),
      String(mode),
    );
  }
});

test('ScVal JSON read from bytes equals the SDK-object path (fixture events and edge cases)', async () => {
  const { scValBytesToJsonText } = await import('../packages/lake/src/stellar/fast/scval-json-bytes.js');
  const { scValToJson } = await import('../packages/lake/src/stellar/scval-json.js');
  const { Address, Keypair } = await import('@stellar/stellar-sdk');
  const check = (v: xdr.ScVal): void => assert.equal(scValBytesToJsonText(new Uint8Array(v.toXDR())), JSON.stringify(scValToJson(v)));
  let n = 0;
  for (const l of await allFixtureLedgers()) {
    for (const tx of extractFast(l.bytes).txs) {
      for (const ev of tx.events)
        for (const t of [...ev.topics, ev.data]) {
          check(xdr.ScVal.fromXDR(Buffer.from(t)));
          n++;
        }
    }
  }
  assert.ok(n >= 10_000, `checked ${n} values`);
  const i128 = (v: bigint): xdr.ScVal =>
    xdr.ScVal.scvI128(
      new xdr.Int128Parts({
        hi: xdr.Int64.fromString((v >> 64n).toString()),
        lo: xdr.Uint64.fromString(BigInt.asUintN(64, v).toString()),
      }),
    );
  const i256 = xdr.ScVal.scvI256(
    new xdr.Int256Parts({
      hiHi: xdr.Int64.fromString('-2'),
      hiLo: xdr.Uint64.fromString('18446744073709551615'),
      loHi: xdr.Uint64.fromString('3'),
      loLo: xdr.Uint64.fromString('4'),
    }),
  );
  for (const v of [
    i128(-(1n << 120n)),
    i128(-1n),
    i128((1n << 126n) + 7n),
    i256,
    xdr.ScVal.scvI64(xdr.Int64.fromString('-5')),
    xdr.ScVal.scvU64(xdr.Uint64.fromString('18446744073709551615')),
    xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]),
    xdr.ScVal.scvMap([]),
    xdr.ScVal.scvString(Buffer.from([0xff, 0x41])),
    xdr.ScVal.scvBytes(Buffer.alloc(5, 1)),
    new Address(Keypair.random().publicKey()).toScVal(),
    xdr.ScVal.scvError(xdr.ScError.sceContract(3)),
    xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: xdr.Int64.fromString('-9') })),
  ])
    check(v);
});

test('ScString and ScSymbol text keeps a leading U+FEFF: it is part of the string, not a byte-order mark', async () => {
  const { scValBytesToJsonText } = await import('../packages/lake/src/stellar/fast/scval-json-bytes.js');
  const { scValToJson, xdrText } = await import('../packages/lake/src/stellar/scval-json.js');
  for (const text of ['\uFEFF', '\uFEFFtoken', '\uFEFF\uFEFFx', 'x\uFEFF']) {
    const bytes = Buffer.from(text, 'utf8');
    assert.equal(xdrText(bytes), text, `text for comparisons, ${JSON.stringify(text)}`);
    // The JSON text escapes every byte outside printable ASCII (stellar-xdr's rule), the BOM's three included.
    const escaped = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16)}`)).join('');
    for (const [v, key] of [
      [xdr.ScVal.scvString(bytes), 'string'],
      [xdr.ScVal.scvSymbol(bytes), 'symbol'],
    ] as const) {
      assert.deepEqual(scValToJson(v), { [key]: escaped }, `SDK path, ${key} ${JSON.stringify(text)}`);
      assert.equal(scValBytesToJsonText(new Uint8Array(v.toXDR())), JSON.stringify({ [key]: escaped }), `bytes path, ${key} ${JSON.stringify(text)}`);
    }
  }
});
