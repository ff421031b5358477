/**
 * Every dataset, once. Adding a dataset is a new module beside this one and a line here; the
 * pipeline's processor types, SaveToParquet's fixed tables, the JSON-lines bridge and the
 * datasets reference (docs/datasets.md) all follow from this list.
 */
import type { TableCatalog } from '../consumer/table-catalog.js';
import { assetDetails } from './asset-details.js';
import { contractData } from './contract-data.js';
import { contractEvents } from './contract-events.js';
import { contractCode } from './contract-code.js';
import { tokenTransfers } from './token-transfers.js';
import { ttl } from './ttl.js';
import { PROFILES, type Dataset, type ProfileName, type TableDefinition } from './dataset.js';

export const DATASETS: readonly Dataset[] = [contractData, contractEvents, ttl, contractCode, tokenTransfers, assetDetails];

/** The dataset a processor type names (its own name or an alias), if any. */
export function datasetOfProcessor(type: string): Dataset | undefined {
  return DATASETS.find((d) => d.processor === type || d.processorAliases.includes(type));
}

/** Every table definition, in registry then profile order. */
export function allTables(): TableDefinition[] {
  return DATASETS.flatMap((d) => PROFILES.flatMap((p) => (d.tables[p] ? [d.tables[p]] : [])));
}

/**
 * The datasets as SaveToParquet's catalog: a table by name and profile, and a message's
 * table from its producer's name (the processor type, with or without "Processor").
 */
export function datasetCatalog(): TableCatalog {
  const tables = allTables();
  const byKey = new Map(tables.map((t) => [`${t.profile}/${t.name}`, t]));
  return {
    find: (table, profile) => byKey.get(`${profile ?? 'default'}/${table}`),
    tableNamed: (name) => {
      const byTable = tables.find((t) => t.name === name);
      if (byTable !== undefined) return byTable.name;
      const d = datasetOfProcessor(name) ?? datasetOfProcessor(name.replace(/Processor$/, ''));
      return d?.tables.default?.name ?? d?.tables.hubble?.name;
    },
    all: () => tables,
  };
}

export function isProfile(name: string): name is ProfileName {
  return (PROFILES as readonly string[]).includes(name);
}
