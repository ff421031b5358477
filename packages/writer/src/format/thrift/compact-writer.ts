/**
 * A minimal Thrift compact-protocol encoder (write side only), enough for Parquet
 * metadata. Wire format per the Thrift compact protocol spec
 * (apache/thrift doc/specs/thrift-compact-protocol.md).
 *
 * Usage pattern: `structBegin()`, then one `fieldX(id, value)` call per present field
 * in ascending id order (struct-valued fields: `fieldHeader(id, CompactType.STRUCT)`
 * followed by a nested `structBegin()`/`structEnd()`), then `structEnd()` which writes
 * the stop byte. List elements are written with the header-less `writeX` methods after
 * `fieldList(...)`.
 *
 * Every numeric writer validates its range and integrality and throws a RangeError
 * otherwise: an `undefined` required field or an out-of-range value would otherwise
 * silently produce a footer that readers reject (or, worse, misread).
 */
import { ByteWriter } from '../../encoding/byte-writer.js';

/**
 * Compact-protocol type ids (spec, "Struct encoding" / "List and Set"). Field
 * headers carry these in their low nibble; list headers carry them as element types.
 */
export const CompactType = {
  STOP: 0,
  BOOLEAN_TRUE: 1,
  BOOLEAN_FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
  UUID: 13,
} as const;
export type CompactType = (typeof CompactType)[keyof typeof CompactType];

/**
 * Element type for `list<bool>`. The spec lists BOOL as 2 for element types; every
 * reader we care about (Java/C++/Rust/Node thrift, hyparquet) maps both 1 and 2 to bool.
 */
export const LIST_BOOL_ELEMENT = CompactType.BOOLEAN_FALSE;

const I8_MIN = -128;
const I8_MAX = 127;
const I16_MIN = -32768;
const I16_MAX = 32767;
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
/** Below this magnitude the zigzag value (about 2|n|) still fits a safe integer. */
const ZIGZAG_NUMBER_LIMIT = 2 ** 52;

const utf8 = new TextEncoder();

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`thrift ${what}: ${String(value)} is not an integer in [${min}, ${max}]`);
  }
}

export class CompactWriter {
  readonly out: ByteWriter;
  /** Id of the last field written in the current struct (0 at struct start). */
  private lastFieldId = 0;
  /**
   * Saved `lastFieldId` of each enclosing struct: field-id deltas are relative to the
   * previous field of the same struct, so a nested struct starts again from 0 and the
   * parent's position is restored when it ends.
   */
  private readonly fieldIdStack: number[] = [];

  constructor(out: ByteWriter = new ByteWriter(256)) {
    this.out = out;
  }

  // ---- structs -------------------------------------------------------------------

  structBegin(): void {
    this.fieldIdStack.push(this.lastFieldId);
    this.lastFieldId = 0;
  }

  /** Writes the stop field (a single 0 byte) and returns to the enclosing struct. */
  structEnd(): void {
    const saved = this.fieldIdStack.pop();
    if (saved === undefined) throw new Error('thrift: structEnd without matching structBegin');
    this.out.writeU8(CompactType.STOP);
    this.lastFieldId = saved;
  }

  /** Nesting depth of open structs; 0 once every struct has been closed. */
  get depth(): number {
    return this.fieldIdStack.length;
  }

  /**
   * Field header. Short form `ddddtttt` when the id delta is 1..15, otherwise the long
   * form: a `0000tttt` byte followed by the field id as a zigzag varint i16 (spec,
   * "Struct encoding"). The long form also covers ids that go backwards.
   */
  fieldHeader(id: number, type: CompactType): void {
    checkInt(id, I16_MIN, I16_MAX, 'field id');
    if (this.fieldIdStack.length === 0) throw new Error('thrift: field written outside a struct');
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.out.writeU8((delta << 4) | type);
    } else {
      this.out.writeU8(type);
      this.writeI16(id);
    }
    this.lastFieldId = id;
  }

  // ---- fields (header + value) ---------------------------------------------------

  /** Bool fields have no value bytes: the value is the header's type nibble (1 true, 2 false). */
  fieldBool(id: number, value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`thrift bool field ${id}: got ${typeof value}`);
    this.fieldHeader(id, value ? CompactType.BOOLEAN_TRUE : CompactType.BOOLEAN_FALSE);
  }

  fieldI8(id: number, value: number): void {
    this.fieldHeader(id, CompactType.I8);
    this.writeI8(value);
  }

  fieldI16(id: number, value: number): void {
    this.fieldHeader(id, CompactType.I16);
    this.writeI16(value);
  }

  /** i32 field; Thrift enums are also encoded this way (spec, "Enum encoding"). */
  fieldI32(id: number, value: number): void {
    this.fieldHeader(id, CompactType.I32);
    this.writeI32(value);
  }

  fieldI64(id: number, value: number | bigint): void {
    this.fieldHeader(id, CompactType.I64);
    this.writeI64(value);
  }

  fieldDouble(id: number, value: number): void {
    this.fieldHeader(id, CompactType.DOUBLE);
    this.writeDouble(value);
  }

  fieldBinary(id: number, value: Uint8Array): void {
    this.fieldHeader(id, CompactType.BINARY);
    this.writeBinary(value);
  }

  fieldString(id: number, value: string): void {
    this.fieldHeader(id, CompactType.BINARY);
    this.writeString(value);
  }

  /** Field header for a struct or union value; the caller then writes the nested struct. */
  fieldStruct(id: number): void {
    this.fieldHeader(id, CompactType.STRUCT);
  }

  /** Field header plus list header; the caller then writes `size` elements. */
  fieldList(id: number, elementType: CompactType, size: number): void {
    this.fieldHeader(id, CompactType.LIST);
    this.listBegin(elementType, size);
  }

  // ---- values without a field header (list elements) ----------------------------

  /**
   * List header: `sssstttt` when size < 15, else `1111tttt` plus a varint size
   * (spec, "List and Set").
   */
  listBegin(elementType: CompactType, size: number): void {
    checkInt(size, 0, I32_MAX, 'list size');
    if (size < 15) {
      this.out.writeU8((size << 4) | elementType);
    } else {
      this.out.writeU8(0xf0 | elementType);
      this.out.writeVarint(size);
    }
  }

  /**
   * A bool list element is one byte. The spec says true=1/false=0; the Java and C++
   * reference implementations write 1/2 and every reader tests `== 1`, so 1/2 is
   * accepted everywhere and matches what parquet-mr and Arrow emit.
   */
  writeBool(value: boolean): void {
    this.out.writeU8(value ? CompactType.BOOLEAN_TRUE : CompactType.BOOLEAN_FALSE);
  }

  /** i8 is a single raw byte, not a varint (spec, "Integer encoding"). */
  writeI8(value: number): void {
    checkInt(value, I8_MIN, I8_MAX, 'i8');
    this.out.writeU8(value & 0xff);
  }

  /** i16 is widened to i32 and zigzag-varint encoded (spec, "Integer encoding"). */
  writeI16(value: number): void {
    checkInt(value, I16_MIN, I16_MAX, 'i16');
    this.out.writeVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeI32(value: number): void {
    checkInt(value, I32_MIN, I32_MAX, 'i32');
    this.out.writeVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /**
   * i64 as zigzag varint. Numbers must be safe integers (anything larger has already
   * lost precision); bigints cover the full signed 64-bit range.
   */
  writeI64(value: number | bigint): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) {
        throw new RangeError(`thrift i64: ${String(value)} is not a safe integer; pass a bigint`);
      }
      if (value > -ZIGZAG_NUMBER_LIMIT && value < ZIGZAG_NUMBER_LIMIT) {
        // zigzag(n) = 2n for n >= 0, -2n-1 for n < 0; stays below 2^53 here.
        this.out.writeVarint(value >= 0 ? value * 2 : -value * 2 - 1);
        return;
      }
      value = BigInt(value);
    }
    if (typeof value !== 'bigint' || value < I64_MIN || value > I64_MAX) {
      throw new RangeError(`thrift i64: ${String(value)} is outside the signed 64-bit range`);
    }
    this.out.writeVarBigint(BigInt.asUintN(64, (value << 1n) ^ (value >> 63n)));
  }

  /** 8 bytes little-endian IEEE 754 (spec, "Double encoding": LE unlike the binary protocol). */
  writeDouble(value: number): void {
    if (typeof value !== 'number') throw new TypeError(`thrift double: got ${typeof value}`);
    this.out.writeF64(value);
  }

  /** Varint byte length followed by the bytes (spec, "Binary encoding"). */
  writeBinary(value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw new TypeError('thrift binary: expected a Uint8Array');
    this.out.writeVarint(value.length);
    this.out.writeBytes(value);
  }

  /** Strings are UTF-8 encoded and sent as binary, without a NUL (spec, "String encoding"). */
  writeString(value: string): void {
    if (typeof value !== 'string') throw new TypeError(`thrift string: got ${typeof value}`);
    this.writeBinary(utf8.encode(value));
  }
}
