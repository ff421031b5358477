import type { PipelineSpec } from '../config/pipeline-config.js';
import { PipelineConfigError } from '../config/pipeline-config.js';
import type { PipelineMessage } from '../message.js';
import type { LedgerRecord } from '../../stellar/ledger-record.js';
import { createSource, type Source } from './sources.js';
import { createConsumers, createProcessors, type ConsumerDeps, type HostConsumer, type Processors } from './components.js';
import type { ShardAssignment, ShardSpec } from '../../consumer/shard-plan.js';
import { planPipelineShard } from './shard-run.js';

export type LogFn = (level: 'info' | 'debug' | 'warn' | 'error', msg: string) => void;

/** How a pipeline is built: as one shard of a backfill, and the range the plan covers. */
export interface CreateOptions {
  shard?: ShardSpec;
  /** The range to split (default: the source's); with a shard, the run itself covers only its part. */
  startLedger?: number;
  endLedger?: number;
  lease?: ConsumerDeps['lease'];
}

export interface RunOptions {
  /** Overrides the source's start_ledger and any consumer checkpoint. */
  startLedger?: number;
  endLedger?: number;
  signal?: AbortSignal;
  log?: LogFn;
}

/** Live counters, read by the progress line and the metrics endpoint. */
export interface RunStats {
  pipeline: string;
  startedAt: number;
  ledgers: number;
  rows: number;
  currentLedger: number | undefined;
  /** Close time (ms since epoch) of the last ledger processed. */
  currentCloseTime: number | undefined;
  startLedger: number | undefined;
  endLedger: number | undefined;
  rowsByTable: Record<string, number>;
}

/**
 * A processor's messages for one ledger. Every processor runs before any row is delivered,
 * so a ledger that fails here reaches no consumer; the error names the ledger (and the
 * processor, unless the error already places itself in the ledger).
 */
function extract(p: Processors['extractors'][number], ledger: LedgerRecord): PipelineMessage[] {
  try {
    return p.process(ledger);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (/\bledger \d+\b/.test(message)) throw err;
    throw new Error(`ledger ${ledger.sequence}: ${p.name}: ${message}`, { cause: err });
  }
}

/**
 * One pipeline: a source feeding ledger extractors, a row-processor chain and consumers.
 * Every extractor sees every ledger; every row reaches every consumer in ledger order.
 * Built first, then run, so the host can read consumer checkpoints before choosing the start.
 */
export class PipelineRun {
  readonly stats: RunStats;

  private constructor(
    readonly spec: PipelineSpec,
    private readonly source: Source,
    private readonly processors: Processors,
    readonly consumers: HostConsumer[],
    private readonly log: LogFn,
    /** This run's shard of a backfill, if it is one. */
    readonly shard?: ShardAssignment,
  ) {
    this.stats = {
      pipeline: spec.name,
      startedAt: Date.now(),
      ledgers: 0,
      rows: 0,
      currentLedger: undefined,
      currentCloseTime: undefined,
      startLedger: undefined,
      endLedger: undefined,
      rowsByTable: {},
    };
  }

  static async create(spec: PipelineSpec, log: LogFn = () => undefined, opts: CreateOptions = {}): Promise<PipelineRun> {
    const source = await createSource(spec.source);
    // Processors default to the network the source's config names, else the lake's manifest.
    const passphrase = source.kind === 'ledgers' ? (source.networkPassphrase ?? (await source.lakeNetworkPassphrase?.())) : undefined;
    const processors = await createProcessors(spec.processors, passphrase, log);
    if (source.kind === 'messages' && processors.extractors.length > 0) {
      throw new PipelineConfigError(`pipeline '${spec.name}': ${spec.source.type} delivers rows, not ledgers, so ledger processors cannot follow it`);
    }
    if (source.kind === 'ledgers' && processors.extractors.length === 0) {
      throw new PipelineConfigError(`pipeline '${spec.name}': a ledger source needs at least one ledger processor (ContractData, ContractEvents)`);
    }
    let shard: ShardAssignment | undefined;
    try {
      if (opts.shard !== undefined) shard = await planPipelineShard(spec, source, opts.shard, opts);
    } catch (err) {
      await source.close().catch(() => undefined);
      throw err;
    }
    const consumers = await createConsumers(spec.consumers, log, { shard, lease: opts.lease });
    return new PipelineRun(spec, source, processors, consumers, log, shard);
  }

  /** The ledger range this run will cover, after checkpoints and overrides. */
  plannedRange(opts: RunOptions): { start: number; end: number | undefined } | undefined {
    if (this.source.kind !== 'ledgers') return undefined;
    // A shard covers its own part of the plan (the range options made the plan) and
    // resumes inside it from its checkpoints.
    const end = this.shard?.end ?? opts.endLedger ?? this.source.range.end;
    if (opts.startLedger !== undefined && this.shard === undefined) return { start: opts.startLedger, end };
    let start = this.shard?.start ?? this.source.range.start;
    const resumes = this.consumers.map((c) => c.resumeLedger?.()).filter((n): n is number => n !== undefined);
    // Resume where the least advanced consumer stopped, so none of them misses a ledger.
    if (resumes.length === this.consumers.length && resumes.length > 0) start = Math.max(start, Math.min(...resumes));
    return { start, end };
  }

  async run(opts: RunOptions = {}): Promise<RunStats> {
    const signal = opts.signal ?? new AbortController().signal;
    // A message source can stop part way through a ledger (an error, a stop signal); ledgers
    // from a ledger source go to each consumer whole.
    let interrupted = false;
    try {
      if (this.source.kind === 'ledgers') {
        const range = this.plannedRange(opts)!;
        this.stats.startLedger = range.start;
        this.stats.endLedger = range.end;
        if (range.end !== undefined && range.start > range.end) {
          this.log('info', `pipeline '${this.spec.name}': nothing to do, ledgers up to ${range.end} are already stored`);
        } else {
          this.log('info', `pipeline '${this.spec.name}': ledgers ${range.start}..${range.end ?? '(tail)'}`);
          for await (const ledger of this.source.ledgers(range, signal)) {
            // A ledger's rows go to each consumer in one hand-off (processBatch), not a call per row.
            const rows: PipelineMessage[] = [];
            for (const extractor of this.processors.extractors) for (const msg of extract(extractor, ledger)) rows.push(msg);
            await this.deliver(rows);
            for (const consumer of this.consumers) await consumer.ledgerComplete?.(ledger.sequence);
            this.stats.ledgers++;
            this.stats.currentLedger = ledger.sequence;
            this.stats.currentCloseTime = ledger.closeTime * 1000;
            if (signal.aborted) break;
          }
        }
      } else {
        for await (const msg of this.source.messages(signal)) {
          await this.deliver([msg]);
          const seq = Number(msg.metadata?.ledger_sequence);
          if (Number.isFinite(seq) && seq !== this.stats.currentLedger) {
            this.stats.currentLedger = seq;
            this.stats.ledgers++;
            const t = Date.parse(String(msg.metadata?.ledger_close_time));
            if (Number.isFinite(t)) this.stats.currentCloseTime = t;
          }
          if (signal.aborted) {
            interrupted = true;
            break;
          }
        }
      }
    } catch (err) {
      if (this.source.kind === 'messages') interrupted = true;
      throw err;
    } finally {
      if (interrupted) for (const c of this.consumers) c.inputInterrupted?.();
      await this.close();
    }
    return this.stats;
  }

  private async deliver(messages: PipelineMessage[]): Promise<void> {
    let batch = messages;
    for (const p of this.processors.chain) batch = batch.flatMap((m) => p.process(m));
    for (const consumer of this.consumers) {
      if (consumer.processBatch !== undefined) await consumer.processBatch(batch);
      else for (const m of batch) await consumer.process(m);
    }
    const byTable = this.stats.rowsByTable;
    for (const m of batch) {
      const table = String(m.metadata?.table ?? 'unknown');
      byTable[table] = (byTable[table] ?? 0) + 1;
    }
    this.stats.rows += batch.length;
  }

  private closed = false;

  /** Flush and close every consumer (even if one fails), then the source. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    for (const c of this.consumers) {
      try {
        await c.close();
      } catch (err) {
        errors.push(err);
        this.log('error', `closing ${c.name}: ${(err as Error).message}`);
      }
    }
    await this.source.close().catch(() => undefined);
    if (errors.length > 0) throw errors[0];
  }

  /** Prometheus text for the host and every consumer that has metrics. */
  prometheus(): string {
    const s = this.stats;
    const lines = [
      '# TYPE cdp_pipeline_ledgers_processed counter',
      `cdp_pipeline_ledgers_processed{pipeline="${s.pipeline}"} ${s.ledgers}`,
      '# TYPE cdp_pipeline_rows_emitted counter',
      `cdp_pipeline_rows_emitted{pipeline="${s.pipeline}"} ${s.rows}`,
      '# TYPE cdp_pipeline_current_ledger gauge',
      `cdp_pipeline_current_ledger{pipeline="${s.pipeline}"} ${s.currentLedger ?? 0}`,
    ];
    for (const p of this.processors.extractors) {
      for (const [name, value] of Object.entries(p.counters?.() ?? {})) {
        lines.push(`# TYPE cdp_pipeline_processor_${name} counter`, `cdp_pipeline_processor_${name}{pipeline="${s.pipeline}",processor="${p.name}"} ${value}`);
      }
    }
    for (const c of this.consumers) {
      const text = c.prometheusMetrics?.();
      if (text) lines.push(text.trimEnd());
    }
    return lines.join('\n') + '\n';
  }
}
