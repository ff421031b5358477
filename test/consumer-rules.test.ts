// Unit tests of the consumer's rules that need no storage: partitions, names, inference,
// evolution, message normalisation and value coercion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dataFileName,
  inferFields,
  normaliseMessage,
  parseDataFileName,
  partitionOf,
  projectRow,
  RejectError,
  unifyFields,
} from '../packages/lake/src/consumer/index.js';
import { compileRowConverter } from '../packages/lake/src/consumer/tables/row-converter.js';
import { contractDataDefault } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsDefault } from '../packages/lake/src/datasets/contract-events.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import { timestampUs } from '../packages/lake/src/consumer/tables/coerce.js';
import { contractDataMsg } from './consumer-helpers.js';

describe('partitions', () => {
  it('come from the ledger close time in UTC', () => {
    const t = Date.parse('2024-03-09T23:59:59.999-05:00'); // 2024-03-10T04:59:59Z
    assert.equal(partitionOf('ledger_day', 1, t, 10).path, 'year=2024/month=03/day=10');
    assert.equal(partitionOf('hour', 1, t, 10).path, 'year=2024/month=03/day=10/hour=04');
  });
  it('ledger_range aligns to ledgers_per_file and ignores time', () => {
    assert.equal(partitionOf('ledger_range', 50_000, undefined, 10_000).path, 'ledgers/50000-59999');
    assert.equal(partitionOf('ledger_range', 59_999, undefined, 10_000).path, 'ledgers/50000-59999');
    assert.equal(partitionOf('ledger_range', 60_000, undefined, 10_000).path, 'ledgers/60000-69999');
    assert.equal(partitionOf('ledger_range', 123, undefined, 64).path, 'ledgers/64-127');
  });
});

describe('file names', () => {
  it('are <table>-<first>-<last>.parquet, with a part number only for split ledgers', () => {
    assert.equal(dataFileName('contract_data', 100, 163), 'contract_data-100-163.parquet');
    assert.equal(dataFileName('contract_data', 7, 7, 2), 'contract_data-7-7-part0002.parquet');
    assert.deepEqual(parseDataFileName('contract_events-5-9.parquet'), { table: 'contract_events', first: 5, last: 9, part: undefined });
    assert.deepEqual(parseDataFileName('t-7-7-part0002.parquet'), { table: 't', first: 7, last: 7, part: 2 });
  });
});

describe('schema inference', () => {
  it('decides int vs float over all values, not the first', () => {
    const f = inferFields([
      { a: 1, b: 1 },
      { a: 2, b: 1.5 },
      { a: null, b: 3 },
    ]);
    assert.deepEqual(
      f.map((x) => [x.name, x.type]),
      [
        ['a', 'int64'],
        ['b', 'double'],
      ],
    );
  });
  it('maps objects to STRUCT, arrays to LIST, all-null to nullable string, and merges fields over rows', () => {
    const f = inferFields([
      { o: { x: 1 }, l: [1, 2], n: null },
      { o: { y: 'a' }, l: [], n: null },
      { o: null, l: [2.5] },
    ]);
    assert.deepEqual(f, [
      {
        name: 'o',
        type: 'struct',
        optional: true,
        fields: [
          { name: 'x', type: 'int64', optional: true },
          { name: 'y', type: 'string', optional: true },
        ],
      },
      { name: 'l', type: 'list', optional: true, element: { type: 'double', optional: true } },
      { name: 'n', type: 'string', optional: true },
    ]);
  });
  it('evolution adds nullable columns and widens int32 -> int64 -> double, keeps incompatible types', () => {
    const prev = [
      { name: 'a', type: 'int32' as const, optional: true },
      { name: 'b', type: 'string' as const, optional: true },
      { name: 'c', type: 'int64' as const, optional: true },
    ];
    const next = inferFields([{ a: 2 ** 40, b: 5, c: 0.5, d: true }]);
    const r = unifyFields(prev, next, true);
    assert.deepEqual(
      r.fields.map((f) => [f.name, f.type]),
      [
        ['a', 'int64'],
        ['b', 'string'],
        ['c', 'double'],
        ['d', 'boolean'],
      ],
    );
    assert.equal(r.changes.length, 3);
    const fixed = unifyFields(prev, next, false);
    assert.deepEqual(fixed.fields, prev);
  });
  it('projection drops and counts unknown fields, nested ones included', () => {
    const fields = inferFields([{ a: 1, s: { x: 1 } }]);
    const r = projectRow({ a: 2, s: { x: 3, extra: 1 }, other: 'z' }, fields);
    assert.deepEqual(r.row, { a: 2, s: { x: 3 } });
    assert.equal(r.dropped, 2);
  });
});

const catalog = datasetCatalog();
const contractData = { toRow: compileRowConverter(contractDataDefault) };
const contractEvents = { toRow: compileRowConverter(contractEventsDefault) };

describe('message normalisation', () => {
  it('takes table, ledger and close time from metadata', () => {
    const r = normaliseMessage(contractDataMsg(10, 0));
    assert.equal(r.table, 'contract_data');
    assert.equal(r.ledger, 10);
    assert.equal(r.closeTimeMs, Date.parse(contractDataMsg(10, 0).metadata.ledger_close_time as string));
  });
  it('parses JSON text and bytes payloads and finds ledger/table without metadata', () => {
    const text = JSON.stringify({
      type: 'contract',
      ledger: 77,
      ledgerClosedAt: '2024-01-01T00:00:00Z',
      inSuccessfulContractCall: true,
      topic: ['AAAA'],
      id: 'x',
      contractId: 'C',
    });
    for (const payload of [text, new TextEncoder().encode(text)]) {
      assert.equal(normaliseMessage({ payload }).table, 'messages', 'without a catalog a message names its table');
      const r = normaliseMessage({ payload }, catalog);
      assert.equal(r.table, 'contract_events');
      assert.equal(r.ledger, 77);
      assert.equal(r.closeTimeMs, Date.parse('2024-01-01T00:00:00Z'));
    }
  });
  it('rejects what cannot be routed, with a reason', () => {
    assert.throws(
      () => normaliseMessage({ payload: '{not json' }),
      (e: unknown) => e instanceof RejectError && /not valid JSON/.test(e.message),
    );
    assert.throws(
      () => normaliseMessage({ payload: { a: 1 }, metadata: { table: 'x' } }),
      (e: unknown) => e instanceof RejectError && /missing or invalid ledger/.test(e.message) && e.table === 'x',
    );
    assert.throws(() => normaliseMessage({ payload: [1] }), /payload must be an object/);
    assert.throws(() => normaliseMessage({ payload: {}, metadata: { table: 'Bad-Name', ledger_sequence: 1 } }), /invalid table name/);
  });
});

describe('built-in rows', () => {
  it('contract_data keeps balance exact and bytes raw, and rejects a bad balance instead of writing 0', () => {
    const rec = normaliseMessage(contractDataMsg(3, 1));
    const row = contractData.toRow(rec);
    assert.equal(row.balance, '170141183460469231731687303715884136', 'decimal text stays text: the writer takes it exactly');
    assert.ok(row.key_xdr instanceof Uint8Array);
    // Microseconds, as a number while exact and a bigint beyond 2^53 (the year 2255).
    assert.equal(row.closed_at, Date.parse(rec.payload.closed_at as string) * 1000);
    assert.equal(timestampUs('closed_at', '9999-12-31T23:59:59.999Z', true), BigInt(Date.parse('9999-12-31T23:59:59.999Z')) * 1000n);
    assert.equal(timestampUs('closed_at', '2255-06-05T23:47:34.740Z', true), 9_007_199_254_740_000);
    for (const bad of ['12abc', '1.5', '', 1.5, 2 ** 60, '1'.repeat(39), { v: 1 }]) {
      const r = normaliseMessage({ ...contractDataMsg(3, 1), payload: { ...contractDataMsg(3, 1).payload, balance: bad } });
      assert.throws(
        () => contractData.toRow(r),
        (e: unknown) => e instanceof RejectError && /column balance/.test(e.message),
        String(bad),
      );
    }
    const big = normaliseMessage({ ...contractDataMsg(3, 1), payload: { ...contractDataMsg(3, 1).payload, balance: -(10n ** 37n) } });
    assert.equal(contractData.toRow(big).balance, -(10n ** 37n), 'a bigint passes as it is');
  });
  it('contract_data accepts the JSON bridge form: base64 bytes, camelCase names', () => {
    const p = contractDataMsg(3, 1).payload;
    const camel = Object.fromEntries(
      Object.entries(p).map(([k, v]) => [
        k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ]),
    );
    const rec = normaliseMessage({ payload: JSON.stringify(camel), metadata: contractDataMsg(3, 1).metadata }, catalog);
    const row = contractData.toRow(rec);
    assert.deepEqual(row.key_xdr, p.key_xdr);
    assert.equal(row.contract_id, p.contract_id);
  });
  it('contract_events accepts camelCase and RPC names (topic, value)', () => {
    const rec = normaliseMessage({
      metadata: { table: 'contract_events', ledger_sequence: 5 },
      payload: {
        type: 'contract',
        ledger: 5,
        ledgerClosedAt: '2024-01-01T00:00:05Z',
        contractId: 'CABC',
        id: '1-2',
        txHash: 'ff',
        inSuccessfulContractCall: false,
        topic: ['AAAADw=='],
        value: { u32: 1 },
      },
    });
    const row = contractEvents.toRow(rec);
    assert.deepEqual([row.contract_id, row.tx_hash, row.in_successful_contract_call, row.topics, row.data], ['CABC', 'ff', false, ['AAAADw=='], '{"u32":1}']);
    assert.throws(
      () =>
        contractEvents.toRow(
          normaliseMessage({
            payload: { type: 'contract', ledger: 5, ledger_closed_at: '2024-01-01T00:00:05Z', id: 'x', in_successful_contract_call: 'maybe' },
          }),
        ),
      /in_successful_contract_call/,
    );
  });
});
