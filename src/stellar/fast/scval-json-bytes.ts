import { xdr } from '@stellar/stellar-sdk';
import { encodeAccountId, encodeContractId } from '../strkey-cache.js';
import type { JsonValue } from '../scval-json.js';
import { scValToJson, xdrText } from '../scval-json.js';
import { asBuffer, toHex } from '../buffer-view.js';

/**
 * ScVal XDR -> the same JSON as scval-json.ts, read straight from the bytes. Event topics
 * and data are mostly symbols, addresses and integers; building SDK objects for each just
 * to print them cost more than scanning the whole ledger. Rare types (errors, contract
 * instances, nonce keys, non-account/contract addresses) fall back to the SDK decoder.
 */

const pad4 = (n: number): number => (n + 3) & ~3;

class Reader {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array, public p = 0) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u32(): number { const v = this.dv.getUint32(this.p); this.p += 4; return v; }
  i32(): number { const v = this.dv.getInt32(this.p); this.p += 4; return v; }
  u64(): bigint { const v = this.dv.getBigUint64(this.p); this.p += 8; return v; }
  i64(): bigint { const v = this.dv.getBigInt64(this.p); this.p += 8; return v; }
  bytes(n: number): Uint8Array { const s = this.b.subarray(this.p, this.p + n); this.p += pad4(n); return s; }
  var(): Uint8Array { return this.bytes(this.u32()); }
}

class Fallback extends Error {}

function read(r: Reader): JsonValue {
  const t = r.u32();
  switch (t) {
    case 0: return { bool: r.u32() !== 0 };
    case 1: return 'void';
    case 3: return { u32: r.u32() };
    case 4: return { i32: r.i32() };
    case 5: return { u64: r.u64().toString() };
    case 6: return { i64: r.i64().toString() };
    case 7: return { timepoint: r.u64().toString() };
    case 8: return { duration: r.u64().toString() };
    case 9: { const hi = r.u64(); const lo = r.u64(); return { u128: ((hi << 64n) | lo).toString() }; }
    case 10: { const hi = r.i64(); const lo = r.u64(); return { i128: ((hi << 64n) | lo).toString() }; }
    case 11: case 12: {
      const a = t === 12 ? r.i64() : r.u64();
      const b = r.u64(); const c = r.u64(); const d = r.u64();
      const v = ((a << 192n) | (b << 128n) | (c << 64n) | d).toString();
      return t === 12 ? { i256: v } : { u256: v };
    }
    case 13: return { bytes: toHex(r.var()) };
    case 14: return { string: xdrText(r.var()) };
    case 15: return { symbol: xdrText(r.var()) };
    case 16: {
      if (r.u32() === 0) return { vec: null };
      const n = r.u32();
      const items: JsonValue[] = [];
      for (let i = 0; i < n; i++) items.push(read(r));
      return { vec: items };
    }
    case 17: {
      if (r.u32() === 0) return { map: null };
      const n = r.u32();
      const entries: JsonValue[] = [];
      for (let i = 0; i < n; i++) { const key = read(r); entries.push({ key, val: read(r) }); }
      return { map: entries };
    }
    case 18: {
      const at = r.u32();
      if (at === 0) { // account: PublicKey union, ed25519 arm
        if (r.u32() !== 0) throw new Fallback();
        return { address: encodeAccountId(r.bytes(32)) };
      }
      if (at === 1) return { address: encodeContractId(r.bytes(32)) };
      throw new Fallback();
    }
    case 20: return 'ledger_key_contract_instance';
    default: throw new Fallback();
  }
}

export function scValBytesToJson(v: Uint8Array): JsonValue {
  try {
    const r = new Reader(v);
    const out = read(r);
    if (r.p !== v.length) throw new Fallback();
    return out;
  } catch (err) {
    if (!(err instanceof Fallback)) throw err;
    return scValToJson(xdr.ScVal.fromXDR(asBuffer(v)));
  }
}

export const scValBytesToJsonText = (v: Uint8Array): string => JSON.stringify(scValBytesToJson(v));
