/**
 * Turns whatever a host hands to `process` into one normalised record: table, ledger, close
 * time and an object payload. Messages come straight from our processors (objects with
 * typed values), or through the JSON-lines bridge (payload as JSON text or bytes, camelCase
 * names, base64 and ISO strings), or from other hosts without metadata; all three land here.
 */
import type { TableCatalog } from './table-catalog.js';
import { EMPTY_CATALOG } from './table-catalog.js';
import { pick } from './tables/coerce.js';

export interface InputRecord {
  table: string;
  ledger: number;
  /** Ledger close time in ms since epoch (UTC), or undefined when the message carries none. */
  closeTimeMs: number | undefined;
  /** The dataset profile the payload follows (metadata.profile), undefined for "default". */
  profile: string | undefined;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A message that cannot become a row; `table`/`ledger` are filled in when they were readable. */
export class RejectError extends Error {
  constructor(
    readonly reason: string,
    readonly table?: string,
    readonly ledger?: number,
  ) {
    super(reason);
    this.name = 'RejectError';
  }
}

const TABLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const LEDGER_KEYS = ['ledger_sequence', 'ledgerSequence', 'ledger', 'sequence'];
const CLOSE_KEYS = ['ledger_close_time', 'ledgerCloseTime', 'closed_at', 'closedAt', 'ledger_closed_at', 'ledgerClosedAt', 'close_time', 'timestamp'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function parsePayload(payload: unknown): Record<string, unknown> {
  let value = payload;
  if (value instanceof Uint8Array) value = new TextDecoder('utf-8', { fatal: true }).decode(value);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new RejectError(`payload is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(value)) throw new RejectError(`payload must be an object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

/** Ledger numbers arrive as numbers, bigints or numeric strings (JSON bridges stringify uint32s rarely, but do). */
function toLedger(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= 0xffffffff ? n : undefined;
}

/**
 * Close time as ms since epoch: ISO-8601 text, a Date, or a number of seconds (Stellar's
 * close_time unit). Text without a zone is read as UTC: ledger close times are UTC.
 */
// Every row of a ledger carries the same close-time text: remember the last one parsed.
let lastText: string | undefined;
let lastMs: number | undefined;

export function toCloseTimeMs(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  if (typeof v === 'bigint') return Number(v) * 1000;
  if (typeof v !== 'string') return undefined;
  if (v === lastText) return lastMs;
  const ms = parseCloseTimeText(v);
  lastText = v;
  lastMs = ms;
  return ms;
}

function parseCloseTimeText(v: string): number | undefined {
  const s = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.test(s)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : hasZone ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The first of `keys` set (not undefined or null) in `o`. `direct` is o[keys[0]] read at the
 * call site: there the load sees one field name and stays fast, while `o[k]` in this loop
 * sees them all (see tables/coerce.ts, field); the loop only runs for other spellings.
 */
function first(direct: unknown, o: Record<string, unknown>, keys: readonly string[]): unknown {
  if (direct !== undefined && direct !== null) return direct;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

const present = (p: Record<string, unknown>, name: string, aliases: readonly string[]): boolean => pick(p, name, aliases) !== undefined;

/**
 * Table of a message without `metadata.table`: a name it gives (message_type, table, or its
 * producer's name as the catalog knows it), else the one default-profile table of the catalog
 * whose required columns the payload all has, else "messages".
 */
function guessTable(payload: Record<string, unknown>, meta: Record<string, unknown>, catalog: TableCatalog): string {
  const named = payload.message_type ?? payload.table ?? meta.message_type;
  if (typeof named === 'string') return catalog.tableNamed(named) ?? named;
  if (typeof meta.processor === 'string') {
    return (
      catalog.tableNamed(meta.processor) ??
      meta.processor
        .replace(/Processor$/, '')
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toLowerCase()
    );
  }
  const fits = catalog
    .all()
    .filter(
      (t) =>
        t.profile === 'default' &&
        t.fields.every(
          (f) => f.optional === true || f.name === 'ledger' || f.name === 'ledger_sequence' || present(payload, f.name, t.input[f.name]?.aliases ?? []),
        ),
    );
  return fits.length === 1 ? fits[0]!.name : 'messages';
}

/** Table names already checked (a handful per pipeline; the regex would run per message). */
const validTables = new Set<string>();

function checkTableName(table: string, ledger: number | undefined): void {
  if (!TABLE_NAME.test(table)) throw new RejectError(`invalid table name ${JSON.stringify(table)} (lower-case letters, digits, _)`, undefined, ledger);
  if (validTables.size < 1024) validTables.add(table);
}

/**
 * Normalises one message; throws RejectError when it cannot be routed to a table and ledger.
 * `catalog` resolves producer names and payload shapes to tables.
 */
export function normaliseMessage(msg: unknown, catalog: TableCatalog = EMPTY_CATALOG): InputRecord {
  if (!isObject(msg) || !('payload' in msg)) throw new RejectError('message must be an object with a payload');
  const meta = isObject(msg.metadata) ? msg.metadata : {};
  let table = typeof meta.table === 'string' ? meta.table : undefined;
  let ledger = toLedger(first(meta.ledger_sequence, meta, LEDGER_KEYS));
  let payload: Record<string, unknown>;
  try {
    payload = parsePayload(msg.payload);
  } catch (err) {
    throw new RejectError((err as Error).message, table, ledger);
  }
  table ??= guessTable(payload, meta, catalog);
  if (!validTables.has(table)) checkTableName(table, ledger);
  ledger ??= toLedger(first(payload.ledger_sequence, payload, LEDGER_KEYS));
  if (ledger === undefined) throw new RejectError('missing or invalid ledger sequence (metadata.ledger_sequence or payload ledger_sequence/ledger)', table);
  const closeRaw = first(meta.ledger_close_time, meta, CLOSE_KEYS) ?? first(payload.ledger_close_time, payload, CLOSE_KEYS);
  const closeTimeMs = toCloseTimeMs(closeRaw);
  if (closeRaw !== undefined && closeTimeMs === undefined)
    throw new RejectError(`invalid ledger close time ${JSON.stringify(String(closeRaw))}`, table, ledger);
  const profile = typeof meta.profile === 'string' && meta.profile !== 'default' ? meta.profile : undefined;
  return { table, ledger, closeTimeMs, profile, payload, metadata: meta };
}
