/**
 * Is a byte range well-formed UTF-8? Text columns given as bytes (Arrow-layout column input)
 * are checked before they are accepted: LogicalTypes.md's STRING, ENUM and JSON annotate
 * UTF-8, and readers refuse files that break it (DuckDB: "Invalid string encoding").
 *
 * Node's `buffer.isUtf8` (simdutf, vectorised) when the runtime offers it without an import
 * (`process.getBuiltinModule`, Node >= 20.16); elsewhere TextDecoder's fatal mode, which is
 * native in every browser.
 */
type IsUtf8 = (bytes: Uint8Array) => boolean;

const nodeIsUtf8 = ((): IsUtf8 | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const buffer = proc?.getBuiltinModule?.('node:buffer') as { isUtf8?: IsUtf8 } | undefined;
  return typeof buffer?.isUtf8 === 'function' ? buffer.isUtf8 : undefined;
})();

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The fallback where node:buffer is absent (exported for its test). */
export function decoderIsUtf8(bytes: Uint8Array): boolean {
  // Plain ASCII needs no decoding; most text columns are ASCII.
  let i = 0;
  while (i < bytes.length && bytes[i]! < 0x80) i++;
  if (i === bytes.length) return true;
  try {
    fatalDecoder.decode(bytes.subarray(i));
    return true;
  } catch {
    return false;
  }
}

/** bytes[start, end) is well-formed UTF-8 (no overlongs, surrogates or truncated sequences). */
export function isWellFormedUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  if (start === end) return true;
  const range = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  return nodeIsUtf8 !== undefined ? nodeIsUtf8(range) : decoderIsUtf8(range);
}

/**
 * A well-formed UTF-8 text cut at `at` leaves two well-formed texts exactly when `at` is not
 * inside a character, i.e. the byte there is not a continuation byte (10xxxxxx). So a run of
 * values is checked as one text plus one byte per value boundary.
 */
export function isCharBoundary(bytes: Uint8Array, at: number): boolean {
  return at >= bytes.length || (bytes[at]! & 0xc0) !== 0x80;
}
