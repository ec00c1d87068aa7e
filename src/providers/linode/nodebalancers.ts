// NodeBalancer reads for nodebalancer-check: every NodeBalancer, its configs and their backends,
// each list paged. api-v4's getNodeBalancerConfigNodes takes no page, so that one goes through
// baseRequest like the attach call in writer.ts.
import type { NodeBalancer, NodeBalancerConfig, NodeBalancerConfigNode } from '@linode/api-v4';
import type { NodeBalancerView } from '../../engine/ports.js';
import type { LinodeClient } from './connect.js';

const PAGE_SIZE = 500;

export type Paged = <T>(
  doing: string,
  fetchPage: (page: number) => Promise<{ data: T[]; pages: number }>,
) => Promise<T[]>;

export async function listNodeBalancers(client: LinodeClient, allPages: Paged): Promise<NodeBalancerView[]> {
  const { call, apiUrl } = client;
  const balancers = await allPages<NodeBalancer>('list NodeBalancers', (page) =>
    call((lib) => lib.getNodeBalancers({ page, page_size: PAGE_SIZE })),
  );
  const views: NodeBalancerView[] = [];
  for (const nb of balancers) {
    const configs = await allPages<NodeBalancerConfig>(
      `list the configs of NodeBalancer ${nb.label}`,
      (page) => call((lib) => lib.getNodeBalancerConfigs(nb.id, { page, page_size: PAGE_SIZE })),
    );
    const configViews = [];
    for (const config of configs) {
      const backends = await allPages<NodeBalancerConfigNode>(
        `list the backends of NodeBalancer ${nb.label} port ${config.port}`,
        async (page) =>
          (
            await call((lib) =>
              lib.baseRequest.get<{ data: NodeBalancerConfigNode[]; pages: number }>(
                `${apiUrl}/nodebalancers/${nb.id}/configs/${config.id}/nodes`,
                { params: { page, page_size: PAGE_SIZE } },
              ),
            )
          ).data,
      );
      configViews.push({
        id: config.id,
        port: config.port,
        protocol: config.protocol,
        nodesStatus: { up: config.nodes_status.up, down: config.nodes_status.down },
        backends: backends.map((b) => ({
          id: b.id,
          label: b.label,
          address: b.address,
          status: String(b.status),
          mode: String(b.mode),
        })),
      });
    }
    views.push({
      id: nb.id,
      label: nb.label,
      region: nb.region,
      ipv4: nb.ipv4,
      lkeClusterId: nb.lke_cluster?.id,
      updated: nb.updated,
      configs: configViews,
    });
  }
  return views;
}
