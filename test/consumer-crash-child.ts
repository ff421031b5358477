// Child process of consumer-crash.test.ts: resumes from the consumer's checkpoints and feeds
// ledgers up to argv[3], printing "at <ledger>" after each, until it is killed (-9) or done.
import { SaveToParquet } from '../packages/lake/src/consumer/index.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import { closeOf, messagesFor } from './consumer-helpers.js';

const tables = datasetCatalog();

const [dir, last] = [process.argv[2]!, Number(process.argv[3])];
const c = await SaveToParquet.create(
  // A tiny rotation interval makes file boundaries depend on timing, as in production.
  { storage_type: 'FS', local_path: dir, path_prefix: 'lake', buffer_size: 6, rotation_interval_minutes: 0.0003 },
  { tables, log: () => undefined },
);
const from = c.resumeLedger() ?? 1;
process.stdout.write(`resume ${from}\n`);
for (let l = from; l <= last; l++) {
  const custom = {
    payload: JSON.stringify({ ledger_sequence: l, v: l * 1.5, tag: `t${l}` }),
    metadata: { table: 'custom', ledger_sequence: l, ledger_close_time: closeOf(l) },
  };
  if (l % 2 === 0) {
    // As the pipeline host delivers: a ledger in one batch, then declared complete.
    await c.processBatch([...messagesFor(l, l), custom]);
    await c.ledgerComplete(l);
  } else {
    for (const m of messagesFor(l, l)) await c.process(m);
    await c.process(custom);
  }
  process.stdout.write(`at ${l}\n`);
}
await c.close();
process.stdout.write('DONE\n');
