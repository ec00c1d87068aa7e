// Typed runbook parameters: each becomes a CLI option and is validated before anything runs.
// Whether a parameter must be given, has a default, or may be left out is part of its spec's type,
// so a runbook's parameter type cannot claim a value that may be missing (or miss one that is not).
import { accessSync, constants, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidParameter } from './errors.js';

interface SpecFields<T> {
  readonly kind: 'name' | 'choice' | 'path' | 'integer' | 'text';
  readonly description: string;
  readonly choices?: readonly string[];
  /** Parses and validates the text given on the command line; throws one sentence on bad input. */
  parse(text: string, flag: string): T;
  /** How the value is shown in help, e.g. `<name>`. */
  readonly placeholder: string;
}

/** Must be given: the run is refused before it connects to anything when it is missing. */
export interface RequiredParam<T> extends SpecFields<T> {
  readonly required: true;
  readonly default?: undefined;
}

/** Has a default: always has a value. */
export interface DefaultedParam<T> extends SpecFields<T> {
  readonly required?: false;
  readonly default: T;
}

/** May be left out: its value is then undefined. */
export interface OptionalParam<T> extends SpecFields<T> {
  readonly required?: false;
  readonly default?: undefined;
}

export type ParamSpec<T> = RequiredParam<T> | DefaultedParam<T> | OptionalParam<T>;

/** The spec a parameter of type T needs: optional exactly when T admits undefined. */
export type SpecFor<T> = undefined extends T
  ? OptionalParam<Exclude<T, undefined>>
  : RequiredParam<T> | DefaultedParam<T>;

type IsAny<T> = 0 extends 1 & T ? true : false;

/** The specs of a runbook's parameters P (for a runbook whose types are erased: any specs). */
export type ParamSpecs<P> =
  IsAny<P> extends true
    ? Readonly<Record<string, ParamSpec<unknown>>>
    : { readonly [K in keyof P]-?: SpecFor<P[K]> };

/** The values a set of specs resolves to: `T | undefined` only for a parameter that may be left out. */
export type ParamsOf<S> = {
  -readonly [K in keyof S]: S[K] extends OptionalParam<infer T>
    ? T | undefined
    : S[K] extends ParamSpec<infer T>
      ? T
      : never;
};

/** How a factory is told a parameter's presence: `required: true`, a `default`, or neither. */
type Presence<T> = { readonly required?: boolean; readonly default?: T };

function withPresence<T>(fields: SpecFields<T>, options: Presence<T>): ParamSpec<T> {
  if (options.required === true) return { ...fields, required: true };
  if (options.default !== undefined) return { ...fields, default: options.default };
  return fields;
}

/** A parameter factory: `required: true` makes it required, a `default` defaulted, neither optional. */
interface ParamFactory<O, T> {
  (options: O & { required: true }): RequiredParam<T>;
  (options: O & { default: T }): DefaultedParam<T>;
  (options: O): OptionalParam<T>;
}

/**
 * A factory from what a kind of parameter is made of; the presence is added as the options say.
 * withPresence returns the spec the overload names, which TypeScript cannot follow: hence the cast.
 */
const paramFactory = <O, T>(fields: (options: O) => SpecFields<T>): ParamFactory<O, T> =>
  ((options: O & Presence<T>) => withPresence(fields(options), options)) as ParamFactory<O, T>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface NameOptions {
  readonly description: string;
  readonly label?: boolean;
}

/** A Kubernetes object name (RFC 1123 subdomain) or, with `label`, a namespace (RFC 1123 label). */
export const k8sName = paramFactory<NameOptions, string>((options) => {
  const max = options.label === true ? 63 : 253;
  const pattern = options.label === true ? DNS_LABEL : DNS_SUBDOMAIN;
  return {
    kind: 'name',
    description: options.description,
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
});

interface ChoiceOptions<T extends string> {
  readonly description: string;
  readonly choices: readonly T[];
}

export function choice<T extends string>(options: ChoiceOptions<T> & { required: true }): RequiredParam<T>;
export function choice<const T extends string>(
  options: ChoiceOptions<T> & { default: NoInfer<T> },
): DefaultedParam<T>;
export function choice<T extends string>(options: ChoiceOptions<T>): OptionalParam<T>;
export function choice<T extends string>(options: ChoiceOptions<T> & Presence<T>): ParamSpec<T> {
  return withPresence(
    {
      kind: 'choice',
      description: options.description,
      choices: options.choices,
      placeholder: `<${options.choices.join('|')}>`,
      parse(text, flag) {
        const found = options.choices.find((c) => c === text);
        if (found === undefined) {
          throw invalidParameter(`${flag} must be one of ${options.choices.join(', ')}; "${text}" is not.`);
        }
        return found;
      },
    },
    options,
  );
}

function existingPath(kind: 'file' | 'directory', options: { description: string }): OptionalParam<string> {
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
export const filePath = (options: { description: string }): OptionalParam<string> =>
  existingPath('file', options);

/** A readable directory that exists now. */
export const directoryPath = (options: { description: string }): OptionalParam<string> =>
  existingPath('directory', options);

/** A directory that exists and takes a file now (checked by writing one: root ignores permissions). */
export function writableDirectory(options: { description: string; default: string }): DefaultedParam<string> {
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
        rmSync(probe, { force: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'EROFS'
            ? 'is on a read-only file system'
            : code === 'ENOSPC'
              ? 'is on a full disk'
              : 'is not a writable directory';
        throw invalidParameter(`${flag} ${text} ${why}: give a directory this user can write to.`);
      }
      return text;
    },
  };
}

interface TextOptions {
  readonly description: string;
  readonly pattern: RegExp;
  readonly expected: string;
  readonly placeholder: string;
}

/** Free text matching `pattern` (described in `expected` for the error), e.g. an application name. */
export const text = paramFactory<TextOptions, string>((options) => ({
  kind: 'text',
  description: options.description,
  placeholder: options.placeholder,
  parse(value, flag) {
    if (!options.pattern.test(value))
      throw invalidParameter(`${flag} "${value}" is not ${options.expected}.`);
    return value;
  },
}));

interface IntegerOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

/** A whole number from `min` to `max`. */
export const integer = paramFactory<IntegerOptions, number>((options) => ({
  kind: 'integer',
  description: options.description,
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
}));

export const flagFor = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Parses every given value and fills in defaults; throws on the first bad or missing one. The CLI
 * calls it before anything else, so a run refused here has connected to nothing and written nothing.
 */
export function resolveParams<S extends Readonly<Record<string, ParamSpec<unknown>>>>(
  specs: S,
  given: Readonly<Record<string, string | undefined>>,
): ParamsOf<S> {
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const text = given[name];
    if (text === undefined && spec.required === true)
      throw invalidParameter(`${flagFor(name)} is required: ${spec.description}.`);
    result[name] = text === undefined ? spec.default : spec.parse(text, flagFor(name));
  }
  return result as ParamsOf<S>;
}
