// The footer a Parquet file ends with: the FileMetaData model (what `ParquetWriter.close()`
// returns as `metadata`) and a reader of the footer fields that tell whether a file is whole.
export type { FileMetaData } from './format/thrift/parquet-metadata.js';
export { Encoding, PageType } from './format/thrift/parquet-metadata.js';
export { parseFooter, footerLength, checkExtents, FooterError, type FooterSummary } from './format/footer-reader.js';
