import { closestName } from '../closest-name.js';
import { UsageError } from './args.js';
import { VERSION } from 'cdp-parquet';

/** Sub-commands by name; each takes its argv and a logger and throws on failure. */
type Command = (argv: readonly string[], log: (s: string) => void) => Promise<void>;

/**
 * Commands load lazily: `convert` must not pay for (or require) the Stellar SDK that
 * `run` and `demo` use.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; usage: string }> = {
  convert: {
    load: async () => (await import('./convert.js')).convertCommand,
    usage: 'cdp-parquet convert --schema schema.json [--codec C] [--page-version 1|2] [--row-group-size N] [--workers N] [in.jsonl|-] -o out.parquet',
  },
  run: {
    load: async () => (await import('./run.js')).runCommand,
    usage:
      'cdp-parquet run <pipeline.yaml> [--start-ledger N] [--end-ledger N] [--shard I/N|auto [--shard-count N]] [--lease-ttl S] [--lease-wait S] [--metrics-port P] [--quiet]',
  },
  verify: {
    load: async () => (await import('./verify.js')).verifyCommand,
    usage: 'cdp-parquet verify <lake> --start A --end B [--table T ...] [--json] [--endpoint URL] [--region R] [--force-path-style] [--anonymous]',
  },
  demo: {
    load: async () => (await import('./demo.js')).demoCommand,
    usage: 'cdp-parquet demo [--out DIR]   (sample data lake -> pipeline -> Parquet lake -> DuckDB summary)',
  },
};

function usage(): string {
  return `cdp-parquet ${VERSION}\n\nUsage:\n${Object.values(COMMANDS)
    .map((c) => '  ' + c.usage)
    .join('\n')}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const hint = closestName(name, Object.keys(COMMANDS));
    console.error(`cdp-parquet: unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}\n\n${usage()}`);
    return 2;
  }
  try {
    const run = await command.load();
    await run(rest, (s) => console.error(s));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`cdp-parquet ${name}: ${err.message}\n  usage: ${command.usage}`);
      return 2;
    }
    console.error(`cdp-parquet ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.DEBUG) console.error(err);
    return 1;
  }
}
