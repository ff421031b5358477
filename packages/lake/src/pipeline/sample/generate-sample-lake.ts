import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { xdr } from '@stellar/stellar-sdk';
import { loadZstdWasm } from 'cdp-parquet/zstd';
import { GalexieLayout, type DataLakeSchema } from '../source/galexie-layout.js';
import { Rng } from './rng.js';
import { World, type Plan, type TxOutcome } from './world.js';
import {
  counterIncrement,
  deploy,
  extendTtl,
  oracleUpdate,
  payment,
  registryCall,
  restoreArchived,
  sacMint,
  sacTransfer,
  tokenTransfer,
  uploadWasm,
} from './actions.js';
import { buildLedger, type MetaVersion } from './ledger-build.js';
import { ledgerKeyOf } from './entries.js';

/**
 * Generates a small but realistic galexie data lake (SEP-54 layout, zstd XDR
 * LedgerCloseMetaBatch files) so the pipeline can be demonstrated and tested without
 * network access: Stellar Asset Contracts with i128 balances (some beyond 2^64), Wasm
 * contracts with persistent and temporary storage, TTLs, created/updated/removed (and, in
 * protocol 23 mode, restored and evicted) entries, transfer/mint events, classic payments and
 * failed transactions, over close times ~5 s apart that cross a UTC day boundary.
 * Everything derives from `seed`, so a given set of options always yields the same bytes.
 */

const SAMPLE_NETWORK_PASSPHRASE = 'Standalone Network ; February 2017';

export interface SampleLakeOptions {
  /** Number of ledgers (default 300). */
  ledgers?: number;
  /** First ledger sequence (default 127_900, so the default lake spans two 64,000-ledger partitions). */
  startLedger?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** 1: LedgerCloseMeta v1 + TransactionMeta v3 (protocol 22); 2: v2 + v4 (protocol 23). Default 1. */
  metaVersion?: MetaVersion;
  /** Ledgers per file (default 1, as galexie on pubnet); must divide `ledgers` and `startLedger`. */
  ledgersPerFile?: number;
  /** Default: the standalone network's passphrase. */
  networkPassphrase?: string;
  /** UTC second the ledgers' close times straddle (default 2025-01-01T00:00:00Z). */
  dayBoundary?: number;
  /** Classic payments per ledger, [min, max] (default [0, 2]); pubnet has a few hundred transactions per ledger. */
  classicPerLedger?: [number, number];
  /** Soroban invocations per ledger after the first, [min, max] (default [2, 7]). */
  sorobanPerLedger?: [number, number];
}

export interface SampleLakeSummary {
  ledgers: number;
  /** Rows the ContractData processor emits: non-STATE CONTRACT_DATA changes (evictions excluded). */
  contractDataChanges: number;
  /** Rows the ContractEvents processor emits: events of type CONTRACT from operations. */
  contractEvents: number;
  firstLedger: number;
  lastLedger: number;
  transactions: number;
  failedTransactions: number;
  /** Contract-data keys in LedgerCloseMeta.evictedKeys (rows only with includeEvictions). */
  evictedContractData: number;
  /** Stellar Asset Contracts plus Wasm contracts deployed. */
  contracts: number;
  files: number;
  firstCloseTime: number;
  lastCloseTime: number;
  networkPassphrase: string;
  metaVersion: MetaVersion;
}

const isState = (c: xdr.LedgerEntryChange): boolean => c.switch().name === 'ledgerEntryState';

function isContractData(c: xdr.LedgerEntryChange): boolean {
  if (c.switch().name === 'ledgerEntryRemoved') return c.removed().switch().name === 'contractData';
  return (c.value() as xdr.LedgerEntry).data().switch().name === 'contractData';
}

function countRows(t: TxOutcome): { data: number; events: number } {
  const all = [...t.feeChanges, ...t.txChangesBefore, ...t.opChanges, ...t.txChangesAfter];
  return { data: all.filter((c) => !isState(c) && isContractData(c)).length, events: t.events.length };
}

function chooseAction(w: World, version: MetaVersion): Plan {
  const kinds = [
    [sacTransfer, 4],
    [sacMint, 2],
    [tokenTransfer, 3],
    [oracleUpdate, 3],
    [counterIncrement, 2],
    [registryCall, 3],
    [extendTtl, 1],
    ...(version === 2 ? ([[restoreArchived, 1]] as const) : []),
  ] as const;
  const pick = w.rng.weighted(kinds);
  return pick(w) ?? counterIncrement(w) ?? payment(w);
}

/** Entries whose TTL ran out leave the live state at ledger close (v1: temporary only). */
function evictExpired(w: World, version: MetaVersion): { keys: xdr.LedgerKey[]; data: number } {
  const keys: xdr.LedgerKey[] = [];
  let data = 0;
  for (const [k, live] of [...w.live]) {
    if (data >= 4) break;
    if (live.entry.data().switch().name !== 'contractData') continue;
    if (live.ttl.data().ttl().liveUntilLedgerSeq() >= w.seq) continue;
    const temporary = live.entry.data().contractData().durability().name === 'temporary';
    if (!temporary && version === 1) continue;
    w.evict(k, !temporary);
    keys.push(ledgerKeyOf(live.entry), ledgerKeyOf(live.ttl));
    data++;
  }
  return { keys, data };
}

export async function generateSampleLake(dir: string, opts: SampleLakeOptions = {}): Promise<SampleLakeSummary> {
  const ledgers = opts.ledgers ?? 300;
  const first = opts.startLedger ?? 127_900;
  const version = opts.metaVersion ?? 1;
  const perFile = opts.ledgersPerFile ?? 1;
  const passphrase = opts.networkPassphrase ?? SAMPLE_NETWORK_PASSPHRASE;
  const classic = opts.classicPerLedger ?? [0, 2];
  const soroban = opts.sorobanPerLedger ?? [2, 7];
  for (const [name, [lo, hi]] of [
    ['classicPerLedger', classic],
    ['sorobanPerLedger', soroban],
  ] as const) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo)
      throw new Error(`${name} must be [min, max] with 0 <= min <= max, got [${lo}, ${hi}]`);
  }
  if (!Number.isInteger(ledgers) || ledgers < 1) throw new Error(`ledgers must be a positive integer, got ${ledgers}`);
  if (!Number.isInteger(first) || first < 2) throw new Error(`startLedger must be an integer >= 2, got ${first}`);
  if (first % perFile !== 0 || ledgers % perFile !== 0) {
    throw new Error(`ledgersPerFile ${perFile} must divide startLedger (${first}) and ledgers (${ledgers}): galexie files are aligned`);
  }
  const rng = new Rng(opts.seed ?? 1);
  const w = new World(rng, passphrase, first);
  const schema: DataLakeSchema = { networkPassphrase: passphrase, version: '1.0', compression: 'zstd', ledgersPerBatch: perFile, batchesPerPartition: 64000 };
  const layout = new GalexieLayout(schema);
  const zstd = await loadZstdWasm();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.config.json'), JSON.stringify(schema) + '\n');

  const nativeSacId = w.sacs[0]!.raw;
  let closeTime = (opts.dayBoundary ?? 1_735_689_600) - Math.floor(ledgers / 2) * 5;
  let previousHash = rng.bytes(32);
  const summary: SampleLakeSummary = {
    ledgers,
    contractDataChanges: 0,
    contractEvents: 0,
    firstLedger: first,
    lastLedger: first + ledgers - 1,
    transactions: 0,
    failedTransactions: 0,
    evictedContractData: 0,
    contracts: 0,
    files: 0,
    firstCloseTime: closeTime,
    lastCloseTime: closeTime,
    networkPassphrase: passphrase,
    metaVersion: version,
  };
  const pendingDeploys = [...w.sacs, ...w.contracts];
  let batch: xdr.LedgerCloseMeta[] = [];

  for (let i = 0; i < ledgers; i++) {
    const seq = first + i;
    w.seq = seq;
    const txs: TxOutcome[] = [];
    // Classic first: the ledger builder applies the classic phase before the Soroban phase.
    for (let n = rng.int(...classic); n > 0; n--) txs.push(w.run(payment(w), rng.chance(0.1)));
    if (i === 0) for (const code of w.codes) txs.push(w.run(uploadWasm(w, code), false));
    for (let n = 0; n < 4 && pendingDeploys.length > 0; n++) txs.push(w.run(deploy(w, pendingDeploys.shift()!), false));
    if (i > 0) for (let n = rng.int(...soroban); n > 0; n--) txs.push(w.run(chooseAction(w, version), rng.chance(0.12)));

    const evicted = evictExpired(w, version);
    const { meta, hash } = buildLedger({
      version,
      sequence: seq,
      closeTime,
      previousLedgerHash: previousHash,
      txs,
      evicted: evicted.keys,
      nativeSacId,
      bucketListHash: rng.bytes(32),
    });
    for (const t of txs) {
      const c = countRows(t);
      summary.contractDataChanges += c.data;
      summary.contractEvents += c.events;
      if (!t.success) summary.failedTransactions++;
    }
    summary.transactions += txs.length;
    summary.evictedContractData += evicted.data;
    summary.lastCloseTime = closeTime;
    previousHash = hash;
    closeTime += 5 + rng.int(-1, 1);

    batch.push(meta);
    if (batch.length === perFile) {
      const start = seq - perFile + 1;
      const body = new xdr.LedgerCloseMetaBatch({ startSequence: start, endSequence: seq, ledgerCloseMeta: batch }).toXDR();
      const path = join(dir, ...layout.objectKey(start).split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, zstd.compress(body, 3));
      summary.files++;
      batch = [];
    }
  }
  summary.contracts = w.sacs.filter((s) => s.deployed).length + w.contracts.filter((c) => c.deployed).length;
  return summary;
}
