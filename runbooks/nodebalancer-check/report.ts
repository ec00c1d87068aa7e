// What nodebalancer-check reads and says: the cluster's nodes (address, Ready, pressure, since when)
// and each NodeBalancer backend set against them and against the Services' node ports.
import type { V1Node } from '@kubernetes/client-node';
import type { NodeBalancerView, NodePortView } from '../../src/engine/ports.js';

export interface ClusterNode {
  readonly name: string;
  readonly ip: string | undefined;
  /** e.g. `Ready since 14:02Z`, `NotReady since …`, with `MemoryPressure since …` when under pressure. */
  readonly state: string;
  readonly ready: boolean;
}

export interface DownBackend {
  readonly nodeBalancer: string;
  readonly nodeBalancerId: number;
  readonly port: number;
  readonly address: string;
  readonly node: string | undefined;
}

const since = (time: Date | string | undefined): string =>
  time === undefined ? '' : ` since ${new Date(time).toISOString().replace('.000Z', 'Z')}`;

export function clusterNode(node: V1Node): ClusterNode {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const isReady = ready?.status === 'True';
  const pressures = conditions
    .filter((c) => c.type !== 'Ready' && c.status === 'True')
    .map((c) => `${c.type}${since(c.lastTransitionTime)}`);
  return {
    name: node.metadata?.name ?? '?',
    ip: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
    ready: isReady,
    state: [`${isReady ? 'Ready' : 'NotReady'}${since(ready?.lastTransitionTime)}`, ...pressures].join(', '),
  };
}

/** One line per backend, and the DOWN ones set against the cluster. */
export function backendReport(
  balancers: readonly NodeBalancerView[],
  nodes: readonly ClusterNode[],
  nodePorts: readonly NodePortView[],
): { notes: string[]; down: DownBackend[]; backends: number } {
  const notes: string[] = [];
  const down: DownBackend[] = [];
  let backends = 0;
  for (const nb of balancers) {
    notes.push(`NodeBalancer ${nb.label} (${nb.id}, ${nb.ipv4}, ${nb.region})`);
    for (const config of nb.configs) {
      const nodePort = Number(config.backends[0]?.address.split(':')[1]);
      const service = nodePorts.find((p) => p.nodePort === nodePort);
      notes.push(
        `  port ${config.port}/${config.protocol}: ${config.nodesStatus.up} up, ${config.nodesStatus.down} down; ` +
          (service === undefined
            ? `no Service in the cluster has NodePort ${nodePort}`
            : `NodePort ${nodePort} is ${service.namespace}/${service.service} port ${service.port}`),
      );
      const seen = new Set<string>();
      for (const backend of config.backends) {
        backends += 1;
        const ip = backend.address.split(':')[0];
        const node = nodes.find((n) => n.ip === ip);
        if (node !== undefined) seen.add(node.name);
        const where =
          node === undefined ? 'no cluster node has this address' : `node ${node.name}: ${node.state}`;
        notes.push(
          `    ${backend.status === 'UP' ? '✓' : '✗'} ${backend.address} ${backend.status} — ${where}`,
        );
        if (backend.status.toUpperCase() === 'DOWN') {
          down.push({
            nodeBalancer: nb.label,
            nodeBalancerId: nb.id,
            port: config.port,
            address: backend.address,
            node: node?.name,
          });
        }
      }
      for (const node of nodes.filter((n) => !seen.has(n.name)))
        notes.push(`    ! node ${node.name} (${node.ip ?? 'no address'}) is not a backend of this port`);
    }
  }
  for (const nb of balancers.filter((b) => b.configs.every((c) => c.backends.length === 0)))
    notes.push(`NodeBalancer ${nb.label} has no backend: its traffic reaches no node`);
  return { notes, down, backends };
}
