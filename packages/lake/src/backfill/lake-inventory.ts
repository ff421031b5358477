/**
 * One listing of a lake, sorted into what `verify` looks at: the data files (by table, with
 * the ledgers their names claim and the partition directory they sit in), the state of an
 * unsharded run (`_checkpoints/`), every shard of every recorded plan (`_shards/`: plan,
 * progress, checkpoints, leases), and writes that never finished.
 */
import type { ObjectStore, PendingWrite } from '../storage/index.js';
import { loadCheckpointsIn, type Checkpoint } from '../consumer/checkpoint.js';
import { parseDataFileName } from '../consumer/file-naming.js';
import { readLease, type LeaseBody } from '../consumer/shard-lease.js';
import type { ShardPlan } from '../consumer/shard-plan.js';
import { readProgress, type ShardProgress } from '../consumer/shard-progress.js';
import { SHARDS_DIR } from '../consumer/shard-scope.js';

export interface DataFile {
  key: string;
  size: number;
  table: string;
  first: number;
  last: number;
  part: number | undefined;
  /** The directory of the table the file is in (first path segment under the prefix). */
  tableDir: string;
  /** The partition path between the table directory and the file name. */
  partition: string;
}

export interface ShardState {
  plan: ShardPlan | undefined;
  planStart: number;
  planEnd: number;
  index: number;
  count: number;
  dir: string;
  progress: ShardProgress | undefined;
  checkpoints: Checkpoint[];
  leases: { key: string; body: LeaseBody | undefined }[];
}

export interface LakeInventory {
  files: DataFile[];
  /** `.parquet` objects whose names are not data file names. */
  strays: string[];
  checkpoints: Checkpoint[];
  shards: ShardState[];
  plans: { key: string; plan: ShardPlan | undefined }[];
  pendingWrites: PendingWrite[];
}

const SHARD_KEY = /^(\d+)-(\d+)\/shard-(\d+)-of-(\d+)\/(.+)$/;
const PLAN_KEY = /^(\d+)-(\d+)\/plan\.json$/;

async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(key))) as T;
  } catch {
    return undefined;
  }
}

export async function takeInventory(store: ObjectStore, prefix: string): Promise<LakeInventory> {
  const base = prefix === '' ? '' : `${prefix}/`;
  const inv: LakeInventory = { files: [], strays: [], checkpoints: [], shards: [], plans: [], pendingWrites: [] };
  const shards = new Map<string, ShardState>();
  for await (const e of store.list(base)) {
    const rel = e.key.slice(base.length);
    if (rel.startsWith(`${SHARDS_DIR}/`)) {
      const sub = rel.slice(SHARDS_DIR.length + 1);
      const plan = PLAN_KEY.exec(sub);
      if (plan !== null) {
        inv.plans.push({ key: e.key, plan: await readJson<ShardPlan>(store, e.key) });
        continue;
      }
      const m = SHARD_KEY.exec(sub);
      if (m === null) continue;
      const dir = `${base}${SHARDS_DIR}/${m[1]}-${m[2]}/shard-${m[3]}-of-${m[4]}`;
      let s = shards.get(dir);
      if (s === undefined) {
        s = {
          plan: undefined,
          planStart: Number(m[1]),
          planEnd: Number(m[2]),
          index: Number(m[3]),
          count: Number(m[4]),
          dir,
          progress: undefined,
          checkpoints: [],
          leases: [],
        };
        shards.set(dir, s);
      }
      if (/^lease-\d+\.json$/.test(m[5]!)) s.leases.push({ key: e.key, body: await readLease(store, e.key) });
      continue;
    }
    if (rel.startsWith('_')) continue; // _checkpoints, _schemas, _rejected: read below or not checked
    if (!rel.endsWith('.parquet')) continue;
    const slash = rel.indexOf('/');
    const last = rel.lastIndexOf('/');
    const f = parseDataFileName(rel.slice(last + 1));
    if (f === undefined || slash < 0) {
      inv.strays.push(e.key);
      continue;
    }
    inv.files.push({
      key: e.key,
      size: e.size,
      table: f.table,
      first: f.first,
      last: f.last,
      part: f.part,
      tableDir: rel.slice(0, slash),
      partition: slash === last ? '' : rel.slice(slash + 1, last),
    });
  }
  inv.checkpoints = await loadCheckpointsIn(store, `${base}_checkpoints`);
  for (const s of shards.values()) {
    s.plan = inv.plans.find((p) => p.key === `${base}${SHARDS_DIR}/${s.planStart}-${s.planEnd}/plan.json`)?.plan;
    s.progress = await readProgress(store, s.dir).catch(() => undefined);
    s.checkpoints = await loadCheckpointsIn(store, `${s.dir}/checkpoints`);
    inv.shards.push(s);
  }
  inv.pendingWrites = (await store.pendingWrites?.(base)) ?? [];
  return inv;
}
