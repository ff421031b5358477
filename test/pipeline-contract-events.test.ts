import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Address, StrKey, scValToNative, xdr } from '@stellar/stellar-sdk';
import { contractEventsProcessor } from './support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { ledgerRecordFromBytes } from '../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { scValToJson } from '../packages/lake/src/stellar/scval-json.js';
import { LOAD_TEST_FILE, PUBNET_FILE, rawDecompress } from './pipeline-helpers.js';

/** Independent reference: v4 operations[].events of type CONTRACT, read straight off the SDK objects. */
function refEvents(lcm: xdr.LedgerCloseMeta): Array<{ txHash: string; event: xdr.ContractEvent }> {
  const out: Array<{ txHash: string; event: xdr.ContractEvent }> = [];
  for (const tp of lcm.v2().txProcessing()) {
    const txHash = tp.result().transactionHash().toString('hex');
    for (const op of tp.txApplyProcessing().v4().operations()) {
      for (const event of op.events()) if (event.type().name === 'contract') out.push({ txHash, event });
    }
  }
  return out;
}

test('load test: 1000 contract events per ledger at 85 and 88, values match an independent decode', async () => {
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const proc = contractEventsProcessor();
  const counts: Record<number, number> = {};
  for (const l of ledgers) {
    const msgs = proc.process(l);
    counts[l.sequence] = msgs.length;
    const rows = msgs.map((m) => m.payload as unknown as ContractEventRow);
    const ref = refEvents(l.meta());
    assert.equal(rows.length, ref.length);
    const closedAt = BigInt(l.closeTime) * 1_000_000n;
    rows.forEach((r, i) => {
      const { txHash, event } = ref[i]!;
      const v0 = event.body().v0();
      assert.equal(r.type, 'contract');
      assert.equal(r.ledger, l.sequence);
      assert.equal(r.ledger_closed_at, closedAt);
      assert.equal(r.tx_hash, txHash);
      assert.equal(r.in_successful_contract_call, true);
      assert.equal(r.contract_id, StrKey.encodeContract(event.contractId() as unknown as Buffer));
      assert.deepEqual(
        r.topics_xdr,
        v0.topics().map((t) => t.toXDR('base64')),
      );
      assert.equal(r.data_xdr, v0.data().toXDR('base64'));
      // SAC transfer: ["transfer", from, to, "native"], data = i128 amount (SDK's own decoder).
      const native = v0.topics().map((t) => scValToNative(t) as unknown);
      const parsed = r.topics!.map((t) => JSON.parse(t) as Record<string, string>);
      assert.equal(native[0], 'transfer');
      assert.deepEqual(parsed[0], { symbol: native[0] });
      assert.deepEqual(parsed[1], { address: native[1] });
      assert.deepEqual(parsed[2], { address: native[2] });
      assert.deepEqual(parsed[3], { string: native[3] });
      assert.deepEqual(JSON.parse(r.data!), { i128: (scValToNative(v0.data()) as bigint).toString() });
    });
    // Ids: unique, zero-padded so text order is chain order, TOID of the ledger in the high bits.
    const ids = rows.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
    for (const id of ids) {
      assert.match(id, /^\d{19}-\d{10}$/);
      assert.equal(BigInt(id.split('-')[0]!) >> 32n, BigInt(l.sequence));
    }
    for (const m of msgs) {
      assert.equal(m.metadata.table, 'contract_events');
      assert.equal(m.metadata.ledger_sequence, l.sequence);
      assert.equal(m.metadata.ledger_close_time, l.closeTime);
    }
    if (rows.length) {
      // First tx in apply order, event 0 -> TOID(ledger, 1, 0); 10 transfers per tx.
      assert.equal(rows[0]!.id, `${((BigInt(l.sequence) << 32n) | (1n << 12n)).toString().padStart(19, '0')}-0000000000`);
      assert.equal(rows[9]!.id.slice(-10), '0000000009');
      assert.equal(rows[10]!.id.slice(-10), '0000000000');
      assert.equal(new Set(rows.map((r) => r.tx_hash)).size, 100);
    }
  }
  assert.deepEqual(counts, { 84: 0, 85: 1000, 88: 1000 });
});

test('pubnet 53312000: no contract events (only diagnostic ones)', async () => {
  const raw = await rawDecompress(PUBNET_FILE);
  assert.equal(contractEventsProcessor().process(ledgerRecordFromBytes(raw.subarray(12))).length, 0);
});

test('SC values -> stellar-xdr JSON shape, lossless for wide integers', () => {
  const i128 = (v: bigint): xdr.ScVal =>
    xdr.ScVal.scvI128(
      new xdr.Int128Parts({
        hi: xdr.Int64.fromString((v >> 64n).toString()),
        lo: xdr.Uint64.fromString(BigInt.asUintN(64, v).toString()),
      }),
    );
  const contract = 'CDMLFMKMMD7MWZP3FKUBZPVHTUEDLSX4BYGYKH4GCESXYHS3IHQ4EIG4';
  const cases: Array<[xdr.ScVal, unknown]> = [
    [xdr.ScVal.scvVoid(), 'void'],
    [xdr.ScVal.scvBool(false), { bool: false }],
    [xdr.ScVal.scvU32(7), { u32: 7 }],
    [xdr.ScVal.scvI32(-7), { i32: -7 }],
    [xdr.ScVal.scvU64(xdr.Uint64.fromString('18446744073709551615')), { u64: '18446744073709551615' }],
    [xdr.ScVal.scvI64(xdr.Int64.fromString('-9223372036854775808')), { i64: '-9223372036854775808' }],
    [i128(-(1n << 100n) - 3n), { i128: (-(1n << 100n) - 3n).toString() }],
    [i128(-1n), { i128: '-1' }],
    [
      xdr.ScVal.scvU256(
        new xdr.UInt256Parts({
          hiHi: xdr.Uint64.fromString('1'),
          hiLo: xdr.Uint64.fromString('0'),
          loHi: xdr.Uint64.fromString('0'),
          loLo: xdr.Uint64.fromString('5'),
        }),
      ),
      { u256: ((1n << 192n) + 5n).toString() },
    ],
    [xdr.ScVal.scvBytes(Buffer.from([0xde, 0xad])), { bytes: 'dead' }],
    // Strings are escaped bytes, as stellar-xdr prints them: é is \xc3\xa9.
    [xdr.ScVal.scvString('héllo'), { string: 'h\\xc3\\xa9llo' }],
    [xdr.ScVal.scvSymbol('transfer'), { symbol: 'transfer' }],
    [xdr.ScVal.scvVec([xdr.ScVal.scvU32(1), xdr.ScVal.scvSymbol('a')]), { vec: [{ u32: 1 }, { symbol: 'a' }] }],
    [xdr.ScVal.scvMap([new xdr.ScMapEntry({ key: xdr.ScVal.scvU32(2), val: xdr.ScVal.scvBool(true) })]), { map: [{ key: { u32: 2 }, val: { bool: true } }] }],
    [new Address(contract).toScVal(), { address: contract }],
    [xdr.ScVal.scvLedgerKeyContractInstance(), 'ledger_key_contract_instance'],
    [xdr.ScVal.scvError(xdr.ScError.sceContract(42)), { error: { contract: 42 } }],
    [xdr.ScVal.scvError(xdr.ScError.sceWasmVm(xdr.ScErrorCode.scecInvalidAction())), { error: { wasm_vm: 'invalid_action' } }],
  ];
  for (const [v, expected] of cases) assert.deepEqual(scValToJson(v), expected, v.switch().name);
});
