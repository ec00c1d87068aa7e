// Facts as the journal keeps them: what a postmortem and a resume need, never a whole Kubernetes
// object (its env values, a ConfigMap's or Secret's data may be secrets). A step that needs such an
// object after a resume reads it again, or asks for it.
import type { Facts } from './runbook.js';

/** What the journal holds in place of a whole object: its kind and name. */
export interface OmittedObject {
  readonly omitted: string;
}

interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

const isKubeObject = (value: unknown): value is KubeObjectLike =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { apiVersion?: unknown }).apiVersion === 'string' &&
  typeof (value as { kind?: unknown }).kind === 'string';

export const isOmitted = (value: unknown): value is OmittedObject =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { omitted?: unknown }).omitted === 'string' &&
  Object.keys(value).length === 1;

function omit(object: KubeObjectLike): OmittedObject {
  const { name = '?', namespace } = object.metadata ?? {};
  return { omitted: `${object.kind} ${namespace === undefined ? '' : `${namespace}/`}${name}` };
}

export function factsForJournal(facts: Facts): Facts {
  return Object.fromEntries(
    Object.entries(facts).map(([key, value]) => [
      key,
      isKubeObject(value)
        ? omit(value)
        : Array.isArray(value)
          ? value.map((item: unknown) => (isKubeObject(item) ? omit(item) : item))
          : value,
    ]),
  );
}
