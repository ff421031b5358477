// Walks the dataset registry: every table is defined once and usable everywhere it is read
// (catalog, processors, row conversion, the reference docs), and every extractor's rows have
// exactly their table's columns, already in the writer's value types.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileRowConverter } from '../packages/lake/src/consumer/tables/row-converter.js';
import { PROFILES, optionsFrom } from '../packages/lake/src/datasets/dataset.js';
import { datasetsReference } from '../packages/lake/src/datasets/reference.js';
import { DATASETS, allTables, datasetCatalog, datasetOfProcessor } from '../packages/lake/src/datasets/registry.js';
import { ParquetWriter } from '../packages/writer/src/format/parquet-writer.js';
import { MemorySink } from '../packages/writer/src/format/sinks/memory-sink.js';
import { processorTypes } from '../packages/lake/src/pipeline/host/components.js';
import { readLedgerStream } from '../packages/lake/src/pipeline/source/xdr-stream.js';
import { ledgerRecordFromBytes, type LedgerRecord } from '../packages/lake/src/stellar/ledger-record.js';
import { generateSampleLake } from '../packages/lake/src/pipeline/sample/generate-sample-lake.js';
import { DataLakeSource } from '../packages/lake/src/pipeline/source/datalake-source.js';
import { FsObjectReader } from '../packages/lake/src/pipeline/source/fs-object-reader.js';
import { LOAD_TEST_FILE, PUBNET_FILE, rawDecompress } from './pipeline-helpers.js';

test('docs/datasets.md is the reference generated from the definitions (npm run docs:datasets)', () => {
  assert.equal(readFileSync(new URL('../docs/datasets.md', import.meta.url), 'utf8'), datasetsReference());
});

test('every name is defined once: processor types, and table names within a profile', () => {
  const processors = DATASETS.flatMap((d) => [d.processor, ...d.processorAliases]);
  assert.equal(new Set(processors).size, processors.length, processors.join(', '));
  for (const p of PROFILES) {
    const names = allTables()
      .filter((t) => t.profile === p)
      .map((t) => t.name);
    assert.equal(new Set(names).size, names.length, `${p}: ${names.join(', ')}`);
  }
});

test('every table is in the catalog, compiles into a row converter and a writer schema, and describes each column', () => {
  const catalog = datasetCatalog();
  for (const t of allTables()) {
    assert.equal(catalog.find(t.name, t.profile), t);
    compileRowConverter(t);
    new ParquetWriter(t.fields, new MemorySink());
    for (const c of t.columns.list) assert.ok(c.description.length > 10, `${t.name}.${c.name} has a description`);
    assert.deepEqual(
      t.fields.map((f) => f.name),
      t.columns.list.map((c) => c.name),
    );
  }
});

test('every ledger dataset is a pipeline processor; its extractor writes rows of exactly its columns, which the consumer takes as they are', async () => {
  // The sample lake adds what the real fixtures lack: Wasm uploads (contract code), meta v3 and v4 side by side.
  const lake = mkdtempSync(join(tmpdir(), 'cdp-datasets-'));
  const sample = await generateSampleLake(lake, { ledgers: 40, seed: 5 });
  const sampleLedgers: LedgerRecord[] = [];
  for await (const l of new DataLakeSource({ reader: new FsObjectReader(lake), startLedger: sample.firstLedger, endLedger: sample.lastLedger }).ledgers())
    sampleLedgers.push(l);
  rmSync(lake, { recursive: true, force: true });
  const networks = [
    { passphrase: 'Standalone Network ; February 2017', ledgers: await readLedgerStream(readFileSync(LOAD_TEST_FILE)) },
    { passphrase: 'Public Global Stellar Network ; September 2015', ledgers: [ledgerRecordFromBytes((await rawDecompress(PUBNET_FILE)).subarray(12))] },
    { passphrase: sample.networkPassphrase, ledgers: sampleLedgers },
  ];
  for (const d of DATASETS.filter((x) => x.open !== undefined)) {
    assert.ok(processorTypes().includes(d.processor));
    assert.equal(datasetOfProcessor(d.processor), d);
    for (const p of PROFILES) {
      const table = d.tables[p];
      if (table === undefined) continue;
      const toRow = compileRowConverter(table);
      const names = table.columns.list.map((c) => c.name);
      let rows = 0;
      for (const { passphrase, ledgers } of networks) {
        const extractor = d.open!({ profile: p, networkPassphrase: passphrase, options: optionsFrom({}) });
        assert.equal(extractor.table, table);
        for (const l of ledgers) {
          for (const row of extractor.extract(l)) {
            rows++;
            assert.deepEqual(Object.keys(row).sort(), [...names].sort(), `${table.name}: row keys`);
            const converted = toRow({ table: table.name, ledger: l.sequence, closeTimeMs: l.closeTime * 1000, profile: p, payload: row, metadata: {} });
            for (const n of names) assert.equal(converted[n], row[n], `${table.name}.${n} passes through unchanged`);
          }
        }
      }
      assert.ok(rows > 0, `${d.processor} (${p}) extracted rows from the fixtures`);
    }
  }
});
