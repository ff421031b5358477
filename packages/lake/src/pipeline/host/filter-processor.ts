import type { PipelineMessage } from '../message.js';
import type { ConfigReader } from '../config/config-reader.js';
import { PipelineConfigError } from '../config/pipeline-config.js';

/** A row-level processor: gets one message, passes on zero or more. */
export interface RowProcessor {
  readonly name: string;
  process(msg: PipelineMessage): PipelineMessage[];
}

/**
 * Keeps the rows whose payload `field` (or metadata field, with `metadata.` in front)
 * equals one of `values`; with `table` set, rows of other tables pass untouched. Example:
 *   {type: Filter, config: {table: contract_events, field: contract_id, values: [C...]}}
 */
export class FilterProcessor implements RowProcessor {
  readonly name = 'Filter';

  constructor(
    private readonly field: string,
    private readonly values: ReadonlySet<string>,
    private readonly table: string | undefined,
    private readonly exclude: boolean,
  ) {}

  static fromConfig(c: ConfigReader): FilterProcessor {
    const field = c.requireString('field');
    const raw = c.raw().values;
    c.allow('values');
    if (!Array.isArray(raw) || raw.length === 0) throw new PipelineConfigError(`${c.where}: config key 'values' must be a non-empty list`);
    const table = c.string('table');
    const exclude = c.bool('exclude') ?? false;
    c.finish();
    return new FilterProcessor(field, new Set(raw.map(String)), table, exclude);
  }

  process(msg: PipelineMessage): PipelineMessage[] {
    if (this.table !== undefined && msg.metadata.table !== this.table) return [msg];
    const v = this.field.startsWith('metadata.') ? (msg.metadata as Record<string, unknown>)[this.field.slice('metadata.'.length)] : msg.payload[this.field];
    const hit = v !== undefined && v !== null && this.values.has(String(v));
    return hit !== this.exclude ? [msg] : [];
  }
}
