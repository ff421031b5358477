// Shared helpers for the pipeline tests: fixture paths, an in-memory ObjectReader with
// injectable delays/failures, and a synthetic galexie lake built from a real ledger.
import { readFileSync } from 'node:fs';
import { xdr } from '@stellar/stellar-sdk';
import type { ObjectInfo, ObjectReader } from '../packages/lake/src/pipeline/source/object-reader.js';
import { ObjectNotFoundError } from '../packages/lake/src/pipeline/source/object-reader.js';
import { GalexieLayout } from '../packages/lake/src/pipeline/source/galexie-layout.js';
import { loadZstdWasm } from '../packages/lake/src/pipeline/source/zstd.js';
import type { DataLakeSchema } from '../packages/lake/src/pipeline/source/galexie-layout.js';

/** ../shared/fixtures/stellar from the repo root (CI clones the repo with ../shared beside it). */
export const FIXTURES = new URL('../../shared/fixtures/stellar', import.meta.url).pathname;
export const PUBNET_FILE = `${FIXTURES}/FCD285FF--53312000.xdr.zstd`;
export const TESTNET_LAKE = `${FIXTURES}/datalake-testnet-p20`;
export const LOAD_TEST_FILE = `${FIXTURES}/load-test-ledgers-v23-standalone.xdr.zstd`;

/**
 * The raw zstd-wasm module. Initialised through src's loader only because the package must
 * be instantiated once per process; decoding below calls the package directly.
 */
export const zstd = loadZstdWasm;

/** Independent of src/: the README's recipe (decompress with a big buffer, SDK decode). */
export async function rawDecompress(path: string): Promise<Buffer> {
  const z = await zstd();
  return Buffer.from(z.decompress(readFileSync(path), { defaultHeapSize: 16 << 20 }));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface MemoryReaderHooks {
  /** Delay before answering a get, per key (ms). */
  delay?: (key: string) => number;
  /** Throw this error on this call (n = 1-based call count for the key), or nothing. */
  fail?: (key: string, n: number) => Error | undefined;
}

/** ObjectReader over a Map, recording calls; objects can be added while a source is running. */
export class MemoryObjectReader implements ObjectReader {
  readonly objects = new Map<string, Uint8Array>();
  readonly calls: string[] = [];
  private readonly counts = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly hooks: MemoryReaderHooks = {}) {}

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for (const [key, v] of [...this.objects].sort()) if (key.startsWith(prefix)) yield { key, size: v.length };
  }

  async get(key: string): Promise<Uint8Array> {
    this.calls.push(key);
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(this.hooks.delay?.(key) ?? 0);
      const err = this.hooks.fail?.(key, n);
      if (err) throw err;
      const v = this.objects.get(key);
      if (!v) throw new ObjectNotFoundError(key);
      return v;
    } finally {
      this.inFlight--;
    }
  }
}

/** A real testnet LedgerCloseMeta (ledger 997) used as a template for synthetic ledgers. */
export async function templateLedger(): Promise<xdr.LedgerCloseMeta> {
  const raw = await rawDecompress(`${TESTNET_LAKE}/FFFFFFFF--0-63999/FFFFFC1A--997.xdr.zstd`);
  return xdr.LedgerCloseMetaBatch.fromXDR(raw).ledgerCloseMeta()[0]!;
}

/** The template re-stamped with a new sequence and close time (seq * 5 s). */
export function syntheticLedger(template: xdr.LedgerCloseMeta, seq: number): xdr.LedgerCloseMeta {
  const copy = xdr.LedgerCloseMeta.fromXDR(template.toXDR());
  const header = copy.v1().ledgerHeader().header();
  header.ledgerSeq(seq);
  header.scpValue().closeTime(xdr.Uint64.fromString(String(1_700_000_000 + seq * 5)));
  return copy;
}

/** Writes ledgers [from, to] into `reader` in galexie layout; returns the layout. */
export async function buildLake(reader: MemoryObjectReader, schema: DataLakeSchema, from: number, to: number, prefix = ''): Promise<GalexieLayout> {
  const z = await zstd();
  const template = await templateLedger();
  const layout = new GalexieLayout(schema, prefix);
  reader.objects.set(prefix ? `${prefix}/.config.json` : '.config.json', new TextEncoder().encode(JSON.stringify(schema)));
  for (let start = layout.fileStart(from); start <= to; start += schema.ledgersPerBatch) {
    const metas: xdr.LedgerCloseMeta[] = [];
    for (let s = start; s < start + schema.ledgersPerBatch; s++) metas.push(syntheticLedger(template, s));
    const batch = new xdr.LedgerCloseMetaBatch({ startSequence: start, endSequence: start + schema.ledgersPerBatch - 1, ledgerCloseMeta: metas });
    reader.objects.set(layout.objectKey(start), z.compress(batch.toXDR(), 3));
  }
  return layout;
}

export function closeTimeOf(lcm: xdr.LedgerCloseMeta): number {
  const sw = lcm.switch();
  const h = sw === 0 ? lcm.v0().ledgerHeader() : sw === 1 ? lcm.v1().ledgerHeader() : lcm.v2().ledgerHeader();
  return Number(h.header().scpValue().closeTime().toString());
}
