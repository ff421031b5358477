import type { ValueStore } from './value-store.js';

/**
 * What one column has accumulated for its open page: definition and repetition levels
 * for every slot (nulls and empty lists included) and the non-null values in `store`.
 * Levels fit a byte: compileSchema rejects schemas nested deeper than 255 levels.
 */
export class PageBuffer {
  defLevels = new Uint8Array(1024);
  repLevels = new Uint8Array(1024);
  /** Level slots (num_values of the data page). */
  levelCount = 0;
  /** Rows started in this page (slots with repetition level 0). */
  rowCount = 0;
  nullCount = 0;

  constructor(
    readonly store: ValueStore,
    readonly maxDef: number,
    readonly maxRep: number,
  ) {}

  /** Record one level slot (the shredders call this after the value, if any, was stored). */
  pushLevels(def: number, rep: number): void {
    if (this.levelCount === this.defLevels.length) this.reserveLevels(this.levelCount + 1);
    this.defLevels[this.levelCount] = def;
    this.repLevels[this.levelCount] = rep;
    this.levelCount++;
    if (rep === 0) this.rowCount++;
  }

  /**
   * One row of a top-level leaf column (the flat shredder's case) at definition level `def`.
   * Its repetition level is 0, which repLevels already holds: a column without repetition
   * never gets another value there.
   */
  pushRow(def: number): void {
    const n = this.levelCount;
    if (n === this.defLevels.length) this.reserveLevels(n + 1);
    this.defLevels[n] = def;
    this.levelCount = n + 1;
    this.rowCount++;
  }

  /** `count` top-level rows of a flat column whose values were stored in bulk (levels maxDef, 0). */
  pushPresent(count: number): void {
    const end = this.levelCount + count;
    if (end > this.defLevels.length) this.reserveLevels(end);
    this.defLevels.fill(this.maxDef, this.levelCount, end); // repetition levels of a flat column stay 0
    this.levelCount = end;
    this.rowCount += count;
  }

  /** Room for `slots` level slots: both level arrays doubled until they fit. */
  private reserveLevels(slots: number): void {
    let n = this.defLevels.length * 2;
    while (n < slots) n *= 2;
    const d = new Uint8Array(n);
    d.set(this.defLevels);
    this.defLevels = d;
    const r = new Uint8Array(n);
    r.set(this.repLevels);
    this.repLevels = r;
  }

  /** A present value at the column's max definition level; throws if it does not convert. */
  appendValue(value: unknown, rep: number): void {
    this.store.append(value); // converts first, so a bad value leaves the levels untouched
    this.pushLevels(this.maxDef, rep);
  }

  /** A null (or empty/absent ancestor) at definition level `def`. */
  appendNull(def: number, rep: number): void {
    this.pushLevels(def, rep);
    this.nullCount++;
  }

  /**
   * Undo the level slots from `levels` on (a levelCount taken before a row, or a slice of a
   * column batch, that failed half-way). The slots say what else to undo: one value per slot
   * at the max definition level, one null per slot below it, one row per slot at repetition
   * level 0. So the writer marks a single number per column and row.
   */
  rollback(levels: number): void {
    let values = 0;
    let rows = 0;
    const n = this.levelCount;
    for (let k = levels; k < n; k++) {
      if (this.defLevels[k] === this.maxDef) values++;
      if (this.repLevels[k] === 0) rows++;
    }
    this.nullCount -= n - levels - values;
    this.rowCount -= rows;
    this.levelCount = levels;
    this.store.truncate(this.store.count - values);
  }

  /** Rough plain-encoded size, used to cut pages near the byte limit. */
  estimatedSize(): number {
    return this.store.byteSize() + (this.maxDef > 0 ? this.levelCount >> 2 : 0) + (this.maxRep > 0 ? this.levelCount >> 2 : 0);
  }

  reset(): void {
    this.levelCount = 0;
    this.rowCount = 0;
    this.nullCount = 0;
    this.store.truncate(0);
  }
}
