// The waves of core-services-restart as data: which workloads belong to each stage of the dependency
// order (network, dns, storage, stateful, apps). Built in for the LKE layout; --waves <file> (YAML or
// JSON) gives a team's own, e.g.  dns: [kube-system/deployment/coredns]
import { invalidParameter } from '../../src/engine/errors.js';
import type { WorkloadKind, WorkloadRef } from '../../src/engine/ports.js';
import { readYamlParam } from '../yaml-param.js';

export const STAGES = ['network', 'dns', 'storage', 'stateful', 'apps'] as const;
export type Stage = (typeof STAGES)[number];
export type Waves = Readonly<Record<Stage, readonly WorkloadRef[]>>;

/** At most this many workloads restart together in one wave: split a longer wave across stages. */
export const MAX_PER_WAVE = 12;

const ref = (namespace: string, kind: WorkloadKind, name: string): WorkloadRef => ({ namespace, kind, name });

/** LKE: Calico, CoreDNS and the Linode CSI driver in kube-system; then Postgres and Redis; then site and bot. */
export const DEFAULT_WAVES: Waves = {
  network: [ref('kube-system', 'DaemonSet', 'calico-node')],
  dns: [ref('kube-system', 'Deployment', 'coredns')],
  storage: [
    ref('kube-system', 'DaemonSet', 'csi-linode-node'),
    ref('kube-system', 'StatefulSet', 'csi-linode-controller'),
  ],
  stateful: [ref('default', 'Deployment', 'postgres'), ref('default', 'Deployment', 'redis')],
  apps: [ref('default', 'Deployment', 'site'), ref('default', 'Deployment', 'bot')],
};

const KINDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment',
  daemonset: 'DaemonSet',
  statefulset: 'StatefulSet',
};

export const refText = (r: WorkloadRef): string => `${r.namespace}/${r.kind.toLowerCase()}/${r.name}`;

function parseRef(text: unknown, file: string, stage: string): WorkloadRef {
  const parts = typeof text === 'string' ? text.split('/') : [];
  const [namespace, kind, name] = parts;
  const known = kind === undefined ? undefined : KINDS[kind.toLowerCase()];
  if (parts.length !== 3 || namespace === undefined || name === undefined || known === undefined) {
    throw invalidParameter(
      `--waves ${file}: "${String(text)}" in ${stage} is not namespace/kind/name with kind deployment, daemonset or statefulset.`,
    );
  }
  return ref(namespace, known, name);
}

export async function loadWaves(file: string | undefined): Promise<Waves> {
  if (file === undefined) return DEFAULT_WAVES;
  const data = await readYamlParam('--waves', file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidParameter(
      `--waves ${file} must map stages (${STAGES.join(', ')}) to lists of namespace/kind/name.`,
    );
  }
  const record = data as Record<string, unknown>;
  const unknownStage = Object.keys(record).find((k) => !(STAGES as readonly string[]).includes(k));
  if (unknownStage !== undefined) {
    throw invalidParameter(`--waves ${file}: "${unknownStage}" is not a stage; use ${STAGES.join(', ')}.`);
  }
  const waves = {} as Record<Stage, WorkloadRef[]>;
  for (const stage of STAGES) {
    const list = record[stage] ?? [];
    if (!Array.isArray(list)) throw invalidParameter(`--waves ${file}: ${stage} must be a list.`);
    if (list.length > MAX_PER_WAVE) {
      throw invalidParameter(
        `--waves ${file}: ${stage} lists ${list.length} workloads; at most ${MAX_PER_WAVE} restart together.`,
      );
    }
    waves[stage] = list.map((item) => parseRef(item, file, stage));
  }
  return waves;
}
