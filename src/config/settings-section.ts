// The `lock:` and `chat:` sections. Chat names environment variables, never URLs: a webhook URL is a
// secret and a team's repository is no place for it, so a URL here is refused without being echoed.
import { k8sName } from '../engine/params.js';
import { type Where, entriesOf, onlyKeys, problem, textOf } from './check-values.js';
import type { Located, TeamConfig } from './schema.js';

const NAMESPACE = k8sName({ description: 'the namespace of the cluster lock', label: true });
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readLockSection(where: Where, node: unknown): TeamConfig['lock'] {
  const entries = entriesOf(where, node, 'lock');
  onlyKeys(where, entries, 'lock.', ['namespace'], 'a setting of the lock');
  const entry = entries.find((e) => e.name === 'namespace');
  if (entry === undefined) return {};
  const text = textOf(where, entry.value, entry.keyNode, 'lock.namespace', false);
  NAMESPACE.parse(
    text,
    `${where.shown} line ${where.doc.lineOf(entry.value ?? entry.keyNode)}: lock.namespace`,
  );
  return { namespace: { value: text, key: 'lock.namespace', line: where.doc.lineOf(entry.keyNode) } };
}

export function readChatSection(where: Where, node: unknown): TeamConfig['chat'] {
  const entries = entriesOf(where, node, 'chat');
  onlyKeys(where, entries, 'chat.', ['discord', 'slack'], 'a chat this tool posts to');
  const chat: { discord?: Located<string>; slack?: Located<string> } = {};
  for (const entry of entries) {
    const key = `chat.${entry.name}`;
    const text = textOf(where, entry.value, entry.keyNode, key, false);
    if (!VARIABLE.test(text)) {
      throw problem(
        where,
        entry.value,
        text.includes('://')
          ? `${key} must name the environment variable that holds the webhook URL, not the URL itself: keep the URL out of the repository.`
          : `${key} must name an environment variable (letters, digits and _), e.g. DISCORD_WEBHOOK_URL.`,
      );
    }
    chat[entry.name as 'discord' | 'slack'] = { value: text, key, line: where.doc.lineOf(entry.keyNode) };
  }
  return chat;
}
