// The conditions scenarios' `recovered` is made of: facts about the simulated world an operator
// would check before closing the incident, each saying what still fails.
import type { RecoveryCheck } from '../scenario.js';
import { parseQuantity, podRequests } from '../kube/quantity.js';
import type { KubeObject, SimWorld } from '../world.js';

export type Check = (world: SimWorld) => RecoveryCheck;

const ok = (detail: string): RecoveryCheck => ({ ok: true, detail });
const fail = (detail: string): RecoveryCheck => ({ ok: false, detail });

/** Every check holds (each thing said once); the detail names the first that does not. */
export function all(...checks: Check[]): Check {
  return (world) => {
    const results = checks.map((c) => c(world));
    const failed = results.find((r) => !r.ok);
    return failed ?? ok([...new Set(results.map((r) => r.detail))].join('; '));
  };
}

/** " in kube-system" or " in a, b": where a check looked, so two such checks never read the same. */
const where = (namespaces: readonly string[] | undefined): string =>
  namespaces === undefined ? '' : ` in ${namespaces.join(', ')}`;

function conditions(object: KubeObject): Array<{ type: string; status: string }> {
  return (
    (object.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
  );
}

export const isReady = (object: KubeObject): boolean =>
  conditions(object).some((c) => c.type === 'Ready' && c.status === 'True');

export const nodesReady: Check = (world) => {
  const down = world.kube.list('v1', 'Node').filter((n) => !isReady(n));
  return down.length === 0
    ? ok('every node Ready')
    : fail(`node(s) not Ready: ${down.map((n) => n.metadata.name).join(', ')}`);
};

/** No pod Pending, Terminating or unready, in the given namespaces (all when omitted). */
export function podsHealthy(namespaces?: readonly string[]): Check {
  return (world) => {
    const pods = world.kube
      .list('v1', 'Pod')
      .filter((p) => namespaces === undefined || namespaces.includes(p.metadata.namespace ?? ''));
    const bad = pods.filter((p) => p.metadata.deletionTimestamp !== undefined || !isReady(p));
    return bad.length === 0
      ? ok(`every pod${where(namespaces)} Ready`)
      : fail(
          `pod(s) not Ready or terminating: ${bad
            .slice(0, 6)
            .map((p) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`)
            .join(', ')}${bad.length > 6 ? ', …' : ''}`,
        );
  };
}

/** Each Deployment, StatefulSet and DaemonSet has all its replicas Ready. */
export function workloadsReady(namespaces?: readonly string[]): Check {
  return (world) => {
    const inScope = (o: KubeObject): boolean =>
      namespaces === undefined || namespaces.includes(o.metadata.namespace ?? '');
    const short: string[] = [];
    for (const kind of ['Deployment', 'StatefulSet'] as const)
      for (const w of world.kube.list('apps/v1', kind).filter(inScope)) {
        const want = (w.spec as { replicas?: number }).replicas ?? 1;
        const ready = (w.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
        if (ready < want)
          short.push(
            `${kind.toLowerCase()} ${w.metadata.namespace ?? ''}/${w.metadata.name} ${ready}/${want}`,
          );
      }
    for (const d of world.kube.list('apps/v1', 'DaemonSet').filter(inScope)) {
      const s = (d.status ?? {}) as { desiredNumberScheduled?: number; numberReady?: number };
      if ((s.numberReady ?? 0) < (s.desiredNumberScheduled ?? 0))
        short.push(
          `daemonset ${d.metadata.namespace ?? ''}/${d.metadata.name} ${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0}`,
        );
    }
    return short.length === 0
      ? ok(`every workload${where(namespaces)} has its replicas Ready`)
      : fail(`not ready: ${short.join(', ')}`);
  };
}

/** The workload exists and has all its replicas Ready. */
export function workloadReady(kind: 'Deployment' | 'StatefulSet', namespace: string, name: string): Check {
  return (world) => {
    const w = world.kube.get('apps/v1', kind, namespace, name);
    if (w === undefined) return fail(`${kind.toLowerCase()} ${namespace}/${name} does not exist`);
    const want = (w.spec as { replicas?: number }).replicas ?? 1;
    const ready = (w.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    return ready >= want && want > 0
      ? ok(`${name} Ready`)
      : fail(`${kind.toLowerCase()} ${namespace}/${name} has ${ready}/${want} replicas Ready`);
  };
}

function linodeIdOfNode(world: SimWorld, nodeName: string | undefined): number | undefined {
  if (nodeName === undefined) return undefined;
  const node = world.kube.get('v1', 'Node', undefined, nodeName);
  const m = /^linode:\/\/(\d+)$/.exec((node?.spec as { providerID?: string } | undefined)?.providerID ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The Linode volume behind a claim, through its PV's CSI volume handle. */
export function volumeOfClaim(
  world: SimWorld,
  namespace: string,
  claim: string,
): { id: number; linode_id: number | null; label: string } | undefined {
  const pvc = world.kube.get('v1', 'PersistentVolumeClaim', namespace, claim);
  const pvName = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
  if (pvName === undefined) return undefined;
  const pv = world.kube.get('v1', 'PersistentVolume', undefined, pvName);
  const handle = (pv?.spec as { csi?: { volumeHandle?: string } } | undefined)?.csi?.volumeHandle;
  const id = Number(/^(\d+)-/.exec(handle ?? '')?.[1]);
  return Number.isInteger(id) ? world.linode.volume(id) : undefined;
}

function claimsOf(pod: KubeObject): string[] {
  const volumes =
    (pod.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> }).volumes ?? [];
  return volumes.flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
  );
}

/** Every pod that mounts a Linode volume is Ready, and Linode has the volume on that pod's node. */
export const statefulPodsMounted: Check = (world) => {
  const problems: string[] = [];
  let count = 0;
  for (const pod of world.kube.list('v1', 'Pod')) {
    const claims = claimsOf(pod);
    if (claims.length === 0) continue;
    count += 1;
    const name = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    if (pod.metadata.deletionTimestamp !== undefined || !isReady(pod)) problems.push(`${name} not Ready`);
    const linodeId = linodeIdOfNode(world, (pod.spec as { nodeName?: string }).nodeName);
    for (const claim of claims) {
      const volume = volumeOfClaim(world, pod.metadata.namespace ?? '', claim);
      if (volume !== undefined && volume.linode_id !== linodeId)
        problems.push(
          `volume ${volume.label} on Linode ${String(volume.linode_id)}, ${name} on ${String(linodeId)}`,
        );
    }
  }
  return problems.length === 0
    ? ok(`${count} stateful pod(s) Ready on their volumes`)
    : fail(problems.slice(0, 4).join('; '));
};

/** A volume_detach event for this claim's volume finished: it was remounted since the night began. */
export function volumeRemounted(namespace: string, claim: string): Check {
  return (world) => {
    const volume = volumeOfClaim(world, namespace, claim);
    if (volume === undefined) return fail(`no Linode volume for ${namespace}/${claim}`);
    const detached = world.linode
      .events()
      .some((e) => e.action === 'volume_detach' && e.status === 'finished' && e.entity.id === volume.id);
    return detached
      ? ok(`volume ${volume.label} remounted`)
      : fail(`volume ${volume.label} of ${namespace}/${claim} has not been detached and remounted`);
  };
}

/** Every container of every pod in `namespaces` has cpu and memory requests and a memory limit, and no node's memory limits exceed what it can allocate. */
export function resourcesBounded(namespaces: readonly string[]): Check {
  return (world) => {
    const pods = world.kube.list('v1', 'Pod').filter((p) => namespaces.includes(p.metadata.namespace ?? ''));
    const unbounded = pods.filter((p) => {
      const containers =
        (
          p.spec as {
            containers?: Array<{
              resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
            }>;
          }
        ).containers ?? [];
      return containers.some(
        (c) =>
          c.resources?.requests?.cpu === undefined ||
          c.resources.requests.memory === undefined ||
          c.resources.limits?.memory === undefined,
      );
    });
    if (unbounded.length > 0)
      return fail(`pod(s) without requests and limits: ${unbounded.map((p) => p.metadata.name).join(', ')}`);
    for (const node of world.kube.list('v1', 'Node')) {
      const allocatable = parseQuantity(
        (node.status as { allocatable?: { memory?: string } }).allocatable?.memory,
      );
      const onNode = world.kube
        .list('v1', 'Pod')
        .filter((p) => (p.spec as { nodeName?: string }).nodeName === node.metadata.name);
      const requests = onNode.reduce((sum, p) => sum + podRequests(p.spec).memory, 0);
      if (requests > allocatable)
        return fail(`node ${node.metadata.name} has more memory requested than it can allocate`);
    }
    return ok('every workload has requests and limits');
  };
}

interface NodeBalancerSnapshot {
  label: string;
  configs: Array<{ port: number; nodes: Array<{ label: string; status: string }> }>;
}

/** Every backend of every NodeBalancer config is UP. */
export const nodeBalancersUp: Check = (world) => {
  const snapshot = world.linode.snapshot() as { nodeBalancers?: NodeBalancerSnapshot[] };
  const down: string[] = [];
  for (const nb of snapshot.nodeBalancers ?? [])
    for (const config of nb.configs)
      for (const node of config.nodes)
        if (node.status !== 'UP') down.push(`${nb.label}:${config.port} ${node.label} ${node.status}`);
  return down.length === 0
    ? ok('every NodeBalancer backend UP')
    : fail(`backends not UP: ${down.join(', ')}`);
};

/** No node reports MemoryPressure. */
export const noMemoryPressure: Check = (world) => {
  const pressed = world.kube
    .list('v1', 'Node')
    .filter((n) => conditions(n).some((c) => c.type === 'MemoryPressure' && c.status === 'True'));
  return pressed.length === 0
    ? ok('no node under memory pressure')
    : fail(`MemoryPressure on ${pressed.map((n) => n.metadata.name).join(', ')}`);
};

/** No container of the namespaces' pods is waiting in CrashLoopBackOff (an OOM-killed Redis, a bot that gave up). */
export function noCrashLoops(namespaces: readonly string[]): Check {
  return (world) => {
    const looping = world.kube
      .list('v1', 'Pod')
      .filter((p) => namespaces.includes(p.metadata.namespace ?? ''))
      .filter((p) =>
        (
          (
            p.status as
              { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } | undefined
          )?.containerStatuses ?? []
        ).some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff'),
      );
    return looping.length === 0
      ? ok('no container in CrashLoopBackOff')
      : fail(`CrashLoopBackOff: ${looping.map((p) => p.metadata.name).join(', ')}`);
  };
}
