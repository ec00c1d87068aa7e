// The Kubernetes half of the simulated LKE cluster: object store, API semantics, HTTP server
// side, watches and the controllers, behind the KubeWorld contract of src/sim/world.ts.
import type http from 'node:http';
import type { SimClock } from '../clock.js';
import type { Fault, FaultSet, KubeObject, KubeWorld, LinodeWorld } from '../world.js';
import { createApi } from './api.js';
import type { AccessControl } from './authorization.js';
import { createAccessControl, registerAccessControl } from './authorization.js';
import { createAttacher } from './controllers/attacher.js';
import { createCloudController } from './controllers/cloud-controller.js';
import { createDeploymentController } from './controllers/deployment.js';
import { createEventRecorder } from './controllers/events.js';
import { createGarbageCollector } from './controllers/gc.js';
import { createKubelet } from './controllers/kubelet.js';
import { createProvisioner } from './controllers/provisioner.js';
import { createPvReclaimer } from './controllers/pv-reclaim.js';
import { createReplicaSetController } from './controllers/replicaset.js';
import { createCronJobController } from './controllers/cronjob.js';
import { createJobController } from './controllers/job.js';
import { createCrdController } from './controllers/crd.js';
import type { Controller, ControllerContext } from './controllers/runtime.js';
import { createScheduler } from './controllers/scheduler.js';
import { createDaemonSetController } from './controllers/daemonset.js';
import { createDisruptionController, pdbNeverAllows } from './controllers/disruption.js';
import { createStatefulSetController } from './controllers/statefulset.js';
import { createLkeNodeController } from './controllers/lke-nodes.js';
import { createNodeReporter } from './controllers/node-reports.js';
import { createSaturationLog } from './logs/saturation.js';
import { servePodLog } from './logs/serve.js';
import { ApiError, failure } from './errors.js';
import { createHttpHandler } from './http.js';
import { createIdSource, formatTime } from './ids.js';
import { metricsReply } from './metrics.js';
import { present } from './present.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf, mustFindByKind } from './registry.js';
import { seedObjects } from './seed.js';
import { createStore } from './store.js';
import { createWatchHub } from './watch.js';

export interface KubeSimOptions {
  clock: SimClock;
  faults: FaultSet;
  linode: LinodeWorld;
  /** Linode volume labels for new PVs: `pvc<16hex>` (CSI driver before v1.0.0, default) or `pvc-<16hex>`. */
  volumeLabelForm?: 'pvc' | 'pvc-';
  /** Seed for generated names and uids (same seed, same names). Default 'runbook-sim'. */
  seed?: string;
  /** How many store events watches can resume from. Default 10 000. */
  historyLimit?: number;
  /** Called when a controller fails with something other than a conflict. Default: console.error. */
  onControllerError?: (controller: string, error: unknown) => void;
}

export interface KubeSim extends KubeWorld {
  /** Serves one HTTP request of the Kubernetes API (paths /api, /apis, /version, /openapi/...). Reads the body itself. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Ends every open watch stream (server shutdown). */
  close(): void;
  /** The current global resourceVersion. */
  resourceVersion(): number;
  /** Calls `listener` after every write to the store (tests and the control API wait on it). */
  onChange(listener: () => void): () => void;
  /** Who may do what (deny rules answered with 403 and in SelfSubjectAccessReviews). */
  readonly access: AccessControl;
}

export function createKubeSim(options: KubeSimOptions): KubeSim {
  const { clock, faults, linode } = options;
  const store = createStore(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit });
  const ids = createIdSource(options.seed ?? 'runbook-sim');
  const api = createApi(store, clock, ids);
  const hub = createWatchHub(store);
  const rbacList = (kind: string) => () => store.list(mustFindByKind('rbac.authorization.k8s.io/v1', kind));
  const [roles, clusterRoles, roleBindings, clusterRoleBindings] = [
    rbacList('Role'),
    rbacList('ClusterRole'),
    rbacList('RoleBinding'),
    rbacList('ClusterRoleBinding'),
  ];
  const access = createAccessControl(undefined, () => ({
    roles: roles(),
    clusterRoles: clusterRoles(),
    roleBindings: roleBindings(),
    clusterRoleBindings: clusterRoleBindings(),
  }));
  const reportError =
    options.onControllerError ??
    ((controller: string, error: unknown) => {
      console.error(`[sim/kube] ${controller}:`, error instanceof Error ? error.message : error);
    });
  const ctx: ControllerContext = {
    api,
    clock,
    faults,
    linode,
    ids,
    events: createEventRecorder(api),
    volumeLabelForm: options.volumeLabelForm ?? 'pvc',
    reportError,
  };
  const saturations = createSaturationLog(ctx);
  const controllers: Controller[] = [
    saturations,
    createGarbageCollector(ctx),
    createDeploymentController(ctx),
    createReplicaSetController(ctx),
    createStatefulSetController(ctx),
    createDaemonSetController(ctx),
    createJobController(ctx),
    createCronJobController(ctx),
    createCrdController(ctx),
    createDisruptionController(ctx),
    createScheduler(ctx),
    createProvisioner(ctx),
    createPvReclaimer(ctx),
    createAttacher(ctx),
    createKubelet(ctx),
    createLkeNodeController(ctx),
    createNodeReporter(ctx),
    createCloudController(ctx),
  ];

  let closed = false;
  store.subscribe((event) => {
    if (closed) return;
    for (const c of controllers) c.onStoreEvent?.(event);
  });
  const unsubscribeLinode = linode.onChange(() => {
    if (closed) return;
    for (const c of controllers) c.onLinodeChange?.();
  });

  let lastFaults: readonly Fault[] | undefined;
  const syncFaults = (): void => {
    const current = faults.list();
    if (current === lastFaults) return;
    lastFaults = current;
    for (const c of controllers) c.onFaultsChange?.();
  };
  syncFaults();
  const unsubscribeFaults = faults.onChange(() => {
    if (!closed) syncFaults();
  });
  for (const object of seedObjects()) {
    const def = mustFindByKind(object.apiVersion, object.kind);
    api.create(def, object.metadata.namespace, object);
  }

  const nodeDef = mustFindByKind('v1', 'Node');
  const show = (def: ResourceDef, object: KubeObject): KubeObject =>
    present(def, object, formatTime(clock.now()), (name) => store.get(nodeDef, undefined, name));
  const watchesCut = new WeakMap<object, number>();
  const watchDropMs = (path: string): number | undefined => {
    for (const f of faults.list())
      if (f.kind === 'watch-drop' && (f.pathPattern === undefined || new RegExp(f.pathPattern).test(path))) {
        const cut = (watchesCut.get(f) ?? 0) + 1;
        watchesCut.set(f, cut);
        if (f.count !== undefined && cut >= f.count) faults.remove(f);
        return f.afterMs ?? 0;
      }
    return undefined;
  };
  const handler = createHttpHandler({
    api,
    hub,
    present: show,
    beforeRequest: syncFaults,
    watchDropMs,
    pdbNeverAllows: (pdb) => pdbNeverAllows(faults, pdb),
    access,
    metrics: (request) => metricsReply(api, faults, request),
    podLog: (namespace, name, query, req, res) =>
      servePodLog({ api, saturations: () => saturations.list() }, namespace, name, query, req, res),
  });

  const sim: KubeSim = {
    access,
    create(object) {
      syncFaults();
      const def = mustFindByKind(object.apiVersion, object.kind);
      return api.create(def, object.metadata.namespace, object);
    },
    restore(object) {
      syncFaults();
      const def = mustFindByKind(object.apiVersion, object.kind);
      // The store copies what it keeps: a shallow copy is enough to drop these two fields.
      const copy = { ...object, metadata: { ...object.metadata } };
      delete copy.metadata.resourceVersion;
      delete copy.metadata.managedFields;
      store.put(def, copy);
      copy.metadata.resourceVersion = String(store.currentRv());
      return copy;
    },
    get(apiVersion, kind, namespace, name) {
      syncFaults();
      const def = mustFindByKind(apiVersion, kind);
      const found = store.get(def, namespace, name);
      return found === undefined ? undefined : show(def, found);
    },
    list(apiVersion, kind, namespace) {
      syncFaults();
      const def = mustFindByKind(apiVersion, kind);
      return store.list(def, namespace).map((o) => show(def, o));
    },
    snapshot() {
      syncFaults();
      const out: Record<string, KubeObject[]> = {};
      for (const { def, object } of store.all()) {
        const key = `${apiVersionOf(def)}/${def.kind}`;
        (out[key] ??= []).push(show(def, object));
      }
      return { resourceVersion: String(store.currentRv()), objects: out };
    },
    handle(req, res) {
      if (closed) {
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(failure(503, 'ServiceUnavailable', 'shutting down').status));
        return;
      }
      handler(req, res);
    },
    close() {
      closed = true;
      unsubscribeLinode();
      unsubscribeFaults();
      hub.closeAll();
    },
    resourceVersion: () => store.currentRv(),
    onChange: (listener) => store.subscribe(() => listener()),
  };
  registerAccessControl(sim, access);
  return sim;
}

export { ApiError };
export type { KubeObject };
