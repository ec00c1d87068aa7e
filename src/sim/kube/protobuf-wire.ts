// The protobuf wire format and the k8s envelope around it (`k8s\0` + runtime.Unknown), shared
// by the SelfSubjectAccessReview reader and the schema-driven object decoder.
import { errors } from './errors.js';

/** A varint (as a signed 64-bit integer) or a length-delimited / fixed-width field's bytes. */
export type WireValue = bigint | Buffer;
export type WireMessage = Map<number, WireValue[]>;

/** Wire format: field number → values in the order they came. */
export function decodeWire(buf: Buffer): WireMessage {
  const fields: WireMessage = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos];
      if (byte === undefined) throw errors.badRequest('protobuf: truncated varint');
      pos += 1;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asIntN(64, value);
      shift += 7n;
      if (shift > 63n) throw errors.badRequest('protobuf: varint too long');
    }
  };
  const take = (length: number): Buffer => {
    if (pos + length > buf.length) throw errors.badRequest('protobuf: truncated field');
    const value = buf.subarray(pos, pos + length);
    pos += length;
    return value;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = Math.floor(key / 8);
    let value: WireValue;
    switch (key % 8) {
      case 0:
        value = varint();
        break;
      case 1:
        value = take(8);
        break;
      case 2:
        value = take(Number(varint()));
        break;
      case 5:
        value = take(4);
        break;
      default:
        throw errors.badRequest(`protobuf: unsupported wire type ${key % 8}`);
    }
    const values = fields.get(field);
    if (values === undefined) fields.set(field, [value]);
    else values.push(value);
  }
  return fields;
}

export const bytesOf = (fields: WireMessage, n: number): Buffer | undefined => {
  const value = fields.get(n)?.[0];
  return Buffer.isBuffer(value) ? value : undefined;
};
export const stringOf = (fields: WireMessage, n: number): string =>
  bytesOf(fields, n)?.toString('utf8') ?? '';

const MAGIC = Buffer.from('k8s\0', 'latin1');

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
}

/** The runtime.Unknown envelope: `k8s\0`, then {typeMeta{apiVersion, kind}, raw}. */
export function unwrapEnvelope(body: Buffer): Envelope {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw errors.badRequest('protobuf: the body does not start with the k8s envelope');
  const unknown = decodeWire(body.subarray(4));
  const typeMeta = decodeWire(bytesOf(unknown, 1) ?? Buffer.alloc(0));
  return {
    apiVersion: stringOf(typeMeta, 1),
    kind: stringOf(typeMeta, 2),
    raw: bytesOf(unknown, 2) ?? Buffer.alloc(0),
  };
}
