// strategy=recreate: what was typed on 2020-12-11 (delete the deployment, re-apply its manifest).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

interface Deployment {
  metadata: { uid?: string; labels?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  status?: { readyReplicas?: number };
}

const readDeployment = (h: SimHarness): Deployment | undefined =>
  h.get<Deployment>('apps/v1', 'Deployment', 'default', 'postgres');

describe('postgres-remount --strategy recreate', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('deletes the deployment and re-applies it as it was read', async () => {
    const before = readDeployment(h);
    const result = await runCli(['postgres-remount', '--yes', '--strategy', 'recreate'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /delete deployment default\/postgres {2}\[destructive\]/);
    assert.match(
      result.stdout,
      /equivalent: kubectl -n default apply --server-side -f deployment default\/postgres as read/,
    );
    const after = readDeployment(h);
    assert.ok(after !== undefined);
    assert.notEqual(after.metadata.uid, before?.metadata.uid, 'a new deployment');
    assert.equal(after.status?.readyReplicas, 1);
    assert.equal(
      after.spec.template.spec.containers[0]?.image,
      before?.spec.template.spec.containers[0]?.image,
    );
    const applied = h
      .mutations()
      .filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/postgres'));
    assert.equal(applied.length, 1);
    assert.equal(applied[0]?.query.fieldManager, 'runbook');
  });

  it('re-applies a manifest file given with --manifest, and refuses one without the deployment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-manifest-'));
    const current = readDeployment(h);
    assert.ok(current !== undefined);
    const manifest = join(dir, 'deployment.yaml');
    const image = 'postgres:13.4-alpine';
    writeFileSync(
      manifest,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: postgres, namespace: default, labels: {app: postgres}}',
        'spec:',
        '  replicas: 1',
        '  strategy: {type: Recreate}',
        '  selector: {matchLabels: {app: postgres}}',
        '  template:',
        '    metadata: {labels: {app: postgres}}',
        '    spec:',
        '      containers:',
        `      - {name: postgres, image: "${image}", volumeMounts: [{name: postgres-data, mountPath: /var/lib/postgresql/data}]}`,
        '      volumes:',
        '      - {name: postgres-data, persistentVolumeClaim: {claimName: postgres-storage}}',
        '',
      ].join('\n'),
    );
    const result = await runCli(
      ['postgres-remount', '--yes', '--strategy', 'recreate', '--manifest', manifest],
      {
        env: h.env(),
      },
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(readDeployment(h)?.spec.template.spec.containers[0]?.image, image);
    assert.equal(readDeployment(h)?.status?.readyReplicas, 1);

    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'apiVersion: v1\nkind: Service\nmetadata: {name: postgres}\n');
    const before = h.mutations().length;
    const refused = await runCli(
      ['postgres-remount', '--yes', '--strategy', 'recreate', '--manifest', other],
      {
        env: h.env(),
      },
    );
    assert.equal(refused.exitCode, 3);
    assert.match(refused.stderr, /has no Deployment named postgres/);
    assert.equal(h.mutations().length, before);
  });
});
