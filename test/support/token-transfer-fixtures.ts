// The real ledgers of ../shared/fixtures/stellar (README.txt there), decoded with the
// pipeline's source readers, with each one's network passphrase.
import { readFileSync, readdirSync } from 'node:fs';
import type { xdr } from '@stellar/stellar-sdk';
import { decodeLedgerBatch } from '../../packages/lake/src/pipeline/source/batch-decode.js';
import { readLedgerStream } from '../../packages/lake/src/pipeline/source/xdr-stream.js';
import { zstdDecompress } from '../../packages/lake/src/pipeline/source/zstd.js';

const dir = (p: string): string => new URL(`../../../shared/fixtures/stellar/${p}`, import.meta.url).pathname;

export const PUBNET = 'Public Global Stellar Network ; September 2015';
export const TESTNET = 'Test SDF Network ; September 2015';
export const STANDALONE = 'Standalone Network ; February 2017';

export interface FixtureLedger {
  name: string;
  passphrase: string;
  meta: xdr.LedgerCloseMeta;
}

const batch = async (path: string): Promise<xdr.LedgerCloseMeta[]> => decodeLedgerBatch(await zstdDecompress(readFileSync(path))).ledgers.map((l) => l.meta());

/** Pubnet ledger 53312000: protocol 21, meta v3, 163 transactions. */
export async function pubnetLedger(): Promise<FixtureLedger> {
  const [meta] = await batch(dir('FCD285FF--53312000.xdr.zstd'));
  return { name: 'pubnet 53312000', passphrase: PUBNET, meta: meta! };
}

/** Testnet ledgers 997-999: protocol 20, meta v3, classic only. */
export async function testnetLedgers(): Promise<FixtureLedger[]> {
  const part = dir('datalake-testnet-p20/FFFFFFFF--0-63999');
  const files = readdirSync(part)
    .filter((f) => f.endsWith('.xdr.zstd'))
    .sort()
    .reverse();
  const out: FixtureLedger[] = [];
  for (const f of files) for (const meta of await batch(`${part}/${f}`)) out.push({ name: `testnet ${f}`, passphrase: TESTNET, meta });
  return out;
}

/** Load-test ledgers 84, 85, 88: protocol 23, LedgerCloseMeta v2, meta v4, native SAC transfers. */
export async function loadTestLedgers(): Promise<FixtureLedger[]> {
  const records = await readLedgerStream(readFileSync(dir('load-test-ledgers-v23-standalone.xdr.zstd')));
  return records.map((r) => ({ name: `load test ${r.sequence}`, passphrase: STANDALONE, meta: r.meta() }));
}
