// The example queries of docs/consumer.md ("Querying the lake"), run as written against a lake the consumer produced: the
// DuckDB SQL through @duckdb/node-api and the pyarrow dataset script through .venv/bin/python.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SaveToParquet } from '../packages/lake/src/consumer/index.js';
import { datasetCatalog } from '../packages/lake/src/datasets/registry.js';
import { duck, messagesFor } from './consumer-helpers.js';

const tables = datasetCatalog();

const PYTHON = join(process.cwd(), '.venv', 'bin', 'python');
const run = promisify(execFile);

/**
 * docs/consumer.md: "Daily activity" (DuckDB). `<lake>` is the store root + path_prefix. The design's
 * alias `day` is renamed: with hive partitions `day` is also a column, and GROUP BY binds it.
 */
export const DAILY_SQL = `SET TimeZone = 'UTC';
SELECT
    DATE_TRUNC('day', closed_at) AS ledger_day,
    COUNT(*) AS transactions,
    COUNT(DISTINCT contract_id) AS unique_contracts
FROM read_parquet('<lake>/contract_data/year=2024/month=*/day=*/*.parquet', hive_partitioning = true)
WHERE closed_at BETWEEN '2024-01-01' AND '2024-01-31'
GROUP BY ledger_day
ORDER BY ledger_day;`;

/** docs/consumer.md: "Asset distribution" (DuckDB); balance is DECIMAL(38,0), so the SUM is exact. */
export const ASSETS_SQL = `SELECT
    asset_code,
    asset_issuer,
    COUNT(*) AS transaction_count,
    SUM(balance) AS total_balance
FROM read_parquet('<lake>/contract_data/year=2024/*/*/*.parquet', hive_partitioning = true)
WHERE asset_code IS NOT NULL
GROUP BY asset_code, asset_issuer
ORDER BY transaction_count DESC
LIMIT 100;`;

/** docs/consumer.md: the exactly-once check (DuckDB). */
export const PER_LEDGER_SQL = `SELECT ledger_sequence, COUNT(*) AS n
FROM read_parquet('<lake>/contract_data/**/*.parquet', hive_partitioning = true)
GROUP BY ledger_sequence
HAVING COUNT(*) <> COUNT(DISTINCT ledger_key_hash)  -- a duplicated row would show up here
ORDER BY ledger_sequence;`;

/** docs/consumer.md: the pyarrow dataset example. */
export const PYARROW = `import json, sys
from datetime import datetime, timezone
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

lake = sys.argv[1]  # e.g. "/data/stellar-archive/stellar" or "s3://bucket/stellar"
dataset = ds.dataset(
    f"{lake}/contract_data/",
    format="parquet",
    partitioning=ds.partitioning(
        pa.schema([("year", pa.int32()), ("month", pa.int32()), ("day", pa.int32())]),
        flavor="hive",
    ),
)
utc = pa.timestamp("us", tz="UTC")
table = dataset.to_table(
    filter=(pc.field("closed_at") >= pa.scalar(datetime(2024, 1, 1, tzinfo=timezone.utc), utc))
    & (pc.field("closed_at") < pa.scalar(datetime(2024, 2, 1, tzinfo=timezone.utc), utc))
)
daily = table.group_by(["year", "month", "day"]).aggregate([
    ("contract_id", "count_distinct"),
    ("balance", "sum"),
    ("deleted", "sum"),
]).sort_by([("day", "ascending")])
print(json.dumps([{k: str(v) for k, v in row.items()} for row in daily.to_pylist()]))
`;

describe('docs/consumer.md queries against consumer output', () => {
  let dir: string;
  let lake: string;
  const msgs = messagesFor(1, 40);
  const cd = msgs.filter((m) => m.metadata.table === 'contract_data');
  const byDay = (day: number) => cd.filter((m) => new Date(m.payload.closed_at as string).getUTCDate() === day);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdp-queries-'));
    lake = join(dir, 'stellar');
    const c = await SaveToParquet.create({ storage_type: 'FS', local_path: dir, path_prefix: 'stellar', buffer_size: 12 }, { tables, log: () => undefined });
    for (const m of msgs) await c.process(m);
    await c.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('daily activity', async () => {
    const rows = await duck<{ ledger_day: unknown; transactions: bigint; unique_contracts: bigint }>(DAILY_SQL.replaceAll('<lake>', lake));
    assert.deepEqual(
      rows.map((r) => [(r.ledger_day as Date).toISOString().slice(0, 10), Number(r.transactions), Number(r.unique_contracts)]),
      [
        ['2024-01-15', byDay(15).length, byDay(15).length],
        ['2024-01-16', byDay(16).length, byDay(16).length],
      ],
    );
  });

  it('asset distribution with an exact SUM(balance)', async () => {
    const rows = await duck<Record<string, unknown>>(
      ASSETS_SQL.replaceAll('<lake>', lake).replace('SUM(balance) AS total_balance', 'SUM(balance)::VARCHAR AS total_balance'),
    );
    const usdc = cd.filter((m) => m.payload.asset_code === 'USDC');
    const sum = usdc.reduce((a, m) => a + BigInt(m.payload.balance as string), 0n);
    assert.deepEqual(rows, [{ asset_code: 'USDC', asset_issuer: 'GISSUER', transaction_count: BigInt(usdc.length), total_balance: sum.toString() }]);
  });

  it('rows per ledger: no duplicates', async () => {
    assert.deepEqual(await duck(PER_LEDGER_SQL.replaceAll('<lake>', lake)), []);
  });

  it('pyarrow dataset with hive partitions', { skip: existsSync(PYTHON) ? false : 'no .venv/bin/python' }, async () => {
    const script = join(dir, 'query.py');
    writeFileSync(script, PYARROW);
    const { stdout } = await run(PYTHON, [script, lake]);
    const rows = JSON.parse(stdout) as Record<string, string>[];
    const sum = (day: number) =>
      byDay(day)
        .reduce((a, m) => a + BigInt(m.payload.balance as string), 0n)
        .toString();
    assert.deepEqual(
      rows.map((r) => [r.year, r.month, r.day, r.contract_id_count_distinct, r.balance_sum, r.deleted_sum]),
      [
        ['2024', '1', '15', String(byDay(15).length), sum(15), '0'],
        ['2024', '1', '16', String(byDay(16).length), sum(16), '0'],
      ],
    );
  });
});
