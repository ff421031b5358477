/** Shared validation of CodecOptions.level, so a typo fails at createCodec time. */
export function checkLevel(codec: string, level: number, min: number, max: number): number {
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new RangeError(`${codec}: compression level must be an integer in ${min}..${max}, got ${level}`);
  }
  return level;
}
