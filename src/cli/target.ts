// Connects to the cluster and Linode the run will touch, and proves both answer before any step runs:
// an unreachable API server or a refused token stops here, before anything is planned or changed.
import type { ClusterIdentity, LinodeIdentity, Readers, Writers } from '../engine/ports.js';
import {
  type KubeClients,
  connectKube,
  createKubeReader,
  createKubeWriter,
} from '../providers/kubernetes/index.js';
import { connectLinode, createLinodeReader, createLinodeWriter } from '../providers/linode/index.js';

export interface Target {
  /**
   * The Kubernetes clients, for providers that open their own way in (the Postgres port-forward);
   * undefined when the run did not connect the cluster (see run-target.ts).
   */
  readonly kube: KubeClients | undefined;
  readonly read: Readers;
  readonly write: Writers;
  readonly cluster: ClusterIdentity;
  readonly nodes: number;
  readonly linode: LinodeIdentity;
  /** Why the cluster or Linode was not connected, as the header says it; unset when it was. */
  readonly unused?: { readonly cluster?: string; readonly linode?: string };
}

export async function connectTarget(options: {
  kubeconfig?: string;
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<Target> {
  const kube = await connectKube(options);
  const linode = await connectLinode({ env: options.env });
  const read: Readers = { kube: createKubeReader(kube), linode: createLinodeReader(linode) };
  const write: Writers = { kube: createKubeWriter(kube), linode: createLinodeWriter(linode) };
  const nodes = (await read.kube.listNodes()).length;
  const linodeIdentity = await read.linode.identity();
  return { kube, read, write, cluster: kube.identity, nodes, linode: linodeIdentity };
}
