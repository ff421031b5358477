/**
 * Schema rules of the conformance check: element shape, type_length, logical versus
 * physical and converted types (LogicalTypes.md's compatibility tables), decimal
 * parameters, LIST/MAP structure, and the column orders.
 */
import type { Findings } from './conformance-rules.js';
import { Converted, PhysicalType, Repetition, type FooterMeta, type LeafInfo, type SchemaEl } from './footer-parse.js';
import { sortOrderOf } from './sort-order.js';

const P = PhysicalType;
const C = Converted;

const PHYSICAL_NAMES = Object.fromEntries(Object.entries(P).map(([k, v]) => [v, k])) as Record<number, string>;
const CONVERTED_NAMES = Object.fromEntries(Object.entries(C).map(([k, v]) => [v, k])) as Record<number, string>;
const physicalName = (t: number | undefined): string => (t === undefined ? 'group' : (PHYSICAL_NAMES[t] ?? `type ${t}`));
const convertedName = (t: number | undefined): string => (t === undefined ? 'none' : (CONVERTED_NAMES[t] ?? `converted ${t}`));

/** The ConvertedType LogicalTypes.md pairs with an annotation (undefined: it has none). */
function convertedFor(el: SchemaEl): number | undefined {
  const l = el.logical!;
  switch (l.name) {
    case 'STRING':
      return C.UTF8;
    case 'ENUM':
      return C.ENUM;
    case 'JSON':
      return C.JSON;
    case 'BSON':
      return C.BSON;
    case 'DECIMAL':
      return C.DECIMAL;
    case 'DATE':
      return C.DATE;
    case 'LIST':
      return C.LIST;
    case 'MAP':
      return C.MAP;
    case 'TIME':
      return l.unit === 'MILLIS' ? C.TIME_MILLIS : l.unit === 'MICROS' ? C.TIME_MICROS : undefined;
    case 'TIMESTAMP':
      return l.unit === 'MILLIS' ? C.TIMESTAMP_MILLIS : l.unit === 'MICROS' ? C.TIMESTAMP_MICROS : undefined;
    case 'INTEGER': {
      const signed = l.isSigned !== false;
      const table: Record<number, number> = signed
        ? { 8: C.INT_8, 16: C.INT_16, 32: C.INT_32, 64: C.INT_64 }
        : { 8: C.UINT_8, 16: C.UINT_16, 32: C.UINT_32, 64: C.UINT_64 };
      return table[l.bitWidth ?? 0];
    }
    default:
      return undefined; // UUID, FLOAT16, UNKNOWN, VARIANT, GEOMETRY, GEOGRAPHY, FILE
  }
}

/** Why `el`'s physical type may not carry its logical type, or undefined when it may. */
function physicalMismatch(el: SchemaEl): string | undefined {
  const l = el.logical!;
  const t = el.type;
  const want = (ok: boolean, what: string): string | undefined =>
    ok ? undefined : `${l.name} annotates ${what}, not ${physicalName(t)}${t === P.FIXED_LEN_BYTE_ARRAY ? `[${String(el.typeLength)}]` : ''}`;
  switch (l.name) {
    case 'STRING':
    case 'ENUM':
    case 'JSON':
    case 'BSON':
    case 'GEOMETRY':
    case 'GEOGRAPHY':
      return want(t === P.BYTE_ARRAY, 'BYTE_ARRAY');
    case 'UUID':
      return want(t === P.FIXED_LEN_BYTE_ARRAY && el.typeLength === 16, 'FIXED_LEN_BYTE_ARRAY(16)');
    case 'FLOAT16':
      return want(t === P.FIXED_LEN_BYTE_ARRAY && el.typeLength === 2, 'FIXED_LEN_BYTE_ARRAY(2)');
    case 'DATE':
      return want(t === P.INT32, 'INT32');
    case 'TIME':
      return want(l.unit === 'MILLIS' ? t === P.INT32 : t === P.INT64, l.unit === 'MILLIS' ? 'INT32' : 'INT64');
    case 'TIMESTAMP':
      return want(t === P.INT64, 'INT64');
    case 'INTEGER':
      if (![8, 16, 32, 64].includes(l.bitWidth ?? 0)) return `INTEGER bitWidth ${String(l.bitWidth)} is not 8, 16, 32 or 64`;
      return want(l.bitWidth === 64 ? t === P.INT64 : t === P.INT32, l.bitWidth === 64 ? 'INT64' : 'INT32');
    case 'DECIMAL':
      return want(t === P.INT32 || t === P.INT64 || t === P.FIXED_LEN_BYTE_ARRAY || t === P.BYTE_ARRAY, 'INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY');
    case 'LIST':
    case 'MAP':
    case 'VARIANT':
    case 'FILE':
      return want(t === undefined, 'a group');
    default:
      return undefined;
  }
}

/** Most decimal digits a FIXED_LEN_BYTE_ARRAY of n bytes holds: floor(log10(2^(8n-1) - 1)). */
export function flbaDecimalDigits(n: number): number {
  if (n < 1) return 0;
  return (2n ** BigInt(8 * n - 1) - 1n).toString().length - 1;
}

function checkDecimal(f: Findings, where: string, el: SchemaEl): void {
  const l = el.logical;
  const precision = l?.name === 'DECIMAL' ? l.precision : el.precision;
  const scale = l?.name === 'DECIMAL' ? l.scale : el.scale;
  f.expect(precision !== undefined && precision >= 1, 'decimal-params', where, () => `precision ${String(precision)}`);
  f.expect(
    scale !== undefined && scale >= 0 && scale <= (precision ?? 0),
    'decimal-params',
    where,
    () => `scale ${String(scale)} with precision ${String(precision)}`,
  );
  if (precision === undefined) return;
  const limit = el.type === P.INT32 ? 9 : el.type === P.INT64 ? 18 : el.type === P.FIXED_LEN_BYTE_ARRAY ? flbaDecimalDigits(el.typeLength ?? 0) : Infinity;
  f.expect(
    precision <= limit,
    'decimal-params',
    where,
    () => `precision ${precision} exceeds ${limit} digits of ${physicalName(el.type)}${el.type === P.FIXED_LEN_BYTE_ARRAY ? `[${String(el.typeLength)}]` : ''}`,
  );
  if (l?.name === 'DECIMAL') {
    f.expect(
      el.convertedType !== C.DECIMAL || (el.scale === l.scale && el.precision === l.precision),
      'decimal-params',
      where,
      () => `SchemaElement scale/precision ${String(el.scale)}/${String(el.precision)} differ from DECIMAL(${String(l.precision)}, ${String(l.scale)})`,
    );
    f.expect(el.scale !== undefined && el.precision !== undefined, 'decimal-params', where, () => 'DECIMAL without SchemaElement scale/precision');
  }
}

function checkElement(f: Findings, el: SchemaEl, where: string, isRoot: boolean): void {
  const leaf = el.numChildren === undefined;
  f.expect(leaf ? el.type !== undefined : el.type === undefined, 'schema-shape', where, () =>
    leaf ? 'a leaf without a type' : `a group with type ${physicalName(el.type)}`,
  );
  f.expect(isRoot || el.repetition !== undefined, 'schema-shape', where, () => 'no repetition_type');
  if (el.type === P.FIXED_LEN_BYTE_ARRAY) {
    f.expect(el.typeLength !== undefined && el.typeLength > 0, 'type-length', where, () => `FIXED_LEN_BYTE_ARRAY with type_length ${String(el.typeLength)}`);
  } else {
    f.expect(el.typeLength === undefined, 'type-length', where, () => `type_length ${String(el.typeLength)} on ${physicalName(el.type)}`);
  }
  if (el.logical) {
    const mismatch = physicalMismatch(el);
    f.expect(mismatch === undefined, 'logical-physical', where, () => mismatch!);
    const want = convertedFor(el);
    f.expect(
      el.convertedType === want,
      'converted-for-logical',
      where,
      () => `${describeLogical(el)} needs converted_type ${convertedName(want)}, found ${convertedName(el.convertedType)}`,
    );
  } else if (el.convertedType !== undefined) {
    f.expect(
      el.convertedType === C.MAP_KEY_VALUE,
      'logical-for-converted',
      where,
      () => `converted_type ${convertedName(el.convertedType)} without a LogicalType`,
    );
  }
  const decimal = el.logical?.name === 'DECIMAL' || el.convertedType === C.DECIMAL;
  if (decimal) checkDecimal(f, where, el);
  else
    f.expect(
      el.scale === undefined && el.precision === undefined,
      'decimal-params',
      where,
      () => `scale/precision ${String(el.scale)}/${String(el.precision)} on a non-decimal`,
    );
}

export function describeLogical(el: SchemaEl): string {
  const l = el.logical;
  if (!l) return 'no logical type';
  if (l.name === 'TIME' || l.name === 'TIMESTAMP') return `${l.name}(isAdjustedToUTC=${String(l.isAdjustedToUTC)}, ${String(l.unit)})`;
  if (l.name === 'INTEGER') return `INTEGER(${String(l.bitWidth)}, ${String(l.isSigned)})`;
  if (l.name === 'DECIMAL') return `DECIMAL(${String(l.precision)}, ${String(l.scale)})`;
  return l.name;
}

/** LIST and MAP groups (LogicalTypes.md, Lists / Maps): the 3-level structures. */
function checkNested(f: Findings, schema: readonly SchemaEl[]): void {
  // Children of each element by index (the schema is a depth-first flattening).
  const children = new Map<number, number[]>();
  let i = 0;
  const walk = (): number => {
    const me = i++;
    const kids: number[] = [];
    for (let k = 0; k < (schema[me]?.numChildren ?? 0); k++) kids.push(walk());
    children.set(me, kids);
    return me;
  };
  walk();
  for (const [idx, kids] of children) {
    const el = schema[idx]!;
    const kind = el.logical?.name ?? (el.convertedType === C.LIST ? 'LIST' : el.convertedType === C.MAP ? 'MAP' : undefined);
    if (kind !== 'LIST' && kind !== 'MAP') continue;
    const where = `schema ${el.name}`;
    const rule = kind === 'LIST' ? 'list-structure' : 'map-structure';
    f.expect(el.repetition === Repetition.OPTIONAL || el.repetition === Repetition.REQUIRED, rule, where, () => `${kind} group is repeated`);
    const mid = kids.length === 1 ? schema[kids[0]!] : undefined;
    const midName = kind === 'LIST' ? 'list' : 'key_value';
    if (
      !f.expect(
        mid !== undefined && mid.name === midName && mid.repetition === Repetition.REPEATED && mid.numChildren !== undefined,
        rule,
        where,
        () => `${kind} must hold exactly one repeated group named ${midName}`,
      )
    )
      continue;
    const inner = children.get(kids[0]!)!.map((k) => schema[k]!);
    if (kind === 'LIST') {
      f.expect(
        inner.length === 1 && inner[0]!.name === 'element' && inner[0]!.repetition !== Repetition.REPEATED,
        rule,
        where,
        () => `list holds ${inner.map((e) => e.name).join(', ')}; one required/optional element expected`,
      );
    } else {
      f.expect(
        inner.length >= 1 &&
          inner.length <= 2 &&
          inner[0]!.name === 'key' &&
          inner[0]!.repetition === Repetition.REQUIRED &&
          (inner.length === 1 || inner[1]!.name === 'value'),
        rule,
        where,
        () => `key_value holds ${inner.map((e) => e.name).join(', ')}`,
      );
    }
  }
}

export function checkSchema(f: Findings, meta: FooterMeta): void {
  meta.schema.forEach((el, i) => checkElement(f, el, `schema ${i === 0 ? '(root)' : el.name}`, i === 0));
  checkNested(f, meta.schema);
}

/** column_orders: present when any bound is written, one per leaf, of a kind the column may use. */
export function checkColumnOrders(f: Findings, meta: FooterMeta, leaves: readonly LeafInfo[], boundsWritten: boolean): void {
  const orders = meta.columnOrders;
  if (orders === undefined) {
    f.expect(!boundsWritten, 'column-orders', 'footer', () => 'min_value/max_value or a ColumnIndex written without column_orders');
    return;
  }
  f.expect(orders.length === leaves.length, 'column-orders', 'footer', () => `${orders.length} column orders for ${leaves.length} leaf columns`);
  leaves.forEach((leaf, k) => {
    const o = orders[k];
    const where = `column ${leaf.path.join('.')}`;
    if (o === undefined) return;
    const floating = sortOrderOf(leaf.element).kind === 'float';
    if (o === 'IEEE_754_TOTAL_ORDER') f.expect(floating, 'column-order-kind', where, () => `IEEE_754_TOTAL_ORDER on ${physicalName(leaf.element.type)}`);
    else if (o === 'INT96_TIMESTAMP_ORDER')
      f.expect(leaf.element.type === P.INT96, 'column-order-kind', where, () => `INT96_TIMESTAMP_ORDER on ${physicalName(leaf.element.type)}`);
    else f.expect(o === 'TYPE_ORDER', 'column-order-kind', where, () => `unknown column order ${o}`);
  });
}
