// Exactly-once under kill -9: a child process archives ledgers and is killed at random
// moments (after a random number of ledgers), restarted, killed again...; at the end DuckDB
// counts every ledger's rows exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { duck, rowsIn } from './consumer-helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// Enough ledgers that several kills land before a run can finish.
const LAST = 600;

/**
 * Runs the child until it is done, or kills it once it has reported `killAfterLedgers` ledgers
 * (plus a random few ms, so the kill lands at any point of the work in flight). Counting
 * ledgers rather than milliseconds makes the kills land before the child finishes however
 * fast or busy the machine is.
 */
function runChild(dir: string, killAfterLedgers: number | undefined): Promise<{ done: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'consumer-crash-child.ts'), dir, String(LAST)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterLedgers !== undefined && timer === undefined && (out.match(/^at /gm)?.length ?? 0) >= killAfterLedgers) {
        timer = setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 20));
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve({ done: false, out });
      if (code !== 0) return reject(new Error(`child failed with ${code}: ${err}`));
      resolve({ done: out.includes('DONE'), out });
    });
  });
}

it('kill -9 at random moments, restart, and every row is stored exactly once', { timeout: 1_200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-crash-'));
  try {
    let kills = 0;
    const resumes: string[] = [];
    for (let round = 0; round < 16; round++) {
      const r = await runChild(dir, 1 + Math.floor(Math.random() * 40));
      resumes.push(r.out.split('\n')[0] ?? '');
      if (r.done) break;
      kills++;
    }
    const final = await runChild(dir, undefined);
    assert.ok(final.done);
    // A checkpoint holding only a first file's intent (-1) must not make anyone resume at 0.
    for (const r of resumes) assert.ok(Number(r.split(' ')[1]) >= 1, `resumed at ${r}`);
    assert.ok(kills >= 3, `only ${kills} kills landed`);
    for (const [table, col] of [
      ['contract_data', 'ledger_sequence'],
      ['contract_events', 'ledger'],
      ['custom', 'ledger_sequence'],
    ] as const) {
      const rows = await duck<{ l: number; n: bigint }>(
        `SELECT ${col} AS l, count(*) AS n FROM read_parquet('${dir}/lake/${table}/**/*.parquet') GROUP BY 1 ORDER BY 1`,
      );
      const got = new Map(rows.map((r) => [Number(r.l), Number(r.n)]));
      for (let l = 1; l <= LAST; l++) {
        const want = table === 'custom' ? 1 : rowsIn(l, table);
        assert.equal(got.get(l) ?? 0, want, `${table} ledger ${l} (resumes: ${resumes.join(', ')})`);
      }
      assert.equal(got.size, table === 'custom' ? LAST : [...Array(LAST).keys()].filter((i) => rowsIn(i + 1, table) > 0).length);
    }
    const [{ n }] = (await duck<{ n: bigint }>(
      `SELECT count(*) AS n FROM read_parquet('${dir}/lake/custom/**/*.parquet') WHERE v <> ledger_sequence * 1.5`,
    )) as [{ n: bigint }];
    assert.equal(n, 0n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
