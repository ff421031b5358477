// Our ScVal JSON text (the byte reader used at run time, and the SDK-object path) against the
// Rust stellar-xdr serializer stellar-etl uses (its wasm build): byte-equal on every ScVal arm,
// on every value of the fixtures and on seeded random values; rejected where it rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keypair, xdr } from '@stellar/stellar-sdk';
import { scValBytesToJsonText } from '../packages/lake/src/stellar/fast/scval-json-bytes.js';
import { scValToJson } from '../packages/lake/src/stellar/scval-json.js';
import { XdrDecodeError } from '../packages/lake/src/stellar/decode-error.js';
import { extractFast } from '../packages/lake/src/stellar/fast/extract-fast.js';
import { oracleScValJson } from './support/xdr-json-oracle.js';
import { allFixtureLedgers } from './support/fixture-ledgers.js';
import { rng } from './support/rng.js';

const toBytes = (v: xdr.ScVal | Uint8Array): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(v.toXDR()));

/**
 * Asserts both of our paths print the oracle's text; returns it. The SDK-object path is
 * skipped for values nested deeper than the SDK's own decoder goes (`sdk: false`).
 */
function same(v: xdr.ScVal | Uint8Array, label = '', sdk = true): string {
  const bytes = toBytes(v);
  const expected = oracleScValJson(bytes);
  assert.equal(scValBytesToJsonText(bytes), expected, `bytes path ${label}`);
  if (sdk) assert.equal(JSON.stringify(scValToJson(xdr.ScVal.fromXDR(Buffer.from(bytes)))), expected, `SDK-object path ${label}`);
  return expected;
}

/** Asserts the oracle rejects the bytes and so do we, with an XdrDecodeError. */
function rejected(bytes: Uint8Array, label: string): void {
  assert.throws(
    () => oracleScValJson(bytes),
    () => true,
    `oracle accepts ${label}`,
  );
  assert.throws(() => scValBytesToJsonText(bytes), XdrDecodeError, label);
}

const u64 = (v: bigint): xdr.Uint64 => xdr.Uint64.fromString(BigInt.asUintN(64, v).toString());
const i64 = (v: bigint): xdr.Int64 => xdr.Int64.fromString(BigInt.asIntN(64, v).toString());
const u128 = (v: bigint): xdr.ScVal => xdr.ScVal.scvU128(new xdr.UInt128Parts({ hi: u64(v >> 64n), lo: u64(v) }));
const i128 = (v: bigint): xdr.ScVal => xdr.ScVal.scvI128(new xdr.Int128Parts({ hi: i64(v >> 64n), lo: u64(v) }));
const u256 = (v: bigint): xdr.ScVal =>
  xdr.ScVal.scvU256(new xdr.UInt256Parts({ hiHi: u64(v >> 192n), hiLo: u64(v >> 128n), loHi: u64(v >> 64n), loLo: u64(v) }));
const i256 = (v: bigint): xdr.ScVal =>
  xdr.ScVal.scvI256(new xdr.Int256Parts({ hiHi: i64(v >> 192n), hiLo: u64(v >> 128n), loHi: u64(v >> 64n), loLo: u64(v) }));
const entry = (key: xdr.ScVal, val: xdr.ScVal): xdr.ScMapEntry => new xdr.ScMapEntry({ key, val });
const key32 = (fill: number): Buffer => Buffer.alloc(32, fill);

const accountAddr = (raw: Buffer): xdr.ScVal => xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeAccount(xdr.PublicKey.publicKeyTypeEd25519(raw)));
const contractAddr = (raw: Buffer): xdr.ScVal => xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeContract(raw as unknown as xdr.ContractId));
const muxedAddr = (raw: Buffer, id: bigint): xdr.ScVal =>
  xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeMuxedAccount(new xdr.MuxedEd25519Account({ id: u64(id), ed25519: raw })));
const balanceAddr = (raw: Buffer): xdr.ScVal =>
  xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeClaimableBalance(xdr.ClaimableBalanceId.claimableBalanceIdTypeV0(raw)));
const poolAddr = (raw: Buffer): xdr.ScVal => xdr.ScVal.scvAddress(xdr.ScAddress.scAddressTypeLiquidityPool(raw as unknown as xdr.PoolId));
const instance = (wasm: Buffer | null, storage: xdr.ScMapEntry[] | null): xdr.ScVal =>
  xdr.ScVal.scvContractInstance(
    new xdr.ScContractInstance({
      executable: wasm ? xdr.ContractExecutable.contractExecutableWasm(wasm) : xdr.ContractExecutable.contractExecutableStellarAsset(),
      storage: storage as xdr.ScMapEntry[],
    }),
  );
const errorTypes = (xdr.ScErrorType as unknown as { values(): xdr.ScErrorType[] }).values();
const errorCodes = (xdr.ScErrorCode as unknown as { values(): xdr.ScErrorCode[] }).values();
const scError = (type: xdr.ScErrorType, code: xdr.ScErrorCode): xdr.ScVal =>
  xdr.ScVal.scvError(new (xdr.ScError as unknown as new (t: xdr.ScErrorType, c: xdr.ScErrorCode) => xdr.ScError)(type, code));

test('every scalar arm at its extremes', () => {
  const MAX64 = (1n << 64n) - 1n;
  const cases: Array<[xdr.ScVal, string]> = [
    [xdr.ScVal.scvBool(true), '{"bool":true}'],
    [xdr.ScVal.scvBool(false), '{"bool":false}'],
    [xdr.ScVal.scvVoid(), '"void"'],
    [xdr.ScVal.scvU32(0), '{"u32":0}'],
    [xdr.ScVal.scvU32(4294967295), '{"u32":4294967295}'],
    [xdr.ScVal.scvI32(-2147483648), '{"i32":-2147483648}'],
    [xdr.ScVal.scvI32(2147483647), '{"i32":2147483647}'],
    [xdr.ScVal.scvU64(u64(0n)), '{"u64":"0"}'],
    [xdr.ScVal.scvU64(u64(MAX64)), '{"u64":"18446744073709551615"}'],
    [xdr.ScVal.scvI64(i64(-(1n << 63n))), '{"i64":"-9223372036854775808"}'],
    [xdr.ScVal.scvI64(i64((1n << 63n) - 1n)), '{"i64":"9223372036854775807"}'],
    [xdr.ScVal.scvI64(i64(-1n)), '{"i64":"-1"}'],
    [xdr.ScVal.scvTimepoint(u64(MAX64)), '{"timepoint":"18446744073709551615"}'],
    [xdr.ScVal.scvTimepoint(u64(1_700_000_000n)), '{"timepoint":"1700000000"}'],
    [xdr.ScVal.scvDuration(u64(0n)), '{"duration":"0"}'],
    [xdr.ScVal.scvDuration(u64(MAX64)), '{"duration":"18446744073709551615"}'],
    [u128(0n), '{"u128":"0"}'],
    [u128((1n << 128n) - 1n), `{"u128":"${(1n << 128n) - 1n}"}`],
    [u128(1n << 64n), '{"u128":"18446744073709551616"}'],
    [i128(-(1n << 127n)), `{"i128":"${-(1n << 127n)}"}`],
    [i128((1n << 127n) - 1n), `{"i128":"${(1n << 127n) - 1n}"}`],
    [i128(-1n), '{"i128":"-1"}'],
    [i128(-(1n << 64n)), '{"i128":"-18446744073709551616"}'],
    [i128(-(1n << 64n) + 1n), '{"i128":"-18446744073709551615"}'],
    [i128(0n), '{"i128":"0"}'],
    [u256(0n), '{"u256":"0"}'],
    [u256((1n << 256n) - 1n), `{"u256":"${(1n << 256n) - 1n}"}`],
    [i256(-(1n << 255n)), `{"i256":"${-(1n << 255n)}"}`],
    [i256((1n << 255n) - 1n), `{"i256":"${(1n << 255n) - 1n}"}`],
    [i256(-1n), '{"i256":"-1"}'],
    [i256(-(1n << 192n) - 5n), `{"i256":"${-(1n << 192n) - 5n}"}`],
    [xdr.ScVal.scvBytes(Buffer.alloc(0)), '{"bytes":""}'],
    [xdr.ScVal.scvBytes(Buffer.from([0, 1, 0xab, 0xff, 0x10])), '{"bytes":"0001abff10"}'],
    [xdr.ScVal.scvLedgerKeyContractInstance(), '"ledger_key_contract_instance"'],
    [xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: i64(-(1n << 63n)) })), '{"ledger_key_nonce":{"nonce":"-9223372036854775808"}}'],
    [xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: i64((1n << 63n) - 1n) })), '{"ledger_key_nonce":{"nonce":"9223372036854775807"}}'],
  ];
  for (const [v, text] of cases) assert.equal(same(v, text), text);
});

test('strings and symbols: every byte alone, UTF-8, BOM, escapes, invalid UTF-8', () => {
  for (let b = 0; b < 256; b++) {
    same(xdr.ScVal.scvString(Buffer.from([b])), `string byte ${b}`);
    same(xdr.ScVal.scvSymbol(Buffer.from([b])), `symbol byte ${b}`);
    same(xdr.ScVal.scvString(Buffer.from([0x41, b, 0x42, b])), `string around byte ${b}`);
  }
  const cases: Array<[Buffer, string]> = [
    [Buffer.alloc(0), '{"string":""}'],
    [Buffer.from('transfer'), '{"string":"transfer"}'],
    [Buffer.from('héllo'), '{"string":"h\\\\xc3\\\\xa9llo"}'],
    [Buffer.from('\ufeffBOM'), '{"string":"\\\\xef\\\\xbb\\\\xbfBOM"}'],
    [Buffer.from('a"b\\c'), '{"string":"a\\"b\\\\\\\\c"}'],
    [Buffer.from('tab\tnl\ncr\rnul\0'), '{"string":"tab\\\\tnl\\\\ncr\\\\rnul\\\\0"}'],
    [Buffer.from("<>&'/"), '{"string":"<>&\'/"}'],
    [Buffer.from('\u2028\u{1F600}'), '{"string":"\\\\xe2\\\\x80\\\\xa8\\\\xf0\\\\x9f\\\\x98\\\\x80"}'],
    [Buffer.from([0xc3]), '{"string":"\\\\xc3"}'],
    [Buffer.from([0xff, 0xfe, 0x7f, 0x80]), '{"string":"\\\\xff\\\\xfe\\\\x7f\\\\x80"}'],
    [Buffer.from('\\x41'), '{"string":"\\\\\\\\x41"}'],
  ];
  for (const [raw, text] of cases) assert.equal(same(xdr.ScVal.scvString(raw)), text);
  same(xdr.ScVal.scvString(Buffer.alloc(5000, 0xe9)), 'long non-ASCII string');
  same(xdr.ScVal.scvSymbol(''), 'empty symbol');
  same(xdr.ScVal.scvSymbol('a'.repeat(32)), '32-byte symbol');
  same(xdr.ScVal.scvSymbol(Buffer.from('sym\\"é')), 'escaped symbol');
});

test('errors: every ScErrorType with every ScErrorCode, contract codes', () => {
  let n = 0;
  for (const type of errorTypes) {
    if (type.name === 'sceContract') continue;
    for (const code of errorCodes) {
      same(scError(type, code), `${type.name}/${code.name}`);
      n++;
    }
  }
  assert.equal(n, 9 * 10);
  assert.equal(same(scError(xdr.ScErrorType.sceWasmVm(), xdr.ScErrorCode.scecInvalidAction())), '{"error":{"wasm_vm":"invalid_action"}}');
  for (const code of [0, 1, 42, 2 ** 31, 4294967295]) {
    assert.equal(same(xdr.ScVal.scvError(xdr.ScError.sceContract(code))), `{"error":{"contract":${code}}}`);
  }
});

test('addresses of every ScAddress kind', () => {
  const r = rng(19);
  for (let i = 0; i < 20; i++) {
    const raw = Buffer.from(Array.from({ length: 32 }, () => Math.floor(r() * 256)));
    same(accountAddr(raw), 'account');
    same(contractAddr(raw), 'contract');
    same(muxedAddr(raw, BigInt(Math.floor(r() * 2 ** 53)) * 2048n), 'muxed account');
    same(balanceAddr(raw), 'claimable balance');
    same(poolAddr(raw), 'liquidity pool');
  }
  same(muxedAddr(key32(0), 0n), 'muxed account id 0');
  same(muxedAddr(key32(0xff), (1n << 64n) - 1n), 'muxed account id max');
  assert.match(same(accountAddr(Keypair.random().rawPublicKey())), /^\{"address":"G[A-Z2-7]{55}"\}$/);
});

test('containers: vec and map (empty, null, nested), contract instances, nonce keys', () => {
  const sym = (s: string): xdr.ScVal => xdr.ScVal.scvSymbol(s);
  const cases: xdr.ScVal[] = [
    xdr.ScVal.scvVec([]),
    xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]),
    xdr.ScVal.scvVec([xdr.ScVal.scvVec([xdr.ScVal.scvVec([])]), xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]), xdr.ScVal.scvVoid()]),
    xdr.ScVal.scvMap([]),
    xdr.ScVal.scvMap(null as unknown as xdr.ScMapEntry[]),
    xdr.ScVal.scvMap([entry(sym('a'), xdr.ScVal.scvU32(1)), entry(xdr.ScVal.scvVec([i128(-5n)]), xdr.ScVal.scvMap([entry(xdr.ScVal.scvVoid(), sym('x'))]))]),
    instance(key32(1), null),
    instance(key32(2), []),
    instance(key32(3), [entry(sym('COUNTER'), xdr.ScVal.scvU32(7)), entry(xdr.ScVal.scvLedgerKeyContractInstance(), xdr.ScVal.scvVec([]))]),
    instance(null, null),
    instance(null, [entry(sym('METADATA'), xdr.ScVal.scvMap([entry(sym('name'), xdr.ScVal.scvString('USDC:GA5Z'))]))]),
    xdr.ScVal.scvVec([instance(null, []), xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: i64(12345n) }))]),
  ];
  for (const v of cases) same(v, v.switch().name);
  assert.equal(same(instance(null, null)), '{"contract_instance":{"executable":"stellar_asset","storage":null}}');
  assert.equal(same(instance(key32(0xab), [])), `{"contract_instance":{"executable":{"wasm":"${'ab'.repeat(32)}"},"storage":[]}}`);
  assert.equal(
    same(xdr.ScVal.scvMap([entry(sym('k'), xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]))])),
    '{"map":[{"key":{"symbol":"k"},"val":{"vec":null}}]}',
  );
});

test('every ScVal of the fixtures (event topics and data of every event type, contract-data keys and values)', async () => {
  const seen = new Set<string>();
  let values = 0;
  const add = (b: Uint8Array): void => {
    values++;
    seen.add(Buffer.from(b).toString('base64'));
  };
  for (const l of await allFixtureLedgers()) {
    for (const tx of extractFast(l.bytes).txs) {
      for (const ev of [...tx.events, ...tx.txEvents, ...tx.diagnosticEvents().map((d) => d.event)]) {
        ev.topics.forEach(add);
        add(ev.data);
      }
      for (const { image } of tx.dataChanges) {
        add(image.key);
        if (image.val) add(image.val);
      }
    }
  }
  for (const b64 of seen) same(new Uint8Array(Buffer.from(b64, 'base64')));
  assert.ok(values >= 45_000 && seen.size >= 2_500, `${values} values, ${seen.size} distinct`);
});

/** A random ScVal, every arm reachable; strings draw bytes that need escaping. */
function randomScVal(r: () => number, depth: number): xdr.ScVal {
  const int = (n: number): number => Math.floor(r() * n);
  const big = (bits: number): bigint => {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(int(65536));
    // Small values and the extremes are common on chain; so are they here.
    const pick = int(4);
    return pick === 0 ? BigInt(int(1000)) : pick === 1 ? (1n << BigInt(bits)) - 1n : BigInt.asUintN(bits, v);
  };
  const signed = (bits: number): bigint => BigInt.asIntN(bits, big(bits));
  const bytes = (max: number): Buffer => Buffer.from(Array.from({ length: int(max + 1) }, () => (r() < 0.6 ? 0x20 + int(95) : int(256))));
  const arm = depth <= 0 ? int(16) : int(22);
  switch (arm) {
    case 0:
      return xdr.ScVal.scvBool(r() < 0.5);
    case 1:
      return xdr.ScVal.scvVoid();
    case 2:
      return r() < 0.3 ? xdr.ScVal.scvError(xdr.ScError.sceContract(int(2 ** 32))) : scError(errorTypes[1 + int(9)]!, errorCodes[int(10)]!);
    case 3:
      return xdr.ScVal.scvU32(int(2 ** 32));
    case 4:
      return xdr.ScVal.scvI32(int(2 ** 32) - 2 ** 31);
    case 5:
      return xdr.ScVal.scvU64(u64(big(64)));
    case 6:
      return xdr.ScVal.scvI64(i64(signed(64)));
    case 7:
      return xdr.ScVal.scvTimepoint(u64(big(64)));
    case 8:
      return xdr.ScVal.scvDuration(u64(big(64)));
    case 9:
      return u128(big(128));
    case 10:
      return i128(signed(128));
    case 11:
      return u256(big(256));
    case 12:
      return i256(signed(256));
    case 13:
      return xdr.ScVal.scvBytes(bytes(40));
    case 14:
      return xdr.ScVal.scvString(bytes(40));
    case 15:
      return xdr.ScVal.scvSymbol(bytes(32));
    case 16:
      return r() < 0.1 ? xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]) : xdr.ScVal.scvVec(Array.from({ length: int(4) }, () => randomScVal(r, depth - 1)));
    case 17:
      return r() < 0.1
        ? xdr.ScVal.scvMap(null as unknown as xdr.ScMapEntry[])
        : xdr.ScVal.scvMap(Array.from({ length: int(4) }, () => entry(randomScVal(r, depth - 1), randomScVal(r, depth - 1))));
    case 18: {
      const raw = Buffer.from(Array.from({ length: 32 }, () => int(256)));
      return [accountAddr, contractAddr, (b: Buffer) => muxedAddr(b, big(64)), balanceAddr, poolAddr][int(5)]!(raw);
    }
    case 19:
      return instance(
        r() < 0.5 ? Buffer.from(Array.from({ length: 32 }, () => int(256))) : null,
        r() < 0.3 ? null : Array.from({ length: int(3) }, () => entry(randomScVal(r, depth - 1), randomScVal(r, depth - 1))),
      );
    case 20:
      return xdr.ScVal.scvLedgerKeyContractInstance();
    default:
      return xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: i64(signed(64)) }));
  }
}

test('seeded random ScVals, nested up to 4 levels: byte-equal text', () => {
  const r = rng(0x5c7a1);
  for (let i = 0; i < 4000; i++) same(randomScVal(r, Math.floor(r() * 5)), `random value ${i}`);
});

/** Raw ScVal bytes from 32-bit words (and raw byte runs). */
const words = (...parts: Array<number | number[]>): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) {
    if (Array.isArray(p)) out.push(...p);
    else out.push((p >>> 24) & 0xff, (p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff);
  }
  return new Uint8Array(out);
};

test('bytes the serializer rejects are an XdrDecodeError, never a row', () => {
  const SYMBOL = 15;
  const STRING = 14;
  const BYTES = 13;
  const VEC = 16;
  const MAP = 17;
  const ADDRESS = 18;
  const INSTANCE = 19;
  rejected(words(22), 'unknown ScVal type 22');
  rejected(words(0xffffffff), 'ScVal type -1');
  rejected(words(2, 10, 0), 'ScErrorType 10');
  rejected(words(2, 1, 10), 'ScErrorCode 10');
  rejected(words(SYMBOL, 33, [...Buffer.from('a'.repeat(33)), 0, 0, 0]), 'symbol of 33 bytes');
  rejected(words(STRING, 1, [0x61, 0, 0, 1]), 'non-zero padding in a string');
  rejected(words(BYTES, 2, [1, 2, 9, 0]), 'non-zero padding in bytes');
  rejected(words(VEC, 2), 'vec option flag 2');
  rejected(words(MAP, 7, 0), 'map option flag 7');
  rejected(words(INSTANCE, 1, 2), 'contract instance storage flag 2');
  rejected(words(INSTANCE, 2, 0), 'ContractExecutable 2');
  rejected(words(ADDRESS, 5, ...Array(8).fill(0)), 'ScAddress kind 5');
  rejected(words(ADDRESS, 0, 1, ...Array(8).fill(0)), 'PublicKey type 1');
  rejected(words(ADDRESS, 3, 1, ...Array(8).fill(0)), 'ClaimableBalanceID type 1');
  rejected(words(1, 0), 'trailing bytes');
  rejected(words(3), 'truncated u32');
  rejected(words(STRING, 8, [0x61]), 'truncated string');
  rejected(words(VEC, 1, 0x7fffffff), 'count larger than the bytes');
  rejected(words(MAP, 1, 2, 1), 'map cut inside its entries');
  // A bool other than 0/1: the serializer would print false, but stellar-etl's Go decoder
  // rejects the ledger before that, so it must not become a row either.
  assert.equal(oracleScValJson(words(0, 2)), '{"bool":false}');
  assert.throws(() => scValBytesToJsonText(words(0, 2)), XdrDecodeError);
});

type Wrap = 'vec' | 'mapKey' | 'mapVal' | 'storageKey' | 'storageVal';
const wrapOnce = (w: Wrap, v: xdr.ScVal): xdr.ScVal => {
  switch (w) {
    case 'vec':
      return xdr.ScVal.scvVec([v]);
    case 'mapKey':
      return xdr.ScVal.scvMap([entry(v, xdr.ScVal.scvVoid())]);
    case 'mapVal':
      return xdr.ScVal.scvMap([entry(xdr.ScVal.scvVoid(), v)]);
    case 'storageKey':
      return instance(null, [entry(v, xdr.ScVal.scvVoid())]);
    default:
      return instance(key32(7), [entry(xdr.ScVal.scvU32(1), v)]);
  }
};

test("nesting: accepted and rejected exactly where the serializer's depth limit falls", () => {
  const leaves: xdr.ScVal[] = [
    xdr.ScVal.scvVoid(),
    xdr.ScVal.scvBool(true),
    xdr.ScVal.scvU32(1),
    i256(-1n),
    xdr.ScVal.scvSymbol('s'),
    xdr.ScVal.scvString('s'),
    xdr.ScVal.scvBytes(Buffer.from([1])),
    xdr.ScVal.scvError(xdr.ScError.sceContract(1)),
    scError(errorTypes[2]!, errorCodes[3]!),
    accountAddr(key32(1)),
    contractAddr(key32(2)),
    muxedAddr(key32(3), 9n),
    balanceAddr(key32(4)),
    poolAddr(key32(5)),
    instance(null, null),
    instance(key32(6), []),
    xdr.ScVal.scvVec([]),
    xdr.ScVal.scvVec(null as unknown as xdr.ScVal[]),
    xdr.ScVal.scvMap([]),
    xdr.ScVal.scvMap(null as unknown as xdr.ScMapEntry[]),
    xdr.ScVal.scvLedgerKeyContractInstance(),
    xdr.ScVal.scvLedgerKeyNonce(new xdr.ScNonceKey({ nonce: i64(1n) })),
  ];
  const wraps: Wrap[] = ['vec', 'mapKey', 'mapVal', 'storageKey', 'storageVal'];
  const accepts = (v: xdr.ScVal): boolean => {
    try {
      oracleScValJson(toBytes(v));
      return true;
    } catch {
      return false;
    }
  };
  let checked = 0;
  for (const leaf of leaves) {
    for (const w of wraps) {
      // Wrap until the serializer rejects; ours must print every accepted level and reject the first refused one.
      let v = leaf;
      for (let level = 0; ; level++) {
        if (!accepts(v)) {
          assert.throws(() => scValBytesToJsonText(toBytes(v)), XdrDecodeError, `${leaf.switch().name} in ${level} x ${w}`);
          break;
        }
        if (level > 60) same(v, `${leaf.switch().name} in ${level} x ${w}`, false);
        assert.ok(level < 130, 'the serializer never rejected');
        v = wrapOnce(w, v);
      }
      checked++;
    }
  }
  // Mixed wrappers near the limit, chosen at random.
  const r = rng(500);
  for (let i = 0; i < 150; i++) {
    let v = leaves[Math.floor(r() * leaves.length)]!;
    for (let k = 0; k < 80 + Math.floor(r() * 25); k++) v = wrapOnce(wraps[Math.floor(r() * wraps.length)]!, v);
    if (accepts(v)) same(v, `mixed ${i}`, false);
    else assert.throws(() => scValBytesToJsonText(toBytes(v)), XdrDecodeError, `mixed ${i}`);
    checked++;
  }
  assert.equal(checked, leaves.length * wraps.length + 150);
});
