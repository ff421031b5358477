/**
 * A Thrift compact-protocol reader, just enough to read a Parquet footer back: structs are
 * walked field by field, and every field the caller does not ask for is skipped by its wire
 * type (Thrift's compact protocol spec: field header = id delta << 4 | type; varints with
 * zigzag for signed integers; lists carry their size and element type up front).
 */

/** Compact-protocol wire types. */
export const CT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export class ThriftDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThriftDecodeError';
  }
}

const MAX_DEPTH = 64;

export class CompactReader {
  pos = 0;
  private depth = 0;

  constructor(private readonly bytes: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new ThriftDecodeError(`unexpected end of data at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** An unsigned varint, as a number (exact up to 2^53). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ThriftDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A zigzag-encoded signed integer (i16, i32, i64 within 2^53). */
  int(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  binary(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.bytes.length) throw new ThriftDecodeError(`a ${n}-byte string runs past the end of the data at byte ${this.pos}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.binary());
  }

  /** Reads a list header: element type and count. */
  listHeader(): { type: number; size: number } {
    const h = this.byte();
    const size = h >> 4 === 15 ? this.varint() : h >> 4;
    return { type: h & 0x0f, size };
  }

  /**
   * Walks a struct: calls `field(id, type)` for each field, which reads the value it wants
   * and returns true, or returns false to have it skipped.
   */
  struct(field: (id: number, type: number) => boolean): void {
    if (++this.depth > MAX_DEPTH) throw new ThriftDecodeError('structs nested too deep');
    let last = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 0x0f;
      if (type === CT.STOP) break;
      const delta = h >> 4;
      const id = delta === 0 ? this.int() : last + delta;
      last = id;
      if (!field(id, type)) this.skip(type);
    }
    this.depth--;
  }

  /** Reads a list of structs (or any element type through `element`). */
  list<T>(element: (type: number) => T): T[] {
    const { type, size } = this.listHeader();
    if (size > this.bytes.length - this.pos + 1) throw new ThriftDecodeError(`a list of ${size} elements cannot fit in the data`);
    const out: T[] = [];
    for (let i = 0; i < size; i++) out.push(element(type));
    return out;
  }

  skip(type: number): void {
    switch (type) {
      case CT.TRUE:
      case CT.FALSE:
        return; // the value is in the field header
      case CT.BYTE:
        this.byte();
        return;
      case CT.I16:
      case CT.I32:
      case CT.I64:
        this.varint();
        return;
      case CT.DOUBLE:
        this.pos += 8;
        if (this.pos > this.bytes.length) throw new ThriftDecodeError('a double runs past the end of the data');
        return;
      case CT.BINARY:
        this.binary();
        return;
      case CT.LIST:
      case CT.SET: {
        const { type: et, size } = this.listHeader();
        // Booleans inside lists take one byte each.
        for (let i = 0; i < size; i++) et === CT.TRUE || et === CT.FALSE ? this.byte() : this.skip(et);
        return;
      }
      case CT.MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 0x0f);
        }
        return;
      }
      case CT.STRUCT:
        this.struct(() => false);
        return;
      default:
        throw new ThriftDecodeError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }
}
