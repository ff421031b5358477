/**
 * A fixed table's row from a message payload, compiled once per table from its columns: each
 * column is read under its name, its camelCase name or an alias, and coerced to the writer's
 * value type (coerce.ts). A value that cannot be coerced is a RejectError naming the column.
 */
import type { FieldSpec } from '../../format/schema/types.js';
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
 * Compiles `schema` into a converter. A column absent from the payload falls back to the
 * message's ledger (columns `ledger_sequence`/`ledger`) or close time (timestamp columns
 * `closed_at`/`ledger_closed_at`), so JSON producers need not repeat the metadata.
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
  return (rec) => {
    const p = rec.payload;
    const row: Record<string, unknown> = {};
    for (const plan of plans) {
      let v = pick(p, plan.name, plan.aliases);
      if (v === undefined || v === null) {
        if (plan.name === ledgerColumn) v = rec.ledger;
        else if (plan.name === closeColumn && rec.closeTimeMs !== undefined) v = new Date(rec.closeTimeMs);
        else if (v === undefined) v = plan.absentAs;
      }
      row[plan.name] = plan.coerce(plan.name, v, plan.required);
    }
    return row;
  };
}
