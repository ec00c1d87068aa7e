// The HTTP side of authorization: what a request asks to do (the apiserver's RequestInfo), and the
// SelfSubjectAccessReview endpoint that answers "may I?" from the same policy.
import type { AccessControl, ResourceAttributes } from './authorization.js';
import { forbiddenMessage } from './authorization.js';
import { errors } from './errors.js';
import type { ResourceDef } from './registry.js';

/** The verb and target of a resource request, as k8s.io/apiserver's RequestInfoFactory derives them. */
export function requestAttributes(
  def: ResourceDef,
  request: {
    method: string;
    namespace: string | undefined;
    name: string | undefined;
    subresource: string | undefined;
    watch: boolean;
    fieldSelector: string | null;
  },
): ResourceAttributes {
  const { method, name } = request;
  let verb: string;
  switch (method) {
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = request.watch ? 'watch' : name === undefined ? 'list' : 'get';
  }
  let target = name ?? '';
  // A list or watch narrowed to one object by metadata.name is authorized as that object.
  if ((verb === 'list' || verb === 'watch') && target === '' && request.fieldSelector !== null)
    for (const term of request.fieldSelector.split(',')) {
      const m = /^metadata\.name==?(.*)$/.exec(term.trim());
      if (m?.[1] !== undefined) target = m[1];
    }
  return {
    verb,
    group: def.group,
    resource: def.plural,
    subresource: request.subresource ?? '',
    namespace: request.namespace ?? '',
    name: target,
  };
}

interface ReviewSpec {
  resourceAttributes?: Partial<Record<keyof ResourceAttributes | 'version', unknown>>;
  nonResourceAttributes?: { path?: unknown; verb?: unknown };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** POST selfsubjectaccessreviews: 201 with the review and its status, as the real server answers. */
export function selfSubjectAccessReview(
  access: AccessControl,
  def: ResourceDef,
  body: unknown,
): Record<string, unknown> {
  const review = (body ?? {}) as { spec?: ReviewSpec };
  const spec = review.spec ?? {};
  if ((spec.resourceAttributes === undefined) === (spec.nonResourceAttributes === undefined))
    throw errors.invalid(def, '', [
      {
        type: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(spec)}: exactly one of nonResourceAttributes or resourceAttributes must be specified`,
        field: 'spec',
      },
    ]);
  let status: Record<string, unknown> = { allowed: true };
  const r = spec.resourceAttributes;
  if (r !== undefined) {
    const attributes: ResourceAttributes = {
      verb: text(r.verb),
      group: text(r.group),
      resource: text(r.resource),
      subresource: text(r.subresource),
      namespace: text(r.namespace),
      name: text(r.name),
    };
    const decision = access.decide(attributes);
    if (!decision.allowed)
      status = {
        allowed: false,
        denied: true,
        reason: decision.rule.reason ?? forbiddenMessage(access.policy().user, attributes),
      };
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status,
  };
}
