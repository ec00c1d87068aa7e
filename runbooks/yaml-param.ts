// A parameter given as a YAML or JSON file (--waves, --apply, --manifest): one that does not parse is
// bad input, said in one sentence naming the flag and what is wrong, never echoing the file's bytes.
import { readFile } from 'node:fs/promises';
import { invalidParameter } from '../src/engine/errors.js';
import { loadClientNode } from '../src/providers/kubernetes/client-lib.js';

const GIT_CRYPT = Buffer.from('\0GITCRYPT\0');

/** The file as text, or one sentence saying why it is not a text file a person wrote. */
export async function readText(flag: string, file: string, shown = file): Promise<string> {
  const bytes = await readFile(file);
  if (bytes.subarray(0, GIT_CRYPT.length).equals(GIT_CRYPT)) {
    throw invalidParameter(
      `${flag} ${shown} is encrypted with git-crypt: unlock the repository (git-crypt unlock) and try again.`,
    );
  }
  const text = bytes.toString('utf8');
  if (bytes.includes(0) || text.includes('\uFFFD')) {
    throw invalidParameter(
      `${flag} ${shown} is a binary file, not YAML or JSON: pass the text file instead.`,
    );
  }
  return text;
}

/** The parser's reason, on one line and without the excerpt of the file it quotes (it may hold secrets). */
function reasonOf(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return first.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

export async function readYamlParam(flag: string, file: string): Promise<unknown> {
  const text = await readText(flag, file);
  const { loadYaml } = await loadClientNode();
  try {
    return loadYaml(text);
  } catch (error) {
    throw invalidParameter(`${flag} ${file} is not YAML or JSON: ${reasonOf(error)}.`);
  }
}

/** Every document of a multi-document YAML file (a manifest of `---`-separated objects). */
export async function readYamlDocumentsParam(flag: string, file: string): Promise<unknown[]> {
  const text = await readText(flag, file);
  const { loadAllYaml } = await loadClientNode();
  try {
    return loadAllYaml(text) as unknown[];
  } catch (error) {
    throw invalidParameter(`${flag} ${file} is not YAML or JSON: ${reasonOf(error)}.`);
  }
}
