/**
 * Allocation-free XDR skipping, compiled from the SDK's own type definitions.
 *
 * `LedgerCloseMeta.fromXDR` builds an object for every field of every transaction, which
 * dominates the cost of reading a ledger. The processors only need a few small parts
 * (contract-data entries, TTLs, contract events), so the fast path walks the bytes and only
 * *skips* everything else. Rather than hand-writing skippers for hundreds of XDR types
 * (and tracking every protocol change), we derive them from the js-xdr type objects the SDK
 * already ships: structs expose `_fields`, unions `_switchOn/_switches/_arms/_defaultArm`,
 * arrays `_childType/_length/_maxLength`, opaques `_length`. A new protocol's types arrive
 * with the SDK upgrade and need no code here.
 */

import { XdrDecodeError, unknownArm } from '../decode-error.js';

export class XdrCursor {
  readonly dv: DataView;
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }
  u32(): number {
    const v = this.dv.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  peekU32(offset = 0): number {
    return this.dv.getUint32(this.pos + offset);
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.buf.length) throw new XdrDecodeError('LedgerCloseMeta', `ends early: byte ${this.pos} of ${this.buf.length}`);
  }
  slice(from: number, to = this.pos): Uint8Array {
    return this.buf.subarray(from, to);
  }
}

export type Skipper = (c: XdrCursor) => void;

/** The parts of js-xdr's runtime type objects we read (internal but stable across versions). */
interface XdrTypeShape {
  name?: string;
  /** The XDR name of a union type (js-xdr names its classes generically). */
  unionName?: string;
  prototype?: unknown;
  _fields?: Array<[string, unknown]>;
  _switchOn?: unknown;
  _switches?: Map<unknown, unknown>;
  _arms?: Record<string, unknown>;
  _defaultArm?: unknown;
  _members?: unknown;
  _childType?: unknown;
  _length?: number;
  _maxLength?: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function kindOf(t: XdrTypeShape): string {
  if (typeof (t as unknown) === 'function') {
    if (t._fields) return 'struct';
    if (t._switches) return 'union';
    if (t._members) return 'enum';
    return t.name ?? '';
  }
  return (t as { constructor: { name: string } }).constructor.name;
}

const fixedCache = new Map<unknown, number | null>();

/** Encoded size when it does not depend on the data, else null. */
function fixedSize(type: unknown): number | null {
  if (fixedCache.has(type)) return fixedCache.get(type)!;
  fixedCache.set(type, null); // recursion guard: a recursive type is never fixed
  const t = type as XdrTypeShape;
  let size: number | null = null;
  switch (kindOf(t)) {
    case 'Int':
    case 'UnsignedInt':
    case 'Bool':
    case 'Float':
    case 'enum':
      size = 4;
      break;
    case 'Hyper':
    case 'UnsignedHyper':
    case 'Double':
      size = 8;
      break;
    case 'Void':
      size = 0;
      break;
    case 'Opaque':
      size = pad4(t._length!);
      break;
    case 'Array': {
      const c = fixedSize(t._childType);
      size = c === null ? null : c * t._length!;
      break;
    }
    case 'struct': {
      let total = 0;
      for (const [, f] of t._fields!) {
        const s = fixedSize(f);
        if (s === null) {
          total = -1;
          break;
        }
        total += s;
      }
      size = total < 0 ? null : total;
      break;
    }
    default:
      size = null;
  }
  fixedCache.set(type, size);
  return size;
}

const cache = new Map<unknown, Skipper>();

/** A function that advances a cursor over one value of `type`. */
export function skipperFor(type: unknown): Skipper {
  const hit = cache.get(type);
  if (hit) return hit;
  const fixed = fixedSize(type);
  if (fixed !== null) {
    const s: Skipper = (c) => c.skip(fixed);
    cache.set(type, s);
    return s;
  }
  // Recursive types (ScVal contains ScVec of ScVal) see this forwarder until compiled.
  let compiled: Skipper | undefined;
  cache.set(type, (c) => compiled!(c));
  compiled = compile(type as XdrTypeShape);
  cache.set(type, compiled);
  return compiled;
}

function compile(t: XdrTypeShape): Skipper {
  const kind = kindOf(t);
  switch (kind) {
    case 'VarOpaque':
    case 'String':
      return (c) => c.skip(pad4(c.u32()));
    case 'Array': {
      const child = skipperFor(t._childType);
      const n = t._length!;
      return (c) => {
        for (let i = 0; i < n; i++) child(c);
      };
    }
    case 'VarArray': {
      const child = skipperFor(t._childType);
      return (c) => {
        const n = c.u32();
        for (let i = 0; i < n; i++) child(c);
      };
    }
    case 'Option': {
      const child = skipperFor(t._childType);
      return (c) => {
        if (c.u32() !== 0) child(c);
      };
    }
    case 'struct': {
      const fields = t._fields!.map(([, f]) => skipperFor(f));
      return (c) => {
        for (const f of fields) f(c);
      };
    }
    case 'union': {
      const arms = new Map<number, Skipper>();
      for (const [sw, arm] of t._switches!) {
        const value = typeof sw === 'number' ? sw : (sw as { value: number }).value;
        arms.set(value, armSkipper(t, arm));
      }
      const dflt = t._defaultArm !== undefined ? armSkipper(t, t._defaultArm) : undefined;
      const name = t.unionName ?? t.name;
      return (c) => {
        const v = c.dv.getInt32(c.pos);
        c.pos += 4;
        const arm = arms.get(v) ?? dflt;
        if (!arm) throw unknownArm(name ?? 'union', v, c.pos - 4);
        arm(c);
      };
    }
    default:
      throw new Error(`xdr-skip: unsupported XDR type kind "${kind}"`);
  }
}

function armSkipper(union: XdrTypeShape, arm: unknown): Skipper {
  if (typeof arm === 'string') return skipperFor(union._arms![arm]);
  return skipperFor(arm); // Void class
}
