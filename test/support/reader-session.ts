// One Python reader process and one scratch directory per test file, opened and closed with
// the file's tests (node:test before/after): call readerSession() at the top level.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { PythonReaders, type FileReadResult, type PythonReadName } from './python-readers.js';

export interface ReaderSession {
  /** Writes `bytes` to a scratch file, reads it with `readers` (default pyarrow, DuckDB and polars), removes it. */
  read(bytes: Uint8Array, readers?: readonly PythonReadName[]): Promise<FileReadResult>;
  /** A fresh path in the scratch directory (removed with it). */
  scratchPath(): string;
  /** The scratch directory itself. */
  scratchDir(): string;
}

export function readerSession(prefix: string): ReaderSession {
  let readers: PythonReaders | undefined;
  let dir: string | undefined;
  let fileNo = 0;
  before(() => {
    readers = new PythonReaders();
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(async () => {
    await readers?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const scratchDir = (): string => {
    if (dir === undefined) throw new Error('readerSession: used outside the tests of its file');
    return dir;
  };
  const scratchPath = (): string => join(scratchDir(), `f${fileNo++}.parquet`);
  return {
    scratchPath,
    scratchDir,
    async read(bytes, names) {
      const path = scratchPath();
      writeFileSync(path, bytes);
      try {
        const [result] = await readers!.read([path], names);
        return result!;
      } finally {
        rmSync(path, { force: true });
      }
    },
  };
}
