// A scenario is data: the cluster of one postmortem's night (nodes and their Linodes, workloads,
// volumes) and the faults that reproduce its symptoms. Loading one builds the simulated world.
import type { Fault, KubeObject, SimWorld } from './world.js';

export interface ScenarioNode {
  readonly name: string;
  readonly ip: string;
  readonly type?: string;
}

export interface Scenario {
  /** The postmortem's file name without .rst, or `healthy`. */
  readonly name: string;
  /** One line for `runbook sim list`. */
  readonly summary: string;
  /** The postmortems (file names in postmortems/) this scenario reproduces. */
  readonly postmortems: readonly string[];
  /** The runbook that recovers from it. */
  readonly runbook?: string;
  readonly clusterId: number;
  readonly poolId: number;
  readonly k8sVersion: string;
  readonly nodes: readonly ScenarioNode[];
  /** Ordinary manifests, created in order as `kubectl create` would. */
  readonly manifests: readonly KubeObject[];
  /** Faults switched on once the cluster has settled. */
  readonly faults: readonly Fault[];
}

const DEFAULT_NODE_TYPE = 'g6-standard-4';

function nodeObject(scenario: Scenario, node: ScenarioNode, linodeId: number): KubeObject {
  const type = node.type ?? DEFAULT_NODE_TYPE;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'lke.linode.com/pool-id': String(scenario.poolId),
        'node.kubernetes.io/instance-type': type,
        'topology.kubernetes.io/region': 'eu-central',
        'topology.linode.com/region': 'eu-central',
      },
    },
    spec: { providerID: `linode://${linodeId}`, podCIDR: '10.2.0.0/25' },
    status: {
      addresses: [
        { type: 'Hostname', address: node.name },
        { type: 'ExternalIP', address: node.ip },
        { type: 'InternalIP', address: node.ip.replace(/^\d+\.\d+/, '192.168') },
      ],
      capacity: { cpu: '4', memory: '8148204Ki', pods: '110', 'ephemeral-storage': '162420480Ki' },
      allocatable: { cpu: '4', memory: '8045804Ki', pods: '110', 'ephemeral-storage': '149687696204' },
    },
  };
}

/** Lets every controller run until nothing is pending, on the instant clock. */
export async function settle(world: SimWorld, maxTurns = 10_000): Promise<void> {
  let idleTurns = 0;
  for (let turn = 0; turn < maxTurns && idleTurns < 3; turn++) {
    world.clock.settle();
    await new Promise<void>((resolve) => setImmediate(resolve));
    idleTurns = world.clock.pending() === 0 ? idleTurns + 1 : 0;
  }
}

export async function loadScenario(world: SimWorld, scenario: Scenario): Promise<void> {
  const cluster = world.linode.createLkeCluster({
    label: `lke${scenario.clusterId}`,
    k8sVersion: scenario.k8sVersion,
  });
  const linodeIds: number[] = [];
  for (const node of scenario.nodes) {
    const instance = world.linode.createInstance({
      label: node.name,
      type: node.type ?? DEFAULT_NODE_TYPE,
      ipv4: node.ip,
      lkeClusterId: cluster.id,
    });
    linodeIds.push(instance.id);
    world.kube.create(nodeObject(scenario, node, instance.id));
  }
  world.linode.addLkePool(cluster.id, { type: DEFAULT_NODE_TYPE, linodeIds });
  for (const manifest of scenario.manifests) world.kube.create(manifest);
  await settle(world);
  for (const fault of scenario.faults) world.faults.add(fault);
}
