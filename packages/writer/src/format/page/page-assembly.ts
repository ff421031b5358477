import { ByteWriter } from '../../encoding/byte-writer.js';
import { bitWidth } from '../../encoding/bit-width.js';
import { encodeRleHybrid, encodeRleHybridWithLengthPrefix } from '../../encoding/rle-hybrid.js';
import type { Codec } from '../../codecs/codec.js';
import { Encoding, PageType, type PageHeader, type Statistics } from '../thrift/parquet-metadata.js';
import { writePageHeader } from '../thrift/parquet-serialize.js';
import type { PageBuffer } from '../column/page-buffer.js';
import { crc32 } from './crc32.js';

/** A finished page: its header and body, ready to be written in order. */
export interface EncodedPage {
  parts: Uint8Array[];
  /** Header plus body bytes. */
  size: number;
  /** Header plus uncompressed body bytes (for total_uncompressed_size). */
  uncompressedSize: number;
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
export function assembleDataPage(input: DataPageInput): EncodedPage {
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
    const body = codec.compress(raw);
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
    return finish(header, [body], raw.length);
  }

  if (b.maxRep > 0) encodeRleHybrid(b.repLevels, b.levelCount, repWidth, levels);
  const repLength = levels.length;
  if (b.maxDef > 0) encodeRleHybrid(b.defLevels, b.levelCount, defWidth, levels);
  const defLength = levels.length - repLength;
  const levelBytes = levels.toBytes();
  const compressed = codec.name !== 'UNCOMPRESSED';
  const valueBody = codec.compress(input.values);
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
  return finish(header, [levelBytes, valueBody], levelBytes.length + input.values.length);
}

/** The dictionary page: PLAIN-encoded distinct values (Encodings.md, "Dictionary Encoding"). */
export function assembleDictionaryPage(values: Uint8Array, count: number, codec: Codec, checksum: boolean): EncodedPage {
  const body = codec.compress(values);
  const header: PageHeader = {
    type: PageType.DICTIONARY_PAGE,
    uncompressed_page_size: values.length,
    compressed_page_size: body.length,
    crc: checksum ? crc32(body) | 0 : undefined,
    dictionary_page_header: { num_values: count, encoding: Encoding.PLAIN },
  };
  return finish(header, [body], values.length);
}

function finish(header: PageHeader, body: Uint8Array[], uncompressedBody: number): EncodedPage {
  const headerWriter = new ByteWriter(128);
  writePageHeader(header, headerWriter);
  const headerBytes = headerWriter.toBytes();
  let size = headerBytes.length;
  for (const part of body) size += part.length;
  return { parts: [headerBytes, ...body], size, uncompressedSize: headerBytes.length + uncompressedBody };
}
