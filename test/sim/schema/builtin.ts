// The official schemas of the built-in kinds, as kubernetes-models compiles them from Kubernetes'
// published OpenAPI: one validate function per apiVersion/kind, found through the package's model files.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface CompiledError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An ajv-compiled validate function: returns validity, leaves what failed in `errors`. */
export type CompiledValidate = ((data: unknown) => boolean) & { errors?: CompiledError[] | null };

const PACKAGE_ROOT = dirname(createRequire(import.meta.url).resolve('kubernetes-models'));
const APIMACHINERY_ROOT = dirname(
  createRequire(import.meta.url).resolve(
    '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta',
  ),
);

const cache = new Map<string, Promise<CompiledValidate | undefined>>();

async function load(file: string): Promise<CompiledValidate> {
  const mod = (await import(pathToFileURL(file).href)) as { validate: CompiledValidate };
  return mod.validate;
}

async function find(apiVersion: string, kind: string): Promise<CompiledValidate | undefined> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const model = join(PACKAGE_ROOT, ...(group === '' ? [] : [group ?? '']), version ?? '', `${kind}.mjs`);
  if (!existsSync(model)) return undefined;
  const schema = /_schemas\/(\w+)\.mjs/.exec(readFileSync(model, 'utf8'))?.[1];
  if (schema === undefined) return undefined;
  return load(join(PACKAGE_ROOT, '_schemas', `${schema}.mjs`));
}

/** The schema's validate function for a built-in kind, or undefined when the package has none. */
export function builtinValidator(apiVersion: string, kind: string): Promise<CompiledValidate | undefined> {
  const key = `${apiVersion}/${kind}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = find(apiVersion, kind);
    cache.set(key, found);
  }
  return found;
}

let objectMeta: Promise<CompiledValidate> | undefined;

/** ObjectMeta's validate function: what every object's metadata is checked against, custom resources' too. */
export function objectMetaValidator(): Promise<CompiledValidate> {
  objectMeta ??= load(join(APIMACHINERY_ROOT, 'IoK8sApimachineryPkgApisMetaV1ObjectMeta.mjs'));
  return objectMeta;
}
