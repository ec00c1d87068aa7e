// The one protobuf body kubectl sends that the simulator reads: a SelfSubjectAccessReview, which
// client-go's typed clients post as application/vnd.kubernetes.protobuf (`kubectl auth can-i`).
import { errors } from './errors.js';

type Field = number | Buffer;

/** Wire format: field number → values (varints as numbers, length-delimited as bytes). */
function decodeMessage(buf: Buffer): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[pos];
      if (byte === undefined) throw errors.badRequest('protobuf: truncated varint');
      pos += 1;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 63) throw errors.badRequest('protobuf: varint too long');
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    let value: Field;
    switch (key % 8) {
      case 0:
        value = varint();
        break;
      case 1:
        value = buf.subarray(pos, pos + 8);
        pos += 8;
        break;
      case 2: {
        const length = varint();
        if (pos + length > buf.length) throw errors.badRequest('protobuf: truncated field');
        value = buf.subarray(pos, pos + length);
        pos += length;
        break;
      }
      case 5:
        value = buf.subarray(pos, pos + 4);
        pos += 4;
        break;
      default:
        throw errors.badRequest(`protobuf: unsupported wire type ${key % 8}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytesOf = (fields: Map<number, Field[]>, n: number): Buffer | undefined => {
  const value = fields.get(n)?.[0];
  return Buffer.isBuffer(value) ? value : undefined;
};
const stringOf = (fields: Map<number, Field[]>, n: number): string =>
  bytesOf(fields, n)?.toString('utf8') ?? '';

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** The runtime.Unknown envelope: `k8s\0`, then {typeMeta{apiVersion, kind}, raw}. */
function unwrap(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw errors.badRequest('protobuf: the body does not start with the k8s envelope');
  const unknown = decodeMessage(body.subarray(4));
  const typeMeta = decodeMessage(bytesOf(unknown, 1) ?? Buffer.alloc(0));
  return {
    apiVersion: stringOf(typeMeta, 1),
    kind: stringOf(typeMeta, 2),
    raw: bytesOf(unknown, 2) ?? Buffer.alloc(0),
  };
}

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
  const { apiVersion, kind, raw } = unwrap(body);
  if (kind !== 'SelfSubjectAccessReview')
    throw errors.unsupportedMediaType('application/vnd.kubernetes.protobuf');
  const review = decodeMessage(raw);
  const spec = decodeMessage(bytesOf(review, 2) ?? Buffer.alloc(0));
  const out: Record<string, unknown> = {};
  const resource = bytesOf(spec, 1);
  if (resource !== undefined) {
    const fields = decodeMessage(resource);
    const attributes: Record<string, string> = {};
    RESOURCE_ATTRIBUTES.forEach((name, i) => {
      const value = stringOf(fields, i + 1);
      if (value !== '') attributes[name] = value;
    });
    out.resourceAttributes = attributes;
  }
  const nonResource = bytesOf(spec, 2);
  if (nonResource !== undefined) {
    const fields = decodeMessage(nonResource);
    out.nonResourceAttributes = { path: stringOf(fields, 1), verb: stringOf(fields, 2) };
  }
  return { apiVersion, kind, metadata: {}, spec: out };
}
