// The API server's refusal of a WebSocket upgrade (exec, port-forward): a Status body on a plain HTTP
// answer, so kubectl prints the message as a real server's.
import type { Duplex } from 'node:stream';
import type { ResourceAttributes } from './kube/authorization.js';
import { ApiError, failure } from './kube/errors.js';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

export function refuseUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify(failure(code, reason, message).status);
  const text = STATUS_TEXT[code] ?? 'Internal Server Error';
  socket.end(
    `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * kube-apiserver authorizes an exec or port-forward upgrade as `create` on the pod's subresource,
 * before it looks at the pod. Refuses the upgrade with the policy's Status; true when it may go on.
 */
export function authorizeUpgrade(
  socket: Duplex,
  authorize: ((attributes: ResourceAttributes) => void) | undefined,
  where: { readonly subresource: 'exec' | 'portforward'; readonly namespace: string; readonly name: string },
): boolean {
  try {
    authorize?.({ verb: 'create', group: '', resource: 'pods', ...where });
    return true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    refuseUpgrade(socket, error.status.code, error.status.reason ?? 'Forbidden', error.status.message ?? '');
    return false;
  }
}
