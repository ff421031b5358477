/**
 * Reading a Parquet file's footer back (the file ends with FileMetaData, its 4-byte
 * little-endian length and "PAR1"): the row counts, the key-value metadata and where the
 * column chunks are, which is enough to tell whether the file is whole. Only the fields
 * needed for that are decoded (field ids from parquet.thrift).
 */
import { CT, CompactReader, ThriftDecodeError } from './thrift/compact-reader.js';

const MAGIC = 'PAR1';

interface ChunkExtent {
  /** First byte of the chunk (its dictionary page, else its first data page). */
  start: number;
  length: number;
}

export interface FooterSummary {
  numRows: number;
  keyValue: Map<string, string>;
  createdBy: string | undefined;
  rowGroups: { numRows: number; chunks: ChunkExtent[] }[];
}

export class FooterError extends Error {
  constructor(
    readonly kind: 'truncated' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'FooterError';
  }
}

function isMagic(b: Uint8Array): boolean {
  return b.length === 4 && String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === MAGIC;
}

/**
 * The footer's length, from the last 8 bytes of a file of `size` bytes. `head` (the file's
 * first 4 bytes) tells a cut-off Parquet file (truncated) from something else (unreadable).
 */
export function footerLength(last8: Uint8Array, size: number, head: Uint8Array | undefined): number {
  const parquetStart = head !== undefined && isMagic(head);
  if (size < 12 || last8.length < 8 || !isMagic(last8.subarray(4, 8))) {
    throw new FooterError(
      parquetStart ? 'truncated' : 'unreadable',
      parquetStart ? `starts as Parquet but does not end with ${MAGIC} (${size} bytes): cut off` : `not a Parquet file (no ${MAGIC} at the end, ${size} bytes)`,
    );
  }
  const n = new DataView(last8.buffer, last8.byteOffset, 8).getUint32(0, true);
  if (n + 12 > size) throw new FooterError('truncated', `the footer says it is ${n} bytes, more than the ${size}-byte file holds`);
  return n;
}

function columnChunk(r: CompactReader): ChunkExtent {
  let start: number | undefined;
  let dictionary: number | undefined;
  let length = 0;
  r.struct((id, type) => {
    if (id !== 3 || type !== CT.STRUCT) return false;
    r.struct((mid) => {
      if (mid === 7) length = r.int();
      else if (mid === 9) start = r.int();
      else if (mid === 11) dictionary = r.int();
      else return false;
      return true;
    });
    return true;
  });
  const first = dictionary ?? start;
  if (first === undefined) throw new ThriftDecodeError('a column chunk has no data page offset');
  return { start: first, length };
}

/** Decodes the fields of FileMetaData this module reports. */
export function parseFooter(footer: Uint8Array): FooterSummary {
  const r = new CompactReader(footer);
  const out: FooterSummary = { numRows: -1, keyValue: new Map(), createdBy: undefined, rowGroups: [] };
  try {
    r.struct((id, type) => {
      if (id === 3 && type === CT.I64) out.numRows = r.int();
      else if (id === 4 && type === CT.LIST) {
        out.rowGroups = r.list(() => {
          const g = { numRows: -1, chunks: [] as ChunkExtent[] };
          r.struct((gid, gtype) => {
            if (gid === 1 && gtype === CT.LIST) g.chunks = r.list(() => columnChunk(r));
            else if (gid === 3) g.numRows = r.int();
            else return false;
            return true;
          });
          return g;
        });
      } else if (id === 5 && type === CT.LIST) {
        r.list(() => {
          let key: string | undefined;
          let value = '';
          r.struct((kid) => {
            if (kid === 1) key = r.string();
            else if (kid === 2) value = r.string();
            else return false;
            return true;
          });
          if (key !== undefined) out.keyValue.set(key, value);
        });
      } else if (id === 6 && type === CT.BINARY) out.createdBy = r.string();
      else return false;
      return true;
    });
  } catch (err) {
    if (err instanceof ThriftDecodeError) throw new FooterError('unreadable', `the footer cannot be decoded: ${err.message}`);
    throw err;
  }
  if (out.numRows < 0) throw new FooterError('unreadable', 'the footer has no row count');
  return out;
}

/** Checks that the row groups add up and every column chunk lies between the header and the footer. */
export function checkExtents(f: FooterSummary, size: number, footerLen: number): void {
  const end = size - footerLen - 8;
  let rows = 0;
  for (const [gi, g] of f.rowGroups.entries()) {
    rows += g.numRows;
    for (const c of g.chunks) {
      if (c.start < 4 || c.start + c.length > end) {
        throw new FooterError('truncated', `row group ${gi} has a column chunk at bytes ${c.start}-${c.start + c.length}, outside the file's data (4-${end})`);
      }
    }
  }
  if (rows !== f.numRows) throw new FooterError('unreadable', `the row groups hold ${rows} rows, the footer says ${f.numRows}`);
}
