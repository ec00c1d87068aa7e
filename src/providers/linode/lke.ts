// LKE and power calls node-recycle needs: the LKE node behind a Linode (pools are read in pages),
// a node recycle and a Linode reboot. api-v4 has no wrapper for node recycle: baseRequest it is.
import type { LkePoolSnapshot, LkeNodeView } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { linodeError, linodeRetryVerdict, linodeRetryVerdictIfUnprocessed } from './errors.js';

const MAX_PAGES = 20;

interface PoolPage {
  data: Array<{
    id: number;
    type?: string;
    nodes: Array<{ id: string; instance_id: number | null; status: string }>;
  }>;
  pages: number;
}

/** Every node pool of one LKE cluster (paged). */
export async function listLkePools(client: LinodeClient, clusterId: number): Promise<LkePoolSnapshot[]> {
  const { call, apiUrl } = client;
  const pools: LkePoolSnapshot[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    let result: PoolPage;
    try {
      const response = await withRetries(
        () =>
          call((lib) =>
            lib.baseRequest.get<PoolPage>(`${apiUrl}/lke/clusters/${clusterId}/pools`, { params: { page } }),
          ),
        linodeRetryVerdict,
      );
      result = response.data;
    } catch (error) {
      throw linodeError(error, apiUrl, `read the node pools of LKE cluster ${clusterId}`);
    }
    for (const pool of result.data)
      pools.push({ clusterId, id: pool.id, type: pool.type ?? 'g6-standard-4', nodes: pool.nodes });
    if (page >= result.pages) return pools;
  }
  return pools;
}

export async function findLkeNode(
  client: LinodeClient,
  clusterId: number,
  linodeId: number,
): Promise<LkeNodeView | undefined> {
  for (const pool of await listLkePools(client, clusterId)) {
    const node = pool.nodes.find((n) => n.instance_id === linodeId);
    if (node !== undefined)
      return {
        clusterId,
        poolId: pool.id,
        nodeId: node.id,
        instanceId: node.instance_id,
        status: node.status,
      };
  }
  return undefined;
}

export async function recycleLkeNode(client: LinodeClient, clusterId: number, nodeId: string): Promise<void> {
  const { call, apiUrl } = client;
  try {
    // Only a 429 proves the recycle was not started: anything else is not sent twice.
    await withRetries(
      () =>
        call((lib) =>
          lib.baseRequest.post(`${apiUrl}/lke/clusters/${clusterId}/nodes/${nodeId}/recycle`, {}),
        ),
      linodeRetryVerdictIfUnprocessed,
    );
  } catch (error) {
    throw linodeError(error, apiUrl, `recycle LKE node ${nodeId} of cluster ${clusterId}`);
  }
}

export async function rebootLinode(client: LinodeClient, linodeId: number): Promise<void> {
  const { call, apiUrl } = client;
  try {
    // "Linode busy." (an action still running) is retried, as linodego does; a reboot twice is harmless.
    await withRetries(() => call((lib) => lib.linodeReboot(linodeId)), linodeRetryVerdict);
  } catch (error) {
    throw linodeError(error, apiUrl, `reboot Linode ${linodeId}`);
  }
}
