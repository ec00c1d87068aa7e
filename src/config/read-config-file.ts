// Reads and checks the team's runbook.config.yaml: a file that is wrong in any way is refused whole
// (exit 3), with one sentence naming the file, the line and the key. Loaded only when there is a file,
// so a run without one never pays for the YAML parser.
import { dirname, relative, resolve, sep } from 'node:path';
import { readText } from '../../runbooks/yaml-param.js';
import { type Where, entriesOf, onlyKeys, problem, shapeOf, textOf } from './check-values.js';
import { readAlertsSection } from './alerts-section.js';
import { knownRunbooks } from './known-runbooks.js';
import { readDefaultsSection, readRunbooksSection } from './runbook-params.js';
import { readChatSection, readLockSection } from './settings-section.js';
import type { TeamConfig } from './schema.js';
import { parseLined } from './yaml-document.js';
import { isMap, isScalar } from 'yaml';

const SECTIONS = ['runbooks', 'runbooksFolder', 'defaults', 'lock', 'chat', 'alerts'] as const;

/** The file as messages name it: relative to the working directory when it is under it. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' ? path : rel;
}

export async function readConfigFile(path: string, cwd: string): Promise<TeamConfig> {
  const shown = shownPath(path, cwd);
  const text = await readText('The configuration file', path, shown);
  const doc = parseLined(text, shown);
  const where: Where = { doc, shown };
  const root = doc.contents;
  const empty = root === null || (isScalar(root) && root.value === null);
  if (!empty && !isMap(root)) {
    throw problem(
      where,
      root,
      `the file must be a map of sections (${SECTIONS.join(', ')}), not ${shapeOf(root)}.`,
    );
  }
  const entries = empty ? [] : entriesOf(where, root, 'the file');
  onlyKeys(where, entries, '', SECTIONS, `a section of ${shown}`);
  const section = (name: string): unknown => entries.find((e) => e.name === name)?.value ?? null;
  const paramWhere = { ...where, dir: dirname(path) };
  const folderEntry = entries.find((e) => e.name === 'runbooksFolder');
  const runbooksFolder =
    folderEntry === undefined
      ? {}
      : {
          runbooksFolder: {
            value: resolve(
              dirname(path),
              textOf(where, folderEntry.value, folderEntry.keyNode, 'runbooksFolder', false),
            ),
            key: 'runbooksFolder',
            line: doc.lineOf(folderEntry.keyNode),
          },
        };
  const known = knownRunbooks(folderEntry !== undefined);
  return {
    ...runbooksFolder,
    path,
    shown,
    runbooks: readRunbooksSection(paramWhere, section('runbooks'), known),
    defaults: readDefaultsSection(paramWhere, section('defaults'), known),
    lock: readLockSection(where, section('lock')),
    chat: readChatSection(where, section('chat')),
    alerts: readAlertsSection(where, section('alerts'), known),
  };
}
