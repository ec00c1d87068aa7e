// The API server's refusal of a WebSocket upgrade (exec, port-forward): a Status body on a plain HTTP
// answer, so kubectl prints the message as a real server's.
import type { Duplex } from 'node:stream';
import { failure } from './kube/errors.js';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

export function refuseUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify(failure(code, reason, message).status);
  const text = STATUS_TEXT[code] ?? 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
