// What `runbook config` shows: every setting and every runbook parameter that has a value, with where
// it came from. Secrets are shown as which variable holds them (or a URL without its password), never
// as their value.
import { stateDirectory } from '../engine/journal.js';
import { resolveKubeconfigPaths } from '../providers/kubernetes/connect.js';
import type { AlertRoute } from '../../runbooks/alerts.js';
import { effectiveParams } from './effective-params.js';
import { type ChatSetting, effectiveSettings } from './effective-settings.js';
import { fileName } from './param-names.js';
import { knownRunbooks } from './known-runbooks.js';
import type { TeamConfig } from './schema.js';
import { type Effective, type Source, fromFile } from './source.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigReport {
  /** The file in effect, or null when none was found. */
  readonly file: { readonly path: string; readonly how: 'RUNBOOK_CONFIG' | 'search' } | null;
  readonly settings: Readonly<Record<string, Effective>>;
  /** Runbook id → parameter (as `runbook show` names it) → value and source. */
  readonly runbooks: Readonly<Record<string, Readonly<Record<string, Effective>>>>;
  readonly alerts: ReadonlyArray<AlertRoute & { readonly source: Source }>;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function secretVariable(env: Env, variable: string): Effective | undefined {
  return present(env[variable])
    ? { value: `set (${variable})`, source: { from: 'environment', variable } }
    : undefined;
}

/** A connection URL with its password replaced, or only which variable holds it when it will not parse. */
function maskedUrl(env: Env, variable: string): Effective | undefined {
  const text = env[variable];
  if (!present(text)) return undefined;
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return { value: url.toString(), source: { from: 'environment', variable } };
  } catch {
    return { value: `set (${variable})`, source: { from: 'environment', variable } };
  }
}

function chatEntry(chat: ChatSetting | undefined): Effective | undefined {
  if (chat === undefined) return undefined;
  return {
    value: chat.url === undefined ? `not set (${chat.variable} is empty)` : `set (${chat.variable})`,
    source: chat.source,
  };
}

function settingsOf(env: Env, config: TeamConfig | undefined): Record<string, Effective> {
  const settings = effectiveSettings(env, config);
  const kubeconfig = env.KUBECONFIG;
  const entries: Array<[string, Effective | undefined]> = [
    [
      'kubeconfig',
      present(kubeconfig)
        ? { value: kubeconfig, source: { from: 'environment', variable: 'KUBECONFIG' } }
        : { value: resolveKubeconfigPaths({ env: {} }).join(':'), source: { from: 'built-in' } },
    ],
    [
      'linode.api-url',
      present(env.LINODE_API_URL)
        ? { value: env.LINODE_API_URL, source: { from: 'environment', variable: 'LINODE_API_URL' } }
        : { value: 'https://api.linode.com/v4', source: { from: 'built-in' } },
    ],
    ['linode.token', secretVariable(env, 'LINODE_TOKEN')],
    ['postgres.database-url', maskedUrl(env, 'DATABASE_URL')],
    ['postgres.password', secretVariable(env, 'PGPASSWORD')],
    ['lock.namespace', settings.lockNamespace],
    ['chat.discord', chatEntry(settings.chat.discord)],
    ['chat.slack', chatEntry(settings.chat.slack)],
    [
      'state-directory',
      present(env.RUNBOOK_STATE_DIR)
        ? { value: env.RUNBOOK_STATE_DIR, source: { from: 'environment', variable: 'RUNBOOK_STATE_DIR' } }
        : { value: stateDirectory(env), source: { from: 'built-in' } },
    ],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, Effective] => e[1] !== undefined));
}

export function configReport(
  env: Env,
  config: TeamConfig | undefined,
  found: ConfigReport['file'],
  only?: string,
): ConfigReport {
  const runbooks: Record<string, Record<string, Effective>> = {};
  for (const runbook of knownRunbooks(false).runbooks) {
    if (only !== undefined && runbook.id !== only) continue;
    const { effective } = effectiveParams(runbook, {}, env, config);
    runbooks[runbook.id] = Object.fromEntries(
      Object.entries(effective).map(([name, value]) => [fileName(name), value]),
    );
  }
  const alerts = (config?.alerts ?? [])
    .filter((route) => only === undefined || route.value.runbook === only)
    .map((route) => ({ ...route.value, source: fromFile(config as TeamConfig, route) }));
  return { file: found, settings: settingsOf(env, config), runbooks, alerts };
}
