import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { parsePipelineYaml } from '../pipeline/config/pipeline-config.js';
import { PipelineRun, type LogFn } from '../pipeline/host/pipeline-runner.js';
import { checkLakesNotShared } from '../pipeline/host/components.js';
import { nonNegativeInt, parseArgs, positiveInt, UsageError } from './args.js';
import { progressLine, type FileCounts } from './progress.js';
import { parseShardArg } from './shard-arg.js';
import type { PipelineSpec } from '../pipeline/config/pipeline-config.js';
import type { CreateOptions } from '../pipeline/host/pipeline-runner.js';

const RUN_USAGE =
  'cdp-parquet run <pipeline.yaml> [--start-ledger N] [--end-ledger N] [--shard I/N|auto [--shard-count N]] ' +
  '[--lease-ttl S] [--lease-wait S] [--metrics-port P] [--quiet]';

/** Builds every pipeline; if one cannot be built, those already built let go of what they hold. */
async function createRuns(specs: readonly PipelineSpec[], logger: LogFn, opts: CreateOptions, shardFlag: string | undefined): Promise<PipelineRun[]> {
  const settled = await Promise.allSettled(specs.map((spec) => PipelineRun.create(spec, logger, opts)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed === undefined) return settled.map((r) => (r as PromiseFulfilledResult<PipelineRun>).value);
  for (const r of settled) if (r.status === 'fulfilled') await r.value.close().catch(() => undefined);
  // A shard plan that cannot work (or that the lake contradicts) is bad input: name the flag.
  const err = failed.reason as Error;
  const plan = [err, err.cause].find((e) => e instanceof Error && (e.name === 'ShardPlanError' || e.name === 'ShardLakeError'));
  if (shardFlag !== undefined && plan !== undefined) throw new UsageError(`--shard ${shardFlag}: ${err.message}`);
  throw err;
}

/**
 * Runs every pipeline of a YAML file until its source ends (bounded) or a signal arrives.
 * SIGINT/SIGTERM stop the sources; consumers then flush and close, so what was read is
 * stored and checkpointed. Exit code 0 means every pipeline finished cleanly.
 */
export async function runCommand(argv: readonly string[], log: (s: string) => void): Promise<void> {
  const { options, positionals } = parseArgs(argv, [
    { name: 'start-ledger' },
    { name: 'end-ledger' },
    { name: 'metrics-port' },
    { name: 'quiet', alias: 'q', boolean: true },
    { name: 'shard' },
    { name: 'shard-count' },
    { name: 'lease-ttl' },
    { name: 'lease-wait' },
  ]);
  if (positionals.length !== 1) throw new UsageError(`expected one pipeline file\n${RUN_USAGE}`);
  const specs = parsePipelineYaml(await readFile(positionals[0]!, 'utf8'));
  const startLedger = positiveInt(options['start-ledger'], 'start-ledger');
  const endLedger = positiveInt(options['end-ledger'], 'end-ledger');
  const shardFlag = typeof options.shard === 'string' ? options.shard : undefined;
  if (shardFlag === undefined && options['shard-count'] !== undefined) throw new UsageError('--shard-count needs --shard auto');
  const shard =
    shardFlag === undefined
      ? undefined
      : parseShardArg(shardFlag, process.env, typeof options['shard-count'] === 'string' ? options['shard-count'] : undefined);
  if (shard === undefined && (options['lease-ttl'] !== undefined || options['lease-wait'] !== undefined))
    throw new UsageError('--lease-ttl and --lease-wait need --shard');
  const leaseTtl = positiveInt(options['lease-ttl'], 'lease-ttl');
  const leaseWait = nonNegativeInt(options['lease-wait'], 'lease-wait');
  const metricsPort = options['metrics-port'] === undefined ? undefined : Number(options['metrics-port']);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) {
    throw new UsageError('--metrics-port needs a port number');
  }
  const tty = process.stderr.isTTY === true && options.quiet !== true;
  const logger: LogFn = (level, msg) => {
    if (level === 'debug' && !process.env.DEBUG) return;
    if (tty) process.stderr.write('\r\x1b[K');
    log(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}`);
  };

  await checkLakesNotShared(specs);
  const runs = await createRuns(
    specs,
    logger,
    {
      shard,
      startLedger,
      endLedger,
      lease:
        shard === undefined
          ? undefined
          : { ttlMs: leaseTtl === undefined ? undefined : leaseTtl * 1000, waitMs: leaseWait === undefined ? undefined : leaseWait * 1000 },
    },
    shardFlag,
  );
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) return;
    logger('info', `${signal}: stopping sources, flushing consumers`);
    controller.abort();
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  let server: Server | undefined;
  if (metricsPort !== undefined) {
    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('see /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(runs.map((r) => r.prometheus()).join(''));
    });
    await new Promise<void>((resolve) => server!.listen(metricsPort, '127.0.0.1', resolve));
    const address = server.address();
    logger('info', `metrics on http://127.0.0.1:${typeof address === 'object' && address ? address.port : metricsPort}/metrics`);
  }
  const files = (run: PipelineRun): FileCounts => {
    let f = 0;
    let b = 0;
    for (const c of run.consumers) {
      const m = c.getMetrics?.() ?? {};
      f += Number(m.files_written ?? 0);
      b += Number(m.bytes_written ?? 0);
    }
    return { files: f, bytes: b };
  };
  const report = () => runs.map((r) => progressLine(r.stats, files(r))).join(' | ');
  const ticker = setInterval(
    () => {
      if (tty) process.stderr.write('\r\x1b[K' + report());
      else if (options.quiet !== true) logger('info', report());
    },
    tty ? 500 : 10_000,
  );
  ticker.unref();
  try {
    const results = await Promise.allSettled(runs.map((r) => r.run({ startLedger, endLedger, signal: controller.signal, log: logger })));
    if (tty) process.stderr.write('\r\x1b[K');
    for (const r of runs) logger('info', `done: ${progressLine(r.stats, files(r))}; rows by table ${JSON.stringify(r.stats.rowsByTable)}`);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
