// A postmortem's night on the shape of a team's own cluster (`runbook train <scenario> --load <dir>`):
// the scenario's fault aimed at the matching workloads of the loaded repository (its Postgres, its
// LoadBalancer Service, the node that runs most of its pods), or one sentence saying why it cannot be.
import type { Scenario, TimelineEntry } from '../scenario.js';
import { parseQuantity } from '../kube/quantity.js';
import type { Fault, KubeObject, SimWorld } from '../world.js';
import {
  type Check,
  all,
  noCrashLoops,
  noMemoryPressure,
  nodeBalancersUp,
  nodesReady,
  podsHealthy,
  resourcesBounded,
  statefulPodsMounted,
  volumeRemounted,
  workloadReady,
  workloadsReady,
} from './recovery.js';

/** A Deployment or StatefulSet of the repository, with what a fault needs to aim at it. */
export interface RepoWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly namespace: string;
  readonly name: string;
  /** Its pods' selector, as a label selector string (`app=postgres`). */
  readonly labelSelector: string;
  readonly images: readonly string[];
  /** The claims its first pod mounts (a StatefulSet's: `<template>-<name>-0`). */
  readonly claims: readonly string[];
}

/** What the night becomes on the loaded world; the scenario's own fields where nothing changes. */
export interface NightOnRepository {
  /** The scenario as the loaded world plays it: its faults, timeline, recovery and recovered check. */
  readonly scenario: Scenario;
  /** The team's workloads the fault is aimed at, for the briefing. */
  readonly target: string;
}

export type Mapping =
  | { readonly ok: true; readonly onWorld: (world: SimWorld) => NightOnRepository | string }
  | { readonly ok: false; readonly why: string };

interface PodSpecLike {
  containers?: Array<{ image?: string }>;
  volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }>;
}

function workloadOf(o: KubeObject): RepoWorkload | undefined {
  if (o.apiVersion !== 'apps/v1' || (o.kind !== 'Deployment' && o.kind !== 'StatefulSet')) return undefined;
  const spec = (o.spec ?? {}) as {
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: PodSpecLike };
    volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
  };
  const labels = Object.entries(spec.selector?.matchLabels ?? {});
  if (labels.length === 0) return undefined;
  const pod = spec.template?.spec ?? {};
  const claims = [
    ...(pod.volumes ?? []).flatMap((v) => v.persistentVolumeClaim?.claimName ?? []),
    ...(o.kind === 'StatefulSet'
      ? (spec.volumeClaimTemplates ?? []).flatMap((t) =>
          t.metadata?.name === undefined ? [] : [`${t.metadata.name}-${o.metadata.name}-0`],
        )
      : []),
  ];
  return {
    kind: o.kind,
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    labelSelector: labels.map(([k, v]) => `${k}=${v}`).join(','),
    images: (pod.containers ?? []).flatMap((c) => c.image ?? []),
    claims,
  };
}

/** The Deployments and StatefulSets among the repository's objects. */
export function repositoryWorkloads(objects: readonly KubeObject[]): RepoWorkload[] {
  return objects.flatMap((o) => workloadOf(o) ?? []);
}

/** postgres, postgres:15, docker.io/library/postgres@sha256…, bitnami/postgresql:16, postgis/postgis. */
const POSTGRES_IMAGE = /(^|\/)(postgres|postgresql|postgis)([:@]|$)/;

/** The repository's Postgres with a volume: by image first, then by name; a Deployment before a StatefulSet. */
function postgresOf(workloads: readonly RepoWorkload[]): RepoWorkload | undefined {
  const withClaim = workloads
    .filter((w) => w.claims.length > 0)
    .sort((a, b) => Number(a.kind !== 'Deployment') - Number(b.kind !== 'Deployment'));
  return (
    withClaim.find((w) => w.images.some((i) => POSTGRES_IMAGE.test(i))) ??
    withClaim.find((w) => /postgres/i.test(w.name))
  );
}

const REDIS_IMAGE = /(^|\/)(redis|redis-stack-server)([:@]|$)/;

/** The memory limit (bytes) of a workload's first container with one, 0 when none has. */
function memoryLimitOf(objects: readonly KubeObject[], w: RepoWorkload): number {
  const o = objects.find(
    (x) =>
      x.kind === w.kind && x.metadata.name === w.name && (x.metadata.namespace ?? 'default') === w.namespace,
  );
  const containers =
    (
      o?.spec as {
        template?: { spec?: { containers?: Array<{ resources?: { limits?: { memory?: unknown } } }> } };
      }
    )?.template?.spec?.containers ?? [];
  return containers.map((c) => parseQuantity(c.resources?.limits?.memory)).find((m) => m > 0) ?? 0;
}

const nameOf = (w: RepoWorkload): string => `${w.kind} ${w.namespace}/${w.name}`;

function teamNamespaces(workloads: readonly RepoWorkload[]): string[] {
  return [...new Set(workloads.map((w) => w.namespace))].sort();
}

/** The node most of the team's pods run on (ties: the first by name). */
function busiestNode(world: SimWorld, namespaces: readonly string[]): string | undefined {
  const count = new Map<string, number>();
  for (const node of world.kube.list('v1', 'Node')) count.set(node.metadata.name, 0);
  for (const pod of world.kube.list('v1', 'Pod')) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (node !== undefined && namespaces.includes(pod.metadata.namespace ?? ''))
      count.set(node, (count.get(node) ?? 0) + 1);
  }
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The node that runs most of the pods mounting the team's claims. */
function nodeOfClaims(world: SimWorld, workloads: readonly RepoWorkload[]): string | undefined {
  const stateful = workloads.filter((w) => w.claims.length > 0);
  const count = new Map<string, number>();
  for (const pod of world.kube.list('v1', 'Pod')) {
    const spec = pod.spec as ({ nodeName?: string } & PodSpecLike) | undefined;
    const mounts = (spec?.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined);
    const ns = pod.metadata.namespace ?? '';
    if (spec?.nodeName !== undefined && mounts && stateful.some((w) => w.namespace === ns))
      count.set(spec.nodeName, (count.get(spec.nodeName) ?? 0) + 1);
  }
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The LoadBalancer Services of the repository, as `namespace/name`. */
function loadBalancers(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o) => o.apiVersion === 'v1' && o.kind === 'Service')
    .filter((o) => (o.spec as { type?: string } | undefined)?.type === 'LoadBalancer')
    .map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
}

/** The label of the NodeBalancer the cloud controller made for a Service, found by its address. */
function nodeBalancerOf(world: SimWorld, service: string): string | undefined {
  const [namespace = 'default', name = ''] = service.split('/');
  const svc = world.kube.get('v1', 'Service', namespace, name);
  const ip = (svc?.status as { loadBalancer?: { ingress?: Array<{ ip?: string }> } } | undefined)
    ?.loadBalancer?.ingress?.[0]?.ip;
  return world.linode.nodeBalancers().find((nb) => ip !== undefined && nb.ipv4 === ip)?.label;
}

function night(
  base: Scenario,
  target: string,
  fields: {
    alert: string;
    faults?: readonly Fault[];
    timeline?: readonly TimelineEntry[];
    recovery: ReadonlyArray<readonly string[]>;
    recovered: Check;
  },
): NightOnRepository {
  return {
    target,
    scenario: {
      ...base,
      summary: `${base.summary} (on the loaded repository: ${target})`,
      alert: fields.alert,
      faults: fields.faults ?? [],
      timeline: fields.timeline ?? [],
      recovery: fields.recovery,
      recovered: fields.recovered,
      teamManifests: undefined,
      teamFiles: undefined,
    },
  };
}

type Mapper = (base: Scenario, objects: readonly KubeObject[]) => Mapping;

const needPostgres =
  (
    build: (base: Scenario, pg: RepoWorkload, workloads: RepoWorkload[]) => NightOnRepository,
    options: { deploymentOnly?: boolean } = {},
  ): Mapper =>
  (base, objects) => {
    const workloads = repositoryWorkloads(objects);
    const pg = postgresOf(workloads);
    if (pg === undefined)
      return {
        ok: false,
        why: `${base.name} needs a Postgres with a volume (a Deployment or StatefulSet running a postgres image and mounting a PersistentVolumeClaim), and the repository has none.`,
      };
    // postgres-remount, the night's runbook, takes a Deployment down and back: a StatefulSet's night
    // could only be ended by hand, and the debrief would name a runbook that cannot end it.
    if (options.deploymentOnly === true && pg.kind !== 'Deployment')
      return {
        ok: false,
        why: `${base.name} is ended by postgres-remount, which takes a Postgres Deployment down and back, and the repository's Postgres is ${nameOf(pg)}.`,
      };
    return { ok: true, onWorld: () => build(base, pg, workloads) };
  };

const MAPPERS: Readonly<Record<string, Mapper>> = {
  '2020-12-11-postgres-conn-surge': needPostgres(
    (base, pg) => {
      const claim = pg.claims[0] ?? '';
      return night(base, nameOf(pg), {
        alert: `Your ${nameOf(pg)} is at max_connections: its clients log "FATAL: sorry, too many clients already".`,
        faults: [
          { kind: 'pod-stuck-terminating', namespace: pg.namespace, labelSelector: pg.labelSelector },
          { kind: 'volume-stuck-attached', namespace: pg.namespace, pvc: claim },
        ],
        recovery: [['postgres-remount', '--namespace', pg.namespace, '--deployment', pg.name]],
        recovered: all(
          volumeRemounted(pg.namespace, claim),
          workloadReady(pg.kind, pg.namespace, pg.name),
          statefulPodsMounted,
        ),
      });
    },
    { deploymentOnly: true },
  ),
  '2021-01-12-site-cpu-ram-exhaustion': needPostgres((base, pg, workloads) =>
    night(base, nameOf(pg), {
      alert: `Your ${nameOf(pg)} was killed by the OOM killer and is in recovery; something beside it has no memory limit.`,
      timeline: [
        {
          at: 0,
          note: `The OOM killer takes ${nameOf(pg)}`,
          fault: {
            kind: 'pod-crash-loop',
            namespace: pg.namespace,
            labelSelector: pg.labelSelector,
            reason: 'OOMKilled',
          },
        },
      ],
      recovery: [['resource-limits-audit']],
      recovered: all(
        resourcesBounded(teamNamespaces(workloads)),
        workloadReady(pg.kind, pg.namespace, pg.name),
        statefulPodsMounted,
      ),
    }),
  ),
  '2021-01-10-primary-kubernetes-node-outage': (base, objects) => {
    const workloads = repositoryWorkloads(objects);
    if (workloads.length === 0)
      return {
        ok: false,
        why: `${base.name} takes down the node that runs most of the team's pods, and the repository has no Deployment or StatefulSet.`,
      };
    const namespaces = teamNamespaces(workloads);
    return {
      ok: true,
      onWorld: (world) => {
        const node = busiestNode(world, namespaces);
        if (node === undefined) return 'no node of the loaded cluster runs a pod of the repository';
        return night(base, `node ${node}`, {
          alert: `CPU exhaustion on ${node}; your services are failing, \`kubectl get nodes\` shows it NotReady.`,
          timeline: [
            {
              at: 0,
              note: `A runaway process pins every core of ${node}; its kubelet stops posting status`,
              fault: { kind: 'node-not-ready', node, untilReboot: true },
            },
          ],
          recovery: [['node-recycle', '--node', node]],
          recovered: all(
            nodesReady,
            podsHealthy(namespaces),
            workloadsReady(namespaces),
            statefulPodsMounted,
          ),
        });
      },
    };
  },
  '2021-07-11-cascading-node-failures': (base, objects) => {
    const workloads = repositoryWorkloads(objects);
    if (!workloads.some((w) => w.claims.length > 0))
      return {
        ok: false,
        why: `${base.name} strands the volumes of stateful workloads on a recycled node, and no Deployment or StatefulSet of the repository mounts a PersistentVolumeClaim.`,
      };
    const namespaces = teamNamespaces(workloads);
    return {
      ok: true,
      onWorld: (world) => {
        const node = nodeOfClaims(world, workloads);
        if (node === undefined) return 'no pod of the repository mounts a volume on the loaded cluster';
        return night(base, `node ${node}`, {
          alert: `${node} is back after its recycle, but volumes will not mount: your stateful pods are stuck in ContainerCreating.`,
          timeline: [
            {
              at: 1,
              note: `${node} is recycled; it did not shut down cleanly, so Linode still reports its volumes attached to the old Linode`,
              recycle: { node, volumesStayAttached: true },
            },
          ],
          recovery: [['volume-reattach']],
          recovered: all(nodesReady, statefulPodsMounted, workloadsReady(namespaces)),
        });
      },
    };
  },
  '2021-01-30-nodebalancer-fails-memory': (base, objects) => {
    const services = loadBalancers(objects);
    const service = services[0];
    if (service === undefined)
      return {
        ok: false,
        why: `${base.name} takes down the NodeBalancer of a Service of type LoadBalancer, and the repository has none.`,
      };
    const namespaces = teamNamespaces(repositoryWorkloads(objects));
    return {
      ok: true,
      onWorld: (world) => {
        const nb = nodeBalancerOf(world, service);
        if (nb === undefined) return `the cloud controller made no NodeBalancer for Service ${service}`;
        const node = busiestNode(world, namespaces);
        if (node === undefined) return 'the loaded cluster has no node';
        return night(base, `Service ${service} (NodeBalancer ${nb}) and node ${node}`, {
          alert: `Your Service ${service} is unreachable from outside: its NodeBalancer ${nb} reports its backends DOWN.`,
          timeline: [
            {
              at: 0,
              note: `Memory pressure on ${node}`,
              fault: { kind: 'node-memory-pressure', node, untilDrained: true },
            },
            {
              at: 2,
              note: `NodeBalancer ${nb} reports every backend DOWN`,
              fault: { kind: 'nodebalancer-backends-down', nodebalancer: nb, whileMemoryPressure: true },
            },
          ],
          recovery: [['node-drain', '--node', node], ['nodebalancer-check']],
          recovered: all(nodeBalancersUp, noMemoryPressure, workloadsReady()),
        });
      },
    };
  },
  '2021-07-11-redis-out-of-memory': (base, objects) => {
    const workloads = repositoryWorkloads(objects);
    const redis = workloads.find((w) => w.images.some((i) => REDIS_IMAGE.test(i)));
    if (redis === undefined)
      return {
        ok: false,
        why: `${base.name} takes Redis out of memory, and no Deployment or StatefulSet of the repository runs a redis image.`,
      };
    const dependents = workloads.filter(
      (w) => w.namespace === redis.namespace && w !== redis && w.claims.length === 0,
    );
    const limit = memoryLimitOf(objects, redis);
    // Past its limit, Redis' own fault; without one, the node's OOM killer takes it all the same.
    const fault: Fault =
      limit > 0
        ? {
            kind: 'redis-out-of-memory',
            namespace: redis.namespace,
            labelSelector: redis.labelSelector,
            usedMemory: `${String(Math.ceil((limit * 1.4) / 2 ** 20))}Mi`,
          }
        : {
            kind: 'pod-crash-loop',
            namespace: redis.namespace,
            labelSelector: redis.labelSelector,
            reason: 'OOMKilled',
          };
    const namespaces = teamNamespaces(workloads);
    return {
      ok: true,
      onWorld: () =>
        night(base, nameOf(redis), {
          alert: `Your ${nameOf(redis)} was OOM-killed and is crash-looping; what depends on it is failing.`,
          timeline: [{ at: 0, note: `${nameOf(redis)} runs out of memory`, fault }],
          recovery: [
            [
              'redis-recover',
              '--namespace',
              redis.namespace,
              '--redis',
              redis.labelSelector,
              ...(dependents.length === 0
                ? []
                : ['--dependents', dependents.map((w) => w.labelSelector).join(';')]),
            ],
          ],
          recovered: all(
            workloadReady(redis.kind, redis.namespace, redis.name),
            workloadsReady(namespaces),
            noCrashLoops(namespaces),
          ),
        }),
    };
  },
  '2020-12-11-all-services-outage': (base, objects) => {
    const namespaces = teamNamespaces(repositoryWorkloads(objects));
    return {
      ok: true,
      onWorld: () =>
        night(base, 'the LKE system workloads (Calico, CoreDNS, the Linode CSI node plugin)', {
          alert:
            'All your services are unresponsive after a node restart: Calico, CoreDNS and the Linode CSI node plugin do not come back.',
          // The system workloads of a loaded world are LKE's, named as in the scenario: its faults apply as they are.
          timeline: (base.timeline ?? []).filter(
            (e) => 'fault' in e && 'namespace' in e.fault && e.fault.namespace === 'kube-system',
          ),
          // The team's own waves, not 2020-12-11's: its namespaces as the cluster holds them.
          recovery: [['core-services-restart', '--layout', 'cluster', '--manifests', '{repo}']],
          recovered: all(nodesReady, workloadsReady(['kube-system']), workloadsReady(namespaces)),
        }),
    };
  },
};

/** How `scenario` plays on a world loaded with `objects` (a repository's manifests), or why it cannot. */
export function mapOntoRepository(scenario: Scenario, objects: readonly KubeObject[]): Mapping {
  const mapper = MAPPERS[scenario.name];
  if (mapper === undefined)
    return { ok: false, why: `${scenario.name} has no night to play on a team's repository.` };
  return mapper(scenario, objects);
}
