import { resolve } from 'node:path';
import type { LedgerProcessor } from '../processors/processor.js';
import { fsRootOf } from '../../storage/index.js';
import type { PipelineMessage } from '../message.js';
import { ConfigReader } from '../config/config-reader.js';
import { PipelineConfigError, type ComponentSpec, type PipelineSpec } from '../config/pipeline-config.js';
import { resolvePassphrase } from './network.js';
import { StdoutConsumer } from './stdout-consumer.js';
import { FilterProcessor, type RowProcessor } from './filter-processor.js';
import { DatasetProcessor } from '../processors/dataset-processor.js';
import { DATASETS, datasetCatalog, datasetOfProcessor, isProfile } from '../../datasets/registry.js';
import { PROFILES } from '../../datasets/dataset.js';
import type { SaveToParquetDeps } from '../../consumer/save-to-parquet.js';

/** What the host needs of a consumer; SaveToParquet and StdoutConsumer implement it. */
export interface HostConsumer {
  readonly name: string;
  process(msg: PipelineMessage): Promise<void>;
  /** Optional: a ledger's messages in one call, in order (as process() for each). */
  processBatch?(msgs: readonly PipelineMessage[]): Promise<void>;
  /** Optional: called after each ledger's rows, so the consumer can seal it right away. */
  ledgerComplete?(ledger: number): Promise<void>;
  /**
   * Optional: the input stopped between two messages that may belong to one ledger (a
   * message source failed or was stopped part way), so close() must not store the last
   * ledger seen as if it were whole.
   */
  inputInterrupted?(): void;
  close(): Promise<void>;
  /** First ledger this consumer still needs (its checkpoint + 1), if it keeps checkpoints. */
  resumeLedger?(): number | undefined;
  /** Counters; the host's progress line reads files_written and bytes_written. */
  getMetrics?(): { readonly files_written?: number; readonly bytes_written?: number };
  prometheusMetrics?(): string;
}

const CONSUMER_TYPES = ['SaveToParquet', 'StdoutConsumer'] as const;

/** Processor types: each ledger dataset's (and its aliases), then the row processors. */
export function processorTypes(): string[] {
  return [...DATASETS.filter((d) => d.open !== undefined).flatMap((d) => [d.processor, ...d.processorAliases]), 'Filter'];
}

export interface Processors {
  /** See every ledger; each emits rows for its own table. */
  extractors: LedgerProcessor[];
  /** Run in order over every row the extractors (or a message source) produce. */
  chain: RowProcessor[];
}

export async function createProcessors(
  specs: ComponentSpec[],
  sourcePassphrase: string | undefined,
  log?: (level: 'warn', msg: string) => void,
): Promise<Processors> {
  const extractors: LedgerProcessor[] = [];
  const chain: RowProcessor[] = [];
  const tables = new Map<string, string>();
  for (const spec of specs) {
    const c = new ConfigReader(spec.config, spec.where);
    if (spec.type === 'Filter') {
      chain.push(FilterProcessor.fromConfig(c));
      continue;
    }
    const dataset = datasetOfProcessor(spec.type);
    if (dataset?.open === undefined) {
      throw new PipelineConfigError(`${spec.where}: unknown processor type '${spec.type}'; known: ${processorTypes().join(', ')}`);
    }
    if (chain.length > 0) throw new PipelineConfigError(`${spec.where}: ledger extractors must come before row processors`);
    const profileName = c.string('profile') ?? 'default';
    const supported = PROFILES.filter((p) => dataset.tables[p] !== undefined);
    if (!isProfile(profileName) || dataset.tables[profileName] === undefined) {
      throw new PipelineConfigError(`${spec.where}: config key 'profile' must be one of ${supported.join(', ')}, got ${JSON.stringify(profileName)}`);
    }
    const networkPassphrase = resolvePassphrase(c.string('network_passphrase') ?? c.string('network')) ?? sourcePassphrase;
    c.allow(...dataset.options.map((o) => o.name));
    c.finish();
    let processor: DatasetProcessor;
    try {
      processor = new DatasetProcessor(dataset, { profile: profileName, networkPassphrase, options: c, warn: (msg) => log?.('warn', msg) });
    } catch (err) {
      throw new PipelineConfigError(`${spec.where}: ${(err as Error).message}`);
    }
    // Two processors writing one table would interleave two schemas (or duplicate rows).
    const other = tables.get(processor.table);
    if (other !== undefined)
      throw new PipelineConfigError(`${spec.where}: writes table ${processor.table}, as ${other} does; a table has one producer per pipeline`);
    tables.set(processor.table, spec.where);
    extractors.push(processor);
  }
  return { extractors, chain };
}

/** What every SaveToParquet of a sharded run gets (shard-run.ts). */
export type ConsumerDeps = Pick<SaveToParquetDeps, 'shard' | 'lease'>;

export async function createConsumers(
  specs: ComponentSpec[],
  log: (level: 'info' | 'debug' | 'warn' | 'error', msg: string) => void,
  deps: ConsumerDeps = {},
): Promise<HostConsumer[]> {
  const consumers: HostConsumer[] = [];
  try {
    for (const spec of specs) consumers.push(await createConsumer(spec, log, deps));
  } catch (err) {
    // The ones already made let go of what they hold (a shard's lease).
    for (const c of consumers) await c.close().catch(() => undefined);
    throw err;
  }
  return consumers;
}

async function createConsumer(
  spec: ComponentSpec,
  log: (level: 'info' | 'debug' | 'warn' | 'error', msg: string) => void,
  deps: ConsumerDeps,
): Promise<HostConsumer> {
  switch (spec.type) {
    case 'SaveToParquet': {
      const { SaveToParquet } = await import('../../consumer/index.js');
      try {
        return await SaveToParquet.create(spec.config, { log, tables: datasetCatalog(), ...deps });
      } catch (err) {
        throw new PipelineConfigError(`${spec.where}: ${(err as Error).message}`, { cause: err });
      }
    }
    case 'StdoutConsumer': {
      const c = new ConfigReader(spec.config, spec.where);
      const pretty = c.bool('pretty') ?? false;
      c.finish();
      return new StdoutConsumer(process.stdout, pretty, datasetCatalog());
    }
    default:
      throw new PipelineConfigError(`${spec.where}: unknown consumer type '${spec.type}'; known: ${CONSUMER_TYPES.join(', ')}`);
  }
}

/**
 * A lake (store + path_prefix) belongs to one SaveToParquet: at start-up it deletes files
 * committed after its checkpoints and aborts unfinished uploads under its prefix, which
 * would break another consumer writing there. Refuses two consumers on the same lake.
 */
export async function checkLakesNotShared(specs: readonly PipelineSpec[]): Promise<void> {
  const { parseConfig, storeUrlOf } = await import('../../consumer/index.js');
  const owners = new Map<string, string>();
  for (const spec of specs) {
    for (const c of spec.consumers) {
      if (c.type !== 'SaveToParquet') continue;
      let lake: string;
      try {
        const cfg = parseConfig(c.config);
        // A directory as the FS store resolves it (file:// URLs, ~, relative paths).
        const url = cfg.storage_type === 'FS' ? resolve(fsRootOf(storeUrlOf(cfg))) : storeUrlOf(cfg);
        lake = `${url}/${cfg.path_prefix}`.replace(/\/+$/, '');
      } catch {
        continue; // reported with its key when the consumer is created
      }
      const other = owners.get(lake);
      if (other !== undefined) {
        throw new PipelineConfigError(
          `${c.where}: writes to ${lake}, as ${other} does; a path_prefix belongs to one consumer (its checkpoints and start-up clean-up assume it): give each its own path_prefix`,
        );
      }
      owners.set(lake, c.where);
    }
  }
}
