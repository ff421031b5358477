import { closestName } from '../../closest-name.js';
import { PipelineConfigError } from './pipeline-config.js';

/**
 * Typed access to one component's `config` mapping. Every key must be read (or declared
 * with `allow`) before `finish()`, which rejects the rest as unknown, suggesting the closest
 * known key, so a misspelt `end_leger` fails loudly instead of being ignored. Integers may
 * arrive as YAML ints, integral floats or numeric strings (after ${VAR} substitution).
 */
export class ConfigReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly config: Record<string, unknown>,
    readonly where: string,
  ) {}

  allow(...keys: string[]): void {
    for (const k of keys) this.seen.add(k);
  }

  has(key: string): boolean {
    this.seen.add(key);
    return this.config[key] !== undefined && this.config[key] !== null && this.config[key] !== '';
  }

  private fail(key: string, message: string): never {
    throw new PipelineConfigError(`${this.where}: config key '${key}' ${message}`);
  }

  string(key: string): string | undefined {
    this.seen.add(key);
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(key, `must be a string, got ${JSON.stringify(v)}`);
  }

  requireString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') return this.fail(key, 'is required');
    return v;
  }

  int(key: string, opts: { min?: number } = {}): number | undefined {
    this.seen.add(key);
    const v = this.config[key];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+(\.0+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) return this.fail(key, `must be an integer, got ${JSON.stringify(v)}`);
    if (opts.min !== undefined && n < opts.min) return this.fail(key, `must be >= ${opts.min}, got ${n}`);
    return n;
  }

  bool(key: string): boolean | undefined {
    this.seen.add(key);
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.fail(key, `must be true or false, got ${JSON.stringify(v)}`);
  }

  /** A duration: a number of seconds, or text such as "500ms", "5s", "2m". Returns ms. */
  durationMs(key: string): number | undefined {
    this.seen.add(key);
    const v = this.config[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'number' && v >= 0) return v * 1000;
    const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v) : null;
    if (!m) return this.fail(key, `must be seconds or a duration like "5s", got ${JSON.stringify(v)}`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
    return Number(m[1]) * unit;
  }

  /** The raw remaining mapping (for components that validate their own config). */
  raw(): Record<string, unknown> {
    return this.config;
  }

  finish(): void {
    const known = [...this.seen];
    for (const key of Object.keys(this.config)) {
      if (!this.seen.has(key)) {
        const hint = closestName(key, known);
        throw new PipelineConfigError(`${this.where}: unknown config key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known keys: ${known.join(', ')}`);
      }
    }
  }
}
