/**
 * Definition or repetition level histograms (parquet.thrift SizeStatistics and
 * ColumnIndex): how many slots sit at each level 0..maxLevel, per page and per chunk.
 */
export class LevelHistogram {
  private readonly totals: number[];

  constructor(private readonly maxLevel: number) {
    this.totals = new Array<number>(maxLevel + 1).fill(0);
  }

  /** Count a page's levels; returns the page histogram and adds it to the chunk's. */
  addPage(levels: Uint8Array, count: number): number[] {
    const page = new Array<number>(this.maxLevel + 1).fill(0);
    for (let i = 0; i < count; i++) page[levels[i]!]!++;
    for (let l = 0; l <= this.maxLevel; l++) this.totals[l]! += page[l]!;
    return page;
  }

  chunk(): number[] {
    return [...this.totals];
  }

  reset(): void {
    this.totals.fill(0);
  }
}
