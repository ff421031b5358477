/**
 * The datasets reference (docs/datasets.md), generated from the definitions so it cannot
 * drift from them: `npm run docs:datasets` writes it, a test fails when it is stale.
 */
import type { TypeSpec } from 'cdp-parquet';
import { PROFILES, type Dataset } from './dataset.js';
import { DATASETS } from './registry.js';

/** A column type as users meet it in engines (DuckDB / Arrow spelling). */
export function typeText(spec: TypeSpec): string {
  switch (spec.type) {
    case 'timestamp':
      return `timestamp[${spec.unit}${spec.utc === false ? '' : ', UTC'}]`;
    case 'decimal':
      return `decimal(${spec.precision},${spec.scale ?? 0})`;
    case 'list':
      return `list<${typeText(spec.element)}>`;
    case 'fixed':
      return `fixed(${spec.length})`;
    case 'time':
      return `time[${spec.unit}]`;
    case 'struct':
      return `struct<${spec.fields.map((f) => `${f.name}: ${typeText(f)}`).join(', ')}>`;
    case 'map':
      return `map<${typeText(spec.key)}, ${typeText(spec.value)}>`;
    default:
      return spec.type;
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function datasetSection(d: Dataset): string[] {
  const out = [`## ${d.processor}`, '', d.description, ''];
  out.push(
    d.open !== undefined
      ? `Processor type \`${d.processor}\`${d.processorAliases.length > 0 ? ` (also ${d.processorAliases.map((a) => `\`${a}\``).join(', ')})` : ''}.`
      : 'No processor extracts it from ledgers: its rows come from JSON messages.',
  );
  const profiles = PROFILES.filter((p) => d.tables[p] !== undefined);
  if (d.open !== undefined) out.push(`Profiles: ${profiles.map((p) => `\`${p}\` (table \`${d.tables[p]!.name}\`)`).join(', ')}.`);
  if (d.options.length > 0) {
    out.push('', 'Config keys besides `profile`, `network` and `network_passphrase`:', '');
    for (const o of d.options) out.push(`- \`${o.name}\` (${o.kind}): ${o.description}`);
  }
  for (const p of profiles) {
    const t = d.tables[p]!;
    out.push(
      '',
      `### \`${t.name}\` (${p} profile, schema version ${t.version})`,
      '',
      t.rowMeaning,
      '',
      '| column | type | null | description |',
      '|---|---|---|---|',
    );
    for (const c of t.columns.list)
      out.push(`| \`${c.name}\` | ${cell(typeText(c.spec))} | ${c.spec.optional === true ? 'yes' : 'no'} | ${cell(c.description)} |`);
  }
  out.push('');
  return out;
}

export function datasetsReference(): string {
  return [
    '# Datasets reference',
    '',
    'Generated from the dataset definitions (`src/datasets/`) by `npm run docs:datasets`; do not edit by hand.',
    'Types are as DuckDB and Arrow show them; "null" says whether the column may hold nulls.',
    '',
    ...DATASETS.flatMap(datasetSection),
  ].join('\n');
}
