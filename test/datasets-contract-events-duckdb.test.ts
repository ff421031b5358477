// history_contract_events written by a pipeline (ContractEvents, profile hubble -> SaveToParquet)
// and queried with DuckDB the way Hubble's users query the BigQuery table: events per contract
// per day, transfers by topic with amounts from data_decoded, JSON paths into topics_decoded.
// Expected values come from the SDK's own decoding of the same ledgers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrKey, scValToNative, xdr } from '@stellar/stellar-sdk';
import { duckObjects } from './support/duckdb.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { parsePipelineYaml } from '../packages/lake/src/pipeline/config/pipeline-config.js';
import { PipelineRun } from '../packages/lake/src/pipeline/host/pipeline-runner.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';

interface SdkEvent {
  day: string;
  contract: string;
  kind: 'transaction' | 'operation' | 'diagnostic';
  type: string;
  topics: unknown[];
  data: unknown;
}

/** Every event of the lake as the SDK decodes it (v4 meta: transaction, operation and diagnostic lists). */
async function sdkEvents(lake: string, first: number, last: number): Promise<SdkEvent[]> {
  const out: SdkEvent[] = [];
  for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: first, endLedger: last }).ledgers()) {
    const day = new Date(l.closeTime * 1000).toISOString().slice(0, 10);
    const add = (e: xdr.ContractEvent, kind: SdkEvent['kind']): void => {
      const body = e.body().v0();
      const cid = e.contractId();
      out.push({
        day,
        contract: cid ? StrKey.encodeContract(cid as unknown as Buffer) : '',
        kind,
        type: e.type().name,
        topics: body.topics().map((t) => scValToNative(t) as unknown),
        data: scValToNative(body.data()) as unknown,
      });
    };
    for (const tp of l.meta().v2().txProcessing()) {
      const m = tp.txApplyProcessing().v4();
      for (const e of m.events()) add(e.event(), 'transaction');
      for (const op of m.operations()) for (const e of op.events()) add(e, 'operation');
      for (const d of m.diagnosticEvents()) add(d.event(), 'diagnostic');
    }
  }
  return out;
}

const countBy = <T>(items: T[], key: (t: T) => string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
};

test("pipeline ContractEvents (profile hubble) -> SaveToParquet -> DuckDB: Hubble-style queries give the SDK's answers", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cdp-hubble-duck-'));
  const lake = join(dir, 'lake');
  const sample = await generateSampleLake(lake, { ledgers: 60, startLedger: 200_000, seed: 23, metaVersion: 2 });
  const out = join(dir, 'parquet');
  const [spec] = parsePipelineYaml(
    `
name: hubble-events
source: {type: FSBufferedStorageSourceAdapter, config: {path: ${lake}, network: standalone, start_ledger: ${sample.firstLedger}, end_ledger: ${sample.lastLedger}}}
processors: [{type: ContractEvents, config: {profile: hubble}}]
consumers: [{type: SaveToParquet, config: {storage_type: FS, local_path: ${out}, path_prefix: stellar, partition_by: ledger_day, buffer_size: 500, compression: zstd}}]
`,
    {},
  );
  const stats = await (await PipelineRun.create(spec!)).run();
  const events = await sdkEvents(lake, sample.firstLedger, sample.lastLedger);
  assert.equal(stats.rows, events.length);
  const table = `read_parquet('${out}/stellar/history_contract_events/**/*.parquet', hive_partitioning = true)`;

  // The columns arrive typed: JSON columns as DuckDB JSON, closed_at as a UTC timestamp.
  const types = await duckObjects<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * EXCLUDE (year, month, day) FROM ${table}`);
  assert.deepEqual(
    types.map((t) => `${t.column_name}:${t.column_type}`),
    [
      'transaction_hash:VARCHAR',
      'transaction_id:BIGINT',
      'successful:BOOLEAN',
      'in_successful_contract_call:BOOLEAN',
      'contract_id:VARCHAR',
      'type:BIGINT',
      'type_string:VARCHAR',
      'topics:JSON',
      'topics_decoded:JSON',
      'data:JSON',
      'data_decoded:JSON',
      'contract_event_xdr:VARCHAR',
      'closed_at:TIMESTAMP WITH TIME ZONE',
      'ledger_sequence:BIGINT',
      'operation_id:BIGINT',
    ],
  );

  // Events per contract per day, by type (the sample straddles midnight UTC).
  const perDay = await duckObjects<{ day: string; contract_id: string; type_string: string; n: bigint }>(`
    SELECT strftime(closed_at AT TIME ZONE 'UTC', '%Y-%m-%d') AS day, contract_id, type_string, count(*) AS n
    FROM ${table} GROUP BY ALL`);
  const typeString = (name: string): string => `ContractEventType${name[0]!.toUpperCase()}${name.slice(1)}`;
  assert.deepEqual(
    new Map(perDay.map((r) => [`${r.day} ${r.contract_id} ${r.type_string}`, Number(r.n)])),
    countBy(events, (e) => `${e.day} ${e.contract} ${typeString(e.type)}`),
  );
  assert.deepEqual([...new Set(perDay.map((r) => r.day))].sort(), ['2024-12-31', '2025-01-01']);

  // Token transfers and mints (an i128 amount as data) by topic and contract: count and exact sum.
  const moves = await duckObjects<{ topic: string; contract_id: string; n: bigint; amount: string }>(`
    SELECT json_extract_string(topics_decoded, '$[0].symbol') AS topic, contract_id, count(*) AS n, sum((json_extract_string(data_decoded, '$.i128'))::HUGEINT)::VARCHAR AS amount
    FROM ${table}
    WHERE type_string = 'ContractEventTypeContract' AND operation_id IS NOT NULL AND json_extract_string(topics_decoded, '$[0].symbol') IN ('transfer', 'mint')
      AND json_extract_string(data_decoded, '$.i128') IS NOT NULL
    GROUP BY ALL`);
  const expectedMoves = new Map<string, [number, bigint]>();
  for (const e of events) {
    if (e.kind !== 'operation' || e.type !== 'contract' || !['transfer', 'mint'].includes(e.topics[0] as string) || typeof e.data !== 'bigint') continue;
    const k = `${e.topics[0] as string} ${e.contract}`;
    const [n, sum] = expectedMoves.get(k) ?? [0, 0n];
    expectedMoves.set(k, [n + 1, sum + (e.data as bigint)]);
  }
  assert.ok(expectedMoves.size >= 2, 'the sample has transfers and mints');
  assert.deepEqual(new Map(moves.map((r) => [`${r.topic} ${r.contract_id}`, [Number(r.n), BigInt(r.amount)]])), expectedMoves);

  // JSON paths into topics_decoded: the busiest sender of SAC transfers (topic 3 names the asset).
  const [top] = await duckObjects<{ sender: string; asset: string; n: bigint }>(`
    SELECT json_extract_string(topics_decoded, '$[1].address') AS sender, json_extract_string(topics_decoded, '$[3].string') AS asset, count(*) AS n
    FROM ${table}
    WHERE json_extract_string(topics_decoded, '$[0].symbol') = 'transfer' AND json_array_length(topics_decoded) = 4 AND operation_id IS NOT NULL
    GROUP BY ALL ORDER BY n DESC, sender, asset LIMIT 1`);
  const senders = countBy(
    events.filter((e) => e.kind === 'operation' && e.topics[0] === 'transfer' && e.topics.length === 4),
    (e) => `${e.topics[1] as string} ${e.topics[3] as string}`,
  );
  const best = [...senders].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
  assert.equal(`${top!.sender} ${top!.asset}`, best[0]);
  assert.equal(Number(top!.n), best[1]);

  // Transaction-level fee events: one per transaction at least, no operation, fee charged > 0.
  const [fees] = await duckObjects<{ n: bigint; txs: bigint; bad: bigint }>(`
    SELECT count(*) AS n, count(DISTINCT transaction_id) AS txs,
      count(*) FILTER (WHERE (json_extract_string(data_decoded, '$.i128'))::HUGEINT = 0 OR NOT in_successful_contract_call) AS bad
    FROM ${table} WHERE operation_id IS NULL AND type = 1 AND json_extract_string(topics_decoded, '$[0].symbol') = 'fee'`);
  assert.equal(Number(fees!.n), events.filter((e) => e.kind === 'transaction').length);
  assert.equal(Number(fees!.txs), sample.transactions);
  assert.equal(Number(fees!.bad), 0);

  // Ids and raw columns: TOIDs nest (ledger, transaction, operation); data is the base64 of data_decoded's value.
  const [ids] = await duckObjects<{ bad_tx: bigint; bad_op: bigint; bad_data: bigint; diagnostic_with_op: bigint }>(`
    SELECT count(*) FILTER (WHERE transaction_id >> 32 <> ledger_sequence OR transaction_id & 4095 <> 0) AS bad_tx,
      count(*) FILTER (WHERE operation_id IS NOT NULL AND (operation_id - transaction_id NOT BETWEEN 1 AND 4095)) AS bad_op,
      count(*) FILTER (WHERE from_base64(json_extract_string(data, '$')) IS NULL OR contract_event_xdr NOT LIKE 'AAAAA%') AS bad_data,
      count(*) FILTER (WHERE type = 2 AND operation_id IS NOT NULL) AS diagnostic_with_op
    FROM ${table}`);
  assert.deepEqual(ids, { bad_tx: 0n, bad_op: 0n, bad_data: 0n, diagnostic_with_op: 0n });
});
