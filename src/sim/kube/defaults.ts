// Defaulting and validation on create and update, per kind, as the API server's registry
// strategies and admission plugins do it (pod spec defaults, PVC protection, namespace phase...).
import type { KubeObject } from '../world.js';
import { errors } from './errors.js';
import { parseCron } from './cron.js';
import { checkMicroTime } from './ids.js';
import type { ResourceDef } from './registry.js';

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

export const DEFAULT_STORAGE_CLASS = 'linode-block-storage-retain';

function defaultContainer(c: Obj): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined) {
    const image = typeof c.image === 'string' ? c.image : '';
    const tag = /:([^/:@]+)$/.exec(image)?.[1];
    c.imagePullPolicy = tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  for (const port of Array.isArray(c.ports) ? (c.ports as Obj[]) : []) port.protocol ??= 'TCP';
}

export function defaultPodSpec(spec: Obj): void {
  for (const c of Array.isArray(spec.containers) ? (spec.containers as Obj[]) : []) defaultContainer(c);
  for (const c of Array.isArray(spec.initContainers) ? (spec.initContainers as Obj[]) : [])
    defaultContainer(c);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  if (spec.serviceAccountName === undefined && spec.serviceAccount === undefined)
    spec.serviceAccountName = 'default';
  spec.serviceAccountName ??= spec.serviceAccount;
  spec.serviceAccount ??= spec.serviceAccountName;
  for (const v of Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : []) {
    if (v.emptyDir === undefined && Object.keys(v).length === 1) v.emptyDir = {};
    if (v.configMap !== undefined) asObj(v.configMap).defaultMode ??= 420;
    if (v.secret !== undefined) asObj(v.secret).defaultMode ??= 420;
  }
}

function qosClass(spec: Obj): string {
  const containers = Array.isArray(spec.containers) ? (spec.containers as Obj[]) : [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = asObj(c.resources);
    const requests = asObj(r.requests);
    const limits = asObj(r.limits);
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const res of ['cpu', 'memory']) {
      if (limits[res] === undefined) guaranteed = false;
      else if (requests[res] !== undefined && requests[res] !== limits[res]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultTemplate(spec: Obj): void {
  const template = asObj(spec.template);
  spec.template = template;
  const meta = asObj(template.metadata);
  template.metadata = meta;
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  const podSpec = asObj(template.spec);
  template.spec = podSpec;
  defaultPodSpec(podSpec);
}

/** batch/v1 Job defaults: one pod to completion, template defaulted, restartPolicy kept (Never/OnFailure). */
export function defaultJobSpec(spec: Obj): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  defaultTemplate(spec);
}

function requireField(
  def: ResourceDef,
  object: KubeObject,
  ok: boolean,
  field: string,
  message: string,
): void {
  if (!ok) throw errors.invalid(def, object.metadata.name, [{ type: 'FieldValueRequired', message, field }]);
}

/** Validates an object on create and update (the subset of checks runbooks can trip over). */
/** A Secret's stringData is write-only: the API server merges it into data, base64, and drops it. */
export function foldStringData(object: KubeObject): void {
  if (object.kind !== 'Secret' || object.stringData === undefined) return;
  const data = { ...(asObj(object.data) as Record<string, string>) };
  for (const [key, value] of Object.entries(asObj(object.stringData)))
    data[key] = Buffer.from(String(value)).toString('base64');
  object.data = data;
  delete object.stringData;
}

export function validate(def: ResourceDef, object: KubeObject): void {
  const name = object.metadata.name;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw errors.invalid(def, name, [
      {
        type: 'FieldValueInvalid',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        field: 'metadata.name',
      },
    ]);
  }
  const spec = asObj(object.spec);
  switch (def.kind) {
    case 'Pod':
      requireField(
        def,
        object,
        Array.isArray(spec.containers) && spec.containers.length > 0,
        'spec.containers',
        'Required value',
      );
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      requireField(def, object, spec.selector !== undefined, 'spec.selector', 'Required value');
      const replicas = spec.replicas;
      if (typeof replicas === 'number' && replicas < 0)
        throw errors.invalid(def, name, [
          {
            type: 'FieldValueInvalid',
            message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ]);
      break;
    }
    case 'CronJob':
      try {
        parseCron(typeof spec.schedule === 'string' ? spec.schedule : '');
      } catch (error) {
        throw errors.invalid(def, name, [
          {
            type: 'FieldValueInvalid',
            message: `Invalid value: "${String(spec.schedule)}": ${error instanceof Error ? error.message : String(error)}`,
            field: 'spec.schedule',
          },
        ]);
      }
      break;
    case 'Lease':
      for (const field of ['acquireTime', 'renewTime']) {
        const problem = checkMicroTime(spec[field]);
        if (problem !== undefined)
          throw errors.badRequest(`Lease in version "v1" cannot be handled as a Lease: ${problem}`);
      }
      break;
    default:
      break;
  }
}

/** Fills in defaults and resets server-owned status on create. */
/** The apiserver gives every port of a NodePort or LoadBalancer Service a node port (30000-32767). */
function allocateNodePorts(object: KubeObject, ports: Obj[]): void {
  const taken = new Set(ports.map((p) => p.nodePort).filter((p) => typeof p === 'number'));
  const seed = `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  for (const port of ports) {
    if (typeof port.nodePort === 'number') continue;
    let candidate = 30000 + ((hash + Number(port.port)) % 2768);
    while (taken.has(candidate)) candidate = 30000 + ((candidate - 30000 + 1) % 2768);
    taken.add(candidate);
    port.nodePort = candidate;
  }
}

export function defaultOnCreate(def: ResourceDef, object: KubeObject, allocateClusterIp: () => string): void {
  const spec = asObj(object.spec);
  switch (def.kind) {
    case 'Namespace':
      object.spec = { finalizers: ['kubernetes'], ...spec };
      object.status = { phase: 'Active' };
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      break;
    case 'Pod': {
      defaultPodSpec(spec);
      const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
        if (!tolerations.some((t) => t.key === key))
          tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
      spec.tolerations = tolerations;
      spec.priority ??= 0;
      spec.preemptionPolicy ??= 'PreemptLowerPriority';
      object.spec = spec;
      object.status = { phase: 'Pending', qosClass: qosClass(spec) };
      break;
    }
    case 'Deployment':
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      defaultTemplate(spec);
      object.spec = spec;
      object.status = {};
      break;
    case 'ReplicaSet':
      spec.replicas ??= 1;
      defaultTemplate(spec);
      object.spec = spec;
      object.status = { replicas: 0 };
      break;
    case 'StatefulSet':
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(spec);
      object.spec = spec;
      object.status = { replicas: 0, availableReplicas: 0 };
      break;
    case 'DaemonSet':
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      spec.revisionHistoryLimit ??= 10;
      defaultTemplate(spec);
      object.spec = spec;
      object.status = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
      break;
    case 'Service': {
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.clusterIP === undefined) spec.clusterIP = allocateClusterIp();
      if (spec.clusterIP !== 'None') spec.clusterIPs ??= [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
      const ports = Array.isArray(spec.ports) ? (spec.ports as Obj[]) : [];
      for (const port of ports) {
        port.protocol ??= 'TCP';
        port.targetPort ??= port.port;
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') allocateNodePorts(object, ports);
      object.spec = spec;
      object.status = { loadBalancer: {} };
      break;
    }
    case 'Secret':
      object.type ??= 'Opaque';
      break;
    case 'PersistentVolumeClaim':
      if (!('storageClassName' in spec)) spec.storageClassName = DEFAULT_STORAGE_CLASS;
      spec.volumeMode ??= 'Filesystem';
      object.spec = spec;
      object.status = { phase: 'Pending' };
      addFinalizer(object, 'kubernetes.io/pvc-protection');
      break;
    case 'PersistentVolume':
      spec.persistentVolumeReclaimPolicy ??= 'Retain';
      spec.volumeMode ??= 'Filesystem';
      object.spec = spec;
      object.status = { phase: spec.claimRef === undefined ? 'Available' : 'Bound' };
      addFinalizer(object, 'kubernetes.io/pv-protection');
      break;
    case 'VolumeAttachment':
      object.status = { attached: false };
      break;
    case 'PodDisruptionBudget':
      object.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    case 'Event':
      object.count ??= 1;
      break;
    case 'Job': {
      // The Job strategy selects its pods by the Job's uid and labels the template to match.
      const uid = object.metadata.uid ?? '';
      const jobLabels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': object.metadata.name,
        'controller-uid': uid,
        'job-name': object.metadata.name,
      };
      spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const template = asObj(spec.template);
      const meta = asObj(template.metadata);
      meta.labels = { ...asObj(meta.labels), ...jobLabels };
      template.metadata = meta;
      spec.template = template;
      defaultJobSpec(spec);
      object.spec = spec;
      object.status = {};
      break;
    }
    case 'CronJob': {
      object.spec = spec;
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      const jobTemplate = asObj(spec.jobTemplate);
      spec.jobTemplate = jobTemplate;
      jobTemplate.spec = asObj(jobTemplate.spec);
      defaultTemplate(asObj(jobTemplate.spec));
      object.status = {};
      break;
    }
    default:
      break;
  }
}

export function addFinalizer(object: KubeObject, finalizer: string): void {
  const list = object.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) object.metadata.finalizers = [...list, finalizer];
}

export function removeFinalizer(object: KubeObject, finalizer: string): boolean {
  const list = object.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) return false;
  const next = list.filter((f) => f !== finalizer);
  if (next.length === 0) delete object.metadata.finalizers;
  else object.metadata.finalizers = next;
  return true;
}
