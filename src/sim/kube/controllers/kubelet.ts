// The kubelets of every node, and the node lifecycle controller: node conditions and taints,
// pods Pending → ContainerCreating → Running → Ready once their volumes are attached, graceful
// termination (or never, under pod-stuck-terminating), and taint eviction from unreachable nodes.
import type { Fault, KubeObject } from '../../world.js';
import { isPodReady, isTerminal, isTerminating, podClaims, podNode, podPhase } from '../pods.js';
import { matchesLabels, parseLabelSelector } from '../selectors.js';
import { attachmentName, CSI_DRIVER } from './csi-names.js';
import { containerConfigErrors, devicePathMessage, missingConfigVolumes, missingDevices } from './mounts.js';
import { createNodeHealth, internalIp, linodeIdOf } from './nodes.js';
import { outgrowsLimit } from './redis-memory.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

/** Simulated delays, in ms. */
export const KUBELET_DELAYS = {
  /** A silent kubelet → node Unknown (the node lifecycle controller's node-monitor-grace-period). */
  nodeMonitorGrace: 40_000,
  /** Volumes attached → containers running (mount, image present, start). */
  start: 1_000,
  /** Running → Ready (readiness probe passes). */
  ready: 2_000,
  /** Deletion requested → containers stopped and the pod removed (capped by the grace period). */
  stop: 2_000,
  /** First retry of a failed mount; doubles up to mountRetryCap (kubelet's exponential backoff). */
  mountRetry: 500,
  mountRetryCap: 122_000,
  /** Mount attempts before the kubelet stops (a bound for the instant clock: no endless timers). */
  mountAttempts: 12,
  /** WaitForAttachAndMount gives up after this and reports "Unable to attach or mount volumes". */
  mountTimeout: 120_000,
};

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: null;
}

interface ContainerSpec {
  name: string;
  image?: string;
  resources?: { limits?: { memory?: unknown } };
}

const NODE_CONDITIONS: Array<[string, string, string]> = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';

interface MountState {
  key: string;
  attempts: number;
  firstAt: number;
  nextAt: number;
  timeoutReported: boolean;
}

export function createKubelet(ctx: ControllerContext): Controller {
  const { api } = ctx;
  const healthy = createNodeHealth(ctx);
  /** Stage timers per pod uid: when a stage (start, ready, stop, kill) is due. */
  const stages = new Map<string, { stage: string; at: number }>();
  const killReported = new Set<string>();
  const killingReported = new Set<string>();
  /** When each unhealthy node's kubelet went silent. */
  const silentSince = new Map<string, number>();
  let podIps = 0;
  /** Pods whose volumes failed to mount, by uid: the kubelet's retry state. */
  const mounts = new Map<string, MountState>();
  /** Pods a pod-crash-loop fault caught when it was switched on, by fault. */
  const crashing = new Map<Fault, Set<string>>();
  /** The Linode each node last ran on: a new one means a new machine, whose pods start over. */
  const machineOf = new Map<string, number | undefined>();

  const containersOf = (pod: KubeObject): ContainerSpec[] =>
    (pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? [];

  /** True when the stage is due now; otherwise arms its timer. */
  const due = (pod: KubeObject, stage: string, delay: number): boolean => {
    const uid = pod.metadata.uid ?? '';
    const entry = stages.get(uid);
    if (entry === undefined || entry.stage !== stage) {
      stages.set(uid, { stage, at: ctx.clock.nowMs() + delay });
      if (delay <= 0) return true;
      queue.addAfter(`pod:${keyOf(pod)}`, delay);
      return false;
    }
    if (ctx.clock.nowMs() >= entry.at) return true;
    queue.addAfter(`pod:${keyOf(pod)}`, entry.at - ctx.clock.nowMs());
    return false;
  };

  const kubeletSource = (node: string): { component: string; host: string } => ({
    component: 'kubelet',
    host: node,
  });

  const stuck = (pod: KubeObject): boolean =>
    ctx.faults
      .list()
      .some(
        (f) =>
          f.kind === 'pod-stuck-terminating' &&
          f.namespace === pod.metadata.namespace &&
          (f.name === undefined || f.name === pod.metadata.name) &&
          matchesLabels(parseLabelSelector(f.labelSelector), pod.metadata.labels),
      );

  const volumesReady = (pod: KubeObject, node: string): boolean =>
    podClaims(pod).every((claim) => {
      const pvc = api.store.get(defs.pvc, pod.metadata.namespace, claim);
      const volumeName = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
      if (pvc === undefined || volumeName === undefined) return false;
      const pv = api.store.get(defs.pv, undefined, volumeName);
      if (pv === undefined) return false;
      const driver = (pv.spec as { csi?: { driver?: string } } | undefined)?.csi?.driver;
      if (driver !== CSI_DRIVER) return true;
      const va = api.store.get(defs.volumeAttachment, undefined, attachmentName(volumeName, node));
      return (
        (va?.status as { attached?: boolean } | undefined)?.attached === true &&
        va?.metadata.deletionTimestamp === undefined
      );
    });

  const writeStatus = (
    pod: KubeObject,
    fn: (status: Record<string, unknown>) => void,
  ): KubeObject | undefined =>
    api.mutate(
      defs.pod,
      pod.metadata.namespace,
      pod.metadata.name,
      (p) => {
        const status = (p.status ?? {}) as Record<string, unknown>;
        fn(status);
        p.status = status;
      },
      { subresource: 'status' },
    );

  const setConditions = (
    status: Record<string, unknown>,
    updates: Array<[string, string, string?, string?]>,
  ): void => {
    const now = api.now();
    const conditions = ((status.conditions ?? []) as Condition[]).map((c) => ({ ...c }));
    for (const [type, value, reason, message] of updates) {
      const existing = conditions.find((c) => c.type === type);
      const next: Condition = {
        type,
        status: value,
        lastProbeTime: null,
        lastTransitionTime: existing?.status === value ? (existing.lastTransitionTime ?? now) : now,
      };
      if (reason !== undefined) next.reason = reason;
      if (message !== undefined) next.message = message;
      if (existing === undefined) conditions.push(next);
      else
        Object.assign(existing, next, reason === undefined ? { reason: undefined, message: undefined } : {});
    }
    const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    status.conditions = conditions
      .map((c) => JSON.parse(JSON.stringify(c)) as Condition)
      .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  };

  const reconcilePod = (namespace: string | undefined, name: string): void => {
    const pod = api.store.peek(defs.pod, namespace, name);
    if (pod === undefined) return;
    const nodeName = podNode(pod);
    if (nodeName === undefined) return;
    const uid = pod.metadata.uid ?? '';
    const node = api.store.peek(defs.node, undefined, nodeName);
    if (node === undefined) {
      // The pod garbage collector force-deletes pods bound to nodes that no longer exist.
      api.delete(defs.pod, namespace, name, { gracePeriodSeconds: 0 });
      return;
    }
    if (!healthy(node)) {
      // The node lifecycle controller marks pods of an unreachable node not ready; nothing else moves.
      if (isPodReady(pod))
        writeStatus(pod, (s) =>
          setConditions(s, [
            ['Ready', 'False'],
            ['ContainersReady', 'False'],
          ]),
        );
      return;
    }
    const containers = containersOf(pod);
    const names = containers.map((c) => c.name).join(' ');

    if (isTerminating(pod)) {
      if (!killingReported.has(uid) && podPhase(pod) === 'Running') {
        killingReported.add(uid);
        for (const c of containers)
          ctx.events.record(
            pod,
            'Normal',
            'Killing',
            `Stopping container ${c.name}`,
            kubeletSource(nodeName),
          );
      }
      const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
      const deadline = Date.parse(pod.metadata.deletionTimestamp ?? '');
      if (stuck(pod)) {
        if (killReported.has(uid)) return;
        if (!due(pod, 'kill', Math.max(0, deadline - ctx.clock.nowMs()))) return;
        killReported.add(uid);
        ctx.events.record(
          pod,
          'Warning',
          'FailedKillPod',
          `error killing pod: failed to "KillPodSandbox" for "${uid}" with KillPodSandboxError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded"`,
          kubeletSource(nodeName),
        );
        return;
      }
      const started = deadline - grace * 1000;
      const stopAt = started + Math.min(grace * 1000, KUBELET_DELAYS.stop);
      if (!due(pod, 'stop', Math.max(0, stopAt - ctx.clock.nowMs()))) return;
      stages.delete(uid);
      api.delete(defs.pod, namespace, name, { gracePeriodSeconds: 0 });
      return;
    }
    if (isTerminal(pod)) return;
    const crash = crashOf(uid);
    if (crash?.kind === 'pod-crash-loop') {
      crashLoop(pod, nodeName, crash.reason ?? 'Error');
      return;
    }
    if (crash?.kind === 'redis-out-of-memory') {
      crashLoop(pod, nodeName, 'OOMKilled');
      return;
    }

    const phase = podPhase(pod);
    const statuses = (pod.status as { containerStatuses?: unknown[] } | undefined)?.containerStatuses;
    if (phase === 'Pending' && statuses === undefined) {
      writeStatus(pod, (s) => {
        setConditions(s, [
          ['PodReadyToStartContainers', 'False'],
          ['Initialized', 'True'],
          ['Ready', 'False', 'ContainersNotReady', `containers with unready status: [${names}]`],
          ['ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${names}]`],
          ['PodScheduled', 'True'],
        ]);
        const ip = internalIp(node);
        if (ip !== undefined) {
          s.hostIP = ip;
          s.hostIPs = [{ ip }];
        }
        s.startTime = api.now();
        s.containerStatuses = containers.map((c) => ({
          name: c.name,
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: c.image ?? '',
          imageID: '',
          started: false,
        }));
      });
      return;
    }
    if (phase === 'Pending') {
      if (!volumesReady(pod, nodeName)) {
        stages.delete(uid);
        return;
      }
      const setupErrors = missingConfigVolumes(ctx, pod);
      const devices = missingDevices(ctx, pod, node);
      if (setupErrors.length > 0 || devices.length > 0) {
        stages.delete(uid);
        mountFailed(
          pod,
          nodeName,
          [...setupErrors, ...devices.map((d) => devicePathMessage(d.pvName, d.label))],
          [...new Set(devices.map((d) => d.volume))],
        );
        return;
      }
      mounts.delete(uid);
      if (!due(pod, 'start', KUBELET_DELAYS.start)) return;
      const configErrors = containerConfigErrors(ctx, pod);
      if (configErrors.size > 0) {
        stages.delete(uid);
        reportConfigErrors(pod, nodeName, configErrors);
        return;
      }
      podIps += 1;
      const startedAt = api.now();
      for (const c of containers) {
        ctx.events.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${c.image ?? ''}" already present on machine`,
          kubeletSource(nodeName),
        );
        ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, kubeletSource(nodeName));
        ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, kubeletSource(nodeName));
      }
      writeStatus(pod, (s) => {
        s.phase = 'Running';
        const ip = `10.2.${Math.floor(podIps / 250) % 250}.${(podIps % 250) + 2}`;
        s.podIP = ip;
        s.podIPs = [{ ip }];
        setConditions(s, [['PodReadyToStartContainers', 'True']]);
        s.containerStatuses = containers.map((c) => ({
          name: c.name,
          state: { running: { startedAt } },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: c.image ?? '',
          imageID: `${c.image ?? ''}@sha256:${'0'.repeat(64)}`,
          containerID: `containerd://${uid.replace(/-/g, '')}${c.name.length}`,
          started: true,
        }));
      });
      return;
    }
    if (phase === 'Running' && !isPodReady(pod)) {
      if (!due(pod, 'ready', KUBELET_DELAYS.ready)) return;
      stages.delete(uid);
      writeStatus(pod, (s) => {
        setConditions(s, [
          ['Ready', 'True'],
          ['ContainersReady', 'True'],
        ]);
        s.containerStatuses = ((s.containerStatuses ?? []) as Array<Record<string, unknown>>).map((c) => ({
          ...c,
          ready: true,
        }));
      });
    }
  };

  const crashOf = (uid: string): Fault | undefined => [...crashing].find(([, uids]) => uids.has(uid))?.[0];

  /** CrashLoopBackOff: the containers keep exiting, so the pod runs but is never Ready. */
  const crashLoop = (pod: KubeObject, nodeName: string, reason: 'Error' | 'OOMKilled'): void => {
    const statuses = (
      pod.status as { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> }
    ).containerStatuses;
    if (statuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff') return;
    const ns = pod.metadata.namespace ?? '';
    const uid = pod.metadata.uid ?? '';
    const now = api.now();
    const containers = containersOf(pod);
    writeStatus(pod, (s) => {
      s.phase = 'Running';
      const names = containers.map((c) => c.name).join(' ');
      setConditions(s, [
        ['Ready', 'False', 'ContainersNotReady', `containers with unready status: [${names}]`],
        ['ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${names}]`],
      ]);
      s.containerStatuses = containers.map((c) => ({
        name: c.name,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 5m0s restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${uid})`,
          },
        },
        lastState: {
          terminated: { exitCode: reason === 'OOMKilled' ? 137 : 1, reason, startedAt: now, finishedAt: now },
        },
        ready: false,
        restartCount: 5,
        image: c.image ?? '',
        imageID: `${c.image ?? ''}@sha256:${'0'.repeat(64)}`,
        started: false,
      }));
    });
    for (const c of containers)
      ctx.events.record(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${ns}(${uid})`,
        kubeletSource(nodeName),
      );
  };

  /** A failed mount: FailedMount events with the kubelet's backoff, then the timeout event. */
  const mountFailed = (pod: KubeObject, nodeName: string, messages: string[], unmounted: string[]): void => {
    const uid = pod.metadata.uid ?? '';
    const key = `pod:${keyOf(pod)}`;
    const now = ctx.clock.nowMs();
    const state = mounts.get(uid) ?? { key, attempts: 0, firstAt: now, nextAt: now, timeoutReported: false };
    mounts.set(uid, state);
    if (!state.timeoutReported && now >= state.firstAt + KUBELET_DELAYS.mountTimeout) {
      state.timeoutReported = true;
      const names = unmounted.length > 0 ? unmounted : volumeNames(pod);
      ctx.events.record(
        pod,
        'Warning',
        'FailedMount',
        `Unable to attach or mount volumes: unmounted volumes=[${names.join(' ')}], unattached volumes=[], failed to process volumes=[]: context deadline exceeded`,
        kubeletSource(nodeName),
      );
    } else if (!state.timeoutReported) queue.addAfter(key, state.firstAt + KUBELET_DELAYS.mountTimeout - now);
    if (now < state.nextAt) {
      if (Number.isFinite(state.nextAt)) queue.addAfter(key, state.nextAt - now);
      return;
    }
    state.attempts += 1;
    for (const message of messages)
      ctx.events.record(pod, 'Warning', 'FailedMount', message, kubeletSource(nodeName));
    if (state.attempts >= KUBELET_DELAYS.mountAttempts) {
      state.nextAt = Infinity;
      return;
    }
    const delay = Math.min(
      KUBELET_DELAYS.mountRetryCap,
      KUBELET_DELAYS.mountRetry * 2 ** (state.attempts - 1),
    );
    state.nextAt = now + delay;
    queue.addAfter(key, delay);
  };

  const volumeNames = (pod: KubeObject): string[] =>
    ((pod.spec as { volumes?: Array<{ name: string }> } | undefined)?.volumes ?? []).map((v) => v.name);

  /** CreateContainerConfigError: the pod stays Pending with the reason on each container. */
  const reportConfigErrors = (pod: KubeObject, nodeName: string, errors: Map<string, string>): void => {
    writeStatus(pod, (s) => {
      s.containerStatuses = containersOf(pod).map((c) => {
        const message = errors.get(c.name);
        return {
          name: c.name,
          state: {
            waiting:
              message === undefined
                ? { reason: 'ContainerCreating' }
                : { reason: 'CreateContainerConfigError', message },
          },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: c.image ?? '',
          imageID: '',
          started: false,
        };
      });
    });
    for (const message of errors.values())
      ctx.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, kubeletSource(nodeName));
  };

  /** A node now backed by another Linode (recycled): its pods' containers start over there. */
  const restartPodsOn = (name: string): void => {
    for (const pod of podsOn(name)) {
      if (isTerminating(pod) || isTerminal(pod)) continue;
      stages.delete(pod.metadata.uid ?? '');
      mounts.delete(pod.metadata.uid ?? '');
      writeStatus(pod, (s) => {
        s.phase = 'Pending';
        delete s.containerStatuses;
        delete s.podIP;
        delete s.podIPs;
        s.conditions = ((s.conditions ?? []) as Condition[]).filter((c) => c.type === 'PodScheduled');
      });
    }
  };

  /** A node-memory-pressure fault `untilDrained` ends once the node runs nothing but DaemonSet pods. */
  const relievePressureOnceDrained = (name: string): void => {
    for (const fault of ctx.faults.list()) {
      if (fault.kind !== 'node-memory-pressure' || fault.node !== name || fault.untilDrained !== true)
        continue;
      const drained = podsOn(name).every((p) =>
        (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet'),
      );
      if (drained) ctx.faults.remove(fault);
    }
  };

  const reconcileNode = (name: string): void => {
    const node = api.store.get(defs.node, undefined, name);
    if (node === undefined) return;
    const machine = linodeIdOf(node);
    if (machineOf.has(name) && machineOf.get(name) !== machine) restartPodsOn(name);
    machineOf.set(name, machine);
    const now = api.now();
    const ok = healthy(node);
    relievePressureOnceDrained(name);
    const pressure = ctx.faults.list().some((f) => f.kind === 'node-memory-pressure' && f.node === name);
    const conditions = (node.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    const taints = (node.spec as { taints?: Array<Record<string, unknown>> } | undefined)?.taints ?? [];
    if (ok) silentSince.delete(name);
    if (ok) {
      const wanted: Array<[string, string, string, string]> = [
        ...NODE_CONDITIONS.map(([t, r, m]): [string, string, string, string] =>
          t === 'MemoryPressure' && pressure
            ? [t, 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']
            : [t, 'False', r, m],
        ),
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ];
      const current = wanted.every(([t, s, r]) =>
        conditions.some((c) => c.type === t && c.status === s && c.reason === r),
      );
      const hasTaint = taints.some((t) => t.key === UNREACHABLE);
      const hasPressureTaint = taints.some((t) => t.key === MEMORY_PRESSURE);
      if (
        current &&
        !hasTaint &&
        hasPressureTaint === pressure &&
        (node.status as { nodeInfo?: unknown }).nodeInfo !== undefined
      )
        return;
      api.mutate(
        defs.node,
        undefined,
        name,
        (n) => {
          const status = (n.status ?? {}) as Record<string, unknown>;
          status.conditions = wanted.map(([type, s, reason, message]) => {
            const existing = conditions.find((c) => c.type === type);
            return {
              type,
              status: s,
              lastHeartbeatTime: now,
              lastTransitionTime: existing?.status === s ? (existing.lastTransitionTime ?? now) : now,
              reason,
              message,
            };
          });
          status.nodeInfo ??= {
            machineID: node.metadata.uid?.replace(/-/g, '') ?? '',
            systemUUID: node.metadata.uid ?? '',
            bootID: node.metadata.uid ?? '',
            kernelVersion: '6.1.0-27-cloud-amd64',
            osImage: 'Debian GNU/Linux 12 (bookworm)',
            containerRuntimeVersion: 'containerd://1.7.22',
            kubeletVersion: 'v1.32.5',
            kubeProxyVersion: 'v1.32.5',
            operatingSystem: 'linux',
            architecture: 'amd64',
          };
          status.daemonEndpoints ??= { kubeletEndpoint: { Port: 10250 } };
          n.status = status;
          const spec = (n.spec ?? {}) as { taints?: Array<Record<string, unknown>> };
          if (spec.taints !== undefined || pressure) {
            spec.taints = (spec.taints ?? []).filter(
              (t) => t.key !== UNREACHABLE && t.key !== MEMORY_PRESSURE,
            );
            if (pressure) spec.taints.push({ key: MEMORY_PRESSURE, effect: 'NoSchedule', timeAdded: now });
            if (spec.taints.length === 0) delete spec.taints;
          }
          n.spec = spec;
        },
        { subresource: 'all' },
      );
      if (ready !== undefined && ready.status !== 'True')
        ctx.events.record(
          node,
          'Normal',
          'NodeReady',
          `Node ${name} status is now: NodeReady`,
          kubeletSource(name),
        );
      for (const pod of podsOn(name)) queue.add(`pod:${keyOf(pod)}`);
      return;
    }
    const since = silentSince.get(name) ?? ctx.clock.nowMs();
    silentSince.set(name, since);
    if (ready?.status === 'True' && ctx.clock.nowMs() < since + KUBELET_DELAYS.nodeMonitorGrace) {
      queue.addAfter(`node:${name}`, since + KUBELET_DELAYS.nodeMonitorGrace - ctx.clock.nowMs());
      return;
    }
    if (ready === undefined || ready.status === 'True' || !taints.some((t) => t.key === UNREACHABLE)) {
      api.mutate(
        defs.node,
        undefined,
        name,
        (n) => {
          const status = (n.status ?? {}) as Record<string, unknown>;
          const types = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
          status.conditions = types.map((type) => {
            const existing = conditions.find((c) => c.type === type);
            return {
              type,
              status: 'Unknown',
              lastHeartbeatTime: existing?.lastHeartbeatTime ?? now,
              lastTransitionTime: existing?.status === 'Unknown' ? (existing.lastTransitionTime ?? now) : now,
              reason: 'NodeStatusUnknown',
              message: 'Kubelet stopped posting node status.',
            };
          });
          n.status = status;
          const spec = (n.spec ?? {}) as { taints?: Array<Record<string, unknown>> };
          const kept = (spec.taints ?? []).filter((t) => t.key !== UNREACHABLE);
          spec.taints = [
            ...kept,
            { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: now },
            { key: UNREACHABLE, effect: 'NoExecute', timeAdded: now },
          ];
          n.spec = spec;
        },
        { subresource: 'all' },
      );
      if (ready?.status === 'True')
        ctx.events.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, {
          component: 'node-controller',
        });
    }
    for (const pod of podsOn(name)) queue.add(`pod:${keyOf(pod)}`);
    queue.add(`evict:${name}`);
  };

  /** Taint eviction: pods of an unreachable node go once their toleration (default 300 s) runs out. */
  const reconcileEviction = (name: string): void => {
    const node = api.store.get(defs.node, undefined, name);
    if (node === undefined || healthy(node)) return;
    const taint = (
      (node.spec as { taints?: Array<{ key: string; effect: string; timeAdded?: string }> }).taints ?? []
    ).find((t) => t.key === UNREACHABLE && t.effect === 'NoExecute');
    if (taint?.timeAdded === undefined) return;
    const since = Date.parse(taint.timeAdded);
    for (const pod of podsOn(name)) {
      if (isTerminating(pod)) continue;
      const tolerations = ((pod.spec as { tolerations?: Array<Record<string, unknown>> }).tolerations ??
        []) as Array<{
        key?: string;
        operator?: string;
        effect?: string;
        tolerationSeconds?: number;
      }>;
      const toleration = tolerations.find(
        (t) =>
          (t.key === UNREACHABLE || (t.key === undefined && t.operator === 'Exists')) &&
          (t.effect === undefined || t.effect === 'NoExecute'),
      );
      if (toleration !== undefined && toleration.tolerationSeconds === undefined) continue;
      const at = since + (toleration?.tolerationSeconds ?? 0) * 1000;
      if (ctx.clock.nowMs() < at) {
        queue.addAfter(`evict:${name}`, at - ctx.clock.nowMs());
        continue;
      }
      ctx.events.record(
        pod,
        'Normal',
        'TaintManagerEviction',
        `Marking for deletion Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name}`,
        {
          component: 'taint-eviction-controller',
        },
      );
      api.delete(defs.pod, pod.metadata.namespace, pod.metadata.name, {});
    }
  };

  const podsOn = (node: string): ReadonlyArray<Readonly<KubeObject>> =>
    api.store.view(defs.pod).filter((p) => podNode(p) === node);

  const queue = createWorkQueue(ctx, 'kubelet', (key) => {
    if (key.startsWith('pod:')) {
      const { namespace, name } = splitKey(key.slice(4));
      reconcilePod(namespace, name);
    } else if (key.startsWith('node:')) reconcileNode(key.slice(5));
    else if (key.startsWith('evict:')) reconcileEviction(key.slice(6));
  });

  const requeueAll = (): void => {
    for (const node of api.store.view(defs.node)) queue.add(`node:${node.metadata.name}`);
    for (const pod of api.store.view(defs.pod))
      if (podNode(pod) !== undefined) queue.add(`pod:${keyOf(pod)}`);
  };

  return {
    name: 'kubelet',
    onStoreEvent(event) {
      if (isDef(event, defs.pod)) {
        if (event.type === 'DELETED') {
          const node = podNode(event.object);
          if (node !== undefined) queue.add(`node:${node}`);
          stages.delete(event.object.metadata.uid ?? '');
          mounts.delete(event.object.metadata.uid ?? '');
          for (const uids of crashing.values()) uids.delete(event.object.metadata.uid ?? '');
          killReported.delete(event.object.metadata.uid ?? '');
          killingReported.delete(event.object.metadata.uid ?? '');
        } else if (podNode(event.object) !== undefined) queue.add(`pod:${keyOf(event.object)}`);
      } else if (isDef(event, defs.node)) {
        if (event.type !== 'DELETED') queue.add(`node:${event.object.metadata.name}`);
        else for (const pod of podsOn(event.object.metadata.name)) queue.add(`pod:${keyOf(pod)}`);
      } else if (isDef(event, defs.volumeAttachment)) {
        const node = (event.object.spec as { nodeName?: string } | undefined)?.nodeName;
        if (node !== undefined) for (const pod of podsOn(node)) queue.add(`pod:${keyOf(pod)}`);
      } else if (isDef(event, defs.pvc)) {
        for (const pod of api.store.list(defs.pod, event.object.metadata.namespace))
          if (podNode(pod) !== undefined && podClaims(pod).includes(event.object.metadata.name))
            queue.add(`pod:${keyOf(pod)}`);
      } else if (isDef(event, defs.secret) || isDef(event, defs.configMap)) {
        for (const pod of api.store.list(defs.pod, event.object.metadata.namespace))
          if (podNode(pod) !== undefined && podPhase(pod) === 'Pending') {
            const state = mounts.get(pod.metadata.uid ?? '');
            if (state !== undefined) state.nextAt = ctx.clock.nowMs();
            queue.add(`pod:${keyOf(pod)}`);
          }
      }
    },
    onLinodeChange() {
      for (const node of api.store.view(defs.node)) queue.add(`node:${node.metadata.name}`);
      // A volume attached or detached: failing mounts are tried again at once.
      for (const state of mounts.values()) {
        state.nextAt = ctx.clock.nowMs();
        queue.add(state.key);
      }
    },
    onFaultsChange() {
      const faults = ctx.faults.list();
      for (const fault of [...crashing.keys()]) if (!faults.includes(fault)) crashing.delete(fault);
      for (const fault of faults) {
        if ((fault.kind !== 'pod-crash-loop' && fault.kind !== 'redis-out-of-memory') || crashing.has(fault))
          continue;
        const selector = parseLabelSelector(fault.labelSelector);
        const caught = (p: KubeObject): boolean =>
          fault.kind === 'pod-crash-loop' || outgrowsLimit(containersOf(p), fault.usedMemory);
        crashing.set(
          fault,
          new Set(
            api.store
              .list(defs.pod, fault.namespace)
              .filter((p) => !isTerminating(p) && matchesLabels(selector, p.metadata.labels) && caught(p))
              .map((p) => p.metadata.uid ?? ''),
          ),
        );
      }
      for (const state of mounts.values()) state.nextAt = ctx.clock.nowMs();
      requeueAll();
    },
  };
}
