// A scenario is data: the cluster of one postmortem's night (nodes and their Linodes, workloads,
// volumes, NodeBalancers), the faults and timeline that reproduce its symptoms, and the condition
// that says the incident is over. Loading one builds the simulated world.
import { specsOf } from './linode/types.js';
import type { Fault, KubeObject, SimWorld } from './world.js';

export interface ScenarioNode {
  readonly name: string;
  readonly ip: string;
  /** The Linode plan; the node's capacity follows from it (default g6-standard-4). */
  readonly type?: string;
}

/** A NodeBalancer in front of the cluster: one config per port, every node a backend on `nodePort`. */
export interface ScenarioNodeBalancer {
  readonly label: string;
  readonly ipv4: string;
  readonly configs: ReadonlyArray<{ port: number; protocol?: 'http' | 'https' | 'tcp'; nodePort: number }>;
}

/** One moment of the night, `at` minutes after the cluster settled: a fault switched on, or a recycle. */
export type TimelineEntry =
  | { readonly at: number; readonly note: string; readonly fault: Fault }
  | {
      readonly at: number;
      readonly note: string;
      /** LKE replaced the node's Linode; with volumesStayAttached, Linode still reports its volumes on the old one. */
      readonly recycle: { readonly node: string; readonly volumesStayAttached: boolean };
    };

/** Whether the incident is over, and what still says otherwise. */
export interface RecoveryCheck {
  readonly ok: boolean;
  readonly detail: string;
}

export interface Scenario {
  /** The postmortem's file name without .rst, or `healthy`. */
  readonly name: string;
  /** One line for `runbook sim list`. */
  readonly summary: string;
  /** The postmortems (file names in postmortems/) this scenario reproduces. */
  readonly postmortems: readonly string[];
  /** The runbook that recovers from it (names from DESIGN.md §3). */
  readonly runbook?: string;
  /**
   * The runbook runs that end the night, in order, as a responder would type them (default: `runbook`
   * alone). `{repo}` stands for the folder holding the team's repository (`teamManifests`, `teamFiles`).
   */
  readonly recovery?: ReadonlyArray<readonly string[]>;
  /** What the team's own manifests (its kubernetes repository) hold that the cluster lost that night. */
  readonly teamManifests?: readonly KubeObject[];
  /** Other files of that repository a recovery reads (e.g. the resource limits the team settled on), by name. */
  readonly teamFiles?: Readonly<Record<string, string>>;
  /** What the pager (or whoever noticed) said that night. */
  readonly alert: string;
  /** When the night starts, as an ISO time (UTC); the simulated clock starts there. */
  readonly startsAt?: string;
  readonly clusterId: number;
  readonly poolId: number;
  readonly k8sVersion: string;
  readonly nodes: readonly ScenarioNode[];
  /** Ordinary manifests, created in order as `kubectl create` would. */
  readonly manifests: readonly KubeObject[];
  readonly nodeBalancers?: readonly ScenarioNodeBalancer[];
  /** Faults switched on once the cluster has settled. */
  readonly faults: readonly Fault[];
  /** What happened next, in order; played while loading, so the server opens on the incident. */
  readonly timeline?: readonly TimelineEntry[];
  /** A condition on the world that holds once the incident is resolved. */
  recovered(world: SimWorld): RecoveryCheck;
}

/** The command lines that recover the scenario, `{repo}` replaced by the folder of the team's repository. */
export function recoveryCommands(scenario: Scenario, repoDir: string): string[][] {
  const runs = scenario.recovery ?? (scenario.runbook === undefined ? [] : [[scenario.runbook]]);
  return runs.map((run) => run.map((arg) => arg.replaceAll('{repo}', repoDir)));
}

const DEFAULT_NODE_TYPE = 'g6-standard-4';

function privateIp(publicIp: string): string {
  return publicIp.replace(/^\d+\.\d+/, '192.168');
}

function nodeObject(scenario: Scenario, node: ScenarioNode, linodeId: number): KubeObject {
  const type = node.type ?? DEFAULT_NODE_TYPE;
  const specs = specsOf(type);
  const memoryKi = specs.memory * 1024;
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
        { type: 'InternalIP', address: privateIp(node.ip) },
      ],
      capacity: {
        cpu: String(specs.vcpus),
        memory: `${memoryKi - 240_000}Ki`,
        pods: '110',
        'ephemeral-storage': `${specs.disk * 1024}Ki`,
      },
      allocatable: {
        cpu: String(specs.vcpus),
        memory: `${memoryKi - 342_400}Ki`,
        pods: '110',
        'ephemeral-storage': String(Math.floor(specs.disk * 1024 * 1024 * 0.9)),
      },
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
  for (const nb of scenario.nodeBalancers ?? [])
    world.linode.createNodeBalancer({
      label: nb.label,
      ipv4: nb.ipv4,
      lkeClusterId: cluster.id,
      configs: nb.configs.map((c) => ({
        port: c.port,
        ...(c.protocol === undefined ? {} : { protocol: c.protocol }),
        nodes: scenario.nodes.map((n) => ({
          label: n.name,
          address: `${privateIp(n.ip)}:${c.nodePort}`,
          status: 'UP' as const,
        })),
      })),
    });
  for (const manifest of scenario.manifests) world.kube.create(manifest);
  await settle(world);
  for (const fault of scenario.faults) world.faults.add(fault);
  await playTimeline(world, scenario.timeline ?? []);
}

/** Applies each entry when the clock reaches it, letting the world settle in between. */
export async function playTimeline(world: SimWorld, timeline: readonly TimelineEntry[]): Promise<void> {
  const start = world.clock.nowMs();
  await settle(world);
  for (const entry of [...timeline].sort((a, b) => a.at - b.at)) {
    const wait = start + entry.at * 60_000 - world.clock.nowMs();
    if (wait > 0) await new Promise<void>((resolve) => world.clock.after(wait, resolve));
    if ('fault' in entry) world.faults.add(entry.fault);
    else recycleNode(world, entry.recycle.node, entry.recycle.volumesStayAttached);
    await settle(world);
  }
}

/** LKE replaced the node's Linode: same node name, a new machine behind it (providerID). */
function recycleNode(world: SimWorld, nodeName: string, volumesStayAttached: boolean): void {
  const node = world.kube.get('v1', 'Node', undefined, nodeName);
  const providerId = (node?.spec as { providerID?: string } | undefined)?.providerID;
  const linodeId = Number(/^linode:\/\/(\d+)$/.exec(providerId ?? '')?.[1]);
  if (node === undefined || !Number.isInteger(linodeId))
    throw new Error(`scenario: no node ${nodeName} backed by a Linode to recycle`);
  const replacement = world.linode.replaceNodeLinode(linodeId, { volumesStayAttached });
  const updated = structuredClone(node);
  (updated.spec as { providerID?: string }).providerID = `linode://${replacement.id}`;
  world.kube.restore(updated);
}
