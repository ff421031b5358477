// Shared fixtures of the consumer tests: deterministic messages shaped like our processors'
// rows, a DuckDB query helper, and a store wrapper that fails on demand.
import type { PipelineMessage } from '../packages/lake/src/pipeline/message.js';
import type { ObjectStore, ObjectWriter, WriterOptions } from '../packages/lake/src/storage/index.js';
import { StorageError } from '../packages/lake/src/storage/index.js';

/** Close time of a ledger: 5 s apart, starting 2024-01-15T23:58:00Z so ledger 24 crosses midnight UTC. */
export const BASE_CLOSE = Date.UTC(2024, 0, 15, 23, 58, 0);
export const closeOf = (ledger: number): string => new Date(BASE_CLOSE + ledger * 5000).toISOString();

/** Rows of a ledger: a deterministic count in [0, 4], so some ledgers have none. */
export const rowsIn = (ledger: number, table: string): number => (ledger * 7 + table.length * 3) % 5;

export function contractDataMsg(ledger: number, i: number): PipelineMessage {
  const closed = closeOf(ledger);
  return {
    payload: {
      contract_id: `C${String(ledger).padStart(6, '0')}X${i}`,
      contract_key_type: 'ScValTypeScvLedgerKeyContractInstance',
      contract_durability: 'ContractDataDurabilityPersistent',
      asset_code: i % 2 === 0 ? 'USDC' : null,
      asset_issuer: i % 2 === 0 ? 'GISSUER' : null,
      asset_type: i % 2 === 0 ? 'credit_alphanum4' : null,
      balance_holder: 'GHOLDER',
      // Beyond int64 and beyond 2^53: must survive exactly.
      balance: `${170141183460469231731687303715884105n + BigInt(ledger * 10 + i)}`,
      last_modified_ledger: ledger,
      ledger_entry_change: 1,
      deleted: false,
      closed_at: closed,
      ledger_sequence: ledger,
      ledger_key_hash: `h${ledger}-${i}`,
      key_xdr: new Uint8Array([0, 0, 0, 20, ledger & 0xff, i]),
      val_xdr: i % 3 === 0 ? null : new Uint8Array([1, 2, 3, i]),
      contract_instance_type: null,
      contract_instance_wasm_hash: null,
      expiration_ledger_seq: ledger + 1000,
    },
    metadata: { table: 'contract_data', processor: 'ContractData', ledger_sequence: ledger, ledger_close_time: closed },
  };
}

export function contractEventMsg(ledger: number, i: number): PipelineMessage {
  const closed = closeOf(ledger);
  return {
    payload: {
      type: 'contract',
      ledger,
      ledger_closed_at: closed,
      contract_id: `CEV${ledger}`,
      id: `${String(ledger).padStart(19, '0')}-${String(i).padStart(10, '0')}`,
      tx_hash: `tx${ledger}`,
      in_successful_contract_call: true,
      topics: ['{"symbol":"transfer"}', `{"u32":${i}}`],
      data: `{"i128":"${ledger}"}`,
      topics_xdr: ['AAAADwAAAAh0cmFuc2Zlcg=='],
      data_xdr: 'AAAACgAAAAA=',
    },
    metadata: { table: 'contract_events', processor: 'ContractEvents', ledger_sequence: ledger, ledger_close_time: closed },
  };
}

/** All messages of ledgers [from, to] for both built-in tables, in ledger order. */
export function messagesFor(from: number, to: number): PipelineMessage[] {
  const out: PipelineMessage[] = [];
  for (let l = from; l <= to; l++) {
    for (let i = 0; i < rowsIn(l, 'contract_data'); i++) out.push(contractDataMsg(l, i));
    for (let i = 0; i < rowsIn(l, 'contract_events'); i++) out.push(contractEventMsg(l, i));
  }
  return out;
}

export { duckObjects as duck } from './support/duckdb.js';

/**
 * Wraps a store; while `failing` is set every write (openWriter's commit, put) fails with a
 * transient error, as an unreachable server would after the store's own retries; while
 * holdUploads() is in force, uploads hang until released.
 */
export class FlakyStore implements ObjectStore {
  failing = false;
  failures = 0;
  /** While set, every data-file commit (openWriter's close) waits for it: a slow upload. */
  private gate: Promise<void> | undefined;

  /** Uploads hang from now on; the function returned lets them (and later ones) through. */
  holdUploads(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => {
      release = r;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }
  constructor(private readonly inner: ObjectStore) {}
  get kind() {
    return this.inner.kind;
  }
  describe(key: string): string {
    return this.inner.describe(key);
  }
  private fail(op: string, key: string): never {
    this.failures++;
    throw new StorageError({ backend: this.inner.kind, bucket: 'flaky', key, operation: op }, 'network', 'injected outage');
  }
  async openWriter(key: string, opts?: WriterOptions): Promise<ObjectWriter> {
    const w = await this.inner.openWriter(key, opts);
    const self = this;
    return {
      get bytesWritten() {
        return w.bytesWritten;
      },
      write: (c) => w.write(c),
      async close() {
        if (self.gate !== undefined) await self.gate;
        if (self.failing) {
          await w.abort();
          self.fail('commit', key);
        }
        await w.close();
      },
      abort: (r) => w.abort(r),
    };
  }
  async put(key: string, bytes: Uint8Array, opts?: Parameters<ObjectStore['put']>[2]): Promise<void> {
    if (this.failing) this.fail('put', key);
    await this.inner.put(key, bytes, opts);
  }
  async putIfAbsent(key: string, bytes: Uint8Array, opts?: Parameters<ObjectStore['put']>[2]): Promise<boolean> {
    if (this.failing) this.fail('putIfAbsent', key);
    return this.inner.putIfAbsent(key, bytes, opts);
  }
  get(key: string, range?: Parameters<ObjectStore['get']>[1]) {
    return this.inner.get(key, range);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}
