// nodebalancer-check: which NodeBalancer backends are DOWN, set against the cluster's nodes and node
// ports, and since when. On 2021-01-30 the NodeBalancer reported all four backends (two nodes, ports
// 80 and 443) DOWN, flapping, while a node was under memory pressure; this reads what was checked
// by hand in the Linode Cloud Manager and kubectl that day. Changes nothing.
import { RunbookError, notFound } from '../src/engine/errors.js';
import { text } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { type DownBackend, backendReport, clusterNode } from './nodebalancer-check/report.js';

export const nodeBalancerCheck = defineRunbook({
  id: 'nodebalancer-check',
  title: 'NodeBalancer backends against the cluster: what is DOWN, and since when',
  summary:
    'For traffic that no longer reaches the cluster (2021-01-30): which NodeBalancer backends are DOWN, ' +
    'which node and Service each points at, and how those nodes are doing. Read-only.',
  postmortems: ['2021-01-30-nodebalancer-fails-memory'],
  defaultScenario: '2021-01-30-nodebalancer-fails-memory',
  mutating: false,
  params: {
    label: text({
      description: 'only the NodeBalancer with this label (default: every NodeBalancer of the account)',
      pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/,
      expected: 'a NodeBalancer label (letters, digits, -, _ and .)',
      placeholder: '<label>',
    }),
  },
})
  .step({
    id: 'cluster-nodes',
    title: "The cluster's nodes: address, Ready, pressure, since when",
    explain:
      'Reads every node: its InternalIP (what NodeBalancer backends point at), whether it is Ready and under ' +
      'memory, disk or PID pressure, and since when. Changes nothing.',
    async plan({ read }) {
      const found = (await read.kube.listNodes()).map(clusterNode);
      return {
        actions: [],
        notes: found.map((n) => `node ${n.name} ${n.ip ?? 'no InternalIP'}: ${n.state}`),
        facts: { nodes: found },
      };
    },
  })
  .step({
    id: 'backends',
    title: 'Every NodeBalancer backend against the nodes and node ports',
    explain:
      'Reads each NodeBalancer (or the one named with --label; none there: exit 15), its configs and their ' +
      'backends from the Linode ' +
      'API, and sets each backend against the node with its address and the Service with its node port. ' +
      'Changes nothing.',
    async plan({ params, facts, read }) {
      const all = await read.linode.listNodeBalancers();
      const chosen = params.label === undefined ? all : all.filter((nb) => nb.label === params.label);
      if (params.label !== undefined && chosen.length === 0) {
        throw notFound(
          `There is no NodeBalancer labelled ${params.label}.`,
          `The account has: ${all.map((nb) => nb.label).join(', ') || 'none'}.`,
        );
      }
      // Asked about every NodeBalancer and the account has none: not exit 0 either. This runbook is run
      // because traffic does not reach the cluster, often by a script or an alert that reads exit 0 as
      // "the NodeBalancers are fine"; with none, nothing was checked and nothing is fine. The usual causes
      // (a token of another account, the LoadBalancer Service gone) are findings, so the same code as a
      // named one that is missing: what was to be checked is not there.
      if (all.length === 0) {
        throw notFound(
          'This Linode account has no NodeBalancer: there is no backend to check.',
          'A cluster gets its NodeBalancer from a Service of type LoadBalancer: check it is there with an external IP (kubectl get svc -A), and that LINODE_TOKEN belongs to the account of this cluster.',
        );
      }
      const report = backendReport(chosen, facts.nodes, await read.kube.listNodePorts());
      return {
        actions: [],
        notes: report.notes,
        facts: { down: report.down, backends: report.backends, checked: chosen.map((nb) => nb.label) },
      };
    },
  })
  .step({
    id: 'since-when',
    title: 'Since when: the NodeBalancer events at Linode',
    explain:
      'Linode keeps no history of backend status, only the status now. This shows the newest events of each ' +
      'NodeBalancer with a DOWN backend (config and node updates, e.g. from the cluster) beside the node ' +
      'conditions above, which say since when each node has been Ready or under pressure. Changes nothing.',
    async plan({ facts, read }) {
      const ids = [...new Set(facts.down.map((d) => d.nodeBalancerId))];
      const notes: string[] = [];
      for (const id of ids) {
        const events = await read.linode.recentEvents('nodebalancer', id);
        notes.push(
          events.length === 0
            ? `NodeBalancer ${id}: no events at Linode (backend status changes are not events)`
            : `NodeBalancer ${id}: newest events:`,
          ...events
            .slice(0, 5)
            .map((e) => `  ${e.created} ${e.action} ${e.status}${e.username ? ` by ${e.username}` : ''}`),
        );
      }
      if (ids.length === 0) notes.push('no backend is DOWN');
      return { actions: [], notes };
    },
  })
  .step({
    id: 'verdict',
    title: 'Verdict: are all backends UP?',
    explain:
      'Ends the run with exit 0 when every backend is UP, or exit 1 with what to do next: no backend at all, or ' +
      'backends DOWN on ' +
      'Ready nodes point at the NodeBalancer itself (2021-01-30: Linode migrated it), on nodes under pressure or ' +
      'NotReady at the nodes.',
    plan({ facts }) {
      const down = facts.down;
      const checked = facts.checked;
      if (facts.backends === 0)
        throw new RunbookError(
          'step-failed',
          `NodeBalancer ${checked.join(', ')} has no backend: its traffic reaches no node.`,
          {
            next: 'The cloud controller keeps the backends in step with the nodes behind the Service of type LoadBalancer: check that Service (kubectl get svc -A) and that its nodes are Ready.',
          },
        );
      if (down.length === 0)
        return Promise.resolve({
          actions: [],
          notes: [`every backend is UP (${facts.backends} of ${checked.join(', ')})`],
        });
      const nodesByName = new Map(facts.nodes.map((n) => [n.name, n]));
      const healthy = (d: DownBackend): boolean => {
        const node = d.node === undefined ? undefined : nodesByName.get(d.node);
        return node !== undefined && node.ready && !node.state.includes('Pressure');
      };
      const sick = [...new Set(down.filter((d) => !healthy(d)).map((d) => d.node ?? d.address))];
      const list = down.map((d) => `${d.nodeBalancer}:${d.port} ${d.address}`).join(', ');
      const relieve =
        sick.length === 0
          ? ''
          : ` Relieve ${sick.join(', ')} (runbook resource-limits-audit shows what crowds a node; runbook node-drain moves work off one).`;
      throw new RunbookError('step-failed', `${down.length} NodeBalancer backend(s) DOWN: ${list}.`, {
        next: down.some(healthy)
          ? `Backends are DOWN on healthy nodes too, so the NodeBalancer itself is suspect: open a Linode support ticket naming NodeBalancer ${[...new Set(down.map((d) => d.nodeBalancerId))].join(', ')} and this output (on 2021-01-30 Linode migrated it to a new machine).${relieve} Then run this check again.`
          : `Every DOWN backend is on a node in trouble.${relieve} Then run this check again; if backends stay DOWN on healthy nodes, open a Linode support ticket.`,
      });
    },
  });
