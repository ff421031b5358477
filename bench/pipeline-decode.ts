// Decode benchmark on the protocol-23 load-test ledgers (3 ledgers, 2000 contract events,
// 1000 contract-data rows): ledgers/s and rows/s for
//   zstd       : decompressing the file
//   fromXDR    : full LedgerCloseMeta.fromXDR per ledger (the SDK baseline)
//   sdk path   : fromXDR + ContractData + ContractEvents processors
//   fast scan  : the raw-XDR scanner alone (skips all but contract data/TTL/events)
//   fast path  : the processors on the scanner (the default decode mode)
// Run: node --import tsx bench/pipeline-decode.ts [seconds-per-case]
import { readFileSync } from 'node:fs';
import { xdr } from '@stellar/stellar-sdk';
import { zstdDecompress } from '../packages/lake/src/pipeline/source/zstd.js';
import { readXdrStreamRecords } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { ledgerRecordFromBytes } from '../packages/lake/src/stellar/ledger-record.js';
import { contractDataProcessor } from '../test/support/processors.js';
import type { ContractDataRow } from '../packages/lake/src/datasets/contract-data.js';
import { contractEventsProcessor } from '../test/support/processors.js';
import type { ContractEventRow } from '../packages/lake/src/datasets/contract-events.js';
import { extractFast } from '../packages/lake/src/stellar/fast/extract-fast.js';

const FILE = '/work/shared/fixtures/stellar/load-test-ledgers-v23-standalone.xdr.zstd';
const seconds = Number(process.argv[2] ?? 3);

function bench(name: string, ledgersPerIter: number, fn: () => number): void {
  fn(); // warm-up
  let iters = 0;
  let rows = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    rows += fn();
    iters++;
  }
  const s = (performance.now() - t0) / 1000;
  const lps = (iters * ledgersPerIter) / s;
  console.log(
    `${name.padEnd(28)} ${lps.toFixed(1).padStart(8)} ledgers/s  ${(rows / s).toFixed(0).padStart(8)} rows/s  ${((s / iters) * 1000).toFixed(1).padStart(7)} ms/iter`,
  );
}

const compressed = readFileSync(FILE);
const raw = await zstdDecompress(compressed);
const records = [...readXdrStreamRecords(raw)];
console.log(`load test: ${records.length} ledgers, ${raw.length} bytes uncompressed, node ${process.version}`);

let zstdOut = 0;
const zstdStart = performance.now();
for (let i = 0; i < 20; i++) zstdOut += (await zstdDecompress(compressed)).length;
console.log(
  `${'zstd decompress'.padEnd(28)} ${((20 * records.length) / ((performance.now() - zstdStart) / 1000)).toFixed(1).padStart(8)} ledgers/s  (${zstdOut} bytes)`,
);

bench('full fromXDR', records.length, () => {
  for (const r of records) xdr.LedgerCloseMeta.fromXDR(Buffer.from(r.buffer, r.byteOffset, r.byteLength));
  return 0;
});

const data = contractDataProcessor({ networkPassphrase: 'Standalone Network ; February 2017', decode: 'sdk' });
const events = contractEventsProcessor({ decode: 'sdk' });
bench('sdk path: data+events', records.length, () => {
  let n = 0;
  for (const r of records) {
    const l = ledgerRecordFromBytes(r);
    n += data.process(l).length + events.process(l).length;
  }
  return n;
});

bench('fast scan only', records.length, () => {
  let n = 0;
  for (const r of records) {
    const x = extractFast(r);
    for (const tx of x.txs) n += tx.dataChanges.length + tx.events.length;
  }
  return n;
});

const fdata = contractDataProcessor({ networkPassphrase: 'Standalone Network ; February 2017', decode: 'fast' });
const fevents = contractEventsProcessor({ decode: 'fast' });
bench('fast path: data+events', records.length, () => {
  let n = 0;
  for (const r of records) {
    const l = ledgerRecordFromBytes(r);
    n += fdata.process(l).length + fevents.process(l).length;
  }
  return n;
});
