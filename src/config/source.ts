// Where an effective value came from, in the order they win: a flag, the environment, the team's file,
// the tool's built-in default. `runbook config` prints it beside every value.
import type { TeamConfig } from './schema.js';

export type Source =
  | { readonly from: 'flag'; readonly flag: string }
  | { readonly from: 'environment'; readonly variable: string }
  | { readonly from: 'file'; readonly file: string; readonly line: number; readonly key: string }
  | { readonly from: 'built-in' };

export interface Effective<T = string> {
  readonly value: T;
  readonly source: Source;
}

export const fromFile = (config: TeamConfig, at: { line: number; key: string }): Source => ({
  from: 'file',
  file: config.shown,
  line: at.line,
  key: at.key,
});

/** `flag --namespace`, `environment RUNBOOK_PARAM_NAMESPACE`, `file runbook.config.yaml:7`, `built-in`. */
export function describeSource(source: Source): string {
  switch (source.from) {
    case 'flag':
      return `flag ${source.flag}`;
    case 'environment':
      return `environment ${source.variable}`;
    case 'file':
      return `file ${source.file}:${source.line}`;
    case 'built-in':
      return 'built-in';
  }
}
