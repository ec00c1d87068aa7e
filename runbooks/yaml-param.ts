// A parameter given as a YAML or JSON file (--waves, --apply): one that does not parse is bad input,
// said in one sentence naming the flag and the parser's first line.
import { readFile } from 'node:fs/promises';
import { invalidParameter } from '../src/engine/errors.js';

export async function readYamlParam(flag: string, file: string): Promise<unknown> {
  const { loadYaml } = await import('@kubernetes/client-node');
  try {
    return loadYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw invalidParameter(
      `${flag} ${file} is not YAML or JSON: ${(error as Error).message.split('\n')[0] ?? ''}.`,
    );
  }
}
