import type { ByteWriter } from '../../encoding/byte-writer.js';
import { bitWidth } from '../../encoding/bit-width.js';
import { encodeRleHybrid, encodeRleHybridWithLengthPrefix } from '../../encoding/rle-hybrid.js';
import { compressToScratch, type Codec } from '../../codecs/codec.js';
import { Encoding, PageType, type PageHeader, type Statistics } from '../thrift/parquet-metadata.js';
import { writePageHeader } from '../thrift/parquet-serialize.js';
import type { PageBuffer } from '../column/page-buffer.js';
import { crc32 } from './crc32.js';
import type { ChunkBytes } from './chunk-bytes.js';

/** A page written into its chunk's bytes (header, then body). */
export interface EncodedPage {
  /** Header plus body bytes. */
  size: number;
  /** Header plus uncompressed body bytes (for total_uncompressed_size). */
  uncompressedSize: number;
}

/** Where a page goes: the chunk's bytes, and a scratch writer for its header. */
export interface PageOutput {
  bytes: ChunkBytes;
  header: ByteWriter;
}

export interface DataPageInput {
  version: 1 | 2;
  buffer: PageBuffer;
  /** The encoded values section (uncompressed). */
  values: Uint8Array;
  encoding: Encoding;
  statistics: Statistics | undefined;
  codec: Codec;
  checksum: boolean;
  levelScratch: ByteWriter;
}

/**
 * Data page v1: repetition levels, definition levels (each RLE with a 4-byte length,
 * omitted when the max level is 0) and values, all compressed together.
 * Data page v2: the levels stay uncompressed in front (RLE without length prefix, their
 * lengths in the header) so readers can skip rows without decompressing; only the values
 * are compressed. parquet.thrift PageHeader.crc covers the page bytes after the header.
 */
export function assembleDataPage(input: DataPageInput, out: PageOutput): EncodedPage {
  const { buffer: b, codec } = input;
  const levels = input.levelScratch;
  levels.reset();
  const repWidth = bitWidth(b.maxRep);
  const defWidth = bitWidth(b.maxDef);
  if (input.version === 1) {
    if (b.maxRep > 0) encodeRleHybridWithLengthPrefix(b.repLevels, b.levelCount, repWidth, levels);
    if (b.maxDef > 0) encodeRleHybridWithLengthPrefix(b.defLevels, b.levelCount, defWidth, levels);
    // A required top-level column has no levels: its values are the page as they are.
    let raw = input.values;
    if (levels.length > 0) {
      levels.writeBytes(input.values);
      raw = levels.written();
    }
    const body = compressToScratch(codec, raw);
    const header: PageHeader = {
      type: PageType.DATA_PAGE,
      uncompressed_page_size: raw.length,
      compressed_page_size: body.length,
      crc: input.checksum ? crc32(body) | 0 : undefined,
      data_page_header: {
        num_values: b.levelCount,
        encoding: input.encoding,
        definition_level_encoding: Encoding.RLE,
        repetition_level_encoding: Encoding.RLE,
        statistics: input.statistics,
      },
    };
    return emit(header, body, undefined, raw.length, out, owns(codec));
  }

  if (b.maxRep > 0) encodeRleHybrid(b.repLevels, b.levelCount, repWidth, levels);
  const repLength = levels.length;
  if (b.maxDef > 0) encodeRleHybrid(b.defLevels, b.levelCount, defWidth, levels);
  const defLength = levels.length - repLength;
  const levelBytes = levels.written();
  const compressed = codec.name !== 'UNCOMPRESSED';
  const valueBody = compressToScratch(codec, input.values);
  const bodyLength = levelBytes.length + valueBody.length;
  let crc: number | undefined;
  if (input.checksum) crc = crc32(valueBody, crc32(levelBytes)) | 0;
  const header: PageHeader = {
    type: PageType.DATA_PAGE_V2,
    uncompressed_page_size: levelBytes.length + input.values.length,
    compressed_page_size: bodyLength,
    crc,
    data_page_header_v2: {
      num_values: b.levelCount,
      num_nulls: b.nullCount,
      num_rows: b.rowCount,
      encoding: input.encoding,
      definition_levels_byte_length: defLength,
      repetition_levels_byte_length: repLength,
      is_compressed: compressed,
      statistics: input.statistics,
    },
  };
  return emit(header, levelBytes, valueBody, levelBytes.length + input.values.length, out, owns(codec));
}

/** The dictionary page: PLAIN-encoded distinct values (Encodings.md, "Dictionary Encoding"). */
export function assembleDictionaryPage(values: Uint8Array, count: number, codec: Codec, checksum: boolean, out: PageOutput): EncodedPage {
  const body = compressToScratch(codec, values);
  const header: PageHeader = {
    type: PageType.DICTIONARY_PAGE,
    uncompressed_page_size: values.length,
    compressed_page_size: body.length,
    crc: checksum ? crc32(body) | 0 : undefined,
    dictionary_page_header: { num_values: count, encoding: Encoding.PLAIN },
  };
  return emit(header, body, undefined, values.length, out, owns(codec));
}

/**
 * True when the codec's compressed body is a new array made for this page alone (no
 * `compressView`), which the chunk may keep instead of copying.
 */
function owns(codec: Codec): boolean {
  return !('compressView' in codec);
}

/**
 * Append the header and the body (levels in v2, then the compressed values) to the chunk's
 * bytes. A body in the codec's scratch memory or the caller's buffers (compressToScratch)
 * is copied here, before either is used again; the last piece, when the codec made it for
 * this page alone (`owned`), may be kept as it is (ChunkBytes.adopt).
 */
function emit(header: PageHeader, body: Uint8Array, body2: Uint8Array | undefined, uncompressedBody: number, out: PageOutput, owned: boolean): EncodedPage {
  const h = out.header;
  h.reset();
  writePageHeader(header, h);
  const headerBytes = h.written();
  out.bytes.append(headerBytes);
  const last = body2 ?? body;
  if (body2) out.bytes.append(body);
  if (owned) out.bytes.adopt(last);
  else out.bytes.append(last);
  const size = headerBytes.length + body.length + (body2?.length ?? 0);
  return { size, uncompressedSize: headerBytes.length + uncompressedBody };
}
