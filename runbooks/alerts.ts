// Which runbook answers which alert: data a team edits for its own alert names (or overrides with a
// JSON file of the same shape, --alerts / RUNBOOK_ALERTS_FILE). `{{label}}` takes the alert's label.

export interface AlertRoute {
  /** The alert's name, as Alertmanager (or Grafana) sends it. */
  readonly alert: string;
  readonly runbook: string;
  /** Runbook parameters, by name; `{{label}}` is filled from the firing alert's labels. */
  readonly params?: Readonly<Record<string, string>>;
  /** Why this runbook, in one line. */
  readonly why: string;
}

export const ALERT_ROUTES: readonly AlertRoute[] = [
  {
    alert: 'PostgresTooManyConnections',
    runbook: 'postgres-connections',
    why: 'connections near max_connections: see who holds them (2020-12-11, 2021-07-11), end the idle ones',
  },
  {
    alert: 'PostgresqlTooManyConnections',
    runbook: 'postgres-connections',
    why: 'postgres_exporter name for the same alert',
  },
  {
    alert: 'PostgresqlTooManyLocksAcquired',
    runbook: 'postgres-connections',
    why: 'a storm of table locks came with the 2021-07-11 surge: see who blocks whom',
  },
  {
    alert: 'PostgresqlDown',
    runbook: 'postgres-remount',
    params: { namespace: '{{namespace}}' },
    why: 'Postgres will not answer: take it down, free its volume, bring it back (2020-12-11)',
  },
  {
    alert: 'KubernetesNodeNotReady',
    runbook: 'node-recycle',
    params: { node: '{{node}}' },
    why: 'a NotReady node: drain what can be drained, recycle it, rebalance (2021-01-10)',
  },
  {
    alert: 'KubeNodeNotReady',
    runbook: 'node-recycle',
    params: { node: '{{node}}' },
    why: 'kube-prometheus name for the same alert',
  },
  {
    alert: 'KubernetesPodStuckContainerCreating',
    runbook: 'volume-reattach',
    why: 'pods that cannot mount their volume after a node recycle (FailedMount, 2021-07-11)',
  },
  {
    alert: 'KubePodCrashLooping',
    runbook: 'core-services-restart',
    why: 'crash loops in kube-system (CNI, DNS, CSI) took every service down on 2020-12-11',
  },
  {
    alert: 'NodeBalancerBackendDown',
    runbook: 'nodebalancer-check',
    why: 'NodeBalancer backends DOWN (2021-01-30): which, against which nodes, since when',
  },
  {
    alert: 'KubeMemoryOvercommit',
    runbook: 'resource-limits-audit',
    why: 'workloads without requests and limits exhausted a node on 2021-01-12',
  },
  {
    alert: 'KubeCPUOvercommit',
    runbook: 'resource-limits-audit',
    why: 'the same, for CPU',
  },
  {
    alert: 'PostgresBackupTooOld',
    runbook: 'postgres-backup',
    why: 'no recent backup on the night it mattered (2020-12-11): take one and verify it',
  },
];
