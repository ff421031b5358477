/**
 * Page compression codecs. Names are the parquet.thrift `CompressionCodec` enum names;
 * `id` is the enum value written into ColumnMetaData.codec.
 */
export type CompressionName = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'BROTLI' | 'ZSTD' | 'LZ4_RAW';

export const COMPRESSION_CODEC_IDS: Readonly<Record<CompressionName, number>> = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  BROTLI: 4,
  ZSTD: 6,
  LZ4_RAW: 7,
};

export interface CodecOptions {
  /** Compression level where the codec has one (gzip 0-9, zstd 1-22, brotli 0-11). */
  level?: number;
}

/** A ready-to-use codec: `compress` is synchronous so page assembly stays simple. */
export interface Codec {
  readonly name: CompressionName;
  compress(input: Uint8Array): Uint8Array;
}

/**
 * A codec that can also leave its output in memory it does not hand over: its own scratch
 * memory (a WebAssembly module's) or, uncompressed, the input itself. `compressView`'s
 * result is valid only until the codec's next call and while the input is unchanged, for a
 * caller that copies it where it belongs at once (see compressToScratch).
 */
export interface ScratchCodec extends Codec {
  compressView(input: Uint8Array): Uint8Array;
}

/**
 * The compressed form of `input`, to be copied before `codec` is used again or `input`
 * changes: the codec's view where it has one, spared the copy `compress` would make, else
 * `compress`.
 */
export function compressToScratch(codec: Codec, input: Uint8Array): Uint8Array {
  return 'compressView' in codec ? (codec as ScratchCodec).compressView(input) : codec.compress(input);
}

/** Builds a codec; async so WASM codecs can initialise once before first use. */
export type CodecFactory = (options: CodecOptions) => Codec | Promise<Codec>;
