/**
 * A dataset: one kind of Stellar data (contract data, contract events, ...) as tables, with
 * the processor that extracts it from ledgers. Everything that lists a table's columns or a
 * processor's name reads it from here: the pipeline's processors, SaveToParquet's schemas
 * (through the catalog, catalog.ts), the JSON-lines bridge and the datasets reference.
 */
import type { ColumnInput, TableSchema } from '../consumer/table-catalog.js';
import type { LedgerRecord } from '../stellar/ledger-record.js';
import type { DecodeMode } from '../stellar/extract.js';
import type { Columns } from './columns.js';

/**
 * Profiles: "default" is this project's own layout (existing lakes keep it); "hubble" follows
 * stellar-etl and SDF's public BigQuery dataset column for column.
 */
export const PROFILES = ['default', 'hubble'] as const;
export type ProfileName = (typeof PROFILES)[number];

export type AnyRow = Record<string, unknown>;

/** One table of a dataset in one profile. */
export interface TableDefinition<Row extends AnyRow = AnyRow> extends TableSchema {
  readonly profile: ProfileName;
  /** What one row is, in a sentence (for the datasets reference). */
  readonly rowMeaning: string;
  readonly columns: Columns<Row>;
}

/** Reads a processor's own config keys (the pipeline's ConfigReader fits it). */
export interface OptionReader {
  string(key: string): string | undefined;
  bool(key: string): boolean | undefined;
}

/** A processor config key a dataset takes besides `profile` and the network keys. */
export interface DatasetOption {
  readonly name: string;
  readonly kind: 'bool' | 'string';
  readonly description: string;
}

export interface ExtractorSettings {
  readonly profile: ProfileName;
  /** Network passphrase of the ledgers (processor config, else the source's). */
  readonly networkPassphrase: string | undefined;
  /** The dataset's own keys (see Dataset.options). */
  readonly options: OptionReader;
  /** How ledgers are read: the byte scanner (default) or the SDK's full decode, to cross-check them. */
  readonly decode?: DecodeMode;
  /** Where an extractor reports what it skipped (a warning naming ledger and transaction). */
  readonly warn?: (message: string) => void;
}

/** Turns ledgers into rows of one table; may keep state across ledgers (in order). */
export interface Extractor<Row extends AnyRow = AnyRow> {
  readonly table: TableDefinition<Row>;
  extract(ledger: LedgerRecord): Row[];
  /** Counters for metrics (e.g. events skipped), if the extractor keeps any. */
  counters?(): Record<string, number>;
}

export interface Dataset {
  /** Processor type in pipeline YAML, e.g. "ContractData". */
  readonly processor: string;
  /** Other processor type names accepted for it (Go cdp-pipeline spellings). */
  readonly processorAliases: readonly string[];
  readonly description: string;
  readonly options: readonly DatasetOption[];
  /** The dataset's table in each profile it supports. */
  readonly tables: Readonly<Partial<Record<ProfileName, TableDefinition>>>;
  /**
   * An extractor for one pipeline. Absent for datasets only written from JSON messages
   * (no processor extracts them from ledgers).
   */
  open?(settings: ExtractorSettings): Extractor;
}

/** Close time in µs since the epoch, the timestamp columns' value, from a ledger's close time in seconds. */
export const closeTimeUs = (ledger: LedgerRecord): bigint => BigInt(ledger.closeTime) * 1_000_000n;

/** A table definition from its columns (fields and aliases are derived, never restated). */
export function defineTable<Row extends AnyRow>(t: {
  name: string;
  version: string;
  profile: ProfileName;
  rowMeaning: string;
  columns: Columns<Row>;
}): TableDefinition<Row> {
  const input: Record<string, ColumnInput> = {};
  for (const c of t.columns.list) if (Object.keys(c.input).length > 0) input[c.name] = c.input;
  return { ...t, fields: t.columns.fields, input };
}

/** An OptionReader over plain values (library use and tests; pipelines read their YAML). */
export function optionsFrom(values: Readonly<Record<string, string | boolean | undefined>>): OptionReader {
  return {
    string: (key) => {
      const v = values[key];
      return v === undefined ? undefined : String(v);
    },
    bool: (key) => {
      const v = values[key];
      return typeof v === 'boolean' ? v : v === undefined ? undefined : v === 'true';
    },
  };
}
