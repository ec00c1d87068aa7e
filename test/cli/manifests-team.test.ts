// `runbook manifests serve` and the team's runbooks: a routed one's read-only needs are granted (derived
// from the kinds it declares, as `runbook rbac` derives them); a routed one that declares none is
// refused in one sentence naming it and what to declare; an unrouted one is not granted anything.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import { servedRunbooks } from '../../src/cli/commands/manifests.js';
import { NODES_REPORT } from '../helpers/team-runbooks.js';

const folder = mkdtempSync(join(tmpdir(), 'runbook-team-manifests-'));
/** Lists the PersistentVolumes (a read serve's twin makes too: no built-in's read is missing today). */
const VOLUMES_REPORT = `import { defineRunbook } from 'runbook';
export const volumesReport = defineRunbook({
  id: 'volumes-report', title: 'Count the volumes', summary: 'Lists the PersistentVolumes.', postmortems: [],
  defaultScenario: 'healthy', mutating: false, params: {},
  kinds: { actions: [], waits: [], applies: [], reads: { kube: ['listPersistentVolumes'], linode: [] } },
  steps: [{ id: 'count', title: 'Count', explain: 'Lists the volumes.',
    async plan({ read }) { const pvs = await read.kube.listPersistentVolumes(); return { actions: [], notes: [String(pvs.length)] }; } }],
});
`;
writeFileSync(join(folder, 'volumes-report.mjs'), VOLUMES_REPORT);
writeFileSync(join(folder, 'nodes-report.mjs'), NODES_REPORT);

/** A project whose runbook.config.yaml routes an alert to each of these runbooks. */
function project(runbooks: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-team-manifests-project-'));
  const routes = runbooks.flatMap((id, i) => [`  - alert: Alert${i}`, `    runbook: ${id}`]);
  writeFileSync(
    join(dir, 'runbook.config.yaml'),
    [`runbooksFolder: ${folder}`, ...(routes.length === 0 ? [] : ['alerts:', ...routes]), ''].join('\n'),
  );
  return dir;
}

async function cli(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const env = { PATH: process.env.PATH ?? '', RUNBOOK_LOCK_NAMESPACE: 'ops' };
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env, cwd });
  return { code, stdout: out, stderr: err };
}

interface Doc {
  kind: string;
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}
const docsOf = (text: string): Doc[] => parseAllDocuments(text).map((d) => d.toJS() as Doc);
const rulesOf = (docs: Doc[], kind: string): unknown => docs.find((d) => d.kind === kind)?.rules;
const volumeVerbs = (docs: Doc[]): string[] =>
  docs.find((d) => d.kind === 'ClusterRole')?.rules?.find((r) => r.resources[0] === 'persistentvolumes')
    ?.verbs ?? [];

describe("runbook manifests serve and the team's runbooks", () => {
  it('grants a routed team runbook the reads its kinds declare, as `runbook rbac --read-only` does', async () => {
    const cwd = project(['volumes-report']);
    const manifests = await cli(['manifests', 'serve', '--namespace', 'ops'], cwd);
    assert.equal(manifests.code, 0, manifests.stderr);
    const served = servedRunbooks().map((r) => r.id);
    const rbac = await cli(
      [
        'rbac',
        ...served,
        'volumes-report',
        '--read-only',
        '--namespace',
        'ops',
        '--service-account',
        'runbook-serve',
      ],
      cwd,
    );
    assert.equal(rbac.code, 0, rbac.stderr);
    const [ours, theirs] = [docsOf(manifests.stdout), docsOf(rbac.stdout)];
    for (const kind of ['Role', 'ClusterRole'])
      assert.deepEqual(rulesOf(ours, kind), rulesOf(theirs, kind), kind);
    assert.ok(volumeVerbs(ours).includes('list'));
  });

  it('is not refused for a team runbook without kinds that no route names (serve never dry-runs it)', async () => {
    const { code, stdout, stderr } = await cli(['manifests', 'serve'], project([]));
    assert.equal(code, 0, stderr);
    assert.ok(docsOf(stdout).some((d) => d.kind === 'ClusterRole'));
  });

  it('refuses a routed team runbook that declares no kinds, in one sentence naming it and what to declare', async () => {
    const { code, stdout, stderr } = await cli(
      ['manifests', 'serve'],
      project(['volumes-report', 'nodes-report']),
    );
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^✖ The team's runbook "nodes-report" is routed \(.*runbook\.config\.yaml\) but declares no kinds, so serve's read-only permissions for it cannot be derived: add `kinds: \{ actions/,
    );
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  });
});
