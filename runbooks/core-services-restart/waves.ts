// The waves of core-services-restart as data: which workloads belong to each stage of the dependency
// order (network, dns, storage, stateful, apps). Built in for the LKE layout; --waves <file> (YAML or
// JSON) gives a team's own, e.g.  dns: [kube-system/deployment/coredns]
import { invalidParameter } from '../../src/engine/errors.js';
import type { Readers, WorkloadKind, WorkloadRef } from '../../src/engine/ports.js';
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

/**
 * Where the waves come from without --waves: `lke` is the built-in layout (LKE's kube-system, then the
 * 2020-12-11 cluster's Postgres, Redis, site and bot); `cluster` keeps LKE's core services and reads the
 * stateful and app waves from the team's own namespaces (and --manifests: what the cluster lost).
 */
export const LAYOUTS = ['lke', 'cluster'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The namespaces of the cluster's own services, never a team's. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

interface TemplateSpec {
  template?: { spec?: { volumes?: Array<{ persistentVolumeClaim?: unknown }> } };
  volumeClaimTemplates?: unknown[];
}

/** Whether a workload manifest's pods mount a claim (a StatefulSet always counts as stateful). */
function mountsClaim(kind: string, spec: unknown): boolean {
  const s = (spec ?? {}) as TemplateSpec;
  return (
    kind === 'StatefulSet' ||
    (s.template?.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim !== undefined)
  );
}

/** The `cluster` layout: LKE's core waves, then every team workload, stateful first (by claim). */
export async function clusterWaves(
  read: Readers,
  lost: ReadonlyArray<{
    manifest: { kind: string; metadata: { name: string; namespace?: string }; spec?: unknown };
  }>,
): Promise<Waves> {
  const views = (await read.kube.listWorkloads('all')).filter(
    (v) => !SYSTEM_NAMESPACES.has(v.ref.namespace) && v.ref.kind !== 'DaemonSet',
  );
  const claimUsers = new Set<string>();
  for (const namespace of [...new Set(views.map((v) => v.ref.namespace))].sort())
    for (const user of await read.kube.listClaimUsers(namespace)) claimUsers.add(refText(user.target));
  const stateful: WorkloadRef[] = [];
  const apps: WorkloadRef[] = [];
  const seen = new Set<string>();
  for (const view of views) {
    seen.add(refText(view.ref));
    if (view.ref.kind === 'StatefulSet' || claimUsers.has(refText(view.ref))) stateful.push(view.ref);
    else apps.push(view.ref);
  }
  // What the team's manifests hold and the cluster lost: its wave re-creates it.
  for (const { manifest } of lost) {
    const kind = KINDS[manifest.kind.toLowerCase()];
    const namespace = manifest.metadata.namespace ?? 'default';
    if (kind === undefined || kind === 'DaemonSet' || SYSTEM_NAMESPACES.has(namespace)) continue;
    const r = ref(namespace, kind, manifest.metadata.name);
    if (seen.has(refText(r))) continue;
    seen.add(refText(r));
    (mountsClaim(kind, manifest.spec) ? stateful : apps).push(r);
  }
  const byName = (a: WorkloadRef, b: WorkloadRef): number => refText(a).localeCompare(refText(b));
  return { ...DEFAULT_WAVES, stateful: stateful.sort(byName), apps: apps.sort(byName) };
}
