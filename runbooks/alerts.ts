// Which runbook answers which alert: data. The names are those of the public Prometheus rule
// collections a team is likely to run (each group says which), plus this project's own; a team adds
// its own names ahead of these (runbook.config.yaml `alerts:`, or --alerts <file>).
// Params map a runbook parameter to a template: `{{label}}` takes the firing alert's label, and
// `{{a|b}}` the first of those labels the alert carries. A placeholder no label fills is an error,
// never a guess. Where a rule collection has an alert no runbook here answers, it is left unrouted:
// `runbook for-alert` then says so plainly (e.g. KubePersistentVolumeFillingUp: nothing here grows a
// volume; RedisTooManyConnections: nothing here ends Redis clients).

export interface AlertRoute {
  /** The alert's name, as Alertmanager sends it (labels.alertname). */
  readonly alert: string;
  readonly runbook: string;
  /** Runbook parameters, by name; `{{label}}` (or `{{label|label}}`) is filled from the alert's labels. */
  readonly params?: Readonly<Record<string, string>>;
  /** Why this runbook, in one line. */
  readonly why: string;
}

// A label renamed by Prometheus (`exported_…`, when the scrape target had a label of the same name)
// holds the metric's own value, so it comes first: kube-state-metrics scraped without honor_labels
// gives `exported_node`/`exported_namespace` the object's, and `node`/`namespace` its own pod's.
const NODE = '{{exported_node|node}}';
const NAMESPACE = '{{exported_namespace|namespace}}';

const NODE_NOT_READY = 'a NotReady node: drain what can be drained, recycle it, rebalance (2021-01-10)';
const CORE_SERVICES =
  'restart what is not Ready in dependency order: CNI, DNS, CSI, then Postgres and Redis, then the apps (2020-12-11)';
const STUCK_VOLUMES =
  'replicas that cannot mount their volume after a node recycle (FailedMount, 2021-07-11); nothing to do when none is stuck';
const LIMITS =
  'workloads without requests and limits exhausted a node on 2021-01-12: find them, apply limits';
const PG_CONNECTIONS =
  'connections near max_connections: see who holds them and their locks (2020-12-11, 2021-07-11), end the idle ones';
const PG_DOWN = 'Postgres will not answer: take it down, free its volume, bring it back (2020-12-11)';

/** This project's own alert names, from the postmortems. */
const OWN: readonly AlertRoute[] = [
  { alert: 'PostgresTooManyConnections', runbook: 'postgres-connections', why: PG_CONNECTIONS },
  {
    alert: 'PostgresBackupTooOld',
    runbook: 'postgres-backup',
    why: 'no recent backup on the night it mattered (2020-12-11): take one and verify it',
  },
  {
    alert: 'NodeBalancerBackendDown',
    runbook: 'nodebalancer-check',
    why: 'NodeBalancer backends DOWN (2021-01-30): which, against which nodes, since when',
  },
  {
    alert: 'KubernetesPodStuckContainerCreating',
    runbook: 'volume-reattach',
    why: STUCK_VOLUMES,
  },
];

/** kube-prometheus / kubernetes-mixin (alerts/kubelet, apps_alerts, resource_alerts.libsonnet). */
const KUBERNETES_MIXIN: readonly AlertRoute[] = [
  { alert: 'KubeNodeNotReady', runbook: 'node-recycle', params: { node: NODE }, why: NODE_NOT_READY },
  {
    alert: 'KubeNodeUnreachable',
    runbook: 'node-recycle',
    params: { node: NODE },
    why: 'the node controller tainted it unreachable: ' + NODE_NOT_READY,
  },
  {
    alert: 'KubeNodeReadinessFlapping',
    runbook: 'node-drain',
    params: { node: NODE },
    why: 'a node flipping between Ready and NotReady: move its pods off, budgets respected, before it takes them down',
  },
  { alert: 'KubePodCrashLooping', runbook: 'core-services-restart', why: CORE_SERVICES },
  { alert: 'KubePodNotReady', runbook: 'core-services-restart', why: CORE_SERVICES },
  {
    alert: 'KubeContainerWaiting',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE },
    why: STUCK_VOLUMES,
  },
  {
    alert: 'KubeDeploymentReplicasMismatch',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE, workload: '{{deployment}}' },
    why: STUCK_VOLUMES,
  },
  {
    alert: 'KubeStatefulSetReplicasMismatch',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE, workload: '{{statefulset}}' },
    why: STUCK_VOLUMES,
  },
  { alert: 'KubeCPUOvercommit', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'KubeMemoryOvercommit', runbook: 'resource-limits-audit', why: LIMITS },
  {
    alert: 'CPUThrottlingHigh',
    runbook: 'resource-limits-audit',
    params: { namespaces: NAMESPACE },
    why: 'containers throttled by their CPU limits: see requests and limits in that namespace, apply better ones',
  },
];

/** samber/awesome-prometheus-alerts: kubernetes (kubestate-exporter), node-exporter, postgres, redis. */
const AWESOME: readonly AlertRoute[] = [
  { alert: 'KubernetesNodeNotReady', runbook: 'node-recycle', params: { node: NODE }, why: NODE_NOT_READY },
  { alert: 'KubernetesNodeMemoryPressure', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'KubernetesMemoryPressure', runbook: 'resource-limits-audit', why: LIMITS },
  {
    alert: 'KubernetesNodeNetworkUnavailable',
    runbook: 'core-services-restart',
    why: 'the CNI has not set the node up: ' + CORE_SERVICES,
  },
  {
    alert: 'KubernetesNetworkUnavailable',
    runbook: 'core-services-restart',
    why: 'the CNI has not set the node up: ' + CORE_SERVICES,
  },
  {
    alert: 'KubernetesContainerOomKiller',
    runbook: 'resource-limits-audit',
    params: { namespaces: NAMESPACE },
    why: 'OOMKilled: see the memory requests and limits in that namespace, apply better ones',
  },
  { alert: 'KubernetesPodCrashLooping', runbook: 'core-services-restart', why: CORE_SERVICES },
  { alert: 'KubernetesPodNotHealthy', runbook: 'core-services-restart', why: CORE_SERVICES },
  {
    alert: 'KubernetesStatefulsetDown',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE, workload: '{{statefulset}}' },
    why: STUCK_VOLUMES,
  },
  {
    alert: 'KubernetesStatefulsetReplicasMismatch',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE, workload: '{{statefulset}}' },
    why: STUCK_VOLUMES,
  },
  {
    alert: 'KubernetesDeploymentReplicasMismatch',
    runbook: 'volume-reattach',
    params: { namespace: NAMESPACE, workload: '{{deployment}}' },
    why: STUCK_VOLUMES,
  },
  { alert: 'HostOutOfMemory', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'HostMemoryUnderMemoryPressure', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'HostOomKillDetected', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'HostHighCpuLoad', runbook: 'resource-limits-audit', why: LIMITS },
  { alert: 'PostgresqlDown', runbook: 'postgres-remount', params: { namespace: NAMESPACE }, why: PG_DOWN },
  { alert: 'PostgresqlTooManyConnections', runbook: 'postgres-connections', why: PG_CONNECTIONS },
  {
    alert: 'PostgresqlTooManyLocksAcquired',
    runbook: 'postgres-connections',
    why: 'a storm of table locks came with the 2021-07-11 surge: see who blocks whom',
  },
  { alert: 'RedisDown', runbook: 'core-services-restart', why: CORE_SERVICES },
  { alert: 'RedisOutOfSystemMemory', runbook: 'resource-limits-audit', why: LIMITS },
];

/** prometheus-community/postgres_exporter (postgres_mixin/alerts/postgres.libsonnet). */
const POSTGRES_EXPORTER: readonly AlertRoute[] = [
  { alert: 'PostgreSQLMaxConnectionsReached', runbook: 'postgres-connections', why: PG_CONNECTIONS },
  { alert: 'PostgreSQLHighConnections', runbook: 'postgres-connections', why: PG_CONNECTIONS },
  { alert: 'PostgreSQLDown', runbook: 'postgres-remount', params: { namespace: NAMESPACE }, why: PG_DOWN },
  {
    alert: 'PostgresAcquiredTooManyLocks',
    runbook: 'postgres-connections',
    why: 'a storm of table locks came with the 2021-07-11 surge: see who blocks whom',
  },
];

/** oliver006/redis_exporter (contrib/redis-mixin/alerts); its RedisDown is awesome-prometheus-alerts' too. */
const REDIS_EXPORTER: readonly AlertRoute[] = [
  { alert: 'RedisOutOfMemory', runbook: 'resource-limits-audit', why: LIMITS },
];

export const ALERT_ROUTES: readonly AlertRoute[] = [
  ...OWN,
  ...KUBERNETES_MIXIN,
  ...AWESOME,
  ...POSTGRES_EXPORTER,
  ...REDIS_EXPORTER,
];
