// Typed runbook parameters: each becomes a CLI option and is validated before anything runs.
import { accessSync, constants, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidParameter } from './errors.js';

interface ParamBase<T> {
  readonly description: string;
  readonly default?: T;
  /** Parses and validates the text given on the command line; throws one sentence on bad input. */
  parse(text: string, flag: string): T;
  /** How the value is shown in help, e.g. `<name>`. */
  readonly placeholder: string;
}

export interface ParamSpec<T> extends ParamBase<T> {
  readonly kind: 'name' | 'choice' | 'path' | 'integer' | 'text';
  readonly choices?: readonly string[];
}

export type ParamSpecs<P> = { readonly [K in keyof P]: ParamSpec<P[K]> };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (RFC 1123 subdomain) or, with `label`, a namespace (RFC 1123 label). */
export function k8sName(options: {
  description: string;
  default?: string;
  label?: boolean;
}): ParamSpec<string> {
  const max = options.label === true ? 63 : 253;
  const pattern = options.label === true ? DNS_LABEL : DNS_SUBDOMAIN;
  return {
    kind: 'name',
    description: options.description,
    default: options.default,
    placeholder: '<name>',
    parse(text, flag) {
      if (text.length === 0 || text.length > max || !pattern.test(text)) {
        throw invalidParameter(
          `${flag} "${text}" is not a valid Kubernetes ${options.label === true ? 'namespace' : 'name'}: use lower-case letters, digits and '-' (at most ${max} characters).`,
        );
      }
      return text;
    },
  };
}

export function choice<T extends string>(options: {
  description: string;
  choices: readonly T[];
  default?: T;
}): ParamSpec<T> {
  return {
    kind: 'choice',
    description: options.description,
    default: options.default,
    choices: options.choices,
    placeholder: `<${options.choices.join('|')}>`,
    parse(text, flag) {
      const found = options.choices.find((c) => c === text);
      if (found === undefined) {
        throw invalidParameter(`${flag} must be one of ${options.choices.join(', ')}; "${text}" is not.`);
      }
      return found;
    },
  };
}

function existingPath(
  kind: 'file' | 'directory',
  options: { description: string },
): ParamSpec<string | undefined> {
  return {
    kind: 'path',
    description: options.description,
    placeholder: kind === 'file' ? '<file>' : '<dir>',
    parse(text, flag) {
      try {
        const stat = statSync(text);
        if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) throw new Error(`not a ${kind}`);
        accessSync(text, kind === 'file' ? constants.R_OK : constants.R_OK | constants.X_OK);
      } catch {
        const what = kind === 'file' ? 'file' : 'directory';
        throw invalidParameter(
          `${flag} ${text} is not a readable ${what}: give the path of an existing one.`,
        );
      }
      return text;
    },
  };
}

/** A readable file that exists now. */
export const filePath = (options: { description: string }): ParamSpec<string | undefined> =>
  existingPath('file', options);

/** A readable directory that exists now. */
export const directoryPath = (options: { description: string }): ParamSpec<string | undefined> =>
  existingPath('directory', options);

/** A directory that exists and takes a file now (checked by writing one: root ignores permissions). */
export function writableDirectory(options: { description: string; default?: string }): ParamSpec<string> {
  return {
    kind: 'path',
    description: options.description,
    default: options.default,
    placeholder: '<dir>',
    parse(text, flag) {
      const probe = join(text, `.runbook-write-test-${process.pid}`);
      try {
        if (!statSync(text).isDirectory()) throw new Error('not a directory');
        writeFileSync(probe, 'x');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'EROFS'
            ? 'is on a read-only file system'
            : code === 'ENOSPC'
              ? 'is on a full disk'
              : 'is not a writable directory';
        throw invalidParameter(`${flag} ${text} ${why}: give a directory this user can write to.`);
      } finally {
        rmSync(probe, { force: true });
      }
      return text;
    },
  };
}

/** Free text matching `pattern` (described in `expected` for the error), e.g. an application name. */
export function text(options: {
  description: string;
  default?: string;
  pattern: RegExp;
  expected: string;
  placeholder: string;
}): ParamSpec<string | undefined> {
  return {
    kind: 'text',
    description: options.description,
    default: options.default,
    placeholder: options.placeholder,
    parse(value, flag) {
      if (!options.pattern.test(value))
        throw invalidParameter(`${flag} "${value}" is not ${options.expected}.`);
      return value;
    },
  };
}

export function integer(options: {
  description: string;
  default?: number;
  min: number;
  max: number;
}): ParamSpec<number> {
  return {
    kind: 'integer',
    description: options.description,
    default: options.default,
    placeholder: '<n>',
    parse(text, flag) {
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < options.min || value > options.max) {
        throw invalidParameter(
          `${flag} must be a whole number from ${options.min} to ${options.max}; "${text}" is not.`,
        );
      }
      return value;
    },
  };
}

export const flagFor = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Parses every given value and fills in defaults; throws on the first bad one. */
export function resolveParams<P>(
  specs: ParamSpecs<P>,
  given: Readonly<Record<string, string | undefined>>,
): P {
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(specs) as Array<keyof P & string>) {
    const spec = specs[name];
    const text = given[name];
    result[name] = text === undefined ? spec.default : spec.parse(text, flagFor(name));
  }
  return result as P;
}
