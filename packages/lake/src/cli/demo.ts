import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleLake } from '../pipeline/sample/generate-sample-lake.js';
import { parseArgs } from './args.js';
import { runCommand } from './run.js';

const DEMO_CONFIG = fileURLToPath(new URL('../../config/examples/demo.yaml', import.meta.url));

/**
 * The embedded default (`npm start`): generate a sample galexie data lake (valid XDR built
 * with the Stellar SDK: Stellar Asset Contract balances, Wasm contracts, TTLs, events),
 * run config/examples/demo.yaml over it (ContractData, ContractEvents, Ttl, ContractCode ->
 * SaveToParquet on local FS), then list the files and query them with DuckDB. Running it
 * again resumes from the consumer's checkpoints and writes nothing twice.
 */
export async function demoCommand(argv: readonly string[], log: (s: string) => void): Promise<void> {
  const { options } = parseArgs(argv, [{ name: 'out' }, { name: 'ledgers' }]);
  const out = resolve(typeof options.out === 'string' ? options.out : 'data');
  const ledgers = options.ledgers === undefined ? 300 : Number(options.ledgers);
  const lakeDir = join(out, 'sample-lake');
  const parquetDir = join(out, 'lake');
  const sample = await generateSampleLake(lakeDir, { ledgers });
  log(
    `sample data lake: ${sample.ledgers} ledgers ${sample.firstLedger}..${sample.lastLedger} in ${relative(process.cwd(), lakeDir) || '.'} ` +
      `(${sample.contractDataChanges} contract-data changes, ${sample.contractEvents} contract events, ${sample.transactions} transactions)`,
  );

  process.env.SAMPLE_LAKE = lakeDir;
  process.env.LAKE_DIR = parquetDir;
  process.env.START_LEDGER = String(sample.firstLedger);
  process.env.END_LEDGER = String(sample.lastLedger);
  await runCommand([DEMO_CONFIG], log);

  const files = await listParquet(parquetDir);
  log(`\n${files.length} Parquet files under ${relative(process.cwd(), parquetDir) || '.'}:`);
  for (const f of files.slice(0, 12)) log(`  ${relative(parquetDir, f.path)}  ${f.size} bytes`);
  if (files.length > 12) log(`  … and ${files.length - 12} more`);
  await querySummary(parquetDir, log);
}

async function listParquet(dir: string): Promise<{ path: string; size: number }[]> {
  const found: { path: string; size: number }[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) found.push(...(await listParquet(p)));
    else if (e.name.endsWith('.parquet')) found.push({ path: p, size: (await stat(p)).size });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

async function querySummary(parquetDir: string, log: (s: string) => void): Promise<void> {
  const base = join(parquetDir, 'stellar');
  const sql = [
    `SELECT 'contract_data' AS tbl, year, month, day, count(*) AS rows, min(ledger_sequence) AS first_ledger, max(ledger_sequence) AS last_ledger`,
    `FROM read_parquet('${base}/contract_data/**/*.parquet', hive_partitioning = true) GROUP BY ALL`,
    `UNION ALL`,
    `SELECT 'contract_events', year, month, day, count(*), min(ledger), max(ledger)`,
    `FROM read_parquet('${base}/contract_events/**/*.parquet', hive_partitioning = true) GROUP BY ALL`,
    ...['ttl', 'contract_code', 'token_transfers'].flatMap((t) => [
      `UNION ALL`,
      `SELECT '${t}', year, month, day, count(*), min(ledger_sequence), max(ledger_sequence)`,
      `FROM read_parquet('${base}/${t}/**/*.parquet', hive_partitioning = true) GROUP BY ALL`,
    ]),
    `ORDER BY 1, 2, 3, 4`,
  ].join('\n');
  log(`\nDuckDB:\n${sql}\n`);
  let duckdb: typeof import('@duckdb/node-api');
  try {
    duckdb = await import('@duckdb/node-api');
  } catch {
    log('(@duckdb/node-api is not installed here; run the query above in the duckdb CLI)');
    return;
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const result = await connection.runAndReadAll(sql);
  const columns = result.columnNames();
  const rows = result.getRows().map((r) => r.map((v) => String(v)));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  log(line(columns));
  for (const r of rows) log(line(r));
  connection.closeSync();
  instance.closeSync();
}
