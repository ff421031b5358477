import { StrKey } from '@stellar/stellar-sdk';
import { encodeAccountId, encodeContractId } from '../strkey-cache.js';
import { asBuffer } from '../buffer-view.js';
import { XdrDecodeError, unknownArm } from '../decode-error.js';
import { escapeXdrText } from '../scval-json.js';

/**
 * ScVal XDR -> JSON text, read straight from the bytes, byte for byte the text of the
 * stellar-xdr JSON serializer (the Rust crate behind stellar-rpc's `xdrFormat: "json"` and
 * stellar-etl's `*_decoded` columns), see scval-json.ts for the shape. Building SDK objects
 * just to print them would cost more than scanning the whole ledger.
 *
 * It also rejects what that serializer's decoder rejects, so a value it could not print
 * never becomes a row: unknown union arms and enum values, option flags other than 0/1,
 * symbols over 32 bytes, non-zero padding, and nesting beyond its depth limit. A bool
 * other than 0/1 is rejected too: stellar-etl's Go decoder fails on it before the
 * serializer runs.
 */

const pad4 = (n: number): number => (n + 3) & ~3;

/**
 * The serializer decodes with a limit of 500 nested reads, every XDR type read (struct,
 * union, enum, option, array, integer) being one level, the value itself at level 2. So the
 * deepest read inside a value must be at most level 499 counting the ScVal as 1: e.g. 124
 * Vec levels around a Void (4 reads per Vec: ScVal, Option, ScVec, VecM; then ScVal,
 * ScValType, int32), or 99 Map levels (5 per level with the ScMapEntry).
 */
const DEPTH_LIMIT = 499;
/** Levels below an ScVal at which its children are read: Vec, Map, ContractInstance storage. */
const VEC_CHILD = 4;
const MAP_CHILD = 5;
const STORAGE_CHILD = 6;

const SC_SYMBOL_LIMIT = 32;

const ERROR_TYPES = ['contract', 'wasm_vm', 'context', 'storage', 'object', 'crypto', 'events', 'budget', 'value', 'auth'];
const ERROR_CODES = [
  'arith_domain',
  'index_bounds',
  'invalid_input',
  'missing_value',
  'existing_value',
  'exceeded_limit',
  'invalid_action',
  'internal_error',
  'unexpected_type',
  'unexpected_size',
];
const SCE_CONTRACT = 0;

const fail = (detail: string): XdrDecodeError => new XdrDecodeError('ScVal', detail);

class Reader {
  readonly dv: DataView;
  p = 0;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  need(n: number): void {
    if (this.p + n > this.b.length) throw fail(`ends early: ${n} bytes needed at byte ${this.p} of ${this.b.length}`);
  }
  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.p);
    this.p += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.p);
    this.p += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.dv.getBigUint64(this.p);
    this.p += 8;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.dv.getBigInt64(this.p);
    this.p += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(pad4(n));
    const s = this.b.subarray(this.p, this.p + n);
    for (let i = this.p + n; i < this.p + pad4(n); i++) if (this.b[i] !== 0) throw fail(`non-zero padding at byte ${i}`);
    this.p += pad4(n);
    return s;
  }
  var(max = 0xffffffff): Uint8Array {
    const n = this.u32();
    if (n > max) throw fail(`length ${n} over the maximum ${max} at byte ${this.p - 4}`);
    return this.bytes(n);
  }
  /** An XDR optional's flag: false for absent, true for present. */
  present(): boolean {
    const f = this.u32();
    if (f > 1) throw fail(`optional flag ${f} (not 0 or 1) at byte ${this.p - 4}`);
    return f === 1;
  }
  /** An element count, at most one element per 4 remaining bytes (every element takes 4 or more). */
  count(): number {
    const n = this.u32();
    if (n > (this.b.length - this.p) / 4) throw fail(`count ${n} larger than the bytes left at byte ${this.p - 4}`);
    return n;
  }
  enumValue(type: string, names: readonly string[]): string {
    const v = this.i32();
    const name = names[v];
    if (name === undefined) throw unknownArm(type, v, this.p - 4);
    return name;
  }
}

/** Fails when reads `own` levels deep inside an ScVal at level `level` pass the limit. */
function depth(level: number, own: number): void {
  if (level - 1 + own > DEPTH_LIMIT) throw fail(`nested deeper than the stellar-xdr JSON depth limit (${DEPTH_LIMIT + 1})`);
}

const bigText = (v: bigint): string => `"${v.toString()}"`;

/** The ScVal at the reader's position, as JSON text; `level` is its read depth (the root is 1). */
function scVal(r: Reader, level: number): string {
  const at = r.p;
  const t = r.u32();
  switch (t) {
    case 0: {
      depth(level, 3);
      const b = r.u32();
      if (b > 1) throw fail(`bool ${b} (not 0 or 1) at byte ${r.p - 4}`);
      return b === 1 ? '{"bool":true}' : '{"bool":false}';
    }
    case 1:
      depth(level, 3);
      return '"void"';
    case 2: {
      depth(level, 4);
      const type = r.enumValue('ScErrorType', ERROR_TYPES);
      return type === ERROR_TYPES[SCE_CONTRACT] ? `{"error":{"contract":${r.u32()}}}` : `{"error":{"${type}":"${r.enumValue('ScErrorCode', ERROR_CODES)}"}}`;
    }
    case 3:
      depth(level, 3);
      return `{"u32":${r.u32()}}`;
    case 4:
      depth(level, 3);
      return `{"i32":${r.i32()}}`;
    case 5:
      depth(level, 3);
      return `{"u64":${bigText(r.u64())}}`;
    case 6:
      depth(level, 3);
      return `{"i64":${bigText(r.i64())}}`;
    case 7:
      depth(level, 3);
      return `{"timepoint":${bigText(r.u64())}}`;
    case 8:
      depth(level, 3);
      return `{"duration":${bigText(r.u64())}}`;
    case 9: {
      depth(level, 3);
      const hi = r.u64();
      return `{"u128":${bigText((hi << 64n) | r.u64())}}`;
    }
    case 10: {
      depth(level, 3);
      const hi = r.i64();
      return `{"i128":${bigText((hi << 64n) | r.u64())}}`;
    }
    case 11:
    case 12: {
      depth(level, 3);
      const a = t === 12 ? r.i64() : r.u64();
      const b = r.u64();
      const c = r.u64();
      const d = r.u64();
      return `{"${t === 12 ? 'i256' : 'u256'}":${bigText((a << 192n) | (b << 128n) | (c << 64n) | d)}}`;
    }
    case 13:
      depth(level, 4);
      return `{"bytes":"${asBuffer(r.var()).toString('hex')}"}`;
    case 14:
      depth(level, 4);
      return `{"string":${JSON.stringify(escapeXdrText(r.var()))}}`;
    case 15:
      depth(level, 4);
      return `{"symbol":${JSON.stringify(escapeXdrText(r.var(SC_SYMBOL_LIMIT)))}}`;
    case 16: {
      if (!r.present()) {
        depth(level, 3);
        return '{"vec":null}';
      }
      depth(level, 5);
      const n = r.count();
      let s = '{"vec":[';
      for (let i = 0; i < n; i++) s += (i === 0 ? '' : ',') + scVal(r, level + VEC_CHILD);
      return `${s}]}`;
    }
    case 17: {
      if (!r.present()) {
        depth(level, 3);
        return '{"map":null}';
      }
      depth(level, 5);
      return `{"map":${mapEntries(r, level + MAP_CHILD)}}`;
    }
    case 18:
      return `{"address":"${address(r, level)}"}`;
    case 19: {
      depth(level, 5);
      const exe = r.u32();
      let executable: string;
      if (exe === 0) executable = `{"wasm":"${asBuffer(r.bytes(32)).toString('hex')}"}`;
      else if (exe === 1) executable = '"stellar_asset"';
      else throw unknownArm('ContractExecutable', exe, r.p - 4);
      let storage = 'null';
      if (r.present()) {
        depth(level, 6);
        storage = mapEntries(r, level + STORAGE_CHILD);
      }
      return `{"contract_instance":{"executable":${executable},"storage":${storage}}}`;
    }
    case 20:
      depth(level, 3);
      return '"ledger_key_contract_instance"';
    case 21:
      depth(level, 3);
      return `{"ledger_key_nonce":{"nonce":${bigText(r.i64())}}}`;
    default:
      throw unknownArm('ScVal', t, at);
  }
}

/** The entries of a present ScMap, each key and value read at `childLevel`. */
function mapEntries(r: Reader, childLevel: number): string {
  const n = r.count();
  let s = '[';
  for (let i = 0; i < n; i++) {
    const key = scVal(r, childLevel);
    s += `${i === 0 ? '' : ','}{"key":${key},"val":${scVal(r, childLevel)}}`;
  }
  return `${s}]`;
}

/** Strkey of an ScAddress (G, C, M, B or L) at an ScVal of `level`. */
function address(r: Reader, level: number): string {
  const at = r.p;
  const kind = r.u32();
  switch (kind) {
    case 0: {
      depth(level, 6);
      const keyType = r.u32();
      if (keyType !== 0) throw unknownArm('PublicKey', keyType, r.p - 4);
      return encodeAccountId(r.bytes(32));
    }
    case 1:
      depth(level, 5);
      return encodeContractId(r.bytes(32));
    case 2: {
      depth(level, 5);
      const id = r.bytes(8);
      const key = r.bytes(32);
      return StrKey.encodeMed25519PublicKey(Buffer.concat([key, id]));
    }
    case 3: {
      depth(level, 5);
      const idType = r.u32();
      if (idType !== 0) throw unknownArm('ClaimableBalanceID', idType, r.p - 4);
      return StrKey.encodeClaimableBalance(Buffer.concat([Buffer.from([idType]), r.bytes(32)]));
    }
    case 4:
      depth(level, 5);
      return StrKey.encodeLiquidityPool(asBuffer(r.bytes(32)));
    default:
      throw unknownArm('ScAddress', kind, at);
  }
}

/**
 * The JSON text of one ScVal given as XDR (exactly one value: trailing bytes are an error).
 * Throws XdrDecodeError (type "ScVal", or the inner type of an unknown arm) on bytes the
 * stellar-xdr serializer would not print.
 */
export function scValBytesToJsonText(v: Uint8Array): string {
  const r = new Reader(v);
  const text = scVal(r, 1);
  if (r.p !== v.length) throw fail(`${v.length - r.p} bytes after the value`);
  return text;
}
