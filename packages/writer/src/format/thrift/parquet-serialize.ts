/**
 * Public entry points for serializing Parquet metadata with the Thrift compact
 * protocol, as parquet-format requires for the footer, page headers, page index and
 * Bloom filter headers. The per-area struct writers live in serialize-*.ts.
 */
import { ByteWriter } from '../../encoding/byte-writer.js';
import { CompactWriter } from './compact-writer.js';
import type { BloomFilterHeader, ColumnIndex, FileMetaData, OffsetIndex, PageHeader } from './parquet-metadata.js';
import { writeFileMetaData } from './serialize-file-metadata.js';
import { writePageHeaderStruct } from './serialize-page.js';
import { writeBloomFilterHeader, writeColumnIndex, writeOffsetIndex } from './serialize-page-index.js';

function encode<T>(value: T, write: (w: CompactWriter, value: T) => void, initialCapacity: number): Uint8Array {
  const w = new CompactWriter(new ByteWriter(initialCapacity));
  write(w, value);
  return w.out.toBytes();
}

/** The footer's FileMetaData struct (without the trailing length and `PAR1` magic). */
export function encodeFileMetaData(m: FileMetaData): Uint8Array {
  return encode(m, writeFileMetaData, 4096);
}

/**
 * Appends a page header to `out` (the page body follows it directly in the file).
 * Writing into the caller's buffer avoids an allocation per page.
 */
export function writePageHeader(h: PageHeader, out: ByteWriter): void {
  const start = out.length;
  try {
    writePageHeaderStruct(new CompactWriter(out), h);
  } catch (err) {
    // Leave `out` as it was so a caller that catches the error has no half header.
    out.length = start;
    throw err;
  }
}

export function encodeColumnIndex(c: ColumnIndex): Uint8Array {
  return encode(c, writeColumnIndex, 256);
}

export function encodeOffsetIndex(o: OffsetIndex): Uint8Array {
  return encode(o, writeOffsetIndex, 256);
}

/** The header only; the bitset of `numBytes` bytes follows it in the file. */
export function encodeBloomFilterHeader(h: BloomFilterHeader): Uint8Array {
  return encode(h, writeBloomFilterHeader, 32);
}
