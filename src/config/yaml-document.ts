// The file parsed as a YAML document whose every node knows its line, so that any complaint about a key
// can say where it is. A syntax error is said in one sentence with its line, never with an excerpt of
// the file (it may hold secrets).
import { type Document, LineCounter, type Node, parseDocument } from 'yaml';
import { invalidParameter } from '../engine/errors.js';

export interface LinedDocument {
  readonly contents: Node | null;
  /** The 1-based line a node starts on. */
  lineOf(node: Node | null | undefined): number;
}

/** The parser's reason without its position and excerpt, printable. */
function reasonOf(message: string): string {
  const first = message.split('\n')[0] ?? '';
  return first
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200);
}

export function parseLined(text: string, shown: string): LinedDocument {
  const lines = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const lineAt = (offset: number): number => lines.linePos(offset).line;
  const [error] = doc.errors;
  if (error !== undefined) {
    throw invalidParameter(
      `${shown} line ${lineAt(error.pos[0])}: the YAML does not parse: ${reasonOf(error.message)}.`,
    );
  }
  return {
    contents: doc.contents,
    lineOf: (node) => (node?.range === undefined || node.range === null ? 1 : lineAt(node.range[0])),
  };
}
