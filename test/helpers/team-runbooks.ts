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
