// A parameter given as a YAML or JSON file (--waves, --apply, --manifest): one that does not parse is
// bad input, said in one sentence naming the flag and what is wrong, never echoing the file's bytes.
import { readFile } from 'node:fs/promises';
import { invalidParameter } from '../src/engine/errors.js';
import { isGitCrypted } from '../src/manifests/repository-scan.js';
import { readYamlDocuments } from '../src/manifests/yaml-documents.js';

/** The file as text, or one sentence saying why it is not a text file a person wrote. */
export async function readText(flag: string, file: string, shown = file): Promise<string> {
  const bytes = await readFile(file);
  if (isGitCrypted(bytes)) {
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

/** Every document of the file, read as kubectl reads YAML; one that does not parse is bad input. */
export async function readYamlDocumentsParam(flag: string, file: string): Promise<unknown[]> {
  const read = readYamlDocuments(await readText(flag, file));
  if (!read.ok) throw invalidParameter(`${flag} ${file} is not YAML or JSON: ${read.reason}.`);
  return read.docs;
}

/** A file of one document (a JSON or YAML object or list). */
export async function readYamlParam(flag: string, file: string): Promise<unknown> {
  const docs = await readYamlDocumentsParam(flag, file);
  if (docs.length > 1) {
    throw invalidParameter(
      `${flag} ${file} holds ${docs.length} YAML documents separated by ---: give a file with one.`,
    );
  }
  return docs[0] ?? null;
}
