/**
 * Codec lookup by name. Built-ins are registered here; applications can replace one
 * (say, a native Snappy binding) or supply one the platform lacks (BROTLI in browsers)
 * with registerCodec. Only parquet.thrift CompressionCodec names can be registered,
 * because the codec's enum id is what gets written into the column metadata.
 */
import { COMPRESSION_CODEC_IDS } from './codec.js';
import type { Codec, CodecFactory, CodecOptions, CompressionName } from './codec.js';
import { createBrotliCodec } from './brotli.js';
import { createGzipCodec } from './gzip.js';
import { createLz4RawCodec } from './lz4-raw.js';
import { createSnappyCodec } from './snappy.js';
import { createUncompressedCodec } from './uncompressed.js';
import { createZstdCodec } from './zstd.js';

const factories = new Map<CompressionName, CodecFactory>();
/** The factories this module registers itself; worker threads see only these. */
const builtins = new Map<CompressionName, CodecFactory>();

/**
 * Lower-case aliases accepted by createCodec, next to the enum names themselves.
 * `lz4` means LZ4_RAW: the older LZ4 codec (id 5) is Hadoop-framed, deprecated in
 * parquet-format, and not something a new writer should produce.
 */
const ALIASES: Readonly<Record<string, CompressionName>> = {
  none: 'UNCOMPRESSED',
  uncompressed: 'UNCOMPRESSED',
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  brotli: 'BROTLI',
  zstd: 'ZSTD',
  lz4: 'LZ4_RAW',
  lz4_raw: 'LZ4_RAW',
};

function isCompressionName(name: string): name is CompressionName {
  return Object.prototype.hasOwnProperty.call(COMPRESSION_CODEC_IDS, name);
}

/**
 * Map a user-supplied name ('ZSTD', 'zstd', 'none', 'lz4', 'lz4-raw'...) to its enum
 * name, or undefined if it is not one we know.
 */
export function resolveCodecName(name: string): CompressionName | undefined {
  if (isCompressionName(name)) return name;
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  return Object.prototype.hasOwnProperty.call(ALIASES, key) ? ALIASES[key] : undefined;
}

/** Register (or replace) the factory used for a codec. */
export function registerCodec(name: CompressionName, factory: CodecFactory): void {
  if (!isCompressionName(name)) {
    throw new Error(`Cannot register codec "${String(name)}": it must be one of ${Object.keys(COMPRESSION_CODEC_IDS).join(', ')}`);
  }
  if (typeof factory !== 'function') throw new TypeError(`registerCodec("${name}"): factory must be a function`);
  factories.set(name, factory);
}

/** The enum names of every registered codec, in registration order. */
export function listCodecs(): CompressionName[] {
  return [...factories.keys()];
}

/** Build a ready codec for `name` (enum name or alias, case-insensitive). */
export async function createCodec(name: string, options: CodecOptions = {}): Promise<Codec> {
  const resolved = resolveCodecName(name);
  const factory = resolved === undefined ? undefined : factories.get(resolved);
  if (resolved === undefined || factory === undefined) {
    throw new Error(`Unknown compression codec "${name}". Known codecs: ${listCodecs().join(', ')} ` + `(aliases: ${Object.keys(ALIASES).join(', ')})`);
  }
  const codec = await factory(options);
  // A mismatch would stamp the wrong codec id into the file and make it unreadable.
  if (codec.name !== resolved) {
    throw new Error(`Codec factory registered for ${resolved} returned a codec named ${codec.name}`);
  }
  return codec;
}

/**
 * True while `name` (enum name or alias) maps to the factory built into this module. A
 * codec registered by the application lives only in its own thread, so parallel encoding
 * (which recreates the codec by name in worker threads) must not be used with it.
 */
export function isBuiltinCodec(name: string): boolean {
  const resolved = resolveCodecName(name);
  return resolved !== undefined && builtins.has(resolved) && builtins.get(resolved) === factories.get(resolved);
}

const BUILTIN_FACTORIES: [CompressionName, CodecFactory][] = [
  ['UNCOMPRESSED', createUncompressedCodec],
  ['SNAPPY', createSnappyCodec],
  ['GZIP', createGzipCodec],
  ['ZSTD', createZstdCodec],
  ['LZ4_RAW', createLz4RawCodec],
  ['BROTLI', createBrotliCodec],
];
for (const [name, factory] of BUILTIN_FACTORIES) {
  builtins.set(name, factory);
  registerCodec(name, factory);
}
