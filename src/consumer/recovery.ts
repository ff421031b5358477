/**
 * What SaveToParquet does on start-up, before it takes a message: clean up after a run that
 * was killed, and read back what is durable (checkpoints, schemas).
 */
import type { ObjectStore } from '../storage/index.js';
import { loadCheckpoints } from './checkpoint.js';
import type { LogFn } from './consumer.js';
import { joinKey } from './file-naming.js';
import type { SchemaRegistry, StoredSchema } from './schema-registry.js';
import type { TableState } from './table-state.js';

export interface RecoveryContext {
  store: ObjectStore;
  prefix: string;
  dryRun: boolean;
  log: LogFn;
  registry: SchemaRegistry;
  /** The consumer's state of a table (created on first use). */
  table(name: string): TableState;
}

export async function recoverLake(c: RecoveryContext): Promise<void> {
  const { store, prefix, dryRun, log } = c;
  // A path_prefix belongs to one consumer, and nothing of this one is uploading yet: every
  // multipart upload still open under it was left by a run that was killed mid-upload, and
  // its parts cost storage until aborted.
  if (!dryRun && store.abortPendingUploads !== undefined) {
    const aborted = await store.abortPendingUploads(prefix === '' ? '' : `${prefix}/`, new Date());
    if (aborted > 0) log('info', `aborted ${aborted} unfinished multipart upload(s) under ${store.describe(prefix || '.')} left by an earlier run`);
  }
  for (const cp of await loadCheckpoints(store, prefix)) {
    const t = c.table(cp.table);
    // Files committed after the checkpoint: the replay from checkpoint + 1 writes them again.
    for (const p of cp.pending) {
      if (!dryRun) await store.delete(p.key);
      log('info', `removed ${p.key}: committed after the last checkpoint of ${cp.table}, the replay rewrites it`);
    }
    t.durable = { table: cp.table, ledger: cp.ledger, pending: [] };
    t.startCheckpoint = cp.ledger;
  }
  for await (const entry of store.list(joinKey(prefix, '_schemas') + '/')) {
    if (!entry.key.endsWith('.json')) continue;
    const s = JSON.parse(new TextDecoder().decode(await store.get(entry.key))) as StoredSchema;
    c.registry.load(s);
  }
}
