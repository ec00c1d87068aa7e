// resource-limits-audit: which workloads run without CPU/memory requests or limits, and how each
// node's requests and limits compare with what it can allocate. On 2021-01-12 site, with no limits,
// took 1.5 GB and the OOM killer took Postgres; on 2021-01-10 a node's load could not fit on the
// survivor. Optionally applies requests and limits from a file (--apply), confirmed and dry-run-able.
import { filePath, integer, text } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { checkApplied, planApply } from './resource-limits-audit/apply.js';
import { allocationNotes, unboundedNotes } from './resource-limits-audit/report.js';

export interface AuditParams {
  namespaces: string | undefined;
  apply: string | undefined;
  timeout: number;
}

const namespacesOf = (params: AuditParams): string[] | 'all' =>
  params.namespaces === undefined ? 'all' : params.namespaces.split(',').map((n) => n.trim());

export const resourceLimitsAudit = defineRunbook({
  id: 'resource-limits-audit',
  title: 'Workloads without requests or limits, and node allocation against capacity',
  summary:
    'For a node starved by one workload (2021-01-12: site took 1.5 GB and Postgres was OOM-killed): what runs ' +
    'unbounded and how full each node is; optionally applies requests and limits from a file.',
  postmortems: ['2021-01-12-site-cpu-ram-exhaustion', '2021-01-10-primary-kubernetes-node-outage'],
  defaultScenario: '2021-01-12-site-cpu-ram-exhaustion',
  mutating: true,
  readsOnlyWhen: (params) => params.apply === undefined,
  params: {
    namespaces: text({
      description: 'comma-separated namespaces to audit (default: every namespace)',
      pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      expected: 'a comma-separated list of namespaces',
      placeholder: '<ns,...>',
    }),
    apply: filePath({
      description:
        'YAML or JSON list of { workload: namespace/kind/name, container, requests, limits } to apply',
    }),
    timeout: integer({
      description: 'seconds to wait for each changed workload to be Ready',
      default: 300,
      min: 10,
      max: 3600,
    }),
  },
})
  .step({
    id: 'unbounded-workloads',
    title: 'Workloads without CPU or memory requests or limits',
    explain:
      'Reads every Deployment, DaemonSet and StatefulSet (of --namespaces, default all; paged) and names each ' +
      'container without a memory limit, a memory request or a cpu request. Changes nothing.',
    async plan({ params, read }) {
      const scope = namespacesOf(params);
      const workloads =
        scope === 'all'
          ? await read.kube.listWorkloads('all')
          : (await Promise.all(scope.map((n) => read.kube.listWorkloads(n)))).flat();
      return { actions: [], notes: unboundedNotes(workloads).notes };
    },
  })
  .step({
    id: 'node-allocation',
    title: 'Node allocation: requests and limits against capacity',
    explain:
      'Adds up the cpu and memory requests and the memory limits of the pods on each node (all namespaces, ' +
      'paged) against what the node can allocate, and says which nodes are overcommitted. Changes nothing.',
    async plan({ read }) {
      const { notes } = allocationNotes(await read.kube.listNodes(), await read.kube.listAllPods());
      return { actions: [], notes };
    },
  })
  .step({
    id: 'apply-resources',
    title: 'Apply the requests and limits of --apply <file>',
    explain:
      "Only with --apply: sets each listed container's requests and limits (kubectl set resources), one " +
      'workload per patch, then waits until each has rolled out and is Ready. Asks first; an entry already in ' +
      'place plans nothing. The file: a list of { workload: namespace/kind/name, container, requests, limits }.',
    plan({ params, read }) {
      if (params.apply === undefined)
        return Promise.resolve({
          actions: [],
          notes: ['nothing to apply: give requests and limits with --apply <file>'],
        });
      return planApply(read, params.apply, params.timeout * 1000);
    },
    verify({ params, read }) {
      if (params.apply === undefined) return Promise.resolve({ ok: true, detail: 'nothing was applied' });
      return checkApplied(read, params.apply);
    },
  });
