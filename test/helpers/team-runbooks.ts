// Runbooks a team writes, as the source files its folder holds, for the tests of team folders.

/** A runbook that only reads (JavaScript, a named export): it counts the Ready nodes and changes nothing. */
export const NODES_REPORT = `import { defineRunbook, nodeIsReady } from 'runbook';
export const nodesReport = defineRunbook({
  id: 'nodes-report', title: 'How many nodes are Ready', summary: 'Reads the nodes.', postmortems: [],
  defaultScenario: 'healthy', mutating: false, params: {},
  steps: [{ id: 'count', title: 'Count Ready nodes', explain: 'Lists the nodes.',
    async plan({ read }) {
      const nodes = await read.kube.listNodes();
      return { actions: [], notes: [\`\${nodes.filter(nodeIsReady).length} of \${nodes.length} nodes Ready\`] };
    } }],
});
`;

/** A runbook whose step fails (a DaemonSet it looks for is not there): every run of it stops there. */
export const FAILING_REPORT = `import { defineRunbook } from 'runbook';
export default defineRunbook({
  id: 'exporter-report', title: 'Which nodes run the exporter', summary: 'Reads a DaemonSet.', postmortems: [],
  defaultScenario: 'healthy', mutating: false, params: {},
  steps: [{ id: 'find', title: 'Find the node-exporter DaemonSet', explain: 'Looks it up.',
    async plan() {
      throw new Error('no DaemonSet called node-exporter in namespace monitoring');
    } }],
});
`;
