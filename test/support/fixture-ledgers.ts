// Every ledger of the real fixtures (load test, pubnet, testnet lake), for tests that sweep them all.
import { readFileSync } from 'node:fs';
import type { LedgerRecord } from '../../packages/lake/src/stellar/ledger-record.js';
import { ledgerRecordFromBytes } from '../../packages/lake/src/stellar/ledger-record.js';
import { readLedgerStream } from '../../packages/lake/src/pipeline/source/xdr-stream.js';
import { LOAD_TEST_FILE, PUBNET_FILE, TESTNET_LAKE, rawDecompress } from '../pipeline-helpers.js';

export async function allFixtureLedgers(): Promise<LedgerRecord[]> {
  const out = await readLedgerStream(readFileSync(LOAD_TEST_FILE));
  out.push(ledgerRecordFromBytes((await rawDecompress(PUBNET_FILE)).subarray(12)));
  for (const name of ['FFFFFC1A--997', 'FFFFFC19--998', 'FFFFFC18--999']) {
    out.push(ledgerRecordFromBytes((await rawDecompress(`${TESTNET_LAKE}/FFFFFFFF--0-63999/${name}.xdr.zstd`)).subarray(12)));
  }
  return out;
}
