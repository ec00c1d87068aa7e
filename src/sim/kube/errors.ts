// metav1.Status failures with the reasons, messages and details the real API server uses,
// so clients that branch on `reason` or parse `message` behave as against a real cluster.
import type { ResourceDef } from './registry.js';
import { qualifiedName } from './registry.js';

export interface StatusCause {
  type?: string;
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An API failure; the HTTP layer serialises `status`. */
export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): ApiError {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details !== undefined) body.details = details;
  return new ApiError(body);
}

function detailsOf(def: ResourceDef, name: string): StatusBody['details'] {
  const details: StatusBody['details'] = { name };
  if (def.group !== '') details.group = def.group;
  details.kind = def.plural;
  return details;
}

export const errors = {
  notFound: (def: ResourceDef, name: string) =>
    failure(404, 'NotFound', `${qualifiedName(def)} "${name}" not found`, detailsOf(def, name)),
  alreadyExists: (def: ResourceDef, name: string) =>
    failure(409, 'AlreadyExists', `${qualifiedName(def)} "${name}" already exists`, detailsOf(def, name)),
  conflict: (def: ResourceDef, name: string, why?: string) =>
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(def)} "${name}": ${
        why ?? 'the object has been modified; please apply your changes to the latest version and try again'
      }`,
      detailsOf(def, name),
    ),
  invalid: (def: ResourceDef, name: string, causes: StatusCause[]) =>
    failure(
      422,
      'Invalid',
      `${def.kind}${def.group === '' ? '' : '.' + def.group} "${name}" is invalid: ${causes
        .map((c) => (c.field !== undefined ? `${c.field}: ${c.message}` : c.message))
        .join(', ')}`,
      { ...detailsOf(def, name), kind: def.kind, causes },
    ),
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  /** A JSON patch that cannot be applied: the real server answers 422 with reason Invalid. */
  invalidPatch: (message: string) => failure(422, 'Invalid', message),
  notFoundPath: () => failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  methodNotAllowed: (method: string) =>
    failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {
      causes: [{ message: method }],
    }),
  unsupportedMediaType: (type: string) =>
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
    ),
  /** A protobuf body the simulator has no field table for (a real API server reads them all). */
  protobufUndecodable: (what: string, readable: string) =>
    failure(
      415,
      'UnsupportedMediaType',
      `the simulator cannot decode ${what} sent as application/vnd.kubernetes.protobuf (it reads ${readable} in that format); send it as JSON, e.g. with kubectl apply -f`,
    ),
  tooManyRequests: (message: string, causes: StatusCause[], retryAfterSeconds: number) =>
    failure(429, 'TooManyRequests', message, { causes, retryAfterSeconds }),
  expired: (message: string) => failure(410, 'Expired', message),
  internal: (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`),
  forbiddenNamespaceTerminating: (def: ResourceDef, name: string, namespace: string) =>
    failure(
      403,
      'Forbidden',
      `${qualifiedName(def)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        ...detailsOf(def, name),
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    ),
};

export function successStatus(
  def: ResourceDef,
  name: string,
  uid: string | undefined,
): Record<string, unknown> {
  const details: Record<string, unknown> = { name };
  if (def.group !== '') details.group = def.group;
  details.kind = def.plural;
  if (uid !== undefined) details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
