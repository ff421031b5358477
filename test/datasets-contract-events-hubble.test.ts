// The hubble profile of ContractEvents (table history_contract_events) against stellar-etl:
// its own test vectors, an independent SDK walk of the real fixtures following stellar-etl's
// rules (decoded JSON from the Rust serializer's wasm build), and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Networks, StrKey, TransactionBuilder, xdr } from '@stellar/stellar-sdk';
import { contractEventsProcessor } from './support/processors.js';
import { ledgerCloseMeta, type TxSpec } from './support/ledger-close-meta.js';
import { oracleScValJson } from './support/xdr-json-oracle.js';
import { allFixtureLedgers } from './support/fixture-ledgers.js';
import type { HubbleContractEventRow } from '../packages/lake/src/datasets/contract-events-hubble.js';
import { contractEventsHubble } from '../packages/lake/src/datasets/contract-events-hubble.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import { ledgerRecordFromBytes, ledgerRecordFromMeta } from '../packages/lake/src/stellar/ledger-record.js';
import type { LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { XdrDecodeError } from '../packages/lake/src/stellar/decode-error.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE, PUBNET_FILE, rawDecompress } from './pipeline-helpers.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';

const hubbleRows = (l: LedgerRecord, decode: 'fast' | 'sdk' = 'fast'): HubbleContractEventRow[] =>
  contractEventsProcessor({ profile: 'hubble', decode }).rows(l) as unknown as HubbleContractEventRow[];

test("columns: the Hubble BigQuery schema of history_contract_events in its order, without the loader's batch columns", () => {
  // Transcribed from stellar-etl-airflow schemas/history_contract_events_schema.json (name: BigQuery type).
  const bigQuery: Array<[string, string]> = [
    ['transaction_hash', 'STRING'],
    ['transaction_id', 'INTEGER'],
    ['successful', 'BOOLEAN'],
    ['in_successful_contract_call', 'BOOLEAN'],
    ['contract_id', 'STRING'],
    ['type', 'INTEGER'],
    ['type_string', 'STRING'],
    ['topics', 'JSON'],
    ['topics_decoded', 'JSON'],
    ['data', 'JSON'],
    ['data_decoded', 'JSON'],
    ['contract_event_xdr', 'STRING'],
    ['batch_id', 'STRING'],
    ['batch_run_date', 'DATETIME'],
    ['batch_insert_ts', 'TIMESTAMP'],
    ['closed_at', 'TIMESTAMP'],
    ['ledger_sequence', 'INTEGER'],
    ['operation_id', 'INTEGER'],
  ];
  const ours: Record<string, string> = { STRING: 'string', INTEGER: 'int64', BOOLEAN: 'boolean', JSON: 'json', TIMESTAMP: 'timestamp' };
  const expected = bigQuery.filter(([n]) => !n.startsWith('batch_'));
  assert.deepEqual(
    contractEventsHubble.fields.map((f) => f.name),
    expected.map(([n]) => n),
  );
  for (const f of contractEventsHubble.fields) {
    const bq = expected.find(([n]) => n === f.name)![1];
    assert.equal(f.type, ours[bq], f.name);
    if (f.type === 'timestamp') assert.deepEqual([f.unit, f.utc], ['us', true]);
    // stellar-etl leaves only operation_id null (a null.Int); every other field is a Go value.
    assert.equal(f.optional === true, f.name === 'operation_id', f.name);
  }
  assert.equal(contractEventsHubble.name, 'history_contract_events');
  assert.equal(datasetCatalog().find('history_contract_events', 'hubble'), contractEventsHubble);
  assert.equal(datasetCatalog().find('history_contract_events', undefined), undefined);
});

/** stellar-etl's test input (contract_events_test.go): a bool-true topic and data, contract id of 32 zero bytes. */
function etlEvent(type: xdr.ContractEventType): xdr.ContractEvent {
  return new xdr.ContractEvent({
    ext: new xdr.ExtensionPoint(0),
    contractId: Buffer.alloc(32) as unknown as xdr.ContractId,
    type,
    body: new xdr.ContractEventBody(0, new xdr.ContractEventV0({ topics: [xdr.ScVal.scvBool(true)], data: xdr.ScVal.scvBool(true) })),
  });
}

function etlVectorLedger(): xdr.LedgerCloseMeta {
  const hash = Buffer.from('a87fef5eeb260269c380f2de456aad72b59bb315aaac777860456e09dac0bafb', 'hex');
  const diagnostic = new xdr.DiagnosticEvent({ inSuccessfulContractCall: true, event: etlEvent(xdr.ContractEventType.diagnostic()) });
  const v3 = new xdr.TransactionMeta(
    3,
    new xdr.TransactionMetaV3({
      ext: new xdr.ExtensionPoint(0),
      txChangesBefore: [],
      operations: [],
      txChangesAfter: [],
      sorobanMeta: new xdr.SorobanTransactionMeta({
        ext: new xdr.SorobanTransactionMetaExt(0),
        events: [etlEvent(xdr.ContractEventType.diagnostic())],
        returnValue: xdr.ScVal.scvVoid(),
        diagnosticEvents: [diagnostic],
      }),
    }),
  );
  const v4 = new xdr.TransactionMeta(
    4,
    new xdr.TransactionMetaV4({
      ext: new xdr.ExtensionPoint(0),
      txChangesBefore: [],
      operations: [new xdr.OperationMetaV2({ ext: new xdr.ExtensionPoint(0), changes: [], events: [etlEvent(xdr.ContractEventType.contract())] })],
      txChangesAfter: [],
      sorobanMeta: new xdr.SorobanTransactionMetaV2({
        ext: new xdr.SorobanTransactionMetaExt(
          1,
          new xdr.SorobanTransactionMetaExtV1({
            ext: new xdr.ExtensionPoint(0),
            totalNonRefundableResourceFeeCharged: xdr.Int64.fromString('0'),
            totalRefundableResourceFeeCharged: xdr.Int64.fromString('0'),
            rentFeeCharged: xdr.Int64.fromString('0'),
          }),
        ),
        returnValue: xdr.ScVal.scvVoid(),
      }),
      events: [
        new xdr.TransactionEvent({ stage: xdr.TransactionEventStage.transactionEventStageBeforeAllTxes(), event: etlEvent(xdr.ContractEventType.contract()) }),
      ],
      diagnosticEvents: [diagnostic],
    }),
  );
  // The Go test gives both transactions one ledger (30521816, closed 2020-07-09 05:28:42 UTC), indexes 1 and 2, txFAILED.
  return ledgerCloseMeta(30521816, 1594272522, [
    { hash, successful: false, meta: v3 },
    { hash, successful: false, meta: v4 },
  ]);
}

test("stellar-etl's test vectors (TestTransformContractEvent): the same rows, field for field", () => {
  // Expected outputs transcribed from stellar-etl internal/transform/contract_events_test.go.
  const common = {
    transaction_hash: 'a87fef5eeb260269c380f2de456aad72b59bb315aaac777860456e09dac0bafb',
    successful: false,
    in_successful_contract_call: true,
    contract_id: 'CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSC4',
    topics: '["AAAAAAAAAAE="]',
    topics_decoded: '[{"bool":true}]',
    data: '"AAAAAAAAAAE="',
    data_decoded: '{"bool":true}',
    closed_at: BigInt(Date.UTC(2020, 6, 9, 5, 28, 42)) * 1000n,
    ledger_sequence: 30521816,
  };
  const diagnosticXdr = 'AAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAAAAAAAAAEAAAAAAAAAAQAAAAAAAAAB';
  const contractXdr = 'AAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAEAAAAAAAAAAQAAAAAAAAAB';
  const diagnostic = { type: 2, type_string: 'ContractEventTypeDiagnostic', contract_event_xdr: diagnosticXdr };
  const contract = { type: 1, type_string: 'ContractEventTypeContract', contract_event_xdr: contractXdr };
  const expected: HubbleContractEventRow[] = [
    // Transaction 1, meta v3: its operation's event, then its diagnostic event.
    { ...common, transaction_id: 131090201534533632n, ...diagnostic, operation_id: 131090201534533633n },
    { ...common, transaction_id: 131090201534533632n, ...diagnostic, operation_id: null },
    // Transaction 2, meta v4: the transaction-level event, the operation's event, the diagnostic event.
    { ...common, transaction_id: 131090201534537728n, ...contract, operation_id: null },
    { ...common, transaction_id: 131090201534537728n, ...contract, operation_id: 131090201534537729n },
    { ...common, transaction_id: 131090201534537728n, ...diagnostic, operation_id: null },
  ];
  const ledger = ledgerRecordFromMeta(etlVectorLedger());
  for (const decode of ['fast', 'sdk'] as const) {
    assert.deepEqual(
      hubbleRows(ledgerRecordFromBytes(ledger.bytes), decode).map((r) => ({ ...r })),
      expected.map((r) => ({
        transaction_hash: r.transaction_hash,
        transaction_id: r.transaction_id,
        successful: r.successful,
        in_successful_contract_call: r.in_successful_contract_call,
        contract_id: r.contract_id,
        type: r.type,
        type_string: r.type_string,
        topics: r.topics,
        topics_decoded: r.topics_decoded,
        data: r.data,
        data_decoded: r.data_decoded,
        contract_event_xdr: r.contract_event_xdr,
        closed_at: r.closed_at,
        ledger_sequence: r.ledger_sequence,
        operation_id: r.operation_id,
      })),
      decode,
    );
  }
});

// ---- An independent reference: stellar-etl's rules over the SDK's decoded objects ----

const oracleCache = new Map<string, string>();
const decoded = (v: xdr.ScVal): string => {
  const b64 = v.toXDR('base64');
  let text = oracleCache.get(b64);
  if (text === undefined) oracleCache.set(b64, (text = oracleScValJson(Buffer.from(b64, 'base64'))));
  return text;
};

/** Hashes of the Soroban transactions of a ledger (go ingest's IsSorobanTx: the envelope carries SorobanTransactionData). */
function sorobanTxHashes(lcm: xdr.LedgerCloseMeta, passphrase: string): Set<string> {
  const envelopes: xdr.TransactionEnvelope[] = [];
  const set = lcm.switch() === 0 ? undefined : lcm.switch() === 1 ? lcm.v1().txSet() : lcm.v2().txSet();
  for (const phase of set?.v1TxSet().phases() ?? []) {
    if (phase.switch() === 0) for (const c of phase.v0Components()) envelopes.push(...c.txsMaybeDiscountedFee().txes());
    else for (const stage of phase.parallelTxsComponent().executionStages()) for (const cluster of stage) envelopes.push(...cluster);
  }
  const out = new Set<string>();
  for (const env of envelopes) {
    const tx =
      env.switch().name === 'envelopeTypeTxFeeBump'
        ? env.feeBump().tx().innerTx().v1().tx()
        : env.switch().name === 'envelopeTypeTx'
          ? env.v1().tx()
          : undefined;
    if (tx?.ext().switch() === 1) out.add(TransactionBuilder.fromXDR(env, passphrase).hash().toString('hex'));
  }
  return out;
}

type Kind = 'transaction' | 'operation' | 'diagnostic';

/** The rows stellar-etl writes for the ledger, each with the list its event came from. */
function referenceRows(lcm: xdr.LedgerCloseMeta, soroban: Set<string>): Array<{ kind: Kind; row: HubbleContractEventRow }> {
  const header = lcm.switch() === 1 ? lcm.v1().ledgerHeader().header() : lcm.v2().ledgerHeader().header();
  const seq = header.ledgerSeq();
  const closedAt = BigInt(header.scpValue().closeTime().toString()) * 1_000_000n;
  const processing = lcm.switch() === 1 ? lcm.v1().txProcessing() : lcm.v2().txProcessing();
  const rows: Array<{ kind: Kind; row: HubbleContractEventRow }> = [];
  processing.forEach((tp, i) => {
    const index = i + 1;
    const pair = tp.result();
    const hash = pair.transactionHash().toString('hex');
    const txId = (BigInt(seq) << 32n) | (BigInt(index) << 12n);
    const row = (event: xdr.ContractEvent, inSuccessfulContractCall: boolean, operationId: bigint | null): HubbleContractEventRow => {
      const body = event.body().v0();
      const cid = event.contractId();
      const name = event.type().name;
      return {
        transaction_hash: hash,
        transaction_id: txId,
        successful: ['txSuccess', 'txFeeBumpInnerSuccess'].includes(pair.result().result().switch().name),
        in_successful_contract_call: inSuccessfulContractCall,
        contract_id: cid ? StrKey.encodeContract(cid as unknown as Buffer) : '',
        type: event.type().value,
        type_string: `ContractEventType${name[0]!.toUpperCase()}${name.slice(1)}`,
        topics: JSON.stringify(body.topics().map((t) => t.toXDR('base64'))),
        topics_decoded: `[${body.topics().map(decoded).join(',')}]`,
        data: JSON.stringify(body.data().toXDR('base64')),
        data_decoded: decoded(body.data()),
        contract_event_xdr: new xdr.DiagnosticEvent({ inSuccessfulContractCall, event }).toXDR('base64'),
        closed_at: closedAt,
        ledger_sequence: seq,
        operation_id: operationId,
      };
    };
    const meta = tp.txApplyProcessing();
    if (meta.switch() === 3 && soroban.has(hash)) {
      const sm = meta.v3().sorobanMeta();
      for (const e of sm?.events() ?? []) rows.push({ kind: 'operation', row: row(e, true, txId + 1n) });
      for (const d of sm?.diagnosticEvents() ?? []) rows.push({ kind: 'diagnostic', row: row(d.event(), d.inSuccessfulContractCall(), null) });
    } else if (meta.switch() === 4) {
      const m = meta.v4();
      for (const e of m.events()) rows.push({ kind: 'transaction', row: row(e.event(), true, null) });
      m.operations().forEach((op, o) => {
        for (const e of op.events()) rows.push({ kind: 'operation', row: row(e, true, txId + BigInt(o) + 1n) });
      });
      for (const d of m.diagnosticEvents()) rows.push({ kind: 'diagnostic', row: row(d.event(), d.inSuccessfulContractCall(), null) });
    }
  });
  return rows;
}

test('real fixtures: every row equals the independent SDK walk; counts as the fixtures README gives them', async () => {
  const loadTest = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const pubnet = ledgerRecordFromBytes((await rawDecompress(PUBNET_FILE)).subarray(12));
  const counts: Record<number, Record<string, number>> = {};
  for (const [ledgers, passphrase] of [
    [loadTest, Networks.STANDALONE],
    [[pubnet], Networks.PUBLIC],
  ] as const) {
    for (const l of ledgers) {
      const rows = hubbleRows(ledgerRecordFromBytes(l.bytes));
      const expected = referenceRows(l.meta(), sorobanTxHashes(l.meta(), passphrase));
      assert.equal(rows.length, expected.length, `ledger ${l.sequence}`);
      rows.forEach((r, i) => assert.deepEqual({ ...r }, expected[i]!.row, `ledger ${l.sequence} row ${i}`));
      const byKind: Record<string, number> = {};
      for (const { kind } of expected) byKind[kind] = (byKind[kind] ?? 0) + 1;
      counts[l.sequence] = byKind;
    }
  }
  // README: 1,000 contract events and 5,100 diagnostic events per loaded ledger, 21 diagnostic
  // events and no contract event on pubnet; the v4 ledgers add a fee event (and a refund) per transaction.
  assert.deepEqual(counts, { 84: {}, 85: { operation: 1000, diagnostic: 5100 }, 88: { operation: 1000, diagnostic: 5100 }, 53312000: { diagnostic: 21 } });
});

test('sample lakes (meta v3 with classic and Soroban transactions, meta v4 with fee events): every row equals the independent SDK walk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-hubble-events-'));
  for (const metaVersion of [1, 2] as const) {
    const lake = join(dir, `v${metaVersion}`);
    const sample = await generateSampleLake(lake, { ledgers: 12, startLedger: 5000, seed: 11, metaVersion });
    const kinds: Record<string, number> = {};
    for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: sample.firstLedger, endLedger: sample.lastLedger }).ledgers()) {
      const expected = referenceRows(l.meta(), sorobanTxHashes(l.meta(), sample.networkPassphrase));
      assert.deepEqual(
        hubbleRows(l).map((r) => ({ ...r })),
        expected.map((e) => e.row),
        `ledger ${l.sequence}`,
      );
      for (const { kind } of expected) kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    // Operation events: the sample's contract events; v4 adds fee events per transaction.
    assert.equal(kinds.operation, sample.contractEvents);
    if (metaVersion === 2) assert.ok(kinds.transaction! >= sample.transactions, `v4: ${kinds.transaction} transaction-level events`);
    else assert.equal(kinds.transaction, undefined);
  }
});

test('fast scanner and SDK decode give the same hubble rows on every fixture ledger', async () => {
  let total = 0;
  for (const l of await allFixtureLedgers()) {
    const fast = hubbleRows(ledgerRecordFromBytes(l.bytes), 'fast');
    assert.deepEqual(fast, hubbleRows(ledgerRecordFromBytes(l.bytes), 'sdk'), `ledger ${l.sequence}`);
    total += fast.length;
  }
  assert.ok(total > 12_000, `${total} rows`);
});

// ---- Bad input: stop with an error naming the ledger, the transaction and the XDR type ----

const SEQ = 777;
const marker = (n: number): xdr.ScVal => xdr.ScVal.scvU64(xdr.Uint64.fromString(String(0x7eadbeef00000000n + BigInt(n))));

/** A v4 ledger of three transactions; the second emits `event` from its operation. */
function ledgerWith(event: xdr.ContractEvent, metaOfSecond?: xdr.TransactionMeta): Uint8Array {
  const v4 = (events: xdr.ContractEvent[]): xdr.TransactionMeta =>
    new xdr.TransactionMeta(
      4,
      new xdr.TransactionMetaV4({
        ext: new xdr.ExtensionPoint(0),
        txChangesBefore: [],
        operations: [new xdr.OperationMetaV2({ ext: new xdr.ExtensionPoint(0), changes: [], events })],
        txChangesAfter: [],
        sorobanMeta: null as unknown as xdr.SorobanTransactionMetaV2,
        events: [],
        diagnosticEvents: [],
      }),
    );
  const ok = etlEvent(xdr.ContractEventType.contract());
  const txs: TxSpec[] = [
    { hash: Buffer.alloc(32, 1), successful: true, meta: v4([ok]) },
    { hash: Buffer.alloc(32, 2), successful: true, meta: metaOfSecond ?? v4([event]) },
    { hash: Buffer.alloc(32, 3), successful: true, meta: v4([ok]) },
  ];
  return new Uint8Array(ledgerCloseMeta(SEQ, 1_700_000_000, txs).toXDR());
}

/** The event's XDR inside the ledger, to patch: [bytes, offset of the event]. */
function eventAt(event: xdr.ContractEvent): [Uint8Array, number] {
  const bytes = ledgerWith(event);
  const at = Buffer.from(bytes).indexOf(event.toXDR());
  assert.ok(at > 0);
  return [bytes, at];
}

function assertStops(bytes: Uint8Array, xdrType: string): void {
  assert.throws(
    () => hubbleRows(ledgerRecordFromBytes(bytes)),
    (e: unknown) =>
      e instanceof XdrDecodeError &&
      e.ledger === SEQ &&
      e.txIndex === 2 &&
      e.xdrType === xdrType &&
      e.message.startsWith(`ledger ${SEQ}: transaction 2: cannot decode XDR ${xdrType}`),
    xdrType,
  );
}

test('an event body version, event type or ScVal arm the decoder does not know stops the run, naming ledger, transaction and type', () => {
  const event = new xdr.ContractEvent({
    ext: new xdr.ExtensionPoint(0),
    contractId: Buffer.alloc(32, 9) as unknown as xdr.ContractId,
    type: xdr.ContractEventType.contract(),
    body: new xdr.ContractEventBody(0, new xdr.ContractEventV0({ topics: [marker(1)], data: xdr.ScVal.scvString('a'.repeat(36)) })),
  });
  // ContractEvent: ext (4), contract id flag + id (36), type (4), body arm (4), topic count (4), topics, data.
  const patched = (offset: number, value: number): Uint8Array => {
    const [bytes, at] = eventAt(event);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(at + offset, value);
    return bytes;
  };
  assert.equal(hubbleRows(ledgerRecordFromBytes(patched(44, 0))).length, 3, 'the unpatched ledger reads');
  assertStops(patched(44, 1), 'ContractEventBody');
  assertStops(patched(40, 3), 'ContractEventType');
  assertStops(patched(52, 22), 'ScVal');
  // A 36-byte symbol: the scanner steps over it, the JSON decoder refuses it (symbols hold 32 bytes at most).
  const dataAt = 52 + marker(1).toXDR().length;
  assertStops(patched(dataAt, 15), 'ScVal');
});

test('TransactionMeta v0 (which go ingest does not read for events) stops the run; v1 and v2 have no events', () => {
  const v0 = new xdr.TransactionMeta(0, []);
  assertStops(ledgerWith(etlEvent(xdr.ContractEventType.contract()), v0), 'TransactionMeta');
  for (const v of [1, 2]) {
    const meta =
      v === 1
        ? new xdr.TransactionMeta(1, new xdr.TransactionMetaV1({ txChanges: [], operations: [] }))
        : new xdr.TransactionMeta(2, new xdr.TransactionMetaV2({ txChangesBefore: [], operations: [], txChangesAfter: [] }));
    const rows = hubbleRows(ledgerRecordFromBytes(ledgerWith(etlEvent(xdr.ContractEventType.contract()), meta)));
    assert.deepEqual(
      rows.map((r) => r.transaction_id),
      [(BigInt(SEQ) << 32n) | (1n << 12n), (BigInt(SEQ) << 32n) | (3n << 12n)],
      `meta v${v}`,
    );
  }
});
