// The shapes runbooks read about workloads and NodeBalancers: kept apart from ports.ts because
// Deployments, DaemonSets and StatefulSets are read as one thing (a workload with pods) here.

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet';

/** A workload a runbook names: the kind, namespace and name a person would type after kubectl. */
export interface WorkloadRef {
  readonly namespace: string;
  readonly kind: WorkloadKind;
  readonly name: string;
}

/** CPU and memory as Kubernetes quantities, e.g. { cpu: '250m', memory: '256Mi' }. */
export interface ResourceAmounts {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface ContainerResources {
  readonly requests?: ResourceAmounts;
  readonly limits?: ResourceAmounts;
}

/** A workload as a runbook reads it, whatever its kind. */
export interface WorkloadView {
  readonly ref: WorkloadRef;
  /** Its pods, as a label selector (from spec.selector.matchLabels). */
  readonly selector: string;
  /** Pods it wants: replicas, or for a DaemonSet the nodes it should run on. */
  readonly desired: number;
  readonly ready: number;
  /** Pods running the current template. */
  readonly updated: number;
  /** The controller has seen the latest change of the spec. */
  readonly observed: boolean;
  /** The kubectl.kubernetes.io/restartedAt annotation of its pod template, if any. */
  readonly restartedAt: string | undefined;
  readonly containers: ReadonlyArray<{ readonly name: string; readonly resources: ContainerResources }>;
}

/** A Kubernetes Service's node ports, which NodeBalancer backends point at. */
export interface NodePortView {
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  readonly nodePort: number;
}

export interface NodeBalancerBackend {
  readonly id: number;
  readonly label: string;
  /** ip:port */
  readonly address: string;
  /** UP, DOWN, or Unknown (the real API's spelling; the spec says unknown). */
  readonly status: string;
  readonly mode: string;
}

export interface NodeBalancerConfigView {
  readonly id: number;
  readonly port: number;
  readonly protocol: string;
  readonly nodesStatus: { readonly up: number; readonly down: number };
  readonly backends: readonly NodeBalancerBackend[];
}

export interface NodeBalancerView {
  readonly id: number;
  readonly label: string;
  readonly region: string;
  readonly ipv4: string;
  readonly lkeClusterId: number | undefined;
  readonly updated: string;
  readonly configs: readonly NodeBalancerConfigView[];
}
