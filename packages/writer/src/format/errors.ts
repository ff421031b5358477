/**
 * Raised when a value or row does not fit the schema. It names the column path and the
 * row index (counted from the first row given to the writer), so a user can find the
 * offending input; rows accepted before it stay written.
 */
export class ParquetValueError extends Error {
  constructor(
    readonly columnPath: string,
    readonly rowIndex: number,
    readonly reason: string,
  ) {
    super(`row ${rowIndex}, column '${columnPath}': ${reason}`);
    this.name = 'ParquetValueError';
  }
}

/** Raised for an invalid schema or writer option; `path` names the field or option. */
export class ParquetSchemaError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ParquetSchemaError';
  }
}

/** Thrown by value converters; the shredder turns it into a ParquetValueError. */
export class ValueConversionError extends Error {}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'object') return 'object';
  return String(value);
}
