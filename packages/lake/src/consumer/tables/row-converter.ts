/**
 * A fixed table's row from a message payload, compiled once per table from its columns: each
 * column is read under its name, its camelCase name or an alias, and coerced to the writer's
 * value type (coerce.ts). A value that cannot be coerced is a RejectError naming the column.
 */
import type { FieldSpec } from 'cdp-parquet';
import type { InputRecord } from '../message-input.js';
import type { TableSchema } from '../table-catalog.js';
import { bool, bytes, decimal38, f64, i32, i64, jsonText, pick, str, stringList, timestampUs, u32 } from './coerce.js';

export type RowConverter = (rec: InputRecord) => Record<string, unknown>;

type Coerce = (column: string, v: unknown, required: boolean) => unknown;

/** The coercion of a column's type; tables may only use the types listed here. */
function coercerOf(f: FieldSpec, table: string, anyJson: boolean): Coerce {
  switch (f.type) {
    case 'string':
    case 'enum':
      return anyJson ? jsonText : str;
    case 'json':
      return jsonText;
    case 'boolean':
      return bool;
    case 'uint32':
      return u32;
    case 'int32':
      return i32;
    case 'int64':
      return i64;
    case 'double':
      return f64;
    case 'binary':
      return bytes;
    case 'timestamp':
      if (f.unit === 'us') return timestampUs;
      break;
    case 'decimal':
      if (f.precision === 38 && (f.scale ?? 0) === 0) return decimal38;
      break;
    case 'list':
      if (f.element.type === 'string' && f.element.optional !== true) return stringList;
      break;
    default:
      break;
  }
  throw new Error(`table ${table}: column ${f.name} has a type a fixed table cannot take from messages (${JSON.stringify(f)})`);
}

interface ColumnPlan {
  name: string;
  aliases: readonly string[];
  absentAs: unknown;
  required: boolean;
  coerce: Coerce;
}

/**
 * The check that lets a value through as it is, per column type (a typed dataset row's value
 * passes it); anything else takes the column's coercion. `v` is the value, `L` the decimal
 * bound, `I` the int64 bounds.
 */
function passCheck(f: FieldSpec): string | undefined {
  switch (f.type) {
    case 'string':
    case 'enum':
    case 'json':
      return "typeof v === 'string'";
    case 'boolean':
      return "typeof v === 'boolean'";
    case 'uint32':
      return "typeof v === 'number' && v >>> 0 === v";
    case 'int32':
      return "typeof v === 'number' && (v | 0) === v";
    case 'int64':
      return "typeof v === 'bigint' ? v >= I[0] && v < I[1] : Number.isSafeInteger(v)";
    case 'double':
      return "typeof v === 'number'";
    case 'binary':
      return 'v instanceof Uint8Array';
    case 'timestamp':
      return "typeof v === 'bigint'";
    case 'decimal':
      return "typeof v === 'bigint' && v > -L && v < L";
    default:
      return undefined;
  }
}

/**
 * Compiles `schema` into a converter. A column absent from the payload falls back to the
 * message's ledger (columns `ledger_sequence`/`ledger`) or close time (timestamp columns
 * `closed_at`/`ledger_closed_at`), so JSON producers need not repeat the metadata.
 *
 * The converter is generated as code with each column's name written into it: a dataset
 * row's fields are then read as named properties of one object shape, and a value already in
 * the writer's type passes a typeof check. Read by a name held in a variable, the same loads
 * see every column's name at one site, which V8 gives up on as megamorphic; for the pipeline's
 * rows that was the costliest step of the conversion.
 */
export function compileRowConverter(schema: TableSchema): RowConverter {
  const plans: ColumnPlan[] = schema.fields.map((f) => {
    const input = schema.input[f.name] ?? {};
    return {
      name: f.name,
      aliases: input.aliases ?? [],
      absentAs: input.absentAs,
      required: f.optional !== true,
      coerce: coercerOf(f, schema.name, input.anyJson === true),
    };
  });
  const ledgerColumn = plans.find((p) => p.name === 'ledger_sequence' || p.name === 'ledger')?.name;
  const closeColumn = schema.fields.find((f) => f.type === 'timestamp' && (f.name === 'closed_at' || f.name === 'ledger_closed_at'))?.name;
  /** The general path of column `i`: other spellings, metadata fallbacks, coercion. */
  const slow = plans.map((plan) => (rec: InputRecord): unknown => {
    let v = pick(rec.payload, plan.name, plan.aliases);
    if (v === undefined || v === null) {
      if (plan.name === ledgerColumn) v = rec.ledger;
      else if (plan.name === closeColumn && rec.closeTimeMs !== undefined) v = new Date(rec.closeTimeMs);
      else if (v === undefined) v = plan.absentAs;
    }
    return plan.coerce(plan.name, v, plan.required);
  });
  const lines = schema.fields.map((f, i) => {
    const key = JSON.stringify(f.name);
    const check = passCheck(f);
    const anyJson = schema.input[f.name]?.anyJson === true;
    // A typed row writes null for an absent nullable value: nothing to look up or coerce.
    const nullOk = f.optional === true && f.name !== ledgerColumn && f.name !== closeColumn;
    const fast = check !== undefined && !(anyJson && f.type !== 'string') ? `(${check}) ? v : ` : '';
    return `  v = p[${key}]; c${i} = ${nullOk ? 'v === null ? null : ' : ''}${fast}slow[${i}](rec);`;
  });
  const body = [
    '"use strict";',
    `return function convert(rec) {`,
    '  const p = rec.payload;',
    `  let v, ${schema.fields.map((_f, i) => `c${i}`).join(', ')};`,
    ...lines,
    `  return { ${schema.fields.map((f, i) => `${JSON.stringify(f.name)}: c${i}`).join(', ')} };`,
    '};',
  ].join('\n');
  const make = new Function('slow', 'L', 'I', body) as (slow: ((rec: InputRecord) => unknown)[], L: bigint, I: readonly bigint[]) => RowConverter;
  return make(slow, 10n ** 38n, [-(2n ** 63n), 2n ** 63n]);
}
