// Fidelity is measured: every object the simulator serves, in every scenario and in a loaded team
// repository, validates against the official Kubernetes OpenAPI schema. The schemas come from
// kubernetes-models 4.5.1, generated from Kubernetes 1.33's published OpenAPI: no release of the
// package carries 1.32 (4.4.x predates 1.30), and the simulator reports v1.32.5, so its objects are
// checked against 1.33, whose changes to these kinds are added optional fields. Custom resources are
// checked against their CRD's openAPIV3Schema; groups the core OpenAPI leaves out are skipped by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestsLoader } from '../../src/sim/load.js';
import { settle } from '../../src/sim/scenario.js';
import { SCENARIOS, findScenario } from '../../src/sim/scenarios/index.js';
import { type WorldLoader, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { ROOT } from '../helpers/cli.js';
import { builtinValidator } from './schema/builtin.js';
import { validateStrictly } from './schema/strict.js';
import { SKIPPED_GROUPS, type WalkResult, validateEverything } from './schema/walk.js';
import { WRITTEN } from './schema/written.js';

async function walk(loader: WorldLoader): Promise<WalkResult> {
  const sim = await startSimulator({ world: loader, speed: 'instant' });
  try {
    return await validateEverything(sim.url);
  } finally {
    await sim.stop();
  }
}

function assertValid(result: WalkResult): void {
  assert.deepEqual(result.failures, [], `${result.failures.length} findings:\n${result.failures.join('\n')}`);
  for (const [where, reason] of Object.entries(result.skipped))
    assert.ok(Object.values(SKIPPED_GROUPS).includes(reason), `${where} skipped without a named reason`);
}

describe('every object the simulator serves validates against the Kubernetes OpenAPI schema', () => {
  it('the checker finds wrong types, bad enums, unknown fields, nulls and missing required fields', async () => {
    const validate = await builtinValidator('apps/v1', 'Deployment');
    assert.ok(validate);
    const findings = validateStrictly(validate, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'site', labels: { app: 'site' }, owner: 'me' },
      spec: {
        replicas: 'two',
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'site', imagePullPolicy: 'Sometimes', resources: {}, debug: true }] },
        },
      },
      status: { replicas: null },
    });
    assert.deepEqual(findings.map((f) => `${f.path}: ${f.problem}`).sort(), [
      '/metadata/owner: unknown field: the schema does not define it',
      '/spec/replicas: expected integer',
      '/spec/template/spec/containers/0/debug: unknown field: the schema does not define it',
      '/spec/template/spec/containers/0/imagePullPolicy: not one of ["Always","IfNotPresent","Never"]',
      '/spec: required field selector is missing',
      '/status/replicas: null: a real API server omits an empty field (omitempty)',
    ]);
  });

  for (const scenario of SCENARIOS)
    it(`scenario ${scenario.name}`, async () => {
      const result = await walk(scenarioLoader(scenario));
      assertValid(result);
      for (const kind of ['v1/Pod', 'v1/Node', 'v1/Event', 'apps/v1/Deployment', 'v1/Service'])
        assert.ok((result.counts[kind] ?? 0) > 0, `no ${kind} was listed: ${JSON.stringify(result.counts)}`);
    });

  it('a loaded team repository (test/fixtures/team-repo)', async () => {
    const result = await walk(manifestsLoader(join(ROOT, 'test', 'fixtures', 'team-repo')));
    assertValid(result);
    for (const kind of [
      'apps/v1/StatefulSet',
      'apps/v1/DaemonSet',
      'batch/v1/CronJob',
      'networking.k8s.io/v1/Ingress',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'apiextensions.k8s.io/v1/CustomResourceDefinition',
      'certs.example.org/v1/ClusterIssuer',
    ])
      assert.ok((result.counts[kind] ?? 0) > 0, `no ${kind} was listed: ${JSON.stringify(result.counts)}`);
  });

  it('objects written with nulls are served as a real server serves them: the nulls dropped, the defaults applied', async () => {
    const healthy = findScenario('healthy');
    assert.ok(healthy);
    const sim = await startSimulator({ world: scenarioLoader(healthy), speed: 'instant' });
    try {
      for (const { path, body } of WRITTEN) {
        const response = await fetch(`${sim.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 201, `${path}: ${await response.text()}`);
      }
      await settle(sim.world);
      assertValid(await validateEverything(sim.url));
      const claim = sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'written');
      assert.ok(
        typeof (claim?.spec as { storageClassName?: unknown } | undefined)?.storageClassName === 'string',
        'a null storageClassName is an absent one: the default StorageClass is set',
      );
    } finally {
      await sim.stop();
    }
  });
});
