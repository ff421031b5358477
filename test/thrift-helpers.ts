/**
 * Test-only generic Thrift compact-protocol decoder built on the `thrift` npm package,
 * so our hand-written encoder is checked against an independent reader. It keeps each
 * field's wire type (Thrift TType ids: BOOL 2, BYTE 3, DOUBLE 4, I16 6, I32 8, I64 10,
 * STRING 11, STRUCT 12, LIST 15), which is what Parquet readers dispatch on.
 */
import assert from 'node:assert/strict';
// @ts-ignore -- thrift ships no type declarations; the subset we use is typed below.
import thrift from 'thrift';

/** Thrift TType ids as reported by the `thrift` package's readFieldBegin/readListBegin. */
export const T = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
} as const;

export type Value = boolean | number | bigint | Uint8Array | DecodedStruct | DecodedList;
export interface Field {
  type: number;
  value: Value;
}
export type DecodedStruct = { [fieldId: number]: Field };
export interface DecodedList {
  etype: number;
  elements: Value[];
}

interface Int64Like {
  buffer: Buffer;
  offset?: number;
}
interface Protocol {
  readStructBegin(): void;
  readStructEnd(): void;
  readFieldBegin(): { ftype: number; fid: number };
  readFieldEnd(): void;
  readListBegin(): { etype: number; size: number };
  readListEnd(): void;
  readBool(): boolean;
  readByte(): number;
  readI16(): number;
  readI32(): number;
  readI64(): Int64Like;
  readDouble(): number;
  readBinary(): Buffer;
}
interface Transport {
  readPos: number;
}
interface ThriftModule {
  TFramedTransport: new (buf: Buffer) => Transport;
  TCompactProtocol: new (trans: Transport) => Protocol;
  toBigInt(i64: Int64Like): bigint;
}
const lib = thrift as unknown as ThriftModule;

function readValue(p: Protocol, type: number): Value {
  switch (type) {
    case T.BOOL:
      return p.readBool();
    case T.BYTE:
      return p.readByte();
    case T.I16:
      return p.readI16();
    case T.I32:
      return p.readI32();
    case T.I64:
      return lib.toBigInt(p.readI64());
    case T.DOUBLE:
      return p.readDouble();
    case T.STRING:
      // Copy into a plain Uint8Array so deepStrictEqual compares against our expectations.
      return new Uint8Array(p.readBinary());
    case T.STRUCT:
      return readStruct(p);
    case T.LIST: {
      const { etype, size } = p.readListBegin();
      const elements: Value[] = [];
      for (let i = 0; i < size; i++) elements.push(etype === T.BOOL ? readListBool(p) : readValue(p, etype));
      p.readListEnd();
      return { etype, elements };
    }
    default:
      throw new Error(`test decoder: unsupported thrift type ${type}`);
  }
}

/**
 * `list<bool>` elements are one byte each. thrift@0.24's `readBool` outside a field
 * header compares `byte.value` (undefined) and so always returns false; read the byte
 * ourselves. Accept only what the reference implementations write (1 true, 2 false).
 */
function readListBool(p: Protocol): boolean {
  const b = p.readByte();
  if (b === 1) return true;
  if (b === 2) return false;
  throw new Error(`test decoder: bool list element byte ${b}`);
}

function readStruct(p: Protocol): DecodedStruct {
  const out: DecodedStruct = {};
  p.readStructBegin();
  for (;;) {
    const { ftype, fid } = p.readFieldBegin();
    if (ftype === T.STOP) break;
    assert.ok(!(fid in out), `field ${fid} appears twice`);
    out[fid] = { type: ftype, value: readValue(p, ftype) };
    p.readFieldEnd();
  }
  p.readStructEnd();
  return out;
}

/** Decodes one struct and asserts that it spans exactly all of `bytes`. */
export function decodeStruct(bytes: Uint8Array): DecodedStruct {
  const trans = new lib.TFramedTransport(Buffer.from(bytes));
  const proto = new lib.TCompactProtocol(trans);
  const result = readStruct(proto);
  assert.equal(trans.readPos, bytes.length, 'decoder did not consume exactly the encoded bytes');
  return result;
}

/**
 * Decodes the one struct that starts at bytes[offset] (a page header, a page index struct)
 * and reports how many bytes it spans.
 */
export function decodeStructAt(bytes: Uint8Array, offset: number): { value: DecodedStruct; length: number } {
  const trans = new lib.TFramedTransport(Buffer.from(bytes.buffer, bytes.byteOffset + offset, bytes.length - offset));
  const value = readStruct(new lib.TCompactProtocol(trans));
  return { value, length: trans.readPos };
}

/** Asserts that fields arrive in strictly ascending id order (Parquet writers' convention). */
export function fieldIdsInOrder(bytes: Uint8Array): number[] {
  const trans = new lib.TFramedTransport(Buffer.from(bytes));
  const proto = new lib.TCompactProtocol(trans);
  const ids: number[] = [];
  proto.readStructBegin();
  for (;;) {
    const { ftype, fid } = proto.readFieldBegin();
    if (ftype === T.STOP) break;
    ids.push(fid);
    readValue(proto, ftype);
  }
  return ids;
}

// ---- expectation builders --------------------------------------------------------------

const utf8 = new TextEncoder();
export const bool = (value: boolean): Field => ({ type: T.BOOL, value });
export const i8 = (value: number): Field => ({ type: T.BYTE, value });
export const i16 = (value: number): Field => ({ type: T.I16, value });
export const i32 = (value: number): Field => ({ type: T.I32, value });
export const i64 = (value: number | bigint): Field => ({ type: T.I64, value: BigInt(value) });
export const dbl = (value: number): Field => ({ type: T.DOUBLE, value });
export const bin = (value: Uint8Array): Field => ({ type: T.STRING, value });
export const str = (value: string): Field => ({ type: T.STRING, value: utf8.encode(value) });
export const struct = (value: DecodedStruct): Field => ({ type: T.STRUCT, value });
export const list = (etype: number, elements: Value[]): Field => ({ type: T.LIST, value: { etype, elements } });
/** An empty struct (e.g. `StringType {}`) as a field value. */
export const empty = (): Field => struct({});
/** A union value: a struct with exactly one field. */
export const union = (id: number, value: DecodedStruct): Field => struct({ [id]: struct(value) });
export const bytes = (s: string): Uint8Array => utf8.encode(s);
