import { StrKey, xdr } from '@stellar/stellar-sdk';
import { encodeAccountId, encodeContractId } from './strkey-cache.js';
import { asBuffer, toHex } from './buffer-view.js';

/**
 * ScVal -> JSON in the shape of the stellar-xdr JSON representation (what stellar-rpc
 * returns with `xdrFormat: "json"`): a one-key object naming the type, e.g.
 * {"symbol":"transfer"}, {"address":"G..."}, {"i128":"-5"}, {"vec":[...]},
 * {"map":[{"key":..,"val":..}]}, "void". It is lossless: 64-bit and wider integers are
 * decimal strings (JSON numbers would lose precision), bytes are lowercase hex, strings and
 * symbols are escaped bytes (escapeXdrText), and map keys of any type keep their order, so
 * equal values always give equal text.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** camelCase XDR enum names -> snake_case after dropping the given prefix ("sceWasmVm" -> "wasm_vm"). */
function snake(name: string, prefix: string): string {
  const rest = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return rest.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const u64 = (v: { toString(): string }): string => BigInt(v.toString()).toString();

export function int128ToBigInt(parts: xdr.Int128Parts | xdr.UInt128Parts): bigint {
  return (BigInt(parts.hi().toString()) << 64n) | BigInt.asUintN(64, BigInt(parts.lo().toString()));
}

function int256ToBigInt(parts: xdr.Int256Parts | xdr.UInt256Parts): bigint {
  const limb = (x: { toString(): string }): bigint => BigInt.asUintN(64, BigInt(x.toString()));
  return (BigInt(parts.hiHi().toString()) << 192n) | (limb(parts.hiLo()) << 128n) | (limb(parts.loHi()) << 64n) | limb(parts.loLo());
}

/**
 * The stellar-xdr JSON text of an ScString/ScSymbol (before JSON quoting): its bytes
 * escaped one by one, whether or not they are valid UTF-8. Printable ASCII stands for
 * itself; \0 \t \n \r and \\ for those bytes; \xNN (lowercase hex) for every other byte,
 * so "é" is \xc3\xa9. The text is thus plain ASCII and maps back to the exact bytes.
 */
export function escapeXdrText(v: string | Uint8Array): string {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  let i = 0;
  while (i < b.length && b[i]! >= 0x20 && b[i]! < 0x7f && b[i] !== 0x5c) i++;
  let s = asBuffer(b).toString('latin1', 0, i);
  for (; i < b.length; i++) s += ESCAPED[b[i]!];
  return s;
}

const ESCAPED: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  switch (b) {
    case 0x00:
      return '\\0';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x5c:
      return '\\\\';
    default:
      return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
});

// ignoreBOM: a leading U+FEFF is part of the on-chain string, not a byte-order mark to drop.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text of an ScString/ScSymbol for comparisons (asset codes, symbol names): UTF-8 when valid, otherwise bytes escaped as \xNN. */
export function xdrText(v: string | Buffer | Uint8Array): string {
  if (typeof v === 'string') return v;
  try {
    return strictUtf8.decode(v);
  } catch {
    let s = '';
    for (const b of v) s += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    return s;
  }
}

/** Strkey of any ScAddress arm (G, C, M, B, L). */
export function scAddressToString(a: xdr.ScAddress): string {
  switch (a.switch().name) {
    // Accounts and contracts repeat across rows (balance holders, event topics): memoised,
    // which also hands every row the same string object (cheap dictionary lookups later).
    case 'scAddressTypeAccount':
      return encodeAccountId(a.accountId().ed25519());
    case 'scAddressTypeContract':
      return encodeContractId(a.contractId() as unknown as Uint8Array);
    case 'scAddressTypeMuxedAccount': {
      const m = a.muxedAccount();
      const id = Buffer.alloc(8);
      id.writeBigUInt64BE(BigInt(m.id().toString()));
      return StrKey.encodeMed25519PublicKey(Buffer.concat([m.ed25519(), id]));
    }
    case 'scAddressTypeClaimableBalance': {
      const cb = a.claimableBalanceId();
      return StrKey.encodeClaimableBalance(Buffer.concat([Buffer.from([cb.switch().value]), cb.value() as Buffer]));
    }
    case 'scAddressTypeLiquidityPool':
      return StrKey.encodeLiquidityPool(a.liquidityPoolId() as unknown as Buffer);
    default:
      throw new Error(`unknown ScAddress type ${a.switch().name}`);
  }
}

function scError(e: xdr.ScError): JsonValue {
  const type = snake(e.switch().name, 'sce');
  if (e.switch().name === 'sceContract') return { [type]: e.contractCode() };
  return { [type]: snake(e.code().name, 'scec') };
}

function executable(e: xdr.ContractExecutable): JsonValue {
  return e.switch().name === 'contractExecutableWasm' ? { wasm: toHex(e.wasmHash()) } : 'stellar_asset';
}

function mapEntries(m: xdr.ScMapEntry[] | null | undefined): JsonValue {
  return m == null ? null : m.map((e) => ({ key: scValToJson(e.key()), val: scValToJson(e.val()) }));
}

export function scValToJson(v: xdr.ScVal): JsonValue {
  switch (v.switch().name) {
    case 'scvBool':
      return { bool: v.b() };
    case 'scvVoid':
      return 'void';
    case 'scvError':
      return { error: scError(v.error()) };
    case 'scvU32':
      return { u32: v.u32() };
    case 'scvI32':
      return { i32: v.i32() };
    case 'scvU64':
      return { u64: u64(v.u64()) };
    case 'scvI64':
      return { i64: u64(v.i64()) };
    case 'scvTimepoint':
      return { timepoint: u64(v.timepoint()) };
    case 'scvDuration':
      return { duration: u64(v.duration()) };
    case 'scvU128':
      return { u128: int128ToBigInt(v.u128()).toString() };
    case 'scvI128':
      return { i128: int128ToBigInt(v.i128()).toString() };
    case 'scvU256':
      return { u256: int256ToBigInt(v.u256()).toString() };
    case 'scvI256':
      return { i256: int256ToBigInt(v.i256()).toString() };
    case 'scvBytes':
      return { bytes: toHex(v.bytes()) };
    case 'scvString':
      return { string: escapeXdrText(v.str()) };
    case 'scvSymbol':
      return { symbol: escapeXdrText(v.sym()) };
    case 'scvVec': {
      const items = v.vec();
      return { vec: items == null ? null : items.map(scValToJson) };
    }
    case 'scvMap':
      return { map: mapEntries(v.map()) };
    case 'scvAddress':
      return { address: scAddressToString(v.address()) };
    case 'scvContractInstance': {
      const inst = v.instance();
      return { contract_instance: { executable: executable(inst.executable()), storage: mapEntries(inst.storage()) } };
    }
    case 'scvLedgerKeyContractInstance':
      return 'ledger_key_contract_instance';
    case 'scvLedgerKeyNonce':
      return { ledger_key_nonce: { nonce: u64(v.nonceKey().nonce()) } };
    default:
      throw new Error(`unknown ScVal type ${v.switch().name}`);
  }
}

export function scValToJsonText(v: xdr.ScVal): string {
  return JSON.stringify(scValToJson(v));
}
