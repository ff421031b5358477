// The token_transfers row: stellar-etl's TokenTransferOutput (internal/transform/token_transfer.go),
// with the expectations of its token_transfer_test.go transcribed, and the column list against
// the BigQuery token_transfers_raw schema (stellar-etl-airflow schemas/token_transfers_raw_schema.json).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Account, MuxedAccount } from '@stellar/stellar-sdk';
import type { TokenTransferEvent, TokenTransferKind } from '../packages/lake/src/stellar/token-transfer/index.js';
import { tokenTransferRow, tokenTransfersDefault, tokenTransfersHubble, type TokenTransferRow } from '../packages/lake/src/datasets/token-transfers.js';

const TOKEN_TRANSFER_COLUMNS = tokenTransfersDefault.columns.list.map((c) => ({
  name: c.name as keyof TokenTransferRow,
  nullable: c.spec.optional === true,
  type: c.spec.type,
  description: c.description,
}));
import { someContract1 } from './support/token-transfer-events.js';
import { accountA, randomAccount } from './support/token-transfer-xdr.js';

const etlEvent = (kind: TokenTransferKind, from: string | null, to: string | null): TokenTransferEvent => ({
  kind,
  ledgerSequence: 10,
  closeTime: 1000,
  txHash: 'txhash',
  txIndex: 1,
  opIndex: 1,
  contractAddress: 'contractaddress',
  from,
  to,
  asset: { native: false, code: 'abc', issuer: 'def' },
  amount: 100n,
  toMuxedInfo: null,
});

const etlRow = (topic: string, from: string | null, to: string | null): TokenTransferRow => ({
  transaction_hash: 'txhash',
  transaction_id: 42949677056n,
  operation_id: 42949677057n,
  event_topic: topic,
  from,
  to,
  asset: 'credit_alphanum4:abc:def',
  asset_type: 'credit_alphanum4',
  asset_code: 'abc',
  asset_issuer: 'def',
  amount: 9.999999999999999e-6,
  amount_raw: '100',
  contract_id: 'contractaddress',
  ledger_sequence: 10,
  closed_at: 1_000_000_000n,
  to_muxed: null,
  to_muxed_id: null,
});

describe('stellar-etl TestTransformTokenTransfer expectations', () => {
  const cases: Array<[TokenTransferEvent, TokenTransferRow]> = [
    [etlEvent('transfer', 'from', 'to'), etlRow('transfer', 'from', 'to')],
    [etlEvent('mint', null, 'to'), etlRow('mint', null, 'to')],
    [etlEvent('burn', 'from', null), etlRow('burn', 'from', null)],
    [etlEvent('clawback', 'from', null), etlRow('clawback', 'from', null)],
    [etlEvent('fee', 'from', null), etlRow('fee', 'from', null)],
  ];
  for (const [event, row] of cases) it(event.kind, () => assert.deepEqual(tokenTransferRow(event), row));
});

describe('columns', () => {
  it("are stellar-etl's, in order, with the BigQuery schema's nullability", () => {
    const bigQuery: Array<[string, boolean]> = [
      ['transaction_hash', false],
      ['transaction_id', false],
      ['operation_id', true],
      ['event_topic', false],
      ['from', true],
      ['to', true],
      ['asset', false],
      ['asset_type', false],
      ['asset_code', true],
      ['asset_issuer', true],
      ['amount', false],
      ['amount_raw', false],
      ['contract_id', false],
      ['ledger_sequence', false],
      ['closed_at', false],
      ['to_muxed', true],
      ['to_muxed_id', true],
    ];
    assert.deepEqual(
      TOKEN_TRANSFER_COLUMNS.map((c) => [c.name, c.nullable]),
      bigQuery,
    );
    assert.deepEqual(
      Object.keys(tokenTransferRow(etlEvent('transfer', 'a', 'b'))),
      bigQuery.map(([n]) => n),
    );
    for (const c of TOKEN_TRANSFER_COLUMNS) assert.ok(c.description.length > 10, c.name);
    assert.equal(tokenTransfersHubble.name, 'token_transfers_raw');
    assert.equal(tokenTransfersHubble.columns, tokenTransfersDefault.columns);
  });
  it('row values have the declared types', () => {
    const row = tokenTransferRow({ ...etlEvent('fee', 'from', null), opIndex: null, toMuxedInfo: { type: 'id', id: 5n }, to: null });
    const jsType: Record<string, string> = { string: 'string', int64: 'bigint', double: 'number', timestamp: 'bigint' };
    for (const c of TOKEN_TRANSFER_COLUMNS) {
      const v = row[c.name];
      if (v === null) assert.ok(c.nullable, c.name);
      else assert.equal(typeof v, c.name === 'ledger_sequence' ? 'number' : jsType[c.type], c.name);
    }
  });
});

describe('values', () => {
  const base = etlEvent('transfer', accountA, randomAccount);
  it('asset columns: XLM, 4- and 12-character codes, a SEP-41 token without classic asset', () => {
    const pick = (r: TokenTransferRow) => [r.asset, r.asset_type, r.asset_code, r.asset_issuer];
    assert.deepEqual(pick(tokenTransferRow({ ...base, asset: { native: true } })), ['native', 'native', null, null]);
    assert.deepEqual(pick(tokenTransferRow({ ...base, asset: { native: false, code: 'USDC', issuer: accountA } })), [
      `credit_alphanum4:USDC:${accountA}`,
      'credit_alphanum4',
      'USDC',
      accountA,
    ]);
    assert.deepEqual(pick(tokenTransferRow({ ...base, asset: { native: false, code: 'USDCX', issuer: accountA } })), [
      `credit_alphanum12:USDCX:${accountA}`,
      'credit_alphanum12',
      'USDCX',
      accountA,
    ]);
    assert.deepEqual(pick(tokenTransferRow({ ...base, asset: null })), ['', '', null, null]);
  });
  it('TOIDs and fee events without operation', () => {
    const r = tokenTransferRow({ ...base, ledgerSequence: 53312000, txIndex: 163, opIndex: 100 });
    assert.equal(r.transaction_id, (53312000n << 32n) | (163n << 12n));
    assert.equal(r.operation_id, (53312000n << 32n) | (163n << 12n) | 100n);
    assert.equal(tokenTransferRow({ ...base, kind: 'fee', opIndex: null }).operation_id, null);
    assert.throws(() => tokenTransferRow({ ...base, opIndex: 4096 }), /operation index 4096 out of range/);
  });
  it('amount: the decimal parsed as float64, times 0.0000001 (not divided), for the whole i128 range', () => {
    const raws = [
      '1',
      '7',
      '100',
      '12345678901',
      '-300',
      '9223372036854775807',
      '170141183460469231731687303715884105727',
      '-170141183460469231731687303715884105728',
    ];
    for (const raw of raws) {
      const r = tokenTransferRow({ ...base, amount: BigInt(raw) });
      assert.equal(r.amount_raw, raw);
      assert.ok(Object.is(r.amount, parseFloat(raw) * 0.0000001), raw);
    }
    assert.notEqual(tokenTransferRow({ ...base, amount: 13n }).amount, 13 / 1e7); // multiplying and dividing differ here
  });
  it('closed_at in microseconds', () => assert.equal(tokenTransferRow({ ...base, closeTime: 1725274219 }).closed_at, 1725274219_000_000n));
  it('to_muxed: the M address of `to` and the id; 0 for a text or hash memo; empty when `to` is not an account', () => {
    const mAddress = (g: string, id: string): string => new MuxedAccount(new Account(g, '0'), id).accountId();
    const pick = (e: TokenTransferEvent) => {
      const r = tokenTransferRow(e);
      return [r.to_muxed, r.to_muxed_id];
    };
    assert.deepEqual(pick({ ...base, toMuxedInfo: { type: 'id', id: 18446744073709551615n } }), [
      mAddress(randomAccount, '18446744073709551615'),
      '18446744073709551615',
    ]);
    assert.deepEqual(pick({ ...base, toMuxedInfo: { type: 'text', text: 'memo' } }), [mAddress(randomAccount, '0'), '0']);
    assert.deepEqual(pick({ ...base, toMuxedInfo: { type: 'hash', hash: new Uint8Array(32) } }), [mAddress(randomAccount, '0'), '0']);
    assert.deepEqual(pick({ ...base, to: someContract1, toMuxedInfo: { type: 'id', id: 9n } }), ['', '9']);
    assert.deepEqual(pick({ ...base, kind: 'burn', to: null, toMuxedInfo: { type: 'id', id: 999n } }), ['', '999']);
  });
  it('rejects what is not an event, naming the field and the transaction', () => {
    assert.throws(() => tokenTransferRow({ ...base, kind: 'swap' as TokenTransferKind }), /unknown event kind "swap" \(transaction txhash\)/);
    assert.throws(() => tokenTransferRow({ ...base, amount: 100 as unknown as bigint }), /amount must be a bigint/);
    assert.throws(() => tokenTransferRow({ ...base, ledgerSequence: -1 }), /ledgerSequence must be a non-negative integer/);
  });
});
