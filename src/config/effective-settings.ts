// The settings that are not runbook parameters: the cluster lock's namespace and the chat webhooks.
// The environment beats the file, which beats the built-in; the file renames the webhook variables,
// so a webhook URL itself never has to be written in a team's repository.
import { k8sName } from '../engine/params.js';
import type { TeamConfig } from './schema.js';
import { type Effective, fromFile } from './source.js';

type Env = Readonly<Record<string, string | undefined>>;

export const LOCK_NAMESPACE_ENV = 'RUNBOOK_LOCK_NAMESPACE';
export const CHAT_ENV = { discord: 'DISCORD_WEBHOOK_URL', slack: 'SLACK_WEBHOOK_URL' } as const;
export type Chat = keyof typeof CHAT_ENV;

const NAMESPACE = k8sName({ description: 'the namespace of the cluster lock', label: true });

export interface ChatSetting {
  /** The variable the URL is read from. */
  readonly variable: string;
  /** The webhook URL: a secret, never printed. Undefined when that variable is empty. */
  readonly url: string | undefined;
  readonly source: Effective['source'];
}

export interface Settings {
  readonly lockNamespace: Effective;
  readonly chat: Readonly<Record<Chat, ChatSetting | undefined>>;
}

const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

function chatSetting(chat: Chat, env: Env, config: TeamConfig | undefined): ChatSetting | undefined {
  const standard = CHAT_ENV[chat];
  const url = present(env[standard]);
  if (url !== undefined)
    return { variable: standard, url, source: { from: 'environment', variable: standard } };
  const named = config?.chat[chat];
  if (config === undefined || named === undefined) return undefined;
  return { variable: named.value, url: present(env[named.value]), source: fromFile(config, named) };
}

export function effectiveSettings(env: Env, config: TeamConfig | undefined): Settings {
  const fromEnv = present(env[LOCK_NAMESPACE_ENV]);
  if (fromEnv !== undefined) NAMESPACE.parse(fromEnv, LOCK_NAMESPACE_ENV);
  const inFile = config?.lock.namespace;
  const lockNamespace: Effective =
    fromEnv !== undefined
      ? { value: fromEnv, source: { from: 'environment', variable: LOCK_NAMESPACE_ENV } }
      : config !== undefined && inFile !== undefined
        ? { value: inFile.value, source: fromFile(config, inFile) }
        : { value: 'default', source: { from: 'built-in' } };
  return {
    lockNamespace,
    chat: { discord: chatSetting('discord', env, config), slack: chatSetting('slack', env, config) },
  };
}

/**
 * The environment a run reads, with the effective settings under their standard names: the lock, the
 * notifier and the redactor then see the team's choices (and a renamed webhook's URL is redacted too).
 */
export function withSettings(env: Env, settings: Settings): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {
    ...env,
    [LOCK_NAMESPACE_ENV]: settings.lockNamespace.value,
  };
  for (const chat of ['discord', 'slack'] as const) {
    const url = settings.chat[chat]?.url;
    if (url === undefined) delete result[CHAT_ENV[chat]];
    else result[CHAT_ENV[chat]] = url;
  }
  return result;
}
