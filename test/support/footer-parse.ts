/**
 * Typed views of a Parquet file's metadata, decoded without any of the writer's code: the
 * `thrift` package's compact protocol (thrift-helpers.ts) gives field-id structs, and this
 * file names the fields after apache/parquet-format src/main/thrift/parquet.thrift. Used by
 * the conformance check (conformance.ts). Absent optional fields stay undefined.
 */
import { decodeStruct, decodeStructAt, type DecodedList, type DecodedStruct, type Value } from '../thrift-helpers.js';

/** parquet.thrift `enum Type`. */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;
/** parquet.thrift `enum ConvertedType`. */
export const Converted = {
  UTF8: 0,
  MAP: 1,
  MAP_KEY_VALUE: 2,
  LIST: 3,
  ENUM: 4,
  DECIMAL: 5,
  DATE: 6,
  TIME_MILLIS: 7,
  TIME_MICROS: 8,
  TIMESTAMP_MILLIS: 9,
  TIMESTAMP_MICROS: 10,
  UINT_8: 11,
  UINT_16: 12,
  UINT_32: 13,
  UINT_64: 14,
  INT_8: 15,
  INT_16: 16,
  INT_32: 17,
  INT_64: 18,
  JSON: 19,
  BSON: 20,
  INTERVAL: 21,
} as const;
/** parquet.thrift `enum FieldRepetitionType`. */
export const Repetition = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
/** parquet.thrift `enum PageType`. */
export const PageKind = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;
/** parquet.thrift `enum BoundaryOrder`. */
export const Boundary = { UNORDERED: 0, ASCENDING: 1, DESCENDING: 2 } as const;

/** The member names of parquet.thrift `union LogicalType`, by field id. */
const LOGICAL_NAMES: Record<number, string> = {
  1: 'STRING',
  2: 'MAP',
  3: 'LIST',
  4: 'ENUM',
  5: 'DECIMAL',
  6: 'DATE',
  7: 'TIME',
  8: 'TIMESTAMP',
  10: 'INTEGER',
  11: 'UNKNOWN',
  12: 'JSON',
  13: 'BSON',
  14: 'UUID',
  15: 'FLOAT16',
  16: 'VARIANT',
  17: 'GEOMETRY',
  18: 'GEOGRAPHY',
  19: 'FILE',
};
const UNIT_NAMES: Record<number, 'MILLIS' | 'MICROS' | 'NANOS'> = { 1: 'MILLIS', 2: 'MICROS', 3: 'NANOS' };
const COLUMN_ORDER_NAMES: Record<number, string> = { 1: 'TYPE_ORDER', 2: 'IEEE_754_TOTAL_ORDER', 3: 'INT96_TIMESTAMP_ORDER' };

export interface LogicalAnnotation {
  /** Member name, or `unknown(<id>)`. */
  name: string;
  /** DECIMAL */
  scale?: number;
  precision?: number;
  /** TIME, TIMESTAMP */
  isAdjustedToUTC?: boolean;
  unit?: 'MILLIS' | 'MICROS' | 'NANOS';
  /** INTEGER */
  bitWidth?: number;
  isSigned?: boolean;
}

export interface SchemaEl {
  type?: number;
  typeLength?: number;
  repetition?: number;
  name: string;
  numChildren?: number;
  convertedType?: number;
  scale?: number;
  precision?: number;
  logical?: LogicalAnnotation;
}

export interface Stats {
  max?: Uint8Array;
  min?: Uint8Array;
  nullCount?: bigint;
  distinctCount?: bigint;
  maxValue?: Uint8Array;
  minValue?: Uint8Array;
  isMaxValueExact?: boolean;
  isMinValueExact?: boolean;
  nanCount?: bigint;
}

export interface SizeStats {
  unencodedByteArrayDataBytes?: bigint;
  repetitionLevelHistogram?: bigint[];
  definitionLevelHistogram?: bigint[];
}

export interface ColumnMeta {
  type: number;
  encodings: number[];
  path: string[];
  codec: number;
  numValues: bigint;
  totalUncompressedSize: bigint;
  totalCompressedSize: bigint;
  dataPageOffset: bigint;
  indexPageOffset?: bigint;
  dictionaryPageOffset?: bigint;
  statistics?: Stats;
  bloomFilterOffset?: bigint;
  bloomFilterLength?: number;
  sizeStatistics?: SizeStats;
}

export interface Chunk {
  filePath?: string;
  meta?: ColumnMeta;
  offsetIndexOffset?: bigint;
  offsetIndexLength?: number;
  columnIndexOffset?: bigint;
  columnIndexLength?: number;
}

export interface RowGroupMeta {
  columns: Chunk[];
  totalByteSize: bigint;
  numRows: bigint;
  fileOffset?: bigint;
  totalCompressedSize?: bigint;
  ordinal?: number;
}

export interface FooterMeta {
  version: number;
  schema: SchemaEl[];
  numRows: bigint;
  rowGroups: RowGroupMeta[];
  createdBy?: string;
  /** Member names of each ColumnOrder, or undefined when the field is absent. */
  columnOrders?: string[];
}

export interface PageHeaderMeta {
  type: number;
  uncompressedPageSize: number;
  compressedPageSize: number;
  crc?: number;
  /** DataPageHeader (v1) */
  v1?: { numValues: number; encoding: number; defEncoding: number; repEncoding: number; statistics?: Stats };
  dictionary?: { numValues: number; encoding: number; isSorted?: boolean };
  v2?: {
    numValues: number;
    numNulls: number;
    numRows: number;
    encoding: number;
    defLength: number;
    repLength: number;
    isCompressed?: boolean;
    statistics?: Stats;
  };
}

export interface ColumnIndexMeta {
  nullPages: boolean[];
  minValues: Uint8Array[];
  maxValues: Uint8Array[];
  boundaryOrder: number;
  nullCounts?: bigint[];
  repetitionLevelHistograms?: bigint[];
  definitionLevelHistograms?: bigint[];
  nanCounts?: bigint[];
}

export interface OffsetIndexMeta {
  pageLocations: { offset: bigint; compressedPageSize: number; firstRowIndex: bigint }[];
  unencodedByteArrayDataBytes?: bigint[];
}

// ---- field accessors --------------------------------------------------------------------

const text = new TextDecoder('utf-8', { ignoreBOM: true });
const get = (s: DecodedStruct, id: number): Value | undefined => s[id]?.value;
const int = (s: DecodedStruct, id: number): number | undefined => {
  const v = get(s, id);
  return v === undefined ? undefined : Number(v as number | bigint);
};
const big = (s: DecodedStruct, id: number): bigint | undefined => {
  const v = get(s, id);
  return v === undefined ? undefined : BigInt(v as number | bigint);
};
const bool = (s: DecodedStruct, id: number): boolean | undefined => get(s, id) as boolean | undefined;
const bin = (s: DecodedStruct, id: number): Uint8Array | undefined => get(s, id) as Uint8Array | undefined;
const str = (s: DecodedStruct, id: number): string | undefined => {
  const b = bin(s, id);
  return b === undefined ? undefined : text.decode(b);
};
const struct = (s: DecodedStruct, id: number): DecodedStruct | undefined => get(s, id) as DecodedStruct | undefined;
const list = (s: DecodedStruct, id: number): Value[] | undefined => (get(s, id) as DecodedList | undefined)?.elements;
const bigList = (s: DecodedStruct, id: number): bigint[] | undefined => list(s, id)?.map((v) => BigInt(v as number | bigint));

/** The one member of a union struct: its field id and value. */
function unionMember(s: DecodedStruct): [number, DecodedStruct] {
  const ids = Object.keys(s).map(Number);
  if (ids.length !== 1) throw new Error(`a union holds ${ids.length} members (${ids.join(', ')})`);
  return [ids[0]!, s[ids[0]!]!.value as DecodedStruct];
}

function logicalOf(s: DecodedStruct): LogicalAnnotation {
  const [id, v] = unionMember(s);
  const out: LogicalAnnotation = { name: LOGICAL_NAMES[id] ?? `unknown(${id})` };
  if (id === 5) {
    out.scale = int(v, 1);
    out.precision = int(v, 2);
  } else if (id === 7 || id === 8) {
    out.isAdjustedToUTC = bool(v, 1);
    const unit = struct(v, 2);
    if (unit) out.unit = UNIT_NAMES[unionMember(unit)[0]];
  } else if (id === 10) {
    out.bitWidth = int(v, 1);
    out.isSigned = bool(v, 2);
  }
  return out;
}

function schemaElOf(s: DecodedStruct): SchemaEl {
  const logical = struct(s, 10);
  return {
    type: int(s, 1),
    typeLength: int(s, 2),
    repetition: int(s, 3),
    name: str(s, 4) ?? '',
    numChildren: int(s, 5),
    convertedType: int(s, 6),
    scale: int(s, 7),
    precision: int(s, 8),
    logical: logical ? logicalOf(logical) : undefined,
  };
}

export function statsOf(s: DecodedStruct | undefined): Stats | undefined {
  if (!s) return undefined;
  return {
    max: bin(s, 1),
    min: bin(s, 2),
    nullCount: big(s, 3),
    distinctCount: big(s, 4),
    maxValue: bin(s, 5),
    minValue: bin(s, 6),
    isMaxValueExact: bool(s, 7),
    isMinValueExact: bool(s, 8),
    nanCount: big(s, 9),
  };
}

function columnMetaOf(s: DecodedStruct): ColumnMeta {
  const size = struct(s, 16);
  return {
    type: int(s, 1)!,
    encodings: (list(s, 2) ?? []).map(Number),
    path: (list(s, 3) ?? []).map((b) => text.decode(b as Uint8Array)),
    codec: int(s, 4)!,
    numValues: big(s, 5)!,
    totalUncompressedSize: big(s, 6)!,
    totalCompressedSize: big(s, 7)!,
    dataPageOffset: big(s, 9)!,
    indexPageOffset: big(s, 10),
    dictionaryPageOffset: big(s, 11),
    statistics: statsOf(struct(s, 12)),
    bloomFilterOffset: big(s, 14),
    bloomFilterLength: int(s, 15),
    sizeStatistics: size
      ? { unencodedByteArrayDataBytes: big(size, 1), repetitionLevelHistogram: bigList(size, 2), definitionLevelHistogram: bigList(size, 3) }
      : undefined,
  };
}

function chunkOf(s: DecodedStruct): Chunk {
  const meta = struct(s, 3);
  return {
    filePath: str(s, 1),
    meta: meta ? columnMetaOf(meta) : undefined,
    offsetIndexOffset: big(s, 4),
    offsetIndexLength: int(s, 5),
    columnIndexOffset: big(s, 6),
    columnIndexLength: int(s, 7),
  };
}

function rowGroupOf(s: DecodedStruct): RowGroupMeta {
  return {
    columns: (list(s, 1) ?? []).map((c) => chunkOf(c as DecodedStruct)),
    totalByteSize: big(s, 2)!,
    numRows: big(s, 3)!,
    fileOffset: big(s, 5),
    totalCompressedSize: big(s, 6),
    ordinal: int(s, 7),
  };
}

/** Where the footer sits and what it says (FileMetaData, then its 4-byte length and "PAR1"). */
export function parseFooter(bytes: Uint8Array): { meta: FooterMeta; start: number } {
  const len = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  const start = bytes.length - 8 - len;
  const s = decodeStruct(bytes.subarray(start, bytes.length - 8));
  const orders = list(s, 7);
  return {
    start,
    meta: {
      version: int(s, 1)!,
      schema: (list(s, 2) ?? []).map((e) => schemaElOf(e as DecodedStruct)),
      numRows: big(s, 3)!,
      rowGroups: (list(s, 4) ?? []).map((g) => rowGroupOf(g as DecodedStruct)),
      createdBy: str(s, 6),
      columnOrders: orders?.map((o) => {
        const [id] = unionMember(o as DecodedStruct);
        return COLUMN_ORDER_NAMES[id] ?? `unknown(${id})`;
      }),
    },
  };
}

/** The page header at bytes[offset] and its length in bytes. */
export function parsePageHeader(bytes: Uint8Array, offset: number): { header: PageHeaderMeta; length: number } {
  const { value: s, length } = decodeStructAt(bytes, offset);
  const v1 = struct(s, 5);
  const dict = struct(s, 7);
  const v2 = struct(s, 8);
  return {
    length,
    header: {
      type: int(s, 1)!,
      uncompressedPageSize: int(s, 2)!,
      compressedPageSize: int(s, 3)!,
      crc: int(s, 4),
      v1: v1
        ? { numValues: int(v1, 1)!, encoding: int(v1, 2)!, defEncoding: int(v1, 3)!, repEncoding: int(v1, 4)!, statistics: statsOf(struct(v1, 5)) }
        : undefined,
      dictionary: dict ? { numValues: int(dict, 1)!, encoding: int(dict, 2)!, isSorted: bool(dict, 3) } : undefined,
      v2: v2
        ? {
            numValues: int(v2, 1)!,
            numNulls: int(v2, 2)!,
            numRows: int(v2, 3)!,
            encoding: int(v2, 4)!,
            defLength: int(v2, 5)!,
            repLength: int(v2, 6)!,
            isCompressed: bool(v2, 7),
            statistics: statsOf(struct(v2, 8)),
          }
        : undefined,
    },
  };
}

export function parseColumnIndex(bytes: Uint8Array, offset: number): { index: ColumnIndexMeta; length: number } {
  const { value: s, length } = decodeStructAt(bytes, offset);
  return {
    length,
    index: {
      nullPages: (list(s, 1) ?? []) as boolean[],
      minValues: (list(s, 2) ?? []) as Uint8Array[],
      maxValues: (list(s, 3) ?? []) as Uint8Array[],
      boundaryOrder: int(s, 4)!,
      nullCounts: bigList(s, 5),
      repetitionLevelHistograms: bigList(s, 6),
      definitionLevelHistograms: bigList(s, 7),
      nanCounts: bigList(s, 8),
    },
  };
}

export function parseOffsetIndex(bytes: Uint8Array, offset: number): { index: OffsetIndexMeta; length: number } {
  const { value: s, length } = decodeStructAt(bytes, offset);
  return {
    length,
    index: {
      pageLocations: (list(s, 1) ?? []).map((l) => {
        const p = l as DecodedStruct;
        return { offset: big(p, 1)!, compressedPageSize: int(p, 2)!, firstRowIndex: big(p, 3)! };
      }),
      unencodedByteArrayDataBytes: bigList(s, 2),
    },
  };
}

/** One leaf column of the schema with its levels (LogicalTypes.md / the Dremel encoding). */
export interface LeafInfo {
  element: SchemaEl;
  /** path_in_schema */
  path: string[];
  maxDef: number;
  maxRep: number;
  /** The group elements from the root's child down to the leaf's parent. */
  ancestors: SchemaEl[];
}

/** Leaves in schema order (depth-first), which is also the order of column chunks and column_orders. */
export function schemaLeaves(schema: readonly SchemaEl[]): LeafInfo[] {
  const out: LeafInfo[] = [];
  let i = 1;
  const walk = (path: string[], def: number, rep: number, ancestors: SchemaEl[]): void => {
    const el = schema[i++];
    if (!el) throw new Error('schema ends inside a group');
    const d = def + (el.repetition === Repetition.OPTIONAL || el.repetition === Repetition.REPEATED ? 1 : 0);
    const r = rep + (el.repetition === Repetition.REPEATED ? 1 : 0);
    const p = [...path, el.name];
    if (el.numChildren === undefined) {
      out.push({ element: el, path: p, maxDef: d, maxRep: r, ancestors });
      return;
    }
    for (let k = 0; k < el.numChildren; k++) walk(p, d, r, [...ancestors, el]);
  };
  const root = schema[0];
  for (let k = 0; k < (root?.numChildren ?? 0); k++) walk([], 0, 0, []);
  if (i !== schema.length) throw new Error(`schema has ${schema.length - i} elements past its tree`);
  return out;
}
