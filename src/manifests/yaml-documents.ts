// The YAML a team's repository holds, read as the real kubectl reads it (go-yaml v2: YAML 1.1
// booleans and octals, duplicate keys last-wins, flow collections at any indentation), so a file
// `kubectl apply` takes is never "not valid YAML" here.
import { parseAllDocuments } from 'yaml';

export type YamlRead =
  | { readonly ok: true; readonly docs: unknown[] }
  /** `reason` is the parser's first line ("… at line 3, column 13"), never the excerpt it quotes. */
  | { readonly ok: false; readonly line?: number; readonly reason: string };

/** The parser's reason, on one line and without the excerpt of the file it quotes (it may hold secrets). */
function reasonOf(message: string): string {
  const first = message.split('\n')[0] ?? '';
  return first
    .replace(/:$/, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200);
}

const OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: false,
  // go-yaml v2 reads `1:20` and `2020-01-01` as strings; the YAML 1.1 schema's sexagesimal and timestamp would not.
  customTags: (tags: unknown[]): unknown[] =>
    tags.filter((t) => {
      const tag = t as { format?: string; tag?: string };
      return tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp';
    }),
};

function parse(text: string): YamlRead {
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text, OPTIONS as never)) {
    const error = doc.errors[0];
    // The parser's message quotes the line, which may be a Secret's value: keep the line number only.
    if (error !== undefined) {
      const line = error.linePos ? { line: error.linePos[0].line } : {};
      return { ok: false, ...line, reason: reasonOf(error.message) };
    }
    docs.push(doc.toJS({ maxAliasCount: 1000 }));
  }
  return { ok: true, docs };
}

/**
 * A flow collection (`[...]`, `{...}`) continued on lines less indented than its key is fine to
 * go-yaml but not to a YAML 1.2 parser: join each open flow collection onto its first line.
 */
export function joinFlowLines(text: string): string {
  const out: string[] = [];
  let open = false;
  let depth = 0;
  let quote: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    let kept = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i] ?? '';
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || (c === "'" && depth > 0)) quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) break;
      else if (depth > 0 || /^\s*(- )*([^:]+:\s+)?$/.test(kept)) {
        if (c === '[' || c === '{') depth++;
        else if ((c === ']' || c === '}') && depth > 0) depth--;
      }
      kept += c;
    }
    if (open) out[out.length - 1] += ` ${kept.trim()}`;
    else out.push(depth > 0 ? kept : line);
    open = depth > 0;
  }
  return out.join('\n');
}

/** Every document of a YAML (or JSON) text; on failure, the line of the first error. */
export function readYamlDocuments(text: string): YamlRead {
  const first = parse(text);
  if (first.ok) return first;
  const joined = joinFlowLines(text);
  if (joined === text) return first;
  const second = parse(joined);
  return second.ok ? second : first;
}

/** The objects a document holds: a `kind: List`'s items, or the document itself. */
export const objectsOf = (doc: unknown): unknown[] =>
  (doc as { kind?: unknown }).kind === 'List' ? ((doc as { items?: unknown[] }).items ?? []) : [doc];
