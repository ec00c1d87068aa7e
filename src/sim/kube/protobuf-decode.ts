// Decodes an object sent as application/vnd.kubernetes.protobuf (what kubectl's typed clients
// send for `create`) into the JSON form the JSON path stores, driven by the field tables. A kind
// without a table, or a field the tables do not name, is a 415 that says so.
import type { KubeObject } from '../world.js';
import { errors } from './errors.js';
import { PROTOBUF_KINDS } from './protobuf-kinds.js';
import type { Field, MessageSchema, Scalar } from './protobuf-schema.js';
import { decodeWire, stringOf, unwrapEnvelope, type WireValue } from './protobuf-wire.js';

const readable = (): string => [...PROTOBUF_KINDS.values()].map((schema) => schema.name).join(', ');

const asBytes = (value: WireValue): Buffer => (Buffer.isBuffer(value) ? value : Buffer.alloc(0));
const asInt = (value: WireValue): number => (typeof value === 'bigint' ? Number(value) : 0);

/** Whether a field the tables do not know carries nothing (gogo-protobuf writes zero values). */
function isEmpty(value: WireValue): boolean {
  if (typeof value === 'bigint') return value === 0n;
  if (value.length === 0) return true;
  try {
    return [...decodeWire(value).values()].every((values) => values.every(isEmpty));
  } catch {
    return false;
  }
}

function formatSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A scalar's JSON value, or undefined for the zero value (JSON omitempty). */
function scalar(type: Scalar, value: WireValue): unknown {
  switch (type) {
    case 'string':
      return asBytes(value).toString('utf8');
    case 'int':
      return asInt(value);
    case 'bool':
      return asInt(value) !== 0;
    case 'bytes':
      return asBytes(value).toString('base64');
    case 'time': {
      const seconds = asInt(decodeWire(asBytes(value)).get(1)?.[0] ?? 0n);
      return seconds === 0 ? undefined : formatSeconds(seconds);
    }
    case 'quantity':
      return stringOf(decodeWire(asBytes(value)), 1);
    case 'intOrString': {
      const fields = decodeWire(asBytes(value));
      return asInt(fields.get(1)?.[0] ?? 0n) === 1 ? stringOf(fields, 3) : asInt(fields.get(2)?.[0] ?? 0n);
    }
  }
}

const isZero = (value: unknown): boolean =>
  value === undefined || value === '' || value === 0 || value === false;

function decodeField(field: Field, value: WireValue): unknown {
  const { type } = field;
  if (typeof type === 'string') return scalar(type, value);
  if ('map' in type) {
    const entry = decodeWire(asBytes(value));
    return [stringOf(entry, 1), scalar(type.map, entry.get(2)?.[0] ?? Buffer.alloc(0)) ?? ''];
  }
  return decodeMessage(type, asBytes(value));
}

function decodeMessage(schema: MessageSchema, buf: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [number, values] of decodeWire(buf)) {
    const field = schema.fields[number];
    if (field === undefined) {
      if (values.every(isEmpty)) continue;
      throw errors.protobufUndecodable(`field ${number} of ${schema.name}`, readable());
    }
    if (typeof field.type === 'object' && 'fields' in field.type && field.type.ignored === true) continue;
    if (typeof field.type === 'object' && 'map' in field.type) {
      out[field.name] = Object.fromEntries(values.map((v) => decodeField(field, v) as [string, unknown]));
    } else if (field.repeated === true) {
      out[field.name] = values.map((v) => decodeField(field, v));
    } else {
      const last = values[values.length - 1];
      if (last === undefined) continue;
      const decoded = decodeField(field, last);
      if (field.pointer === true ? decoded !== undefined : !isZero(decoded)) out[field.name] = decoded;
    }
  }
  return out;
}

/** The JSON form of a protobuf-encoded object, or a 415 naming what the simulator cannot read. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  const { apiVersion, kind, raw } = unwrapEnvelope(body);
  const schema = PROTOBUF_KINDS.get(`${apiVersion}/${kind}`);
  if (schema === undefined)
    throw errors.protobufUndecodable(
      `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind} (${apiVersion})`,
      readable(),
    );
  return { apiVersion, kind, ...decodeMessage(schema, raw) } as KubeObject;
}
