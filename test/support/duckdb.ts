import { DuckDBInstance } from '@duckdb/node-api';

/** Run one query on a fresh in-memory DuckDB and return its rows as arrays of DuckDB values. */
export async function duckRows(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** The same, as objects of plain JS values (bigints for BIGINT, strings for DECIMAL, ...). */
export async function duckObjects<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
