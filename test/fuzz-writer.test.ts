/**
 * Whole-writer fuzzing (issue 6): random schemas x options (forced and auto encodings per
 * column, page v1/v2, page index on/off, bloom filters, every codec, workers, dictionary limits,
 * tiny pages and row groups, statistics truncation, writeRows or writeColumns) x data,
 * written and read back exactly by pyarrow, DuckDB, polars and hyparquet, with the page
 * index, SizeStatistics and bloom filters checked against the rows, and every file through
 * the spec conformance check with the values pyarrow read (the checks of the round-trip
 * property suite, on larger and more varied inputs).
 *
 *   FUZZ_MINUTES=20 node --import tsx --test test/fuzz-writer.test.ts
 *
 * runs rounds of fast-check properties with fresh seeds until the time is up, keeps going
 * after a failure (each failure is shrunk and saved as JSON + .parquet under
 * FUZZ_FAILURE_DIR, default $TMPDIR/cdp-parquet-fuzz-failures), prints the case count and
 * fails at the end if any round failed. Without FUZZ_MINUTES it runs a few fixed rounds
 * (FUZZ_SEED, default fixed) to stay fast in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FieldSpec, WriterOptions } from '../packages/writer/src/index.js';
import { readerSession } from './support/reader-session.js';
import { READS_WITH_LEAVES } from './support/python-readers.js';
import { rowArb, typeSpecArb } from './support/model.js';
import { checkCase, type Case } from './support/roundtrip-check.js';
import { CODECS, writeCase, writeCaseArb } from './support/options-model.js';
import { edgeOrderedRowsArb } from './support/row-order.js';

const MINUTES = process.env.FUZZ_MINUTES ? Number(process.env.FUZZ_MINUTES) : undefined;
const BASE_SEED = Number(process.env.FUZZ_SEED ?? (MINUTES ? Date.now() % 1_000_000_007 : 0xf022));
const RUNS_PER_ROUND = 25;
const FIXED_ROUNDS = 5;
const FAILURE_DIR = process.env.FUZZ_FAILURE_DIR ?? join(tmpdir(), 'cdp-parquet-fuzz-failures');

const session = readerSession('cdp-parquet-fuzz-');

/** Schemas: mostly flat (so writeColumns and bigger row counts get exercised), else nested up to depth 3. */
const schemaArb: fc.Arbitrary<FieldSpec[]> = fc
  .oneof(
    { weight: 2, arbitrary: fc.array(typeSpecArb(0), { minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.array(typeSpecArb(3), { minLength: 1, maxLength: 4 }) },
  )
  .map((types) => types.map((t, i) => ({ ...t, name: `c${i}` }) as FieldSpec));

const rowsArb = (fields: FieldSpec[]): fc.Arbitrary<Record<string, unknown>[]> => {
  const flat = fields.every((f) => f.type !== 'list' && f.type !== 'struct' && f.type !== 'map');
  const row = rowArb(fields, 3);
  return edgeOrderedRowsArb(
    fields,
    fc.oneof(
      { weight: 1, arbitrary: fc.array(row, { maxLength: 3 }) },
      { weight: 4, arbitrary: fc.array(row, { maxLength: 120 }) },
      // Repetitive data: a few distinct rows repeated (dictionary pays, then overflows), sorted or not.
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.array(row, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: flat ? 1500 : 300 }), fc.nat())
          .map(([distinct, n, s]) => Array.from({ length: n }, (_, i) => distinct[(i * 7 + s + (i >> 3)) % distinct.length]!)),
      },
    ),
  );
};

const optionsArb: fc.Arbitrary<WriterOptions> = fc.record(
  {
    compression: fc.constantFrom(...CODECS),
    compressionLevel: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined, freq: 4 }),
    pageVersion: fc.constantFrom(1 as const, 2 as const),
    rowGroupSize: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 700 })),
    dataPageSize: fc.oneof(fc.constant(1024 * 1024), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 20_000 })),
    dataPageRowLimit: fc.oneof(fc.constant(20_000), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 7, max: 500 })),
    dictionary: fc.boolean(),
    encoding: fc.constantFrom('auto' as const, 'dictionary' as const),
    dictionaryPageSizeLimit: fc.oneof(fc.constant(1024 * 1024), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 4096 })),
    pageChecksum: fc.boolean(),
    statisticsTruncateLength: fc.oneof(fc.constant(64), fc.integer({ min: 0, max: 24 })),
    // Pages encoded and compressed on worker threads must give the same file (checked like any other).
    workers: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2) }),
  },
  { requiredKeys: ['compression', 'pageVersion'] },
);

const caseArb: fc.Arbitrary<Case> = writeCaseArb(schemaArb, rowsArb, optionsArb);

function saveFailure(c: Case, bytes: Uint8Array | undefined, error: unknown, seed: number): string {
  mkdirSync(FAILURE_DIR, { recursive: true });
  const base = join(FAILURE_DIR, `seed-${seed}`);
  writeFileSync(
    `${base}.json`,
    JSON.stringify(
      {
        seed,
        error: String(error instanceof Error ? error.message : error).slice(0, 20_000),
        fields: c.fields,
        options: c.options,
        via: c.via,
        batches: c.batches,
        validity: c.validity,
        arrow: c.arrow,
        calls: c.calls,
        afterReset: c.afterReset,
        rows: c.rows,
      },
      (_k, v: unknown) =>
        typeof v === 'bigint'
          ? `${v}n`
          : v instanceof Uint8Array
            ? { hex: Buffer.from(v).toString('hex') }
            : v instanceof Map
              ? { Map: [...v.entries()] }
              : typeof v === 'number' && !Number.isFinite(v)
                ? String(v)
                : Object.is(v, -0)
                  ? '-0'
                  : v,
      1,
    ),
  );
  if (bytes) writeFileSync(`${base}.parquet`, bytes);
  return base;
}

interface Totals {
  cases: number;
  rows: number;
  pages: number;
  columnIndexes: number;
  bloomValues: number;
  limitations: number;
  conformanceChecks: number;
  columnsPath: number;
  arrowPath: number;
  afterReset: number;
}

async function runRound(seed: number, totals: Totals): Promise<string | undefined> {
  let lastFailure: { c: Case; bytes: Uint8Array | undefined; error: unknown } | undefined;
  const result = await fc.check(
    fc.asyncProperty(caseArb, async (c) => {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await writeCase(c);
        const s = await checkCase(c, bytes, await session.read(bytes, READS_WITH_LEAVES));
        totals.cases++;
        totals.rows += c.rows.length;
        totals.pages += s.pages;
        totals.columnIndexes += s.columnIndexes;
        totals.bloomValues += s.bloomValues;
        totals.limitations += s.limitations;
        totals.conformanceChecks += s.conformanceChecks;
        if (c.via === 'columns') totals.columnsPath++;
        if (c.via === 'columns' && c.arrow) totals.arrowPath++;
        if (c.afterReset) totals.afterReset++;
      } catch (error) {
        lastFailure = { c, bytes, error };
        throw error;
      }
    }),
    { numRuns: RUNS_PER_ROUND, seed },
  );
  if (!result.failed) return undefined;
  // fast-check runs the shrunk counterexample last; that is the one kept.
  const saved = lastFailure ? saveFailure(lastFailure.c, lastFailure.bytes, lastFailure.error, seed) : '(not saved)';
  const cause = lastFailure?.error instanceof Error ? lastFailure.error.message : String(result.errorInstance);
  return `seed ${seed}: ${cause.slice(0, 3000)}\n  saved: ${saved}.json/.parquet`;
}

test(
  `fuzz the writer through 4 readers (${MINUTES ? `${MINUTES} min` : `${FIXED_ROUNDS} x ${RUNS_PER_ROUND} cases`}, seed ${BASE_SEED})`,
  { timeout: MINUTES ? MINUTES * 60_000 + 600_000 : 1_200_000 },
  async (t) => {
    const deadline = MINUTES ? Date.now() + MINUTES * 60_000 : Infinity;
    const totals: Totals = {
      cases: 0,
      rows: 0,
      pages: 0,
      columnIndexes: 0,
      bloomValues: 0,
      limitations: 0,
      conformanceChecks: 0,
      columnsPath: 0,
      arrowPath: 0,
      afterReset: 0,
    };
    const failures: string[] = [];
    const started = Date.now();
    let round = 0;
    while (MINUTES ? Date.now() < deadline : round < FIXED_ROUNDS) {
      const seed = (BASE_SEED + round * 7919) % 2_147_483_647;
      const failure = await runRound(seed, totals);
      if (failure) {
        failures.push(failure);
        console.error(`FUZZ FAILURE ${failure}`);
      }
      round++;
      if (MINUTES && round % 10 === 0) {
        console.log(`fuzz: ${totals.cases} cases after ${((Date.now() - started) / 60_000).toFixed(1)} min, ${failures.length} failing rounds`);
      }
    }
    const summary =
      `fuzz: ${totals.cases} passing cases in ${round} rounds (${((Date.now() - started) / 1000).toFixed(0)} s): ` +
      `${totals.rows} rows, ${totals.pages} pages located via OffsetIndex, ${totals.columnIndexes} ColumnIndexes, ` +
      `${totals.bloomValues} bloom probes, ${totals.conformanceChecks} spec rules applied, ${totals.columnsPath} via writeColumns (${totals.arrowPath} in Arrow layout), ${totals.afterReset} by a reset writer, ${totals.limitations} known reader limitations hit; ` +
      `${failures.length} failing rounds`;
    console.log(summary);
    t.diagnostic(summary);
    assert.ok(totals.cases > 0, 'no case ran');
    assert.deepEqual(failures, [], `fuzz failures:\n${failures.join('\n\n')}`);
  },
);
