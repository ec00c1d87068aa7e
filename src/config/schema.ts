// The team configuration file's shape, declared once: what a team writes in runbook.config.yaml, and
// what the loader hands the rest of the tool (every value with the line it came from).
import type { AlertRoute } from '../../runbooks/alerts.js';

/** A scalar a parameter takes in the file: text, or a number for the whole-number parameters. */
export type ParamValue = string | number;

/** runbook.config.yaml, as a team writes it. Every key is optional; any other key is an error. */
export interface TeamConfigFile {
  /** Default parameters per runbook: runbook id → parameter name (as `runbook show` lists it) → value. */
  readonly runbooks?: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;
  /** The team's own runbooks folder (relative to this file), listed beside the built-in ones. */
  readonly runbooksFolder?: string;
  /** Parameters for every runbook that has one by that name (a runbook's own section wins). */
  readonly defaults?: Readonly<Record<string, ParamValue>>;
  readonly lock?: {
    /** The namespace of the cluster lock's Lease (the built-in one: default). */
    readonly namespace?: string;
  };
  /** The NAMES of the environment variables holding the webhook URLs, never the URLs. */
  readonly chat?: { readonly discord?: string; readonly slack?: string };
  /** Alert routes tried before the built-in ones. */
  readonly alerts?: ReadonlyArray<{
    readonly alert: string;
    readonly runbook: string;
    /** Parameter → value; `{{label}}` is filled from the firing alert's labels. */
    readonly params?: Readonly<Record<string, string>>;
    readonly why?: string;
  }>;
}

/** A value read from the file, with where it was: the dotted key and its line (1-based). */
export interface Located<T> {
  readonly value: T;
  readonly key: string;
  readonly line: number;
}

/** The file once loaded and checked: paths already resolved against the file's folder. */
export interface TeamConfig {
  /** Absolute path of the file. */
  readonly path: string;
  /** The file as messages name it (relative to the working directory when it is under it). */
  readonly shown: string;
  /** Runbook id → parameter name (the spec's, camelCase) → its text, as a flag would give it. */
  readonly runbooks: ReadonlyMap<string, ReadonlyMap<string, Located<string>>>;
  /** Parameter name (the spec's) → its text, for every runbook that has the parameter. */
  readonly defaults: ReadonlyMap<string, Located<string>>;
  /** The team's runbooks folder, resolved against the file's folder. */
  readonly runbooksFolder?: Located<string>;
  readonly lock: { readonly namespace?: Located<string> };
  readonly chat: { readonly discord?: Located<string>; readonly slack?: Located<string> };
  readonly alerts: ReadonlyArray<Located<AlertRoute>>;
}

/** The configuration file's name, looked for in the working directory and its parents. */
export const CONFIG_FILE_NAME = 'runbook.config.yaml';

/** The environment variable naming a configuration file explicitly. */
export const CONFIG_ENV = 'RUNBOOK_CONFIG';
