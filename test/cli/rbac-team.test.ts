// `runbook rbac` on a team's runbook (loaded from the team's runbooks folder): derived from the kinds
// it declares in its own defineRunbook({ kinds }), or refused in one sentence saying what to declare.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type InProcessResult, runInProcess } from '../helpers/in-process-cli.js';
import { NODES_REPORT } from '../helpers/team-runbooks.js';

const folder = mkdtempSync(join(tmpdir(), 'runbook-team-rbac-'));
const CORDON_WEB = `import { defineRunbook } from 'runbook';
export const cordonWeb = defineRunbook({
  id: 'cordon-web', title: 'Cordon the web node', summary: 'Cordons it.', postmortems: [],
  defaultScenario: 'healthy', mutating: true, params: {},
  kinds: { actions: ['k8s.cordon'], waits: [], applies: [], reads: { kube: ['getNode'], linode: [] } },
  steps: [{ id: 'cordon', title: 'Cordon', explain: 'Cordons the node.',
    async plan({ read }) { await read.kube.getNode('web'); return { actions: [] }; } }],
});
`;
writeFileSync(join(folder, 'cordon-web.mjs'), CORDON_WEB);
writeFileSync(join(folder, 'nodes-report.mjs'), NODES_REPORT);

const rbac = (args: readonly string[]): Promise<InProcessResult> =>
  runInProcess(['--runbooks', folder, 'rbac', ...args]);

interface Doc {
  kind: string;
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}

describe('runbook rbac on a team runbook', () => {
  it('derives its Role from the kinds it declares', async () => {
    const { code, stdout, stderr } = await rbac(['cordon-web']);
    assert.equal(code, 0, stderr);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Doc);
    const nodes = docs.find((d) => d.kind === 'ClusterRole')?.rules?.find((r) => r.resources[0] === 'nodes');
    assert.ok(nodes?.verbs.includes('patch') && nodes.verbs.includes('get'), stdout);
  });

  it('refuses one that declares none, saying in one sentence what to declare', async () => {
    const { code, stdout, stderr } = await rbac(['nodes-report']);
    assert.notEqual(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /declares no kinds, so its permissions cannot be derived: add `kinds: \{ actions/);
  });
});
