/**
 * What SaveToParquet does on start-up, before it takes a message: clean up after a run that
 * was killed, and read back what is durable (checkpoints, schemas).
 */
import type { ObjectStore } from '../storage/index.js';
import { loadCheckpointsIn } from './checkpoint.js';
import type { LogFn } from './consumer.js';
import type { SchemaRegistry, StoredSchema } from './schema-registry.js';
import type { LakeScope } from './shard-scope.js';
import type { TableState } from './table-state.js';

export interface RecoveryContext {
  store: ObjectStore;
  /** Where this run's state is and what under path_prefix is its own. */
  scope: LakeScope;
  dryRun: boolean;
  log: LogFn;
  registry: SchemaRegistry;
  /** The consumer's state of a table (created on first use). */
  table(name: string): TableState;
}

export async function recoverLake(c: RecoveryContext): Promise<void> {
  const { store, scope, dryRun, log } = c;
  const prefix = scope.prefix;
  // Nothing of this consumer is uploading yet: every write still open for a key it owns
  // (its range, for a shard) was left by a run that was killed mid-upload, and S3 parts
  // cost storage until aborted. Other runs' keys are theirs to finish.
  if (!dryRun && store.abortPendingUploads !== undefined) {
    const aborted = await store.abortPendingUploads(prefix === '' ? '' : `${prefix}/`, new Date(), (key) => scope.owns(key));
    if (aborted > 0)
      log(
        'info',
        `aborted ${aborted} unfinished ${store.kind === 's3' ? 'multipart upload(s)' : 'write(s)'} under ${store.describe(prefix || '.')} left by an earlier run`,
      );
  }
  for (const cp of await loadCheckpointsIn(store, scope.checkpointDir)) {
    const t = c.table(cp.table);
    // Files committed after the checkpoint: the replay from checkpoint + 1 writes them again.
    for (const p of cp.pending) {
      if (!dryRun) await store.delete(p.key);
      log('info', `removed ${p.key}: committed after the last checkpoint of ${cp.table}, the replay rewrites it`);
    }
    t.durable = { table: cp.table, ledger: cp.ledger, pending: [], since: cp.since, rows: cp.rows };
    t.startCheckpoint = cp.ledger;
  }
  for await (const entry of store.list(scope.schemaDir + '/')) {
    if (!entry.key.endsWith('.json')) continue;
    const s = JSON.parse(new TextDecoder().decode(await store.get(entry.key))) as StoredSchema;
    c.registry.load(s);
  }
}
