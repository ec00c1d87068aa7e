// Everything a runbook can change, as data. Steps return these; only the executor performs them.

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

export interface ApplyAction {
  readonly kind: 'k8s.apply';
  readonly manifest: KubeManifest;
  /** Where the manifest came from, as the operator would recognise it. */
  readonly source: string;
}

export interface VolumeDetachAction {
  readonly kind: 'linode.volume.detach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

export interface VolumeAttachAction {
  readonly kind: 'linode.volume.attach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

export type Action =
  | ScaleAction
  | DeleteDeploymentAction
  | ForceDeletePodAction
  | ApplyAction
  | VolumeDetachAction
  | VolumeAttachAction;

export type ActionKind = Action['kind'];

/** A Kubernetes object as it would be applied: apiVersion, kind, metadata and the rest. */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}
