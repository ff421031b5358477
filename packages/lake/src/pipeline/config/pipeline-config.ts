import { parse as parseYaml } from 'yaml';
import { closestName } from '../../closest-name.js';

/**
 * Pipeline YAML in the two shapes CDP pipelines use:
 *   flat:   { name?, source: {type, config}, processors: [{type, config}], consumers: [...] }
 *   multi:  { pipelines: { <name>: { source, processors, consumers } } }
 * `${VAR}` and `${VAR:-default}` are replaced from the environment.
 * Errors name the pipeline, the component and the key.
 */
export interface ComponentSpec {
  type: string;
  config: Record<string, unknown>;
  /** Where it sits, for messages: `pipeline 'x' processors[1] (ContractData)`. */
  where: string;
}

export interface PipelineSpec {
  name: string;
  source: ComponentSpec;
  processors: ComponentSpec[];
  consumers: ComponentSpec[];
}

export class PipelineConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PipelineConfigError';
  }
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Substitution runs on the file text before YAML parsing, as envsubst would, so it works
 * in flow mappings too; `key: ${VAR:-}` then reads as an empty value, i.e. not configured.
 */
function substituteEnv(text: string, env: Record<string, string | undefined>): string {
  return text.replace(ENV_REF, (match, name: string, fallback: string | undefined, offset: number) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    const line = text.slice(0, offset).split('\n').length;
    throw new PipelineConfigError(`line ${line}: environment variable ${name} is not set (write \${${name}:-default} for a default)`);
  });
}

export function parsePipelineYaml(text: string, env: Record<string, string | undefined> = process.env): PipelineSpec[] {
  let doc: unknown;
  try {
    doc = parseYaml(substituteEnv(text, env));
  } catch (err) {
    throw new PipelineConfigError(`invalid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PipelineConfigError('the pipeline file must be a YAML mapping');
  }
  const root = doc as Record<string, unknown>;
  if ('pipelines' in root) {
    const extra = Object.keys(root).filter((k) => k !== 'pipelines');
    if (extra.length > 0) throw new PipelineConfigError(`unknown top-level key '${extra[0]}' beside 'pipelines'`);
    const pipelines = root.pipelines;
    if (typeof pipelines !== 'object' || pipelines === null || Array.isArray(pipelines) || Object.keys(pipelines).length === 0) {
      throw new PipelineConfigError("'pipelines' must map pipeline names to {source, processors, consumers}");
    }
    return Object.entries(pipelines).map(([name, body]) => pipelineSpec(name, body));
  }
  const name = typeof root.name === 'string' ? root.name : 'default';
  const { name: _ignored, ...body } = root;
  return [pipelineSpec(name, body)];
}

const PIPELINE_KEYS = ['source', 'processors', 'consumers'];

function pipelineSpec(name: string, body: unknown): PipelineSpec {
  const where = `pipeline '${name}'`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PipelineConfigError(`${where}: must be a mapping with source, processors and consumers`);
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!PIPELINE_KEYS.includes(key)) {
      const hint = closestName(key, PIPELINE_KEYS);
      throw new PipelineConfigError(`${where}: unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
  }
  if (b.source === undefined) throw new PipelineConfigError(`${where}: 'source' is required`);
  const consumers = list(b.consumers, `${where} consumers`);
  if (consumers.length === 0) throw new PipelineConfigError(`${where}: at least one consumer is required`);
  return {
    name,
    source: component(b.source, `${where} source`),
    processors: list(b.processors, `${where} processors`),
    consumers,
  };
}

function list(value: unknown, where: string): ComponentSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PipelineConfigError(`${where}: must be a list of {type, config}`);
  return value.map((v, i) => component(v, `${where}[${i}]`));
}

function component(value: unknown, where: string): ComponentSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PipelineConfigError(`${where}: must be a mapping with 'type' and 'config'`);
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'type' && key !== 'config') {
      const hint = closestName(key, ['type', 'config']);
      throw new PipelineConfigError(`${where}: unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
  }
  if (typeof v.type !== 'string' || v.type === '') throw new PipelineConfigError(`${where}: 'type' is required`);
  const named = `${where} (${v.type})`;
  const config = v.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new PipelineConfigError(`${named}: 'config' must be a mapping`);
  }
  // Keys left empty (e.g. by `${VAR:-}`) count as not configured.
  const entries = Object.entries(config).filter(([, x]) => x !== null && x !== '');
  return { type: v.type, config: Object.fromEntries(entries), where: named };
}
