// Server-side table rows of the kinds a team's repository holds (RBAC, networking, batch, CRDs),
// after k8s.io/kubernetes pkg/printers/internalversion, so `kubectl get` shows the real columns.
import type { KubeObject } from '../world.js';
import { selectorString } from './selectors.js';
import type { TableSpec } from './table-format.js';
import { age, col, containerCells, nameCol, num } from './table-format.js';

type Obj = Record<string, unknown>;
const spec = (o: KubeObject): Obj => (o.spec ?? {}) as Obj;
const status = (o: KubeObject): Obj => (o.status ?? {}) as Obj;
/** Roles, ClusterRoles and CRDs print their creation time as RFC 3339, not as an age. */
const createdAt = (o: KubeObject): string =>
  o.metadata.creationTimestamp === undefined
    ? ''
    : new Date(o.metadata.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
const createdAtColumns = [nameCol(), col('Created At', 'date')];
const printBool = (value: unknown): string =>
  typeof value === 'boolean' ? (value ? 'True' : 'False') : '<unset>';
const selectorCell = (selector: unknown): string => selectorString(selector) || '<none>';

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** rbac.SubjectsStrings: users, groups and service accounts (namespace/name) of a binding. */
function bindingRow(b: KubeObject, nowMs: number): unknown[] {
  const roleRef = (b as { roleRef?: { kind?: string; name?: string } }).roleRef ?? {};
  const subjects = (b as { subjects?: Subject[] }).subjects ?? [];
  const names = (kind: string): string =>
    subjects
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name ?? ''}` : (s.name ?? '')))
      .join(', ');
  return [
    b.metadata.name,
    `${roleRef.kind ?? ''}/${roleRef.name ?? ''}`,
    age(b.metadata.creationTimestamp, nowMs),
    names('User'),
    names('Group'),
    names('ServiceAccount'),
  ];
}
const bindingColumns = [
  nameCol(),
  col('Role'),
  col('Age'),
  col('Users', 'string', 1),
  col('Groups', 'string', 1),
  col('ServiceAccounts', 'string', 1),
];

interface IngressRule {
  host?: string;
}

/** formatHosts: up to three hosts, then "+ N more...", or `*` when no rule names one. */
function ingressHosts(rules: IngressRule[]): string {
  const hosts = rules.flatMap((r) => (r.host ? [r.host] : []));
  if (hosts.length === 0) return '*';
  const shown = hosts.slice(0, 3).join(',');
  return hosts.length > 3 ? `${shown} + ${hosts.length - 3} more...` : shown;
}

function ingressAddress(ingress: KubeObject): string {
  const lb = (status(ingress).loadBalancer ?? {}) as { ingress?: Array<{ ip?: string; hostname?: string }> };
  return (lb.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').join(',');
}

const hasCondition = (o: KubeObject, type: string): boolean =>
  ((status(o).conditions ?? []) as Array<{ type?: string; status?: string }>).some(
    (c) => c.type === type && c.status === 'True',
  );

function jobStatus(job: KubeObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: KubeObject): string {
  const s = spec(job);
  const succeeded = num(status(job).succeeded);
  if (typeof s.completions === 'number') return `${succeeded}/${s.completions}`;
  const parallelism = num(s.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, nowMs: number): string {
  const start = status(job).startTime;
  if (typeof start !== 'string') return '';
  const end = status(job).completionTime;
  return age(start, typeof end === 'string' ? Date.parse(end) : nowMs);
}

const wideWorkload = [
  col('Containers', 'string', 1),
  col('Images', 'string', 1),
  col('Selector', 'string', 1),
];

export const REPO_KIND_TABLES: Record<string, TableSpec> = {
  '/serviceaccounts': {
    columns: [nameCol(), col('Secrets', 'integer'), col('Age')],
    row: (sa, nowMs) => [
      sa.metadata.name,
      ((sa as { secrets?: unknown[] }).secrets ?? []).length,
      age(sa.metadata.creationTimestamp, nowMs),
    ],
  },
  'rbac.authorization.k8s.io/roles': {
    columns: createdAtColumns,
    row: (r) => [r.metadata.name, createdAt(r)],
  },
  'rbac.authorization.k8s.io/clusterroles': {
    columns: createdAtColumns,
    row: (r) => [r.metadata.name, createdAt(r)],
  },
  'rbac.authorization.k8s.io/rolebindings': { columns: bindingColumns, row: bindingRow },
  'rbac.authorization.k8s.io/clusterrolebindings': { columns: bindingColumns, row: bindingRow },
  'networking.k8s.io/ingresses': {
    columns: [nameCol(), col('Class'), col('Hosts'), col('Address'), col('Ports'), col('Age')],
    row: (ing, nowMs) => {
      const s = spec(ing) as { ingressClassName?: string; rules?: IngressRule[]; tls?: unknown[] };
      return [
        ing.metadata.name,
        s.ingressClassName ?? '<none>',
        ingressHosts(s.rules ?? []),
        ingressAddress(ing),
        (s.tls ?? []).length > 0 ? '80, 443' : '80',
        age(ing.metadata.creationTimestamp, nowMs),
      ];
    },
  },
  'networking.k8s.io/ingressclasses': {
    columns: [nameCol(), col('Controller'), col('Parameters'), col('Age')],
    row: (ic, nowMs) => {
      const s = spec(ic) as {
        controller?: string;
        parameters?: { apiGroup?: string; kind?: string; name?: string };
      };
      const p = s.parameters;
      const kind = p?.apiGroup ? `${p.kind ?? ''}.${p.apiGroup}` : (p?.kind ?? '');
      return [
        ic.metadata.name,
        s.controller ?? '',
        p === undefined ? '<none>' : `${kind}/${p.name ?? ''}`,
        age(ic.metadata.creationTimestamp, nowMs),
      ];
    },
  },
  'networking.k8s.io/networkpolicies': {
    columns: [nameCol(), col('Pod-Selector'), col('Age')],
    row: (np, nowMs) => [
      np.metadata.name,
      selectorString(spec(np).podSelector) || '<none>',
      age(np.metadata.creationTimestamp, nowMs),
    ],
  },
  'batch/jobs': {
    columns: [nameCol(), col('Status'), col('Completions'), col('Duration'), col('Age'), ...wideWorkload],
    row: (job, nowMs) => [
      job.metadata.name,
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, nowMs),
      age(job.metadata.creationTimestamp, nowMs),
      ...containerCells(spec(job).template),
      selectorCell(spec(job).selector),
    ],
  },
  'batch/cronjobs': {
    columns: [
      nameCol(),
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      col('Age'),
      ...wideWorkload,
    ],
    row: (cj, nowMs) => {
      const s = spec(cj) as {
        schedule?: string;
        timeZone?: string;
        suspend?: boolean;
        jobTemplate?: { spec?: Obj };
      };
      const last = status(cj).lastScheduleTime;
      return [
        cj.metadata.name,
        s.schedule ?? '',
        s.timeZone ?? '<none>',
        printBool(s.suspend),
        ((status(cj).active ?? []) as unknown[]).length,
        typeof last === 'string' ? age(last, nowMs) : '<none>',
        age(cj.metadata.creationTimestamp, nowMs),
        ...containerCells(s.jobTemplate?.spec?.template),
        selectorCell(s.jobTemplate?.spec?.selector),
      ];
    },
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: createdAtColumns,
    row: (crd) => [crd.metadata.name, createdAt(crd)],
  },
};
