// Reading and decoding request bodies: JSON (and JSON-as-YAML for apply), protobuf objects of the
// kinds kubectl create sends, refusing CBOR.
import type http from 'node:http';
import { errors } from './errors.js';
import { decodeProtobufObject } from './protobuf-decode.js';

export function readBody(req: http.IncomingMessage, limit = 3 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(errors.badRequest('the request body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(req: http.IncomingMessage): string {
  return (
    (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ??
    'application/json'
  );
}

/** The body's JSON form: JSON as sent, a protobuf object decoded into the same shape. */
export function parseJsonBody(buffer: Buffer, type: string): unknown {
  if (type === 'application/vnd.kubernetes.protobuf' && buffer.length > 0)
    return decodeProtobufObject(buffer);
  if (type.includes('protobuf') || type.includes('cbor')) throw errors.unsupportedMediaType(type);
  const text = buffer.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.badRequest(
      `error decoding request body: ${error instanceof Error ? error.message : String(error)}` +
        (type === 'application/apply-patch+yaml' ? ' (the simulator reads apply bodies as JSON)' : ''),
    );
  }
}
