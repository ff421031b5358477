import { openStore } from '../storage/index.js';
import { verifyLake, type VerifyProgress } from '../backfill/verify-lake.js';
import { formatReport } from '../backfill/verify-report.js';
import { parseArgs, positiveInt, UsageError } from './args.js';

const VERIFY_USAGE =
  'cdp-parquet verify <lake> --start A --end B [--table T ...] [--json] [--endpoint URL] [--region R] [--force-path-style] [--anonymous] [--concurrency N] [--quiet]';

/** Raised after the report is printed when the lake has defects: exit code 1. */
export class LakeDefectsError extends Error {}

/**
 * Checks that every table of a lake (`s3://bucket/path_prefix`, `gs://...`, a directory
 * including its path_prefix) holds every ledger of [A, B] exactly once. Prints the report
 * (text, or JSON with --json) on stdout and progress on stderr; exits 1 when anything is
 * wrong, 0 when nothing is.
 */
export async function verifyCommand(argv: readonly string[], log: (s: string) => void): Promise<void> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'start' },
    { name: 'end' },
    { name: 'table', repeatable: true },
    { name: 'json', boolean: true },
    { name: 'endpoint' },
    { name: 'region' },
    { name: 'force-path-style', boolean: true },
    { name: 'anonymous', boolean: true },
    { name: 'concurrency' },
    { name: 'quiet', alias: 'q', boolean: true },
  ]);
  if (positionals.length !== 1) throw new UsageError(`expected one lake (s3://bucket/prefix, gs://bucket/prefix or a directory), got ${positionals.length}`);
  const start = positiveInt(options.start, 'start');
  const end = positiveInt(options.end, 'end');
  if (start === undefined || end === undefined) throw new UsageError('--start and --end are required');
  if (end < start) throw new UsageError(`--end ${end} is before --start ${start}`);
  const tables =
    typeof options.table === 'string'
      ? options.table
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '')
      : undefined;
  for (const t of tables ?? [])
    if (!/^[a-z][a-z0-9_]*$/.test(t)) throw new UsageError(`--table ${JSON.stringify(t)} is not a table name (lower-case letters, digits, _)`);
  const store = await openStore({
    url: positionals[0]!,
    endpoint: typeof options.endpoint === 'string' ? options.endpoint : undefined,
    region: typeof options.region === 'string' ? options.region : undefined,
    force_path_style: options['force-path-style'] === true ? true : undefined,
    anonymous: options.anonymous === true ? true : undefined,
  });
  let lastShown = 0;
  const progress = (p: VerifyProgress): void => {
    const now = Date.now();
    if (options.quiet === true || (now - lastShown < 2000 && p.filesDone !== p.filesTotal)) return;
    lastShown = now;
    log(`verify: ${p.filesDone}/${p.filesTotal} footers read, ${p.defects} file problems so far`);
  };
  try {
    const report = await verifyLake({
      store,
      prefix: '',
      start,
      end,
      tables,
      concurrency: positiveInt(options.concurrency, 'concurrency'),
      onProgress: progress,
    });
    process.stdout.write((options.json === true ? JSON.stringify(report, null, 1) : formatReport(report)) + '\n');
    if (!report.ok) throw new LakeDefectsError(`${report.defects.length} defect(s) in ${report.lake}`);
  } finally {
    await store.close?.();
  }
}
