/**
 * Deterministic contract-data rows for the writer benchmarks.
 *
 * The shape follows stellar-etl's contract_data table. Every value is a pure function of
 * the seed and the row's position, so each benchmark child process regenerates exactly
 * the same rows; `dumpColumns` writes them as raw Arrow-layout buffers for the Python
 * side (pyarrow builds its table from them with `Array.from_buffers`, outside the timed
 * section), so every writer gets identical data.
 *
 * Realism: ~5k contracts, a pool of ledger keys (each key fixes its contract, key type,
 * durability, hash and key XDR), hot keys updated often; a ledger closes every few rows;
 * value XDR is the key's template with a few words changed per update, like real entries.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineSchema, t, type RowOf } from '../packages/writer/src/index.js';
import { Rng as SampleRng } from '../packages/lake/src/pipeline/sample/rng.js';

export const contractDataSchema = defineSchema({
  contract_id: t.string(),
  contract_key_type: t.string(),
  contract_durability: t.string(),
  asset_code: t.optional(t.string()),
  asset_issuer: t.optional(t.string()),
  asset_type: t.optional(t.string()),
  balance_holder: t.optional(t.string()),
  balance: t.optional(t.decimal(38, 0)),
  last_modified_ledger: t.uint32(),
  deleted: t.boolean(),
  ledger_sequence: t.uint32(),
  closed_at: t.timestamp('us', { utc: true }),
  ledger_key_hash: t.string(),
  key_xdr: t.binary(),
  val_xdr: t.binary(),
  contract_instance_type: t.optional(t.string()),
  contract_instance_wasm_hash: t.optional(t.string()),
  expiration_ledger_seq: t.optional(t.uint32()),
});

/** The row as generated (a subset of the inferred RowOf type: concrete JS types only). */
export interface ContractDataRow {
  contract_id: string;
  contract_key_type: string;
  contract_durability: string;
  asset_code: string | null;
  asset_issuer: string | null;
  asset_type: string | null;
  balance_holder: string | null;
  balance: bigint | null;
  last_modified_ledger: number;
  deleted: boolean;
  ledger_sequence: number;
  /** Microseconds since the epoch, UTC. */
  closed_at: number;
  ledger_key_hash: string;
  key_xdr: Uint8Array;
  val_xdr: Uint8Array;
  contract_instance_type: string | null;
  contract_instance_wasm_hash: string | null;
  expiration_ledger_seq: number | null;
}

// Compile-time check that generated rows are accepted by the schema's row type.
const _rowCheck = (r: ContractDataRow): RowOf<typeof contractDataSchema> => r;
void _rowCheck;

export type ColumnKind = 'string' | 'binary' | 'uint32' | 'bool' | 'timestamp_us' | 'decimal128';

/** Column order, kind and nullability (shared with the Python loader through the manifest). */
export const COLUMNS: ReadonlyArray<{ name: keyof ContractDataRow; kind: ColumnKind; nullable: boolean }> = [
  { name: 'contract_id', kind: 'string', nullable: false },
  { name: 'contract_key_type', kind: 'string', nullable: false },
  { name: 'contract_durability', kind: 'string', nullable: false },
  { name: 'asset_code', kind: 'string', nullable: true },
  { name: 'asset_issuer', kind: 'string', nullable: true },
  { name: 'asset_type', kind: 'string', nullable: true },
  { name: 'balance_holder', kind: 'string', nullable: true },
  { name: 'balance', kind: 'decimal128', nullable: true },
  { name: 'last_modified_ledger', kind: 'uint32', nullable: false },
  { name: 'deleted', kind: 'bool', nullable: false },
  { name: 'ledger_sequence', kind: 'uint32', nullable: false },
  { name: 'closed_at', kind: 'timestamp_us', nullable: false },
  { name: 'ledger_key_hash', kind: 'string', nullable: false },
  { name: 'key_xdr', kind: 'binary', nullable: false },
  { name: 'val_xdr', kind: 'binary', nullable: false },
  { name: 'contract_instance_type', kind: 'string', nullable: true },
  { name: 'contract_instance_wasm_hash', kind: 'string', nullable: true },
  { name: 'expiration_ledger_seq', kind: 'uint32', nullable: true },
];

export const DEFAULT_SEED = 20240601;

/** The sample lake's seeded sfc32, with the bench's two helpers. */
class Rng extends SampleRng {
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return this.int(lo, hi);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

/** Strings are built from char codes in one go: `+=` in a loop would leave V8 rope strings. */
function randomString(rng: Rng, prefix: string, length: number, alphabet: string): string {
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(rng.below(alphabet.length));
  return prefix + String.fromCharCode(...codes);
}

function strkey(rng: Rng, prefix: string): string {
  return randomString(rng, prefix, 55, BASE32);
}

function hex(rng: Rng, bytes: number): string {
  return randomString(rng, '', bytes * 2, HEX);
}

const KEY_TYPES = [
  'ScValTypeScvVec',
  'ScValTypeScvSymbol',
  'ScValTypeScvAddress',
  'ScValTypeScvBytes',
  'ScValTypeScvU32',
  'ScValTypeScvLedgerKeyContractInstance',
] as const;

interface Asset {
  code: string | null;
  issuer: string | null;
  type: string;
}

interface LedgerKey {
  contract: number;
  keyType: string;
  durability: string;
  hash: string;
  keyXdr: Uint8Array;
  valTemplate: Uint8Array;
  /** Index into assets and holders for SAC balance entries, else -1. */
  asset: number;
  holder: number;
  instanceType: string | null;
  wasmHash: string | null;
}

/** XDR-looking bytes: 4-byte tags and small ints (many zero bytes) mixed with 32-byte hashes. */
function xdrLike(rng: Rng, out: Uint8Array, contractBytes: Uint8Array): Uint8Array {
  const length = out.length;
  const view = new DataView(out.buffer, out.byteOffset, length);
  let at = 0;
  while (at + 4 <= length) {
    const r = rng.below(10);
    if (r < 4) {
      view.setUint32(at, rng.below(24), false); // type tag / discriminant
      at += 4;
    } else if (r < 6 && at + 8 <= length) {
      view.setUint32(at, 0, false);
      view.setUint32(at + 4, rng.below(1 << 20), false); // small u64
      at += 8;
    } else if (r < 8 && at + 32 <= length) {
      if (rng.below(2) === 0) out.set(contractBytes, at);
      else for (let i = 0; i < 32; i++) out[at + i] = rng.below(256);
      at += 32;
    } else if (at + 12 <= length) {
      // a short symbol: length word then ASCII padded to 4
      const n = rng.range(3, 8);
      view.setUint32(at, n, false);
      for (let i = 0; i < n && at + 4 + i < length; i++) out[at + 4 + i] = 97 + rng.below(26);
      at += 4 + ((n + 3) & ~3);
    } else {
      at += 4;
    }
  }
  return out;
}

export interface GeneratorOptions {
  seed?: number;
  /** Distinct ledger keys (default 50,000). */
  keys?: number;
  /** Distinct contracts (default 5,000). */
  contracts?: number;
}

const FIRST_LEDGER = 50_000_000;
const FIRST_CLOSE_US = Date.UTC(2024, 0, 1) * 1000;
const SLAB = 256 * 1024;

/**
 * Lazily yields `count` rows. Memory held by the generator itself is the key pool
 * (~50 MB of heap and buffers for 50k keys, built on the first `next()`) plus one
 * 256 KiB slab that recent val_xdr views share.
 */
export function* contractDataRows(count: number, options: GeneratorOptions = {}): Generator<ContractDataRow> {
  const seed = options.seed ?? DEFAULT_SEED;
  const poolRng = new Rng(seed ^ 0x5eed);
  const nContracts = options.contracts ?? 5_000;
  const nKeys = options.keys ?? 50_000;

  const contracts: string[] = [];
  const contractBytes: Uint8Array[] = [];
  for (let i = 0; i < nContracts; i++) {
    contracts.push(strkey(poolRng, 'C'));
    const b = new Uint8Array(32);
    for (let j = 0; j < 32; j++) b[j] = poolRng.below(256);
    contractBytes.push(b);
  }
  const holders: string[] = [];
  for (let i = 0; i < 20_000; i++) holders.push(strkey(poolRng, poolRng.below(5) === 0 ? 'C' : 'G'));
  const assets: Asset[] = [{ code: null, issuer: null, type: 'native' }];
  for (let i = 1; i < 40; i++) {
    const long = poolRng.below(4) === 0;
    const code = randomString(poolRng, '', long ? poolRng.range(5, 12) : poolRng.range(3, 4), BASE32.slice(0, 26));
    assets.push({ code, issuer: strkey(poolRng, 'G'), type: long ? 'credit_alphanum12' : 'credit_alphanum4' });
  }
  const wasmHashes: string[] = [];
  for (let i = 0; i < 300; i++) wasmHashes.push(hex(poolRng, 32));

  // Pool bytes share 1 MiB chunks (one backing store per chunk, not per value).
  let chunk = new Uint8Array(1 << 20);
  let chunkUsed = 0;
  const alloc = (length: number): Uint8Array => {
    if (chunkUsed + length > chunk.length) {
      chunk = new Uint8Array(1 << 20);
      chunkUsed = 0;
    }
    chunkUsed += length;
    return chunk.subarray(chunkUsed - length, chunkUsed);
  };
  const keys: LedgerKey[] = [];
  for (let i = 0; i < nKeys; i++) {
    // Contracts are skewed too: a few popular contracts own many keys.
    const u = poolRng.next();
    const contract = Math.floor(nContracts * u * u);
    const balance = poolRng.next() < 0.15;
    const instance = !balance && poolRng.next() < 0.1;
    const keyType = instance ? 'ScValTypeScvLedgerKeyContractInstance' : balance ? 'ScValTypeScvVec' : KEY_TYPES[poolRng.below(KEY_TYPES.length - 1)]!;
    const durability = instance || balance || poolRng.next() < 0.7 ? 'ContractDataDurabilityPersistent' : 'ContractDataDurabilityTemporary';
    const wasm = instance && poolRng.next() < 0.8;
    keys.push({
      contract,
      keyType,
      durability,
      hash: hex(poolRng, 32),
      keyXdr: xdrLike(poolRng, alloc(poolRng.range(40, 400)), contractBytes[contract]!),
      valTemplate: xdrLike(poolRng, alloc(poolRng.range(40, 400)), contractBytes[contract]!),
      asset: balance ? poolRng.below(assets.length) : -1,
      holder: balance ? poolRng.below(holders.length) : -1,
      instanceType: instance ? (wasm ? 'ContractExecutableWasm' : 'ContractExecutableStellarAsset') : null,
      wasmHash: wasm ? wasmHashes[poolRng.below(wasmHashes.length)]! : null,
    });
  }

  const rng = new Rng(seed);
  let ledger = FIRST_LEDGER;
  let closeUs = FIRST_CLOSE_US;
  let leftInLedger = rng.range(1, 6);
  let slab = new Uint8Array(SLAB);
  let slabUsed = 0;

  for (let i = 0; i < count; i++) {
    if (leftInLedger-- === 0) {
      ledger += rng.next() < 0.9 ? 1 : 2;
      closeUs += rng.range(4_000, 7_000) * 1000 + rng.below(1000);
      leftInLedger = rng.range(0, 5);
    }
    const u = rng.next();
    const key = keys[Math.floor(nKeys * u * u)]!;
    const deleted = rng.next() < 0.03;
    const lastModified = rng.next() < 0.8 ? ledger : ledger - rng.range(1, 50_000);

    const template = key.valTemplate;
    const len = template.length;
    if (slabUsed + len > SLAB) {
      slab = new Uint8Array(SLAB);
      slabUsed = 0;
    }
    const val = slab.subarray(slabUsed, slabUsed + len);
    slabUsed += len;
    val.set(template);
    // An update changes a few words of the entry (amounts, counters, ledgers).
    const changes = rng.range(1, 4);
    for (let c = 0; c < changes; c++) {
      const at = rng.below(len - 3);
      const w = rng.u32();
      val[at] = w & 0xff;
      val[at + 1] = (w >>> 8) & 0xff;
      val[at + 2] = (w >>> 16) & 0xff;
      val[at + 3] = w >>> 24;
    }

    let balance: bigint | null = null;
    const asset = key.asset >= 0 ? assets[key.asset]! : undefined;
    if (asset && !deleted) {
      // i128-ish amounts in stroops: mostly modest, some very large, a few zero.
      const r = rng.next();
      if (r < 0.05) balance = 0n;
      else if (r < 0.9) balance = BigInt(rng.u32()) * BigInt(1 + rng.below(1_000_000));
      else balance = (BigInt(rng.u32()) << 64n) | (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
    }
    const hasTtl = rng.next() < 0.7;

    yield {
      contract_id: contracts[key.contract]!,
      contract_key_type: key.keyType,
      contract_durability: key.durability,
      asset_code: asset ? asset.code : null,
      asset_issuer: asset ? asset.issuer : null,
      asset_type: asset ? asset.type : null,
      balance_holder: asset ? holders[key.holder]! : null,
      balance,
      last_modified_ledger: lastModified,
      deleted,
      ledger_sequence: ledger,
      closed_at: closeUs,
      ledger_key_hash: key.hash,
      key_xdr: key.keyXdr,
      val_xdr: val,
      contract_instance_type: key.instanceType,
      contract_instance_wasm_hash: key.wasmHash,
      expiration_ledger_seq: hasTtl ? ledger + rng.range(1_000, 3_000_000) : null,
    };
  }
}

/** Plain column arrays (nulls as null), one per field, from rows. */
export type Columns = { [K in keyof ContractDataRow]: ContractDataRow[K][] };

export function toColumns(rows: readonly ContractDataRow[]): Columns {
  const out = {} as Record<string, unknown[]>;
  for (const c of COLUMNS) out[c.name] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]! as unknown as Record<string, unknown>;
    for (const c of COLUMNS) out[c.name]![i] = r[c.name];
  }
  return out as unknown as Columns;
}

/**
 * The same columns with strings and binary in Arrow's layout (offsets + bytes + validity
 * bitmap, ByteColumnValues) and uint32 / timestamp[us] as typed arrays, as an Arrow table
 * holds them; booleans and decimals as in toColumns.
 */
export function toArrowColumns(rows: readonly ContractDataRow[]): Record<string, unknown> {
  const plain = toColumns(rows) as unknown as Record<string, unknown[]>;
  const out: Record<string, unknown> = { ...plain };
  for (const c of COLUMNS) {
    const values = plain[c.name]!;
    if (c.kind === 'uint32' || c.kind === 'timestamp_us') {
      // Arrow's uint32 and timestamp[us] buffers: Uint32Array, BigInt64Array.
      const typed =
        c.kind === 'uint32' ? Uint32Array.from(values as (number | null)[], (v) => v ?? 0) : BigInt64Array.from(values as number[], (v) => BigInt(v));
      out[c.name] = c.nullable ? { values: typed, nullBitmap: bitmapOf(values) } : typed;
      continue;
    }
    if (c.kind !== 'string' && c.kind !== 'binary') continue;
    const { offsets, data } = packBytes(values.length, (i) => values[i]);
    out[c.name] = c.nullable ? { offsets, data, nullBitmap: bitmapOf(values) } : { offsets, data };
  }
  return out;
}

/** Strings (UTF-8) and bytes of `n` values concatenated, with n + 1 int32 offsets; nulls take no bytes. */
function packBytes(n: number, get: (i: number) => unknown): { offsets: Int32Array; data: Uint8Array } {
  const enc = new TextEncoder();
  const parts: (Uint8Array | undefined)[] = new Array(n);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = get(i) as string | Uint8Array | null | undefined;
    if (v !== null && v !== undefined) {
      const b = typeof v === 'string' ? enc.encode(v) : v;
      parts[i] = b;
      total += b.length;
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) if (parts[i]) data.set(parts[i]!, offsets[i]!);
  return { offsets, data };
}

function bitmapOf(values: readonly unknown[]): Uint8Array {
  const bits = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] !== null) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

/**
 * Raw Arrow-layout buffers per column, for pyarrow's `Array.from_buffers`:
 * `<name>.valid` (LSB bitmap, nullable columns only), `<name>.data`, and `<name>.offsets`
 * (int64, string/binary only). Plus manifest.json.
 */
export function dumpColumns(rows: readonly ContractDataRow[], dir: string, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const n = rows.length;
  const manifest = { rows: n, seed, columns: [] as { name: string; kind: ColumnKind; nullable: boolean; nulls: number }[] };
  for (const c of COLUMNS) {
    const valid = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    const get = (i: number): unknown => (rows[i] as unknown as Record<string, unknown>)[c.name];
    for (let i = 0; i < n; i++) {
      const v = get(i);
      if (v === null || v === undefined) nulls++;
      else valid[i >> 3]! |= 1 << (i & 7);
    }
    let data: Uint8Array;
    if (c.kind === 'string' || c.kind === 'binary') {
      const packed = packBytes(n, get);
      data = packed.data;
      const offsets = BigInt64Array.from(packed.offsets, (o) => BigInt(o)); // pyarrow's large_string / large_binary
      writeFileSync(join(dir, `${c.name}.offsets`), new Uint8Array(offsets.buffer));
    } else if (c.kind === 'uint32') {
      const a = new Uint32Array(n);
      for (let i = 0; i < n; i++) a[i] = (get(i) as number | null) ?? 0;
      data = new Uint8Array(a.buffer);
    } else if (c.kind === 'timestamp_us') {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(get(i) as number);
      data = new Uint8Array(a.buffer);
    } else if (c.kind === 'bool') {
      data = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (get(i) === true) data[i >> 3]! |= 1 << (i & 7);
    } else {
      // decimal128: 16-byte little-endian two's complement
      data = new Uint8Array(n * 16);
      const view = new DataView(data.buffer);
      const mask = (1n << 64n) - 1n;
      for (let i = 0; i < n; i++) {
        const v = get(i) as bigint | null;
        if (v === null) continue;
        view.setBigUint64(i * 16, v & mask, true);
        view.setBigInt64(i * 16 + 8, v >> 64n, true);
      }
    }
    writeFileSync(join(dir, `${c.name}.data`), data);
    if (c.nullable) writeFileSync(join(dir, `${c.name}.valid`), valid);
    manifest.columns.push({ name: c.name, kind: c.kind, nullable: c.nullable, nulls });
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}
