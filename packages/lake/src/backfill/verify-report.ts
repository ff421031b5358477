/** The text form of a verify report (the CLI prints JSON with --json). */
import type { DefectKind, VerifyReport } from './verify-lake.js';

const LABEL: Record<DefectKind, string> = {
  missing: 'missing ledgers',
  duplicate: 'ledgers held by two files',
  unreadable: 'unreadable files',
  truncated: 'truncated files',
  outside_partition: 'files outside their partition',
  inconsistent: 'files that contradict themselves',
  leftover: 'leftovers',
};

/** At most `perKind` defects of each kind are listed; the counts are always whole. */
export function formatReport(r: VerifyReport, perKind = 20): string {
  const lines = [`verify ${r.lake}, ledgers ${r.start}-${r.end}: ${r.files_checked} files checked, ${(r.bytes_read / 1048576).toFixed(1)} MiB read`];
  for (const t of r.tables) {
    lines.push(
      `  ${t.table}: ${t.files} files, ${t.rows} rows in ${t.ledgers_with_rows} ledgers` +
        (t.missing_ledgers > 0 ? `, ${t.missing_ledgers} ledgers missing` : '') +
        (t.duplicate_ledgers > 0 ? `, ${t.duplicate_ledgers} ledgers twice` : ''),
    );
  }
  if (r.tables.length === 0) lines.push('  no tables found (give --table to name the ones that must be there)');
  for (const kind of Object.keys(LABEL) as DefectKind[]) {
    const all = r.defects.filter((d) => d.kind === kind);
    if (all.length === 0) continue;
    lines.push(`${LABEL[kind]} (${all.length}):`);
    for (const d of all.slice(0, perKind)) lines.push(`  ${d.detail}`);
    if (all.length > perKind) lines.push(`  ... and ${all.length - perKind} more (--json lists them all)`);
  }
  lines.push(
    r.ok
      ? `OK: every table holds every ledger of ${r.start}-${r.end} exactly once`
      : `FAILED: ${Object.entries(r.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${LABEL[k as DefectKind]}: ${n}`)
          .join(', ')}`,
  );
  return lines.join('\n');
}
