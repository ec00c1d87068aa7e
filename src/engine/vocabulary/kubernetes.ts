// The changes a runbook makes through the Kubernetes API, each defined once: its shape, its builder,
// how it reads before → after with the kubectl command, and the writer call that makes it. All are
// rehearsed by a server-side dry run (dryRun=All) before the twin takes them.
import { RunbookError } from '../errors.js';
import type { PodRef } from '../node-ports.js';
import type { MutationOptions, Writers } from '../ports.js';
import type { ContainerResources, ResourceAmounts, WorkloadRef } from '../workload-ports.js';
import { type ActionDefinition, type ActionDefinitions, type PreviewMode, plural } from './define.js';
import { kube } from '../permissions/permission.js';

/** A Kubernetes object as it would be applied: apiVersion, kind, metadata and the rest. */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** A workload that has a scale subresource. */
export interface ScaleTarget {
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
}

export interface ScaleAction {
  readonly kind: 'k8s.scale';
  readonly target: ScaleTarget;
  readonly from: number;
  readonly to: number;
}

export interface DeleteDeploymentAction {
  readonly kind: 'k8s.delete-deployment';
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
}

export interface ForceDeletePodAction {
  readonly kind: 'k8s.force-delete-pod';
  readonly namespace: string;
  readonly name: string;
  /** Only this incarnation of the pod is deleted; a replacement with a new uid is left alone. */
  readonly uid: string;
  readonly node: string | undefined;
}

/** kubectl delete pod: a graceful delete; a controller (ReplicaSet, StatefulSet) makes its replacement. */
export interface DeletePodAction {
  readonly kind: 'k8s.delete-pod';
  readonly namespace: string;
  readonly name: string;
  /** Only this incarnation is deleted; its replacement (a StatefulSet's has the same name) is left alone. */
  readonly uid: string;
  /** Seconds the pod gets to stop (SIGTERM, then SIGKILL); undefined: the pod's own terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds: number | undefined;
  /** Why it is deleted, as the operator reads it (e.g. `CrashLoopBackOff, last OOMKilled`). */
  readonly reason: string;
}

export interface ApplyAction {
  readonly kind: 'k8s.apply';
  readonly manifest: KubeManifest;
  /** Where the manifest came from, as the operator would recognise it. */
  readonly source: string;
}

/** kubectl delete pvc: this incarnation of the claim goes; its volume follows the PV's reclaim policy. */
export interface DeletePvcAction {
  readonly kind: 'k8s.delete-pvc';
  readonly namespace: string;
  readonly name: string;
  /** Only the claim the plan read is deleted; one made again since with a new uid is left alone. */
  readonly uid: string;
  /** The PersistentVolume bound to it, as the operator checks it; undefined while it is Pending. */
  readonly volume: string | undefined;
}

/** kubectl rollout restart: a new restartedAt annotation on the pod template rolls every pod. */
export interface RolloutRestartAction {
  readonly kind: 'k8s.rollout-restart';
  readonly target: WorkloadRef;
  /** The annotation's new value (an ISO time): a workload already carrying it is not restarted again. */
  readonly restartedAt: string;
  /** Why it is restarted, as the operator reads it (e.g. `1/2 ready: CrashLoopBackOff`). */
  readonly reason: string;
}

/** kubectl set resources: one container's requests and limits; its pods roll to take them. */
export interface SetResourcesAction {
  readonly kind: 'k8s.set-resources';
  readonly target: WorkloadRef;
  readonly container: string;
  readonly before: ContainerResources;
  readonly after: ContainerResources;
  /** The file the values come from. */
  readonly source: string;
}

/** kubectl cordon: no new pod is scheduled on the node. */
export interface CordonAction {
  readonly kind: 'k8s.cordon';
  readonly node: string;
}

/** kubectl uncordon: the node takes new pods again. */
export interface UncordonAction {
  readonly kind: 'k8s.uncordon';
  readonly node: string;
}

/** A pod to evict, with what the operator checks before saying yes. */
export interface EvictTarget extends PodRef {
  /** e.g. `deployment site`, `statefulset mongodb` */
  readonly owner: string;
  /** The PodDisruptionBudget that covers it, with what it allows now, when there is one. */
  readonly budget: string | undefined;
}

/** Evictions through the eviction subresource (PodDisruptionBudgets respected), bounded concurrency. */
export interface EvictAction {
  readonly kind: 'k8s.evict';
  readonly node: string;
  readonly pods: readonly EvictTarget[];
  readonly concurrency: number;
  /** How long a pod a budget refuses (429) is retried before the step stops, naming the budget. */
  readonly timeoutMs: number;
}

export type KubernetesAction =
  | ScaleAction
  | DeleteDeploymentAction
  | ForceDeletePodAction
  | DeletePodAction
  | ApplyAction
  | DeletePvcAction
  | RolloutRestartAction
  | SetResourcesAction
  | CordonAction
  | UncordonAction
  | EvictAction;

export function scale(target: ScaleTarget, from: number, to: number): ScaleAction {
  return { kind: 'k8s.scale', target, from, to };
}

export function deleteDeployment(namespace: string, name: string, replicas: number): DeleteDeploymentAction {
  return { kind: 'k8s.delete-deployment', namespace, name, replicas };
}

/** Only the incarnation `uid` is deleted; `node` is where it is stuck, as the operator is told. */
export function forceDeletePod(
  namespace: string,
  name: string,
  uid: string,
  node: string | undefined,
): ForceDeletePodAction {
  return { kind: 'k8s.force-delete-pod', namespace, name, uid, node };
}

/** Deletes the incarnation `uid` of a pod gracefully, as `kubectl delete pod` does. */
export function deletePod(pod: {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly gracePeriodSeconds?: number;
  readonly reason: string;
}): DeletePodAction {
  const { namespace, name, uid, gracePeriodSeconds, reason } = pod;
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 1))
    throw new RunbookError(
      'internal',
      `a graceful delete of pod ${namespace}/${name} needs a grace period of 1 second or more (got ${String(gracePeriodSeconds)}); a force delete is k8s.force-delete-pod`,
    );
  return { kind: 'k8s.delete-pod', namespace, name, uid, gracePeriodSeconds, reason };
}

export function apply(manifest: KubeManifest, source: string): ApplyAction {
  return { kind: 'k8s.apply', manifest, source };
}

export function deletePvc(
  namespace: string,
  name: string,
  uid: string,
  volume: string | undefined,
): DeletePvcAction {
  return { kind: 'k8s.delete-pvc', namespace, name, uid, volume };
}

export function rolloutRestart(
  target: WorkloadRef,
  restartedAt: string,
  reason: string,
): RolloutRestartAction {
  return { kind: 'k8s.rollout-restart', target, restartedAt, reason };
}

export function setResources(
  target: WorkloadRef,
  container: string,
  before: ContainerResources,
  after: ContainerResources,
  source: string,
): SetResourcesAction {
  return { kind: 'k8s.set-resources', target, container, before, after, source };
}

export const cordon = (node: string): CordonAction => ({ kind: 'k8s.cordon', node });

export const uncordon = (node: string): UncordonAction => ({ kind: 'k8s.uncordon', node });

export function evict(
  node: string,
  pods: readonly EvictTarget[],
  limits: { concurrency: number; timeoutMs: number },
): EvictAction {
  return { kind: 'k8s.evict', node, pods, ...limits };
}

/** Every Kubernetes change is sent to the live API server with dryRun=All first. */
export const SERVER_DRY_RUN: PreviewMode = { mode: 'server-dry-run' };

/** Not destructive, no name to type: most changes. */
const reversible = { destructive: false, confirmName: undefined } as const;

const workloadName = (target: WorkloadRef | ScaleTarget): string =>
  `${target.kind.toLowerCase()}/${target.name}`;

export const kubernetesActions = {
  'k8s.scale': {
    permissions: [
      ...kube('get,patch', 'apps', 'deployments/scale'),
      ...kube('get,patch', 'apps', 'statefulsets/scale'),
    ],
    describe: ({ target, from, to }) => ({
      title: `scale ${target.kind.toLowerCase()} ${target.namespace}/${target.name} from ${from} to ${to}`,
      before: plural(from, 'replica'),
      after: plural(to, 'replica'),
      ...reversible,
      equivalent: `kubectl -n ${target.namespace} scale ${workloadName(target)} --replicas=${to}`,
    }),
    preview: SERVER_DRY_RUN,
    // Only from the count the plan read: a change since is a ConflictError, and the step is re-planned.
    perform: (a, w, options) => w.kube.scale(a.target, a.to, { ...options, expect: a.from }),
  },
  'k8s.delete-deployment': {
    permissions: kube('delete', 'apps', 'deployments'),
    describe: (a) => ({
      title: `delete deployment ${a.namespace}/${a.name}`,
      before: `deployment with ${plural(a.replicas, 'replica')}`,
      after: 'no deployment (its pods are deleted with it)',
      destructive: true,
      confirmName: a.name,
      equivalent: `kubectl -n ${a.namespace} delete deployment/${a.name}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.deleteDeployment(a.namespace, a.name, options),
  },
  'k8s.force-delete-pod': {
    permissions: kube('delete', '', 'pods'),
    describe: (a) => ({
      title: `force-delete pod ${a.namespace}/${a.name}`,
      before: `pod stuck terminating${a.node === undefined ? '' : ` on ${a.node}`}`,
      after: 'pod removed from the API without waiting for its kubelet',
      destructive: true,
      confirmName: a.name,
      equivalent: `kubectl -n ${a.namespace} delete pod/${a.name} --force --grace-period=0`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.forceDeletePod(a.namespace, a.name, a.uid, options),
  },
  'k8s.delete-pod': {
    permissions: kube('delete', '', 'pods'),
    describe: (a) => ({
      title: `delete pod ${a.namespace}/${a.name} (${a.reason})`,
      before: `pod ${a.name}: ${a.reason}`,
      after: `pod stopped within ${a.gracePeriodSeconds === undefined ? 'its grace period' : plural(a.gracePeriodSeconds, 'second')}; its controller starts a replacement`,
      destructive: true,
      confirmName: a.name,
      equivalent: `kubectl -n ${a.namespace} delete pod/${a.name}${a.gracePeriodSeconds === undefined ? '' : ` --grace-period=${a.gracePeriodSeconds}`}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.deletePod(a.namespace, a.name, a.uid, a.gracePeriodSeconds, options),
  },
  'k8s.apply': {
    // Per manifest kind, from the kinds each runbook declares it applies (permissions/applies.ts).
    permissions: [],
    describe: ({ manifest, source }) => {
      const ns = manifest.metadata.namespace ?? 'default';
      return {
        title: `apply ${manifest.kind.toLowerCase()}/${manifest.metadata.name} in ${ns} from ${source}`,
        before: 'absent or different',
        after: `as in ${source}`,
        ...reversible,
        equivalent: `kubectl -n ${ns} apply --server-side -f ${source}`,
      };
    },
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.apply(a.manifest, options),
  },
  'k8s.delete-pvc': {
    permissions: kube('delete', '', 'persistentvolumeclaims'),
    describe: (a) => ({
      title: `delete PersistentVolumeClaim ${a.namespace}/${a.name}`,
      before: a.volume === undefined ? 'claim not bound to a volume' : `claim bound to ${a.volume}`,
      after: 'no claim (held until no pod uses it); its volume follows its reclaim policy',
      destructive: true,
      confirmName: a.name,
      equivalent: `kubectl -n ${a.namespace} delete pvc/${a.name}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.deletePersistentVolumeClaim(a.namespace, a.name, a.uid, options),
  },
  'k8s.rollout-restart': {
    permissions: [
      ...kube('patch', 'apps', 'deployments'),
      ...kube('patch', 'apps', 'daemonsets'),
      ...kube('patch', 'apps', 'statefulsets'),
    ],
    describe: ({ target, reason, restartedAt }) => ({
      title: `restart ${target.kind.toLowerCase()} ${target.namespace}/${target.name} (${reason})`,
      before: `pods as they are: ${reason}`,
      after: `every pod replaced, rolling (restartedAt ${restartedAt})`,
      ...reversible,
      equivalent: `kubectl -n ${target.namespace} rollout restart ${workloadName(target)}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.rolloutRestart(a.target, a.restartedAt, options),
  },
  'k8s.set-resources': {
    permissions: [
      ...kube('patch', 'apps', 'deployments'),
      ...kube('patch', 'apps', 'daemonsets'),
      ...kube('patch', 'apps', 'statefulsets'),
    ],
    describe: ({ target, container, source, before, after }) => ({
      title: `set requests and limits of ${target.kind.toLowerCase()} ${target.namespace}/${target.name} container ${container} from ${source}`,
      before: resourcesText(before),
      after: `${resourcesText(after)} (its pods roll to take them)`,
      ...reversible,
      equivalent: `kubectl -n ${target.namespace} set resources ${workloadName(target)} -c ${container}${resourceFlags(after)}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.setResources(a.target, a.container, a.after, options),
  },
  'k8s.cordon': schedulingChange('cordon', {
    before: 'schedulable',
    after: 'unschedulable: no new pod lands on it (pods already there keep running)',
  }),
  'k8s.uncordon': schedulingChange('uncordon', {
    before: 'unschedulable (cordoned)',
    after: 'schedulable: new pods may land on it',
  }),
  'k8s.evict': {
    permissions: kube('create', '', 'pods/eviction'),
    describe: ({ node, pods, concurrency }) => {
      const shown = pods.slice(0, 8).map((p) => `${p.namespace}/${p.name} (${p.owner})`);
      const more = pods.length > 8 ? `, and ${pods.length - 8} more` : '';
      return {
        title: `evict ${plural(pods.length, 'pod')} from node ${node}, at most ${concurrency} at a time, PodDisruptionBudgets respected`,
        before: `on ${node}: ${shown.join(', ')}${more}`,
        after: 'gone from the node; their controllers start replacements on other nodes',
        ...reversible,
        equivalent: `kubectl drain ${node} --ignore-daemonsets  (POST …/pods/{name}/eviction for each)`,
      };
    },
    preview: SERVER_DRY_RUN,
    perform: performEvict,
  },
} satisfies ActionDefinitions<KubernetesAction>;

/** kubectl cordon and uncordon: spec.unschedulable set or cleared, told before → after. */
function schedulingChange<A extends CordonAction | UncordonAction>(
  verb: 'cordon' | 'uncordon',
  change: { readonly before: string; readonly after: string },
): ActionDefinition<A> {
  return {
    describe: ({ node }) => ({
      title: `${verb} node ${node}`,
      ...change,
      ...reversible,
      equivalent: `kubectl ${verb} ${node}`,
    }),
    preview: SERVER_DRY_RUN,
    // Written with the resourceVersion read: a get, then a patch.
    permissions: kube('get,patch', '', 'nodes', 'cluster'),
    perform: (a, w, options) => w.kube.cordon(a.node, verb === 'cordon', options),
  };
}

/** Evictions a budget still refused when their time ran out stop the step, naming the budget. */
async function performEvict(action: EvictAction, writers: Writers, options: MutationOptions): Promise<void> {
  const limits = { concurrency: action.concurrency, timeoutMs: action.timeoutMs };
  const blocked = await writers.kube.evictPods(action.pods, limits, options);
  if (blocked.length === 0) return;
  throw new RunbookError(
    'step-failed',
    `${blocked.length} of ${action.pods.length} pods on ${action.node} could not be evicted within ${Math.round(action.timeoutMs / 1000)}s: ${blocked.map((b) => `${b.pod.namespace}/${b.pod.name} (${b.reason})`).join('; ')}.`,
    {
      next: `The node stays cordoned. Give that budget room (scale its workload up, or relax minAvailable), then run the runbook again; or kubectl uncordon ${action.node} to give up.`,
    },
  );
}

function resourcesText(r: ContainerResources): string {
  const part = (what: string, a: ResourceAmounts | undefined): string =>
    `${what} cpu ${a?.cpu ?? 'none'}, memory ${a?.memory ?? 'none'}`;
  return `${part('requests', r.requests)}; ${part('limits', r.limits)}`;
}

function resourceFlags(r: ContainerResources): string {
  const flag = (name: string, a: ResourceAmounts | undefined): string => {
    const items = Object.entries(a ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    return items.length === 0 ? '' : ` --${name}=${items.join(',')}`;
  };
  return `${flag('requests', r.requests)}${flag('limits', r.limits)}`;
}
