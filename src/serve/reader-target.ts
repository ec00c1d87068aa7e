// The receiver's view of the live world: readers only. No Kubernetes or Linode writer is ever built,
// so no change (not even a server-side dry run) can leave `runbook serve`, by construction.
import { absentProvider } from '../cli/absent-provider.js';
import type { Target } from '../cli/target.js';
import type { KubeWriter, LinodeWriter, PostgresWriter, Readers } from '../engine/ports.js';
import { connectKube, createKubeReader } from '../providers/kubernetes/index.js';
import { connectLinode, createLinodeReader } from '../providers/linode/index.js';

const WHY = 'runbook serve only reads: it holds no writer';

export const noWriters = {
  kube: absentProvider<KubeWriter>('the cluster', WHY),
  linode: absentProvider<LinodeWriter>('the Linode API', WHY),
  postgres: absentProvider<PostgresWriter>('Postgres', WHY),
};

export async function connectReaders(options: {
  kubeconfig?: string;
  context?: string;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<Target> {
  const kube = await connectKube(options);
  const linode = await connectLinode({ env: options.env });
  const read: Readers = { kube: createKubeReader(kube), linode: createLinodeReader(linode) };
  const nodes = (await read.kube.listNodes()).length;
  const identity = await read.linode.identity();
  return {
    kube,
    read,
    write: { kube: noWriters.kube, linode: noWriters.linode },
    cluster: kube.identity,
    nodes,
    linode: identity,
  };
}
