// Which kinds each runbook's steps can plan, and which Reader methods its plans call.
//
// The decision (#18): a runbook's permissions are DERIVED from these kinds, through the permission
// each Action kind, Wait kind and Reader method declares in its table (the compiler keeps those
// complete). Which kinds a runbook can plan depends on the world, so it is not computed from one run:
// it is declared here, per runbook, as kinds (never as verbs or resources), and two tests hold the
// declaration honest: test/engine/permissions.test.ts checks it against the builders and Reader
// calls found in the runbook's source, and the simulator runs each runbook under exactly its
// generated Role (the simulator enforces RBAC with the real 403), so a kind planned but not declared
// fails there.
import type { ActionKind, WaitKind } from '../vocabulary/index.js';
import type { AppliedKind } from './applies.js';
import type { KubeReaderMethod, LinodeReaderMethod } from './readers.js';

export interface RunbookKinds {
  readonly actions: readonly ActionKind[];
  readonly waits: readonly WaitKind[];
  /** The manifest kinds its `k8s.apply` actions can carry (required with k8s.apply). */
  readonly applies?: readonly AppliedKind[];
  readonly reads: {
    readonly kube: readonly KubeReaderMethod[];
    readonly linode: readonly LinodeReaderMethod[];
  };
}

/** What node-drain's steps read of the cluster; node-recycle drains with those same steps. */
const NODE_DRAIN_KUBE_READS: readonly KubeReaderMethod[] = [
  'getNode',
  'listEventsFor',
  'listNodes',
  'listPodDisruptionBudgets',
  'listPods',
  'listPodsOnNode',
];

export const RUNBOOK_KINDS: Readonly<Record<string, RunbookKinds>> = {
  'core-services-restart': {
    actions: ['k8s.apply', 'k8s.rollout-restart'],
    // A lost workload is re-applied from the team's manifests: any workload kind.
    applies: ['DaemonSet', 'Deployment', 'StatefulSet'],
    waits: ['k8s.workload-ready'],
    reads: {
      kube: ['configExists', 'getWorkload', 'listClaimUsers', 'listPods', 'listWorkloads'],
      linode: [],
    },
  },
  'node-drain': {
    actions: ['k8s.cordon', 'k8s.evict'],
    waits: ['k8s.node-drained'],
    reads: {
      kube: NODE_DRAIN_KUBE_READS,
      linode: [],
    },
  },
  // It drains the node with node-drain's steps (cordon, evictions, the drained wait) before the recycle.
  'node-recycle': {
    actions: ['k8s.cordon', 'k8s.evict', 'k8s.uncordon', 'linode.lke.recycle-node', 'linode.reboot'],
    waits: ['k8s.node-drained', 'k8s.node-ready'],
    reads: {
      kube: NODE_DRAIN_KUBE_READS,
      linode: ['findLkeNode', 'getInstance', 'listVolumes', 'recentEvents'],
    },
  },
  'node-uncordon': {
    actions: ['k8s.uncordon'],
    waits: [],
    reads: { kube: ['getNode'], linode: [] },
  },
  'nodebalancer-check': {
    actions: [],
    waits: [],
    reads: { kube: ['listNodePorts', 'listNodes'], linode: ['listNodeBalancers', 'recentEvents'] },
  },
  'postgres-backup': { actions: ['postgres.backup'], waits: [], reads: { kube: [], linode: [] } },
  'postgres-connections': { actions: ['postgres.terminate'], waits: [], reads: { kube: [], linode: [] } },
  'postgres-major-upgrade': {
    actions: [
      'k8s.apply',
      'k8s.create-pv',
      'k8s.create-pvc',
      'k8s.delete-deployment',
      'k8s.scale',
      'linode.volume.create',
      'operator.manual',
      'postgres.backup',
      'postgres.restore',
    ],
    applies: ['Deployment'],
    waits: ['k8s.pods-gone', 'k8s.workload-ready', 'linode.volume-active', 'postgres.server-version'],
    reads: {
      kube: ['getDeployment', 'getPersistentVolume', 'getPersistentVolumeClaim'],
      linode: ['findVolumes', 'getVolume'],
    },
  },
  'postgres-remount': {
    actions: [
      'k8s.apply',
      'k8s.delete-deployment',
      'k8s.force-delete-pod',
      'k8s.scale',
      'linode.volume.detach',
    ],
    applies: ['Deployment'],
    waits: ['k8s.deployment-ready', 'k8s.pods-gone', 'k8s.volume-released', 'linode.volume-detached'],
    reads: {
      kube: ['getDeployment', 'getNode', 'getPersistentVolume', 'getPersistentVolumeClaim', 'listPods'],
      linode: ['getInstance', 'getVolume', 'recentEvents'],
    },
  },
  'redis-recover': {
    actions: ['k8s.delete-pod', 'k8s.rollout-restart', 'k8s.set-resources'],
    waits: ['k8s.pod-replaced', 'k8s.workload-ready'],
    reads: { kube: ['getWorkload', 'listPods', 'listWorkloads'], linode: [] },
  },
  'resource-limits-audit': {
    actions: ['k8s.set-resources'],
    waits: ['k8s.workload-ready'],
    reads: { kube: ['getWorkload', 'listAllPods', 'listNodes', 'listWorkloads'], linode: [] },
  },
  'volume-reattach': {
    actions: ['k8s.force-delete-pod', 'k8s.scale', 'linode.volume.detach'],
    waits: ['k8s.pods-gone', 'k8s.volume-released', 'k8s.workload-ready', 'linode.volume-detached'],
    reads: {
      kube: [
        'getNode',
        'getPersistentVolume',
        'getPersistentVolumeClaim',
        'listClaimUsers',
        'listEventsFor',
        'listNodes',
        'listPods',
      ],
      linode: ['getInstance', 'getVolume', 'listVolumes', 'recentEvents'],
    },
  },
};
