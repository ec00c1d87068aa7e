// How a protobuf message maps to its JSON form: one table per message (field number → JSON name
// and type), read by the generic decoder in protobuf-decode.ts. Field numbers are those of the
// k8s.io/api and apimachinery generated.proto files.

export type Scalar =
  | 'string'
  | 'int'
  | 'bool'
  /** bytes, base64 in JSON (Secret data, ConfigMap binaryData). */
  | 'bytes'
  /** metav1.Time {seconds=1, nanos=2}, RFC 3339 in JSON. */
  | 'time'
  /** resource.Quantity {string=1}. */
  | 'quantity'
  /** intstr.IntOrString {type=1, intVal=2, strVal=3}. */
  | 'intOrString';

export interface Field {
  name: string;
  type: Scalar | MessageSchema | { map: Scalar };
  repeated?: true;
  /** A pointer field in Go: present means set, so a zero is kept (replicas: 0). */
  pointer?: true;
}

export interface MessageSchema {
  name: string;
  fields: Record<number, Field>;
  /** Read and dropped (an object's status on create: the server ignores it). */
  ignored?: true;
}

export const message = (name: string, fields: Record<number, Field>): MessageSchema => ({ name, fields });

/** A status the decoder skips, as the API server ignores status on create. */
export const ignoredStatus = (name: string): MessageSchema => ({ name, fields: {}, ignored: true });

export const f = (name: string, type: Field['type'], extra: Omit<Field, 'name' | 'type'> = {}): Field => ({
  name,
  type,
  ...extra,
});
export const strings = (name: string): Field => f(name, 'string', { repeated: true });
export const list = (name: string, type: MessageSchema): Field => f(name, type, { repeated: true });
export const pointerInt = (name: string): Field => f(name, 'int', { pointer: true });
export const pointerBool = (name: string): Field => f(name, 'bool', { pointer: true });
