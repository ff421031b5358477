/**
 * `cdp-parquet verify`: is every ledger of [start, end] stored exactly once in every table?
 *
 * From one listing and the footers of the data files in the range (read in parallel with
 * ranged reads), per table: the files' ledger ranges must not overlap (a ledger held by two
 * files), and every ledger must lie in a file's range or be proven processed without rows by
 * the run that covered it: an unsharded run's checkpoints (from their `since` to their
 * ledger) or a shard's progress and checkpoints (from its start). Each file is checked on
 * its own too (footer-check.ts), and writes left unfinished, leases and files committed
 * after a checkpoint are reported as leftovers. The lake passes only without any defect.
 */
import type { ObjectStore } from '../storage/index.js';
import type { Checkpoint } from '../consumer/checkpoint.js';
import { assignShard } from '../consumer/shard-plan.js';
import { checkFile, type CheckedFile } from './footer-check.js';
import { takeInventory, type DataFile, type LakeInventory, type ShardState } from './lake-inventory.js';
import { clip, gaps, show, size, union, type Interval } from './ledger-intervals.js';

export type DefectKind = 'missing' | 'duplicate' | 'unreadable' | 'truncated' | 'outside_partition' | 'inconsistent' | 'leftover';

interface Defect {
  kind: DefectKind;
  table?: string;
  key?: string;
  ledgers?: [number, number];
  detail: string;
}

interface TableSummary {
  table: string;
  files: number;
  rows: number;
  ledgers_with_rows: number;
  missing_ledgers: number;
  duplicate_ledgers: number;
}

export interface VerifyReport {
  lake: string;
  start: number;
  end: number;
  ok: boolean;
  tables: TableSummary[];
  counts: Record<DefectKind, number>;
  defects: Defect[];
  files_checked: number;
  bytes_read: number;
}

export interface VerifyProgress {
  filesDone: number;
  filesTotal: number;
  defects: number;
}

export interface VerifyOptions {
  store: ObjectStore;
  /** The lake's path_prefix inside the store ('' for its root). */
  prefix: string;
  start: number;
  end: number;
  /** Tables to check (default: every table the lake has files or checkpoints of). */
  tables?: readonly string[];
  /** Footers read at once (default 32). */
  concurrency?: number;
  onProgress?: (p: VerifyProgress) => void;
  now?: () => number;
}

const KINDS: DefectKind[] = ['missing', 'duplicate', 'unreadable', 'truncated', 'outside_partition', 'inconsistent', 'leftover'];

/** Ledgers of `table` a run processed, rows or not: unsharded checkpoints and shard progress. */
function provenFor(table: string, inv: LakeInventory): Interval[] {
  const out: Interval[] = [];
  const fromCheckpoints = (cps: readonly Checkpoint[], from: (cp: Checkpoint) => number | undefined): number | undefined => {
    // A table with no checkpoint had no rows wherever another table's checkpoint reached
    // (a table gets its first checkpoint before any other moves past its rows).
    const own = cps.find((c) => c.table === table);
    const vouching = own !== undefined ? [own] : cps;
    let best: number | undefined;
    for (const c of vouching) {
      const since = from(c);
      if (since === undefined || c.ledger < since) continue;
      out.push([since, c.ledger]);
      best = Math.max(best ?? -Infinity, c.ledger);
    }
    return best;
  };
  fromCheckpoints(inv.checkpoints, (c) => c.since);
  for (const s of inv.shards) {
    const shardStart = s.progress?.start ?? (s.plan !== undefined && s.index < s.plan.count ? assignShard(s.plan, s.index).start : undefined);
    if (shardStart === undefined) {
      fromCheckpoints(s.checkpoints, (c) => c.since);
      continue;
    }
    if (s.progress !== undefined && s.progress.done_through >= shardStart) out.push([shardStart, Math.min(s.progress.done_through, s.progress.end)]);
    fromCheckpoints(s.checkpoints, () => shardStart);
  }
  return union(out);
}

function leftovers(inv: LakeInventory, now: number): Defect[] {
  const out: Defect[] = [];
  for (const w of inv.pendingWrites) {
    out.push({
      kind: 'leftover',
      key: w.key,
      detail: `an unfinished write of ${w.key}${w.started ? ` started ${w.started.toISOString()}` : ''} (a killed writer's; its run removes it when restarted)`,
    });
  }
  const pending = (cps: readonly Checkpoint[], who: string): void => {
    for (const c of cps) {
      for (const p of c.pending) {
        out.push({
          kind: 'leftover',
          table: c.table,
          key: p.key,
          detail: `${p.key} was committed after the last checkpoint of ${c.table} (${c.ledger}) of ${who}; its restart removes and rewrites it`,
        });
      }
    }
  };
  pending(inv.checkpoints, 'the unsharded run');
  for (const s of inv.shards) {
    pending(s.checkpoints, `shard ${s.index}/${s.count}`);
    for (const l of s.leases) {
      const live = l.body !== undefined && l.body.expires_at > now;
      out.push({
        kind: 'leftover',
        key: l.key,
        detail:
          `lease of shard ${s.index}/${s.count} held by ${l.body?.holder ?? 'unknown'}, ` +
          `${live ? 'live until' : 'expired at'} ${new Date(l.body?.expires_at ?? 0).toISOString()}${live ? ' (the shard is running)' : ' (its holder died)'}`,
      });
    }
  }
  for (const p of inv.plans) if (p.plan === undefined) out.push({ kind: 'leftover', key: p.key, detail: `${p.key} is not a readable shard plan` });
  return out;
}

/** Rows of the files in `checked` that lie in [from, to]. */
function rowsIn(checked: readonly CheckedFile[], from: number, to: number): number {
  let n = 0;
  for (const c of checked) {
    if (c.file.last < from || c.file.first > to) continue;
    for (const [l, r] of c.account?.ledgerRows ?? []) if (l >= from && l <= to) n += r;
  }
  return n;
}

/**
 * Each checkpoint counts the rows its run committed in its stretch (checkpoint.ts): fewer in
 * the files means a file of that run is gone; more, that files of that stretch came from
 * elsewhere. Only stretches inside the checked range can be counted whole.
 */
function rowAccounts(table: string, files: readonly CheckedFile[], inv: LakeInventory, start: number, end: number): Defect[] {
  const out: Defect[] = [];
  const check = (cp: Checkpoint | undefined, from: number | undefined, who: string): void => {
    if (cp === undefined || cp.rows === undefined || from === undefined || cp.ledger < from || from < start || cp.ledger > end) return;
    const found = rowsIn(files, from, cp.ledger);
    if (found === cp.rows) return;
    const range: [number, number] = [from, cp.ledger];
    out.push(
      found < cp.rows
        ? {
            kind: 'missing',
            table,
            ledgers: range,
            detail: `${table}: ${who} committed ${cp.rows} rows in ledgers ${show(range)}, the files there hold ${found}: ${cp.rows - found} rows are in no file (a file was removed?)`,
          }
        : {
            kind: 'duplicate',
            table,
            ledgers: range,
            detail: `${table}: ${who} committed ${cp.rows} rows in ledgers ${show(range)}, the files there hold ${found}: ${found - cp.rows} rows more than it wrote`,
          },
    );
  };
  check(
    inv.checkpoints.find((c) => c.table === table),
    inv.checkpoints.find((c) => c.table === table)?.since,
    'the unsharded run',
  );
  for (const s of inv.shards) {
    const cp = s.checkpoints.find((c) => c.table === table);
    check(cp, cp?.since ?? s.progress?.start, `shard ${s.index}/${s.count}`);
  }
  return out;
}

/** Overlapping file ranges of one table; parts of one ledger split over several files are not overlaps. */
function overlaps(files: readonly CheckedFile[]): { a: DataFile; b: DataFile; ledgers: Interval }[] {
  const sorted = [...files].sort((x, y) => x.file.first - y.file.first || x.file.last - y.file.last);
  const out: { a: DataFile; b: DataFile; ledgers: Interval }[] = [];
  let reach: DataFile | undefined;
  for (const { file } of sorted) {
    if (reach !== undefined && file.first <= reach.last) {
      const parts = file.part !== undefined && reach.part !== undefined && file.first === file.last && reach.first === reach.last && file.first === reach.first;
      if (!parts) out.push({ a: reach, b: file, ledgers: [file.first, Math.min(file.last, reach.last)] });
    }
    if (reach === undefined || file.last > reach.last) reach = file;
  }
  return out;
}

async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export async function verifyLake(o: VerifyOptions): Promise<VerifyReport> {
  const { store, start, end } = o;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 1 || end < start) {
    throw new RangeError(`verify needs 1 <= start <= end, got start ${start} and end ${end}`);
  }
  const inv = await takeInventory(store, o.prefix);
  const now = (o.now ?? Date.now)();
  const known = new Set<string>([
    ...inv.files.map((f) => f.table),
    ...inv.checkpoints.map((c) => c.table),
    ...inv.shards.flatMap((s) => s.checkpoints.map((c) => c.table)),
  ]);
  const tables = o.tables !== undefined && o.tables.length > 0 ? [...new Set(o.tables)] : [...known].sort();
  const selected = new Set(tables);
  const inRange = inv.files.filter((f) => selected.has(f.table) && f.last >= start && f.first <= end);
  const defects: Defect[] = [];
  for (const key of inv.strays)
    defects.push({ kind: 'outside_partition', key, detail: `${key} is not named <table>-<first>-<last>.parquet: not a file of this lake's layout` });

  let done = 0;
  let problems = 0;
  const checked = await inParallel(inRange, o.concurrency ?? 32, async (f) => {
    const c = await checkFile(store, f);
    done++;
    problems += c.problems.length;
    o.onProgress?.({ filesDone: done, filesTotal: inRange.length, defects: problems });
    return c;
  });
  const summaries: TableSummary[] = [];
  for (const table of tables) {
    const files = checked.filter((c) => c.file.table === table);
    let rows = 0;
    const withRows = new Set<number>();
    for (const c of files) {
      for (const p of c.problems) defects.push({ kind: p.kind, table, key: c.file.key, ledgers: [c.file.first, c.file.last], detail: p.detail });
      for (const [l, n] of c.account?.ledgerRows ?? []) {
        if (l < start || l > end || n === 0) continue;
        rows += n;
        withRows.add(l);
      }
    }
    // Only whole files stand for their ledgers; a broken one's ledgers count as missing.
    const good = files.filter((c) => c.problems.every((p) => p.kind !== 'unreadable' && p.kind !== 'truncated'));
    let duplicate = 0;
    for (const { a, b, ledgers } of overlaps(good)) {
      const within = clip(ledgers, start, end);
      if (within === undefined) continue;
      duplicate += size([within]);
      defects.push({
        kind: 'duplicate',
        table,
        key: b.key,
        ledgers: [within[0], within[1]],
        detail: `ledgers ${show(within)} are held by two files: ${a.key} and ${b.key}`,
      });
    }
    defects.push(...rowAccounts(table, good, inv, start, end));
    const covered = union([...good.map((c): Interval => [c.file.first, c.file.last]), ...provenFor(table, inv)]);
    const missing = gaps(start, end, covered);
    for (const m of missing) {
      defects.push({
        kind: 'missing',
        table,
        ledgers: [m[0], m[1]],
        detail: `${table}: ledgers ${show(m)} (${size([m])}) are in no file and no run says it processed them${hintFor(m, inv)}`,
      });
    }
    summaries.push({ table, files: files.length, rows, ledgers_with_rows: withRows.size, missing_ledgers: size(missing), duplicate_ledgers: duplicate });
  }
  defects.push(...leftovers(inv, now));
  const counts = Object.fromEntries(KINDS.map((k) => [k, defects.filter((d) => d.kind === k).length])) as Record<DefectKind, number>;
  return {
    lake: store.describe(o.prefix || '.'),
    start,
    end,
    ok: defects.length === 0,
    tables: summaries,
    counts,
    defects,
    files_checked: checked.length,
    bytes_read: checked.reduce((n, c) => n + c.bytesRead, 0),
  };
}

/** Which shard should have covered a missing range, when a plan says. */
function hintFor(m: Interval, inv: LakeInventory): string {
  const shards: ShardState[] = inv.shards.filter((s) => s.progress !== undefined && s.progress.end >= m[0] && s.progress.start <= m[1]);
  if (shards.length === 0) {
    const plan = inv.plans.find((p) => p.plan !== undefined && p.plan.end >= m[0] && p.plan.start <= m[1]);
    return plan === undefined ? '' : ` (a shard of the plan ${plan.key} has not recorded any progress there)`;
  }
  return ` (${shards.map((s) => `shard ${s.index}/${s.count} is done through ${s.progress!.done_through}${s.progress!.complete ? '' : ', not complete'}`).join('; ')})`;
}
