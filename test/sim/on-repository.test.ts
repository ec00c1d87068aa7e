// Every postmortem's night played on the team-repo fixture: each scenario finds its target among the
// loaded workloads and opens on an incident (its recovered check fails until someone acts).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nightLoader } from '../../src/sim/load-night.js';
import { SCENARIOS, findScenario } from '../../src/sim/scenarios/index.js';
import { startSimulator } from '../../src/sim/server.js';

const TEAM_REPO = join(import.meta.dirname, '..', 'fixtures', 'team-repo');

const TARGETS: Record<string, RegExp> = {
  '2020-12-11-postgres-conn-surge': /^Deployment default\/postgres$/,
  '2021-01-12-site-cpu-ram-exhaustion': /^Deployment default\/postgres$/,
  '2021-01-10-primary-kubernetes-node-outage': /^node \S+$/,
  '2021-07-11-cascading-node-failures': /^node \S+$/,
  '2021-01-30-nodebalancer-fails-memory':
    /^Service default\/site \(NodeBalancer ccm-[0-9a-f]{12}\) and node \S+$/,
  '2020-12-11-all-services-outage': /^the LKE system workloads/,
  '2021-07-11-redis-out-of-memory': /^StatefulSet default\/redis$/,
};

describe("every night on the team's repository", () => {
  for (const scenario of SCENARIOS.filter((s) => s.runbook !== undefined)) {
    it(`${scenario.name} strikes its target and opens on the incident`, async () => {
      const mapped = nightLoader(scenario, TEAM_REPO);
      assert.ok(mapped.ok, mapped.ok ? '' : mapped.why);
      const sim = await startSimulator({ world: mapped.value.loader, speed: 'instant' });
      try {
        const night = mapped.value.night();
        assert.ok(typeof night !== 'string', typeof night === 'string' ? night : '');
        assert.match(night.target, TARGETS[scenario.name] ?? /^$/);
        const check = night.scenario.recovered(sim.world);
        assert.equal(check.ok, false, `already recovered: ${check.detail}`);
      } finally {
        await sim.stop();
      }
    });
  }
});

describe('a repository whose Postgres is a StatefulSet (bitnami/postgresql)', () => {
  const repo = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-pg-sts-'));
    writeFileSync(
      join(dir, 'db.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: StatefulSet',
        'metadata: {name: db, namespace: default}',
        'spec:',
        '  serviceName: db',
        '  replicas: 1',
        '  selector: {matchLabels: {app: db}}',
        '  template:',
        '    metadata: {labels: {app: db}}',
        '    spec:',
        '      containers:',
        '      - {name: postgresql, image: "docker.io/bitnami/postgresql:16", volumeMounts: [{name: data, mountPath: /bitnami}]}',
        '  volumeClaimTemplates:',
        '  - metadata: {name: data}',
        '    spec: {accessModes: [ReadWriteOnce], storageClassName: linode-block-storage, resources: {requests: {storage: 10Gi}}}',
        '',
      ].join('\n'),
    );
    return dir;
  };

  it('the surge, which postgres-remount ends on a Deployment only, is refused naming it', () => {
    const scenario = findScenario('2020-12-11-postgres-conn-surge');
    assert.ok(scenario !== undefined);
    const mapped = nightLoader(scenario, repo());
    assert.equal(mapped.ok, false);
    assert.match(
      mapped.ok ? '' : mapped.why,
      /ended by postgres-remount, which takes a Postgres Deployment down and back, and the repository's Postgres is StatefulSet default\/db\.$/,
    );
  });

  it('the OOM kill strikes it, through its claim template', async () => {
    const scenario = findScenario('2021-01-12-site-cpu-ram-exhaustion');
    assert.ok(scenario !== undefined);
    const mapped = nightLoader(scenario, repo());
    assert.ok(mapped.ok, mapped.ok ? '' : mapped.why);
    const sim = await startSimulator({ world: mapped.value.loader, speed: 'instant' });
    try {
      const night = mapped.value.night();
      assert.ok(typeof night !== 'string', typeof night === 'string' ? night : '');
      assert.equal(night.target, 'StatefulSet default/db');
      assert.equal(night.scenario.recovered(sim.world).ok, false);
    } finally {
      await sim.stop();
    }
  });
});
