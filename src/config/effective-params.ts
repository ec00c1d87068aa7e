// A runbook's parameters with the precedence every value follows: a flag beats the environment
// (RUNBOOK_PARAM_<NAME>, for every runbook that has the parameter), which beats the team's file (the
// runbook's own section, then `defaults:`), which beats the built-in default.
import type { AnyRunbook } from '../engine/runbook.js';
import { flagFor } from '../engine/params.js';
import { fileName } from './param-names.js';
import type { TeamConfig } from './schema.js';
import { type Effective, fromFile } from './source.js';

type Env = Readonly<Record<string, string | undefined>>;

/** RUNBOOK_PARAM_BACKUP_DIRECTORY for --backup-directory: the flag's name, upper-cased. */
export const paramVariable = (name: string): string =>
  `RUNBOOK_PARAM_${fileName(name).toUpperCase().replace(/-/g, '_')}`;

export interface EffectiveParams {
  /** As text, the way resolveParams takes flags: undefined leaves the built-in default. */
  readonly given: Record<string, string | undefined>;
  /** Every parameter that has a value, and where it came from. */
  readonly effective: Record<string, Effective>;
}

export function effectiveParams(
  runbook: AnyRunbook,
  flags: Readonly<Record<string, string | undefined>>,
  env: Env,
  config: TeamConfig | undefined,
): EffectiveParams {
  const given: Record<string, string | undefined> = {};
  const effective: Record<string, Effective> = {};
  for (const [name, spec] of Object.entries(runbook.params)) {
    const flag = flags[name];
    const variable = paramVariable(name);
    const fromEnv = env[variable];
    const inFile = config?.runbooks.get(runbook.id)?.get(name) ?? config?.defaults.get(name);
    if (flag !== undefined) {
      given[name] = flag;
      effective[name] = { value: flag, source: { from: 'flag', flag: flagFor(name) } };
    } else if (fromEnv !== undefined && fromEnv !== '') {
      // Checked here, so that a bad value names the variable rather than a flag nobody typed.
      spec.parse(fromEnv, variable);
      given[name] = fromEnv;
      effective[name] = { value: fromEnv, source: { from: 'environment', variable } };
    } else if (config !== undefined && inFile !== undefined) {
      given[name] = inFile.value;
      effective[name] = { value: inFile.value, source: fromFile(config, inFile) };
    } else if (spec.default !== undefined) {
      effective[name] = { value: textOf(spec.default), source: { from: 'built-in' } };
    }
  }
  return { given, effective };
}

/** A built-in default as a flag would give it: parameters default to text or whole numbers. */
const textOf = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
