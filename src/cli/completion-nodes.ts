// Node names for `--node <TAB>`, from the cluster when one is reachable: one GET, bounded by a short
// deadline, silent (no names) when there is no kubeconfig, no cluster, or no answer in time.
import { request as httpRequest } from 'node:http';
import { type RequestOptions, request as httpsRequest } from 'node:https';
import { connectKube } from '../providers/kubernetes/connect.js';

/** The cluster gets this long to answer (after the client library has loaded): a TAB must not hang on one that is down. */
export const NODE_LOOKUP_MS = 1500;

export async function clusterNodeNames(options: {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}): Promise<string[]> {
  try {
    const clients = await connectKube(options);
    const url = new URL('/api/v1/nodes?limit=500', clients.identity.server);
    const request: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await clients.config.applyToHTTPSOptions(request);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = await new Promise<string>((resolve, reject) => {
      const req = send(url, request, (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          res.resume();
          reject(new Error(`HTTP ${String(res.statusCode)}`));
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(new Error('timed out')), NODE_LOOKUP_MS);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end();
    });
    const list = JSON.parse(body) as { items?: Array<{ metadata?: { name?: string } }> };
    return (list.items ?? []).flatMap((n) => (typeof n.metadata?.name === 'string' ? [n.metadata.name] : []));
  } catch {
    return [];
  }
}
