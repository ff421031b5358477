// ttl and contract_code, both profiles: stellar-etl's ttl_test.go and contract_code_test.go
// vectors, per-change (default) vs compacted (hubble) rows, the load-test fixture's TTLs
// against an independent SDK decode, and a ContractCodeEntry the decoder cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hash, xdr } from '@stellar/stellar-sdk';
import { contractCodeProcessor, ttlProcessor } from './support/processors.js';
import { ttl, type HubbleTtlRow, type TtlRow } from '../packages/lake/src/datasets/ttl.js';
import { contractCode, type ContractCodeRow, type HubbleContractCodeRow } from '../packages/lake/src/datasets/contract-code.js';
import { XdrDecodeError } from '../packages/lake/src/stellar/decode-error.js';
import { ledgerRecordFromBytes, type LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE } from './pipeline-helpers.js';
import { CREATED, RESTORED, codeEntry, ledgerWithChanges, remove, sha256, ttlEntry, update } from './support/ledger-changes.js';

const CLOSED_1000 = BigInt(Date.parse('1970-01-01T00:16:40Z')) * 1000n;
const hubbleTtl = () => ttlProcessor<HubbleTtlRow>({ profile: 'hubble' });
const hubbleCode = () => contractCodeProcessor<HubbleContractCodeRow>({ profile: 'hubble' });
const BQ: Record<string, string> = { string: 'STRING', int64: 'INTEGER', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' };

test('stellar-etl ttl_test.go: the UPDATED TTL, every column; default profile alike', async () => {
  const zero = Buffer.alloc(32);
  const l = await ledgerWithChanges(10, 1000, [{ operations: [update(ttlEntry(zero, 0, 0), ttlEntry(zero, 123, 1))] }]);
  const expected = {
    key_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    live_until_ledger_seq: 123,
    last_modified_ledger: 1,
    ledger_entry_change: 1,
    deleted: false,
    closed_at: CLOSED_1000,
    ledger_sequence: 10,
  };
  const [h] = hubbleTtl().rows(l);
  assert.deepEqual(h, expected);
  assert.deepEqual(
    Object.keys(h!),
    ttl.tables.hubble!.columns.list.map((c) => c.name),
  );
  assert.deepEqual(ttlProcessor().rows(l), [{ ...expected }]);
  assert.deepEqual(
    ttl.tables.hubble!.fields.map((f) => `${f.name}:${BQ[f.type]}`),
    [
      // ttl_schema.json without batch_*
      'key_hash:STRING',
      'live_until_ledger_seq:INTEGER',
      'last_modified_ledger:INTEGER',
      'ledger_entry_change:INTEGER',
      'deleted:BOOLEAN',
      'closed_at:TIMESTAMP',
      'ledger_sequence:INTEGER',
    ],
  );
});

test('stellar-etl contract_code_test.go: the UPDATED v1 code entry, every column', async () => {
  const zero = Buffer.alloc(32);
  const l = await ledgerWithChanges(10, 1000, [
    { operations: [update(codeEntry(zero, 24229000), codeEntry(zero, 24229503, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))] },
  ]);
  const [h] = hubbleCode().rows(l);
  assert.deepEqual(h, {
    contract_code_hash: '0000000000000000000000000000000000000000000000000000000000000000',
    contract_code_ext_v: 1,
    last_modified_ledger: 24229503,
    ledger_entry_change: 1,
    deleted: false,
    closed_at: CLOSED_1000,
    ledger_sequence: 10,
    ledger_key_hash: 'dfed061dbe464e0ff320744fcd604ac08b39daa74fa24110936654cbcb915ccc',
    n_instructions: 1,
    n_functions: 2,
    n_globals: 3,
    n_table_entries: 4,
    n_types: 5,
    n_data_segments: 6,
    n_elem_segments: 7,
    n_imports: 8,
    n_exports: 9,
    n_data_segment_bytes: 10,
    ledger_key_hash_base_64: 'AAAABwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  });
  assert.deepEqual(
    Object.keys(h!),
    contractCode.tables.hubble!.columns.list.map((c) => c.name),
  );
  assert.deepEqual(
    contractCode.tables.hubble!.fields.map((f) => `${f.name}:${BQ[f.type]}`),
    [
      // contract_code_schema.json without batch_*
      'contract_code_hash:STRING',
      'contract_code_ext_v:INTEGER',
      'last_modified_ledger:INTEGER',
      'ledger_entry_change:INTEGER',
      'deleted:BOOLEAN',
      'closed_at:TIMESTAMP',
      'ledger_sequence:INTEGER',
      'ledger_key_hash:STRING',
      'n_instructions:INTEGER',
      'n_functions:INTEGER',
      'n_globals:INTEGER',
      'n_table_entries:INTEGER',
      'n_types:INTEGER',
      'n_data_segments:INTEGER',
      'n_elem_segments:INTEGER',
      'n_imports:INTEGER',
      'n_exports:INTEGER',
      'n_data_segment_bytes:INTEGER',
      'ledger_key_hash_base_64:STRING',
    ],
  );
  assert.ok([...ttl.tables.hubble!.fields, ...contractCode.tables.hubble!.fields].every((f) => f.optional !== true));
});

test('contract code: default rows per change (cost inputs null without v1), hubble rows compacted (0 without v1)', async () => {
  const [h1, h2, h3] = ['a', 'b', 'c'].map((s) => sha256(Buffer.from(s)));
  const costs = [100, 2, 3, 4, 5, 6, 7, 8, 9, 1000];
  const txs = [
    { operations: [[CREATED(codeEntry(h1!, 10))], [CREATED(codeEntry(h2!, 10, costs))]] },
    {
      operations: [
        update(
          codeEntry(h2!, 10, costs),
          codeEntry(
            h2!,
            10,
            costs.map((c) => c + 1),
          ),
        ),
        remove(codeEntry(h3!, 4, costs)),
      ],
    },
    { before: [RESTORED(codeEntry(h1!, 10))], operations: [] }, // invalid after CREATED in the same ledger: only the default profile takes it
  ];
  const l = await ledgerWithChanges(10, 1000, txs.slice(0, 2));
  const d = contractCodeProcessor().rows(l);
  const cost = (r: ContractCodeRow) => [r.n_instructions, r.n_data_segment_bytes];
  assert.deepEqual(
    d.map((r) => [r.contract_code_hash.slice(0, 8), r.ledger_entry_change, r.deleted, r.contract_code_ext_v, ...cost(r), r.last_modified_ledger]),
    [
      [h1!.toString('hex').slice(0, 8), 0, false, 0, null, null, 10],
      [h2!.toString('hex').slice(0, 8), 0, false, 1, 100, 1000, 10],
      [h2!.toString('hex').slice(0, 8), 1, false, 1, 101, 1001, 10],
      [h3!.toString('hex').slice(0, 8), 2, true, 1, 100, 1000, 4], // a removal shows the STATE before it
    ],
  );
  for (const r of d)
    assert.equal(
      r.ledger_key_hash,
      hash(xdr.LedgerKey.contractCode(new xdr.LedgerKeyContractCode({ hash: Buffer.from(r.contract_code_hash, 'hex') })).toXDR()).toString('hex'),
    );
  const h = hubbleCode().rows(l);
  assert.deepEqual(
    h.map((r) => [r.contract_code_hash.slice(0, 8), r.ledger_entry_change, r.deleted, r.contract_code_ext_v, r.n_instructions, r.n_data_segment_bytes]),
    [
      [h1!.toString('hex').slice(0, 8), 0, false, 0, 0, 0],
      [h2!.toString('hex').slice(0, 8), 0, false, 1, 101, 1001], // created then updated: CREATED, final values
      [h3!.toString('hex').slice(0, 8), 2, true, 1, 100, 1000],
    ],
  );
  // The fast scanner and the SDK walk read code entries alike.
  for (const profile of ['default', 'hubble'] as const) {
    assert.deepEqual(
      contractCodeProcessor({ profile, decode: 'fast' }).rows(ledgerRecordFromBytes(l.bytes)),
      contractCodeProcessor({ profile, decode: 'sdk' }).rows(ledgerRecordFromBytes(l.bytes)),
    );
  }
  const invalid = await ledgerWithChanges(10, 1000, txs);
  assert.equal(contractCodeProcessor().rows(invalid).length, 5);
  assert.throws(() => hubbleCode().rows(invalid), /ledger 10: transaction 3: can't restore an entry that is already active \(ledger key = AAAAB[+/\w]+=*\)$/);
});

test('ttl: removals show the value before them; hubble compacts create+extend into one CREATED row', async () => {
  const k = sha256(Buffer.from('some entry'));
  const l = await ledgerWithChanges(20, 1000, [
    { operations: [[CREATED(ttlEntry(k, 100, 20))]] },
    { operations: [update(ttlEntry(k, 100, 20), ttlEntry(k, 500, 20)), remove(ttlEntry(Buffer.alloc(32, 9), 50, 11))] },
  ]);
  const d: TtlRow[] = ttlProcessor().rows(l);
  assert.deepEqual(
    d.map((r) => [r.ledger_entry_change, r.live_until_ledger_seq, r.last_modified_ledger, r.deleted]),
    [
      [0, 100, 20, false],
      [1, 500, 20, false],
      [2, 50, 11, true],
    ],
  );
  assert.deepEqual(
    hubbleTtl()
      .rows(l)
      .map((r) => [r.key_hash.slice(0, 4), r.ledger_entry_change, r.live_until_ledger_seq, r.last_modified_ledger, r.deleted]),
    [
      [k.toString('hex').slice(0, 4), 0, 500, 20, false],
      ['0909', 2, 50, 11, true],
    ],
  );
});

/** Independent reference: per TTL key hash, the first change type and the largest live-until of its CREATED/UPDATED images. */
function refTtls(lcm: xdr.LedgerCloseMeta): { changes: number; byKey: Map<string, { first: string; liveUntil: number; lastModified: number }> } {
  const byKey = new Map<string, { first: string; liveUntil: number; lastModified: number }>();
  let changes = 0;
  for (const tp of lcm.v2().txProcessing()) {
    const m = tp.txApplyProcessing().v4();
    for (const c of [...m.txChangesBefore(), ...m.operations().flatMap((o) => o.changes()), ...m.txChangesAfter()]) {
      const kind = c.switch().name;
      if (kind === 'ledgerEntryRemoved' || kind === 'ledgerEntryState') continue;
      const e = c.value() as xdr.LedgerEntry;
      if (e.data().switch().name !== 'ttl') continue;
      changes++;
      const key = e.data().ttl().keyHash().toString('hex');
      const seen = byKey.get(key);
      byKey.set(key, {
        first: seen?.first ?? kind,
        liveUntil: Math.max(seen?.liveUntil ?? 0, e.data().ttl().liveUntilLedgerSeq()),
        lastModified: e.lastModifiedLedgerSeq(),
      });
    }
  }
  return { changes, byKey };
}

test('load test 85: 538 TTL changes -> 538 default rows; hubble one row per TTL with the largest live-until', async () => {
  const ledgers = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  const counts: Record<number, number[]> = {};
  for (const l of ledgers) {
    const ref = refTtls(l.meta());
    const d = ttlProcessor().rows(l);
    const h = hubbleTtl().rows(l);
    counts[l.sequence] = [d.length, h.length];
    assert.equal(d.length, ref.changes);
    assert.equal(h.length, ref.byKey.size);
    for (const r of h) {
      const x = ref.byKey.get(r.key_hash)!;
      assert.deepEqual(
        [r.ledger_entry_change, r.live_until_ledger_seq, r.last_modified_ledger, r.ledger_sequence],
        [x.first === 'ledgerEntryCreated' ? 0 : 1, x.liveUntil, x.lastModified, l.sequence],
      );
    }
    // Every contract_data row of the ledger finds its TTL by key hash.
    const fresh = (): LedgerRecord => ledgerRecordFromBytes(l.bytes);
    assert.deepEqual(ttlProcessor({ decode: 'fast' }).rows(fresh()), ttlProcessor({ decode: 'sdk' }).rows(fresh()));
    assert.deepEqual(hubbleTtl().rows(fresh()), ttlProcessor<HubbleTtlRow>({ profile: 'hubble', decode: 'sdk' }).rows(fresh()));
  }
  assert.deepEqual(counts[84], [0, 0]);
  assert.equal(counts[85]![0], 538);
  assert.ok(counts[85]![1]! >= 500 && counts[85]![1]! < 538, `hubble rows ${counts[85]![1]}`);
  assert.deepEqual(counts[88], [0, 0]);
});

test('a ContractCodeEntry extension arm no protocol defines stops with an XdrDecodeError naming ledger, transaction and XDR type', async () => {
  const code = codeEntry(sha256(Buffer.from('wasm')), 30, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const good = await ledgerWithChanges(30, 1000, [{ operations: [] }, { operations: [[CREATED(code)]] }]);
  const bytes = new Uint8Array(good.bytes);
  const entryXdr = code.data().contractCode().toXDR();
  const at = Buffer.from(bytes).indexOf(entryXdr);
  assert.ok(at > 0);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, 7); // ContractCodeEntry.ext discriminant
  for (const proc of [contractCodeProcessor(), hubbleCode(), ttlProcessor()]) {
    assert.throws(
      () => proc.rows(ledgerRecordFromBytes(bytes)),
      (e: unknown) =>
        e instanceof XdrDecodeError &&
        e.ledger === 30 &&
        e.txIndex === 2 &&
        e.xdrType === 'ContractCodeEntryExt' &&
        /^ledger 30: transaction 2: cannot decode XDR ContractCodeEntryExt: no arm for discriminant 7/.test(e.message),
    );
  }
  assert.equal(contractCodeProcessor().rows(good).length, 1);
});
