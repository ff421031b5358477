/**
 * The footer conformance check: does a Parquet file keep the rules of the specification
 * (apache/parquet-format), whatever readers tolerate? It decodes the footer, page headers and
 * page index with the `thrift` package (footer-parse.ts), never with the writer's code, and
 * compares the statistics and counts with the values a reader returned (readers.py
 * read_leaves), so a bound that does not bound, or a count that does not count, is found even
 * when every reader loads the file. Each rule names its place in the spec (conformance-rules.ts).
 */
import { Findings, formatViolations, type RuleId, type Violation } from './conformance-rules.js';
import { checkColumnOrders, checkSchema } from './conformance-schema.js';
import { checkChunk } from './conformance-chunk.js';
import { checkPageIndex } from './conformance-index.js';
import { parseFooter, schemaLeaves } from './footer-parse.js';
import type { LeavesResult } from './python-readers.js';

export { RULES, formatViolations, type RuleId, type Violation } from './conformance-rules.js';

export interface ConformanceResult {
  violations: Violation[];
  /** Rules applied (each expectation counts once). */
  checks: number;
  /** Pages found in the column chunks (dictionary pages included), and those with a CRC. */
  pages: number;
  pagesWithCrc: number;
}

/** All violations of the spec's rules in `bytes`; `leaves` (read_leaves) enables the value-based rules. */
export function checkConformance(bytes: Uint8Array, leaves?: LeavesResult): ConformanceResult {
  const f = new Findings();
  const { meta, start } = parseFooter(bytes);
  checkSchema(f, meta);
  const leafInfos = schemaLeaves(meta.schema);
  let boundsWritten = false;
  let rows = 0n;
  let pages = 0;
  let pagesWithCrc = 0;
  if (leaves)
    f.expect(
      leaves.row_groups.length === meta.rowGroups.length,
      'row-counts',
      'file',
      () => `${meta.rowGroups.length} row groups, ${leaves.row_groups.length} read back`,
    );
  meta.rowGroups.forEach((rg, g) => {
    rows += rg.numRows;
    if (
      !f.expect(
        rg.columns.length === leafInfos.length,
        'chunk-layout',
        `row group ${g}`,
        () => `${rg.columns.length} chunks for ${leafInfos.length} leaf columns`,
      )
    )
      return;
    const read = leaves?.row_groups[g];
    let compressed = 0n;
    let uncompressed = 0n;
    rg.columns.forEach((c, k) => {
      const leaf = leafInfos[k]!;
      const where = `row group ${g}, column ${leaf.path.join('.')}`;
      const s = c.meta?.statistics;
      if (s?.minValue !== undefined || s?.maxValue !== undefined || c.columnIndexOffset !== undefined) boundsWritten = true;
      compressed += c.meta?.totalCompressedSize ?? 0n;
      uncompressed += c.meta?.totalUncompressedSize ?? 0n;
      const facts = checkChunk(f, where, bytes, start, leaf, c, rg, read?.[k]);
      if (!facts) return;
      pages += facts.allPages;
      pagesWithCrc += facts.pagesWithCrc;
      checkPageIndex(f, facts, bytes, start);
    });
    const first = rg.columns[0]?.meta;
    const firstOffset = first === undefined ? undefined : (first.dictionaryPageOffset ?? first.dataPageOffset);
    const where = `row group ${g}`;
    f.expect(
      rg.totalByteSize === uncompressed,
      'chunk-layout',
      where,
      () => `total_byte_size ${rg.totalByteSize}, the chunks' total_uncompressed_size sum to ${uncompressed}`,
    );
    if (rg.totalCompressedSize !== undefined)
      f.expect(
        rg.totalCompressedSize === compressed,
        'chunk-layout',
        where,
        () => `total_compressed_size ${rg.totalCompressedSize}, chunks hold ${compressed}`,
      );
    if (rg.fileOffset !== undefined)
      f.expect(rg.fileOffset === firstOffset, 'chunk-layout', where, () => `file_offset ${rg.fileOffset}, first page at ${String(firstOffset)}`);
    if (rg.ordinal !== undefined) f.expect(rg.ordinal === g, 'chunk-layout', where, () => `ordinal ${rg.ordinal}`);
  });
  f.expect(rows === meta.numRows, 'row-counts', 'file', () => `num_rows ${meta.numRows}, row groups hold ${rows}`);
  checkColumnOrders(f, meta, leafInfos, boundsWritten);
  return { violations: f.violations, checks: f.checks, pages, pagesWithCrc };
}

/**
 * Fails (throws) on any violation whose rule is not in `allowed`; returns the result. `allowed`
 * is for deliberate deviations, each of which the caller names with its reason.
 */
export function assertConformance(
  bytes: Uint8Array,
  leaves: LeavesResult | undefined,
  allowed: ReadonlyMap<RuleId, (v: Violation) => boolean> = new Map(),
): ConformanceResult {
  const r = checkConformance(bytes, leaves);
  const bad = r.violations.filter((v) => !(allowed.get(v.rule)?.(v) ?? false));
  if (bad.length > 0)
    throw new Error(
      `the file breaks ${bad.length} rule(s) of the Parquet spec:\n${formatViolations(bad.slice(0, 20))}${bad.length > 20 ? `\n... and ${bad.length - 20} more` : ''}`,
    );
  return r;
}
