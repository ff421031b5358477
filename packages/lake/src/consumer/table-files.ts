/**
 * A table's files: sealing a complete ledger into the open file, rotating files on the rules
 * of rotation.ts, splitting a ledger larger than buffer_size into numbered parts, and
 * handing each finished file to the commit lane. Open files hold whole ledgers only (or one
 * part of one), so a file can end at any ledger boundary.
 */
import type { SaveToParquetConfig } from './config.js';
import type { LogFn } from './consumer.js';
import type { InputRecord } from './message-input.js';
import { partitionOf } from './partitioning.js';
import { rotateAfter, rotateBefore, type RotationLimits } from './rotation.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { ColumnOptions } from 'cdp-parquet';
import { BufferedFile, StreamingFile, type FileOptions, type FinishedFile, type OpenFile, type RejectedRow } from './table-writer.js';
import type { Pending, TableState } from './table-state.js';

export interface TableFilesDeps {
  config: Pick<SaveToParquetConfig, 'partition_by' | 'ledgers_per_file' | 'schema_evolution'>;
  limits: RotationLimits;
  fileOptions: FileOptions;
  registry: SchemaRegistry;
  now(): number;
  log: LogFn;
  /** A row the file's schema refused (inferred tables decide at finish). */
  rejected(rec: InputRecord, reason: string): void;
  /** Store a finished file (the commit lane); `firstOffered` orders the table's checkpoints. */
  commit(file: FinishedFile, firstOffered: number): Promise<void>;
  /** A file could not be finished and its rows are lost: returns the error to throw. */
  lost(table: string, file: OpenFile, cause: unknown): Error;
}

export class TableFiles {
  /** Each open or finishing file's number in its table (TableState.filesOpened). */
  private readonly numbers = new WeakMap<OpenFile, number>();

  constructor(private readonly deps: TableFilesDeps) {}

  /** Moves a table's complete pending ledger into its open file, rotating around it as the rules say. */
  async seal(t: TableState): Promise<void> {
    const p = t.pending;
    if (p === undefined) return;
    if (p.parts > 0) {
      // A ledger already split into parts: its remainder is the last part.
      if (p.rows.length > 0) await this.writePart(t, p.rows.length);
      t.pending = undefined;
      return;
    }
    const partition = this.partitionOf(p);
    const { limits } = this.deps;
    if (t.open !== undefined) {
      const why = rotateBefore(t.open, partition, p.rows.length, limits);
      if (why !== undefined) await this.rotate(t, why);
    }
    t.open ??= this.newFile(t, partition, undefined);
    const rows = p.rows;
    t.pending = undefined;
    let rejected: RejectedRow[];
    try {
      rejected = await t.open.add(rows, p.ledger);
    } catch (err) {
      t.pending = p; // these rows stay pending, for a retry or the replay after a restart
      if (!t.open.usable) {
        // The writer failed: the file's earlier rows cannot be stored any more.
        const f = t.open;
        t.open = undefined;
        t.finishing.push(f.firstOffered);
        throw await this.lose(t, f, err);
      }
      throw err;
    }
    for (const r of rejected) this.deps.rejected(r.rec, r.reason);
    const why = rotateAfter(t.open, limits);
    if (why !== undefined) await this.rotate(t, why);
  }

  /** Writes the first `count` pending rows of a ledger larger than buffer_size as a numbered part file. */
  async writePart(t: TableState, count: number): Promise<void> {
    const p = t.pending!;
    if (t.open !== undefined) await this.rotate(t, `ledger ${p.ledger} alone exceeds buffer_size`);
    const rows = p.rows.slice(0, count);
    const f = this.newFile(t, this.partitionOf(p), p.parts + 1);
    let rejected: RejectedRow[];
    try {
      rejected = await f.add(rows, p.ledger);
    } catch (err) {
      // The rows are still pending (a retry writes them to a new part file); this one's staging goes.
      await f.discard().catch(() => undefined);
      throw err;
    }
    p.rows = p.rows.slice(count);
    p.parts++;
    for (const r of rejected) this.deps.rejected(r.rec, r.reason);
    await this.finishAndCommit(t, f, `part ${p.parts} of ledger ${p.ledger}`);
  }

  /** Ends the table's open file (if any) and commits it; `why` is logged. */
  async rotate(t: TableState, why: string): Promise<void> {
    const f = t.open;
    if (f === undefined) return;
    t.open = undefined;
    await this.finishAndCommit(t, f, why);
  }

  /**
   * A file whose rows went down with its writer (an encode thread that died, a staging
   * write that failed): they cannot be written again from here. The caller leaves its first
   * ledger in `finishing` for good, so no checkpoint of the table passes it and a restart
   * replays those ledgers; the consumer takes no more input (deps.lost). Returns the error
   * to throw.
   */
  private async lose(t: TableState, f: OpenFile, cause: unknown): Promise<Error> {
    await f.discard().catch(() => undefined);
    return this.deps.lost(t.name, f, cause);
  }

  private partitionOf(p: Pending): string {
    const { config } = this.deps;
    return partitionOf(config.partition_by, p.ledger, p.closeTimeMs, config.ledgers_per_file).path;
  }

  private newFile(t: TableState, partition: string, part: number | undefined): OpenFile {
    const { fileOptions, registry, config } = this.deps;
    const now = this.deps.now();
    const number = ++t.filesOpened;
    let file: OpenFile;
    if (t.fixed !== undefined) {
      // A fixed table's files say which profile of its dataset they follow (verify and readers can tell).
      const options = { ...fileOptions, columns: this.columnsFor(t, number), lineage: { ...fileOptions.lineage, profile: t.fixed.schema.profile } };
      const spare = t.spareWriter;
      t.spareWriter = undefined;
      file = new StreamingFile(t.name, partition, part, now, options, t.fixed.fields, t.fixed.schema.version, spare);
    } else {
      file = new BufferedFile(t.name, partition, part, now, fileOptions, registry, config.schema_evolution);
    }
    this.numbers.set(file, number);
    return file;
  }

  /**
   * The per-column options of the table's file number `n`: what the dictionaries of its
   * files up to n - 2 taught (DictionaryMemory). Not n - 1: with encode threads file n opens
   * while n - 1 is still finishing in the background, and the same rule with or without
   * threads keeps their files the same bytes. Footers of later files wait in `verdicts`.
   */
  private columnsFor(t: TableState, n: number): Record<string, ColumnOptions> | undefined {
    t.verdicts.sort((a, b) => a.file - b.file);
    while (t.verdicts.length > 0 && t.verdicts[0]!.file <= n - 2) {
      const v = t.verdicts.shift()!;
      t.dictionaries.learn(v.footer, v.judged);
    }
    return t.dictionaries.columnOptions();
  }

  /**
   * Finishes a file and hands it to the commit lane. With encode threads the finish mostly
   * waits for them to encode the file's last pages (a 10,000-row file's pages all go at the
   * end), and the message flow would sit idle meanwhile. So such a file finishes in the background, queued behind the table's earlier
   * ones so files reach the lane in order, while its first ledger stays in `finishing` for
   * the checkpoints. At most MAX_BACKGROUND_FINISHES per table: beyond it the flow waits,
   * which also carries the lane's backpressure over, and which makes the file before the
   * previous one finished when the next opens (see columnsFor). A background failure is reported
   * through deps.lost, as a failure here is, and the consumer takes no more input from then on.
   */
  private async finishAndCommit(t: TableState, f: OpenFile, why: string): Promise<void> {
    if (f.rows === 0) {
      await f.discard();
      return;
    }
    const firstOffered = f.firstOffered;
    t.finishing.push(firstOffered);
    if (!f.finishesOffThread) {
      await this.complete(t, f, why, firstOffered, settle(f.finish()));
      return;
    }
    if (t.finishesInFlight >= MAX_BACKGROUND_FINISHES) await t.finishQueue;
    // Started now, so its pages go to the threads at once; settled at once, so a failure
    // while earlier files are still queued is never an unhandled rejection.
    const finished = settle(f.finish());
    t.finishesInFlight++;
    t.finishQueue = t.finishQueue
      .then(() => this.complete(t, f, why, firstOffered, finished))
      .catch(() => undefined) // reported by complete() through deps.lost
      .finally(() => {
        t.finishesInFlight--;
      });
  }

  /** Waits for the table's background finishes (flush and close). */
  async settled(t: TableState): Promise<void> {
    await t.finishQueue;
  }

  private async complete(t: TableState, f: OpenFile, why: string, firstOffered: number, finished: Promise<Settled<FinishedFile>>): Promise<void> {
    const result = await finished;
    if (!result.ok) throw await this.lose(t, f, result.error); // firstOffered stays in finishing
    const file = result.value;
    t.finishing.splice(t.finishing.indexOf(firstOffered), 1);
    t.spareWriter ??= f.spareWriter;
    if (t.fixed !== undefined && file.footer !== undefined) t.verdicts.push({ file: this.numbers.get(f)!, footer: file.footer, judged: file.judged });
    this.deps.log('debug', `rotating ${t.name} ${file.partition} ledgers ${file.first}-${file.last} (${file.rows} rows): ${why}`);
    await this.deps.commit(file, firstOffered);
  }
}

/**
 * Files of one table that may finish in the background at once (see finishAndCommit). One:
 * a 10,000-row file's finish is done long before the next file fills, and columnsFor needs
 * file n - 2 finished when file n opens.
 */
export const MAX_BACKGROUND_FINISHES = 1;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
