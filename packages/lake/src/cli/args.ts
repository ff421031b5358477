/**
 * A small command-line parser: `--name value`, `--name=value`, boolean `--flag`, `-o value`
 * aliases and positionals. Unknown options are errors that suggest the closest known one.
 */
import { closestName } from '../closest-name.js';

export interface OptionSpec {
  name: string;
  alias?: string;
  boolean?: boolean;
  /** May be given several times: the values are joined with commas. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  options: Record<string, string | boolean>;
  positionals: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1);
    const spec = specs.find((s) => s.name === key || s.alias === key);
    if (!spec) {
      const hint = closestName(
        key,
        specs.map((s) => s.name),
      );
      throw new UsageError(`unknown option ${arg}${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    if (spec.boolean) {
      options[spec.name] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option --${spec.name} needs a value`);
    const before = options[spec.name];
    options[spec.name] = spec.repeatable === true && typeof before === 'string' ? `${before},${value}` : value;
  }
  return { options, positionals };
}

export function positiveInt(value: string | boolean | undefined, name: string): number | undefined {
  return integerAtLeast(value, name, 1, 'a positive integer');
}

export function nonNegativeInt(value: string | boolean | undefined, name: string): number | undefined {
  return integerAtLeast(value, name, 0, 'an integer >= 0');
}

function integerAtLeast(value: string | boolean | undefined, name: string, min: number, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} needs ${what}, got ${String(value)}`);
  return n;
}
