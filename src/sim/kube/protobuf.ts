// The one protobuf body kubectl sends that the simulator reads: a SelfSubjectAccessReview, which
// client-go's typed clients post as application/vnd.kubernetes.protobuf (`kubectl auth can-i`).
import { errors } from './errors.js';
import { bytesOf, decodeWire, stringOf, unwrapEnvelope } from './protobuf-wire.js';

/** k8s.io/api authorization/v1 generated.proto field numbers. */
const RESOURCE_ATTRIBUTES = [
  'namespace',
  'verb',
  'group',
  'version',
  'resource',
  'subresource',
  'name',
] as const;

/** Decodes a protobuf SelfSubjectAccessReview into its JSON form; any other kind is a 415. */
export function decodeSelfSubjectAccessReview(body: Buffer): Record<string, unknown> {
  const { apiVersion, kind, raw } = unwrapEnvelope(body);
  if (kind !== 'SelfSubjectAccessReview')
    throw errors.unsupportedMediaType('application/vnd.kubernetes.protobuf');
  const review = decodeWire(raw);
  const spec = decodeWire(bytesOf(review, 2) ?? Buffer.alloc(0));
  const out: Record<string, unknown> = {};
  const resource = bytesOf(spec, 1);
  if (resource !== undefined) {
    const fields = decodeWire(resource);
    const attributes: Record<string, string> = {};
    RESOURCE_ATTRIBUTES.forEach((name, i) => {
      const value = stringOf(fields, i + 1);
      if (value !== '') attributes[name] = value;
    });
    out.resourceAttributes = attributes;
  }
  const nonResource = bytesOf(spec, 2);
  if (nonResource !== undefined) {
    const fields = decodeWire(nonResource);
    out.nonResourceAttributes = { path: stringOf(fields, 1), verb: stringOf(fields, 2) };
  }
  return { apiVersion, kind, metadata: {}, spec: out };
}
