import { convertCommand, CONVERT_USAGE } from './convert.js';
import { UsageError, closest } from './args.js';
import { VERSION } from '../version.js';

/** Sub-commands by name; each takes its argv and a logger and throws on failure. */
type Command = (argv: readonly string[], log: (s: string) => void) => Promise<void>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  convert: { run: convertCommand, usage: CONVERT_USAGE },
};

export function registerCommand(name: string, run: Command, usage: string): void {
  COMMANDS[name] = { run, usage };
}

function usage(): string {
  return `cdp-parquet ${VERSION}\n\nUsage:\n${Object.values(COMMANDS).map((c) => '  ' + c.usage).join('\n')}`;
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
    const hint = closest(name, Object.keys(COMMANDS));
    console.error(`cdp-parquet: unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}\n\n${usage()}`);
    return 2;
  }
  try {
    await command.run(rest, (s) => console.error(s));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`cdp-parquet ${name}: ${err.message}`);
      return 2;
    }
    console.error(`cdp-parquet ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.DEBUG) console.error(err);
    return 1;
  }
}
