/**
 * With encode threads a finished file's last pages are encoded off the message flow's
 * thread, so TableFiles lets the file finish in the background (table-files.ts,
 * finishAndCommit). These tests drive TableFiles with files whose finish the test settles
 * by hand: the flow goes on at once, files still reach the commit lane in their order, a
 * finishing file holds the table's checkpoint below its first ledger until it is committed,
 * at most MAX_BACKGROUND_FINISHES wait per table, and a failure is reported as a lost file.
 * That files are the same bytes with threads or without, over many rotations, is tested in
 * consumer-fs.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BACKGROUND_FINISHES, TableFiles, type TableFilesDeps } from '../packages/lake/src/consumer/table-files.js';
import { TableState } from '../packages/lake/src/consumer/table-state.js';
import { OpenFile, type FinishedFile, type PendingRow, type RejectedRow } from '../packages/lake/src/consumer/table-writer.js';
import type { StagingSink } from '../packages/lake/src/consumer/staging.js';

/** A file whose finish() resolves or rejects when the test says so. */
class HandFinishedFile extends OpenFile {
  discarded = false;
  private settle: { resolve: (f: FinishedFile) => void; reject: (e: Error) => void } | undefined;
  readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor(
    first: number,
    rows: number,
    private readonly offThread = true,
  ) {
    super('t', 'p', undefined, 0, { compression: 'none', rowGroupBytes: 1 << 20 });
    this.first = first;
    this.last = first;
    this.firstOffered = first;
    this.rows = rows;
    this.started = new Promise((r) => (this.markStarted = r));
  }

  get estimatedBytes(): number {
    return 0;
  }

  async add(_rows: readonly PendingRow[], _ledger: number): Promise<RejectedRow[]> {
    return [];
  }

  finish(): Promise<FinishedFile> {
    this.markStarted();
    return new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  override get finishesOffThread(): boolean {
    return this.offThread;
  }

  done(): void {
    this.settle!.resolve({
      table: 't',
      partition: 'p',
      first: this.first,
      last: this.last,
      part: undefined,
      rows: this.rows,
      bytes: 1,
      staged: {} as StagingSink,
      rejected: [],
      schema: undefined,
      droppedFields: 0,
      footer: undefined,
      judged: true,
    });
  }

  fail(message: string): void {
    this.settle!.reject(new Error(message));
  }

  async discard(): Promise<void> {
    this.discarded = true;
  }
}

function harness(): { files: TableFiles; committed: number[]; lost: string[] } {
  const committed: number[] = [];
  const lost: string[] = [];
  const deps = {
    commit: async (file: FinishedFile) => {
      committed.push(file.first);
    },
    lost: (_table: string, file: OpenFile, cause: unknown) => {
      lost.push(`${file.first}: ${(cause as Error).message}`);
      return new Error('lost');
    },
    log: () => undefined,
  } as unknown as TableFilesDeps;
  return { files: new TableFiles(deps), committed, lost };
}

/** Lets queued promise callbacks run. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TableFiles: files finishing in the background (encode threads)', () => {
  it('a rotation returns before the file is finished; it holds the checkpoint back until committed, and files reach the lane in order', async () => {
    const { files, committed } = harness();
    const t = new TableState('t');
    const a = new HandFinishedFile(10, 3);
    const b = new HandFinishedFile(20, 3);
    t.open = a;
    await files.rotate(t, 'test');
    await a.started;
    assert.deepEqual(t.finishing, [10], 'the file counts as uncommitted');
    assert.equal(t.lowestUncommitted(), 10);
    t.open = b;
    const rotation = files.rotate(t, 'test');
    await turn();
    assert.deepEqual(committed, []);
    a.done();
    await rotation;
    await b.started;
    assert.deepEqual(committed, [10], 'the earlier file is in the lane first');
    assert.deepEqual(t.finishing, [20]);
    b.done();
    await files.settled(t);
    assert.deepEqual(committed, [10, 20]);
    assert.deepEqual(t.finishing, []);
    assert.equal(t.lowestUncommitted(), undefined);
  });

  it(`at most ${MAX_BACKGROUND_FINISHES} files per table wait: the next rotation waits for the queue`, async () => {
    const { files, committed } = harness();
    const t = new TableState('t');
    const queued = Array.from({ length: MAX_BACKGROUND_FINISHES }, (_, i) => new HandFinishedFile(i + 1, 1));
    for (const f of queued) {
      t.open = f;
      await files.rotate(t, 'test');
    }
    const next = new HandFinishedFile(99, 1);
    t.open = next;
    let returned = false;
    const rotation = files.rotate(t, 'test').then(() => (returned = true));
    await turn();
    assert.equal(returned, false, 'the flow waits');
    for (const f of queued) f.done();
    await rotation;
    await next.started;
    next.done();
    await files.settled(t);
    assert.deepEqual(committed, [...queued.map((f) => f.first), 99]);
  });

  it('a failed background finish is reported as a lost file and never committed; its first ledger stays uncommitted', async () => {
    const { files, committed, lost } = harness();
    const t = new TableState('t');
    const a = new HandFinishedFile(5, 2);
    const b = new HandFinishedFile(8, 2);
    t.open = a;
    await files.rotate(t, 'test');
    t.open = b;
    const rotation = files.rotate(t, 'test');
    await a.started;
    a.fail('encode thread died');
    await rotation;
    await b.started;
    b.done();
    await files.settled(t);
    assert.deepEqual(lost, ['5: encode thread died']);
    assert.equal(a.discarded, true);
    assert.deepEqual(committed, [8], 'later files still reach the lane');
    assert.deepEqual(t.finishing, [5], 'no checkpoint passes the lost file');
  });

  it('without encode threads the rotation waits for the finish, and a failure is thrown to the caller', async () => {
    const { files, committed } = harness();
    const t = new TableState('t');
    const a = new HandFinishedFile(1, 1, false);
    t.open = a;
    let returned = false;
    const rotation = files.rotate(t, 'test').then(() => (returned = true));
    await a.started;
    await turn();
    assert.equal(returned, false);
    a.done();
    await rotation;
    assert.deepEqual(committed, [1]);
    const b = new HandFinishedFile(2, 1, false);
    t.open = b;
    const failing = files.rotate(t, 'test');
    await b.started;
    b.fail('disk full');
    await assert.rejects(failing, /lost/);
    assert.deepEqual(t.finishing, [2]);
  });
});
