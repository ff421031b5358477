import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PYTHON = new URL('../../.venv/bin/python', import.meta.url).pathname;

/** Row count of a Parquet file as pyarrow reads it, with page checksums verified. */
export async function readPyarrowCount(path: string): Promise<number> {
  const { stdout } = await run(PYTHON, [
    '-c',
    'import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1], page_checksum_verification=True).num_rows)',
    path,
  ]);
  return Number(stdout.trim());
}
