// Every scenario: it loads, the night's symptom is visible through the project's providers (what an
// operator and a runbook look at), and `recovered` is false until the incident is resolved. That its
// runbooks resolve it is recovery.test.ts; the runbooks' own paths through it are here.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NodeBalancerConfigNode, ResourcePage } from '@linode/api-v4';
import { findScenario, SCENARIOS } from '../../../src/sim/scenarios/index.js';
import { writeTeamRepository } from '../../../src/sim/team-repository.js';
import { runCli } from '../../helpers/cli.js';
import { type ScenarioHarness, startScenario } from './providers.js';

function recovered(s: ScenarioHarness, name: string): { ok: boolean; detail: string } {
  const scenario = findScenario(name);
  assert.ok(scenario !== undefined);
  return scenario.recovered(s.h.sim.world);
}

const waiting = (pod: {
  status?: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> };
}) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;

describe('the scenario catalogue', () => {
  it('has a scenario per postmortem (and one per further night of it), plus healthy, each with an alert and a runbook', () => {
    const names = SCENARIOS.map((s) => s.name).sort();
    assert.deepEqual(names, [
      '2020-12-11-all-services-outage',
      '2020-12-11-postgres-conn-surge',
      '2021-01-10-primary-kubernetes-node-outage',
      '2021-01-12-site-cpu-ram-exhaustion',
      '2021-01-30-nodebalancer-fails-memory',
      '2021-07-11-cascading-node-failures',
      '2021-07-11-redis-out-of-memory',
      'healthy',
    ]);
    for (const s of SCENARIOS) {
      assert.ok(s.alert.length > 0, s.name);
      assert.ok(!s.summary.includes('\n'), s.name);
      if (s.name !== 'healthy') {
        // A second scenario of one night (Redis on 2021-07-11) carries the postmortem's date.
        assert.ok(
          s.postmortems.some((p) => s.name === p || s.name.startsWith(p.slice(0, 11))),
          s.name,
        );
        assert.ok(s.runbook !== undefined, s.name);
      }
    }
  });
});

describe('scenario healthy', () => {
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario('healthy');
  });
  after(() => s.stop());

  it('is recovered from the start, and stays so after postgres-remount --yes', async () => {
    assert.equal(recovered(s, 'healthy').ok, true, recovered(s, 'healthy').detail);
    const nodes = await s.read.kube.listNodes();
    assert.equal(nodes.length, 3);
    const result = await runCli(['postgres-remount', '--yes'], { env: s.h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(recovered(s, 'healthy').ok, true, recovered(s, 'healthy').detail);
  });
});

describe('scenario 2020-12-11-postgres-conn-surge', () => {
  const name = '2020-12-11-postgres-conn-surge';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('starts unrecovered: Postgres has not been remounted', () => {
    const check = recovered(s, name);
    assert.equal(check.ok, false);
    assert.match(check.detail, /has not been detached and remounted/);
  });
});

describe('scenario 2021-07-11-cascading-node-failures', () => {
  const name = '2021-07-11-cascading-node-failures';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('shows stateful pods in ContainerCreating with the device-path FailedMount, VolumeAttachments attached, volumes on a gone Linode', async () => {
    assert.equal(recovered(s, name).ok, false);
    const nodes = await s.read.kube.listNodes();
    const recycled = nodes.find((n) => n.metadata?.name === 'lke13311-16405-5fafd1b46dcf');
    const nodeLinode = Number(recycled?.spec?.providerID?.replace('linode://', ''));
    const attachments = await s.read.kube.listVolumeAttachments();
    for (const app of ['postgres', 'redis', 'prestashop']) {
      const [pod] = await s.read.kube.listPods('default', `app=${app}`);
      assert.ok(pod?.metadata?.name !== undefined, app);
      assert.equal(pod.status?.phase, 'Pending', app);
      assert.equal(waiting(pod), 'ContainerCreating', app);
      const events = await s.read.kube.listEventsFor('default', 'Pod', pod.metadata.name);
      const mounts = events.filter((e) => e.reason === 'FailedMount').map((e) => e.message ?? '');
      const devicePath = mounts.find((m) => m.includes('Unable to find device path'));
      assert.match(
        devicePath ?? '',
        /^MountVolume\.MountDevice failed for volume "pvc-[0-9a-f]{16}" : rpc error: code = Internal desc = Unable to find device path out of attempted paths: \[\/dev\/disk\/by-id\/linode-pvc[0-9a-f]{16} \/dev\/disk\/by-id\/scsi-0Linode_Volume_pvc[0-9a-f]{16}\]$/,
      );
      assert.ok(
        mounts.some((m) => m.startsWith('Unable to attach or mount volumes: unmounted volumes=[')),
        app,
      );
      const claimName =
        pod.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName ?? '';
      const pvc = await s.read.kube.getPersistentVolumeClaim('default', claimName);
      const pvName = pvc?.spec?.volumeName ?? '';
      const va = attachments.find((a) => a.spec.source.persistentVolumeName === pvName);
      assert.equal(va?.status?.attached, true, app);
      const [volume] = await s.read.linode.findVolumes(pvName.replace(/-/g, ''));
      assert.ok(volume !== undefined && volume.linode_id !== null, app);
      assert.notEqual(volume.linode_id, nodeLinode, app);
      assert.equal(
        await s.read.linode.getInstance(volume.linode_id),
        undefined,
        `${app}: the old Linode is gone`,
      );
    }
  });
});

describe('scenario 2021-01-10-primary-kubernetes-node-outage', () => {
  const name = '2021-01-10-primary-kubernetes-node-outage';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('shows the primary NotReady, its pods terminating and replacements unschedulable on the survivor', async () => {
    assert.equal(recovered(s, name).ok, false);
    const nodes = await s.read.kube.listNodes();
    const ready = (n: (typeof nodes)[number]) =>
      n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    assert.equal(
      ready(nodes.find((n) => n.metadata?.name === 'lke13311-20304-5ffa4d0d8a1c') ?? {}),
      'Unknown',
    );
    assert.equal(ready(nodes.find((n) => n.metadata?.name === 'lke13311-20304-5ffa4d11faab') ?? {}), 'True');
    const pods = await s.read.kube.listPods('default', '');
    assert.ok(
      pods.some((p) => p.metadata?.deletionTimestamp !== undefined),
      'pods stuck terminating',
    );
    const pending = pods.filter((p) => p.spec?.nodeName === undefined);
    assert.ok(pending.length > 0);
    const events = await s.read.kube.listEventsFor('default', 'Pod', pending[0]?.metadata?.name ?? '');
    assert.ok(
      events.some(
        (e) => e.reason === 'FailedScheduling' && /Insufficient (cpu|memory)/.test(e.message ?? ''),
      ),
    );
  });
});

describe('scenario 2020-12-11-all-services-outage', () => {
  const name = '2020-12-11-all-services-outage';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('shows calico, coredns and the CSI node plugin crash-looping, no Postgres, and the bot missing its secret', async () => {
    assert.equal(recovered(s, name).ok, false);
    for (const selector of ['k8s-app=calico-node', 'k8s-app=kube-dns', 'app=csi-linode-node']) {
      const pods = await s.read.kube.listPods('kube-system', selector);
      assert.ok(pods.length > 0, selector);
      for (const pod of pods) assert.equal(waiting(pod), 'CrashLoopBackOff', selector);
    }
    assert.equal(await s.read.kube.getDeployment('default', 'postgres'), undefined);
    const [bot] = await s.read.kube.listPods('default', 'app=bot');
    assert.equal(waiting(bot ?? {}), 'CreateContainerConfigError');
    const events = await s.read.kube.listEventsFor('default', 'Pod', bot?.metadata?.name ?? '');
    assert.ok(
      events.some((e) => e.reason === 'Failed' && e.message === 'Error: secret "bot-sentry" not found'),
    );
  });

  it('core-services-restart without the team manifests stops at the missing Postgres and says where to find it', async () => {
    const before = s.h.mutations().length;
    const first = await runCli(['core-services-restart', '--yes'], { env: s.h.env() });
    assert.equal(first.exitCode, 5, first.stderr + first.stdout);
    assert.match(first.stderr, /deployment default\/postgres of the stateful wave does not exist/);
    assert.match(first.stderr, /--manifests <dir>/);
    // Network, DNS and storage were restarted before it stopped: the waves that could be.
    assert.ok(s.h.mutations().length > before);
  });

  it('is recovered by core-services-restart --manifests: Postgres and the bot secret re-created, no value shown', async () => {
    const scenario = findScenario(name);
    assert.ok(scenario !== undefined);
    const dir = writeTeamRepository(scenario, mkdtempSync(join(tmpdir(), 'team-manifests-')));
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-state-'));
    const dsn = 'https://5f0e1c2b9a8d4e7f@sentry.pydis.example/3';
    const result = await runCli(['core-services-restart', '--yes', '--manifests', dir], {
      env: { ...s.h.env(), RUNBOOK_STATE_DIR: stateDir },
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      /deployment default\/postgres does not exist: re-created from .*deployment-postgres\.json/,
    );
    assert.match(
      result.stdout,
      /deployment default\/bot needs secret bot-sentry: re-created from .*secret-bot-sentry\.json/,
    );
    await s.settle();
    assert.equal(recovered(s, name).ok, true, recovered(s, name).detail);
    const restored = s.h.get<{ data?: Record<string, string> }>('v1', 'Secret', 'default', 'bot-sentry');
    assert.equal(Buffer.from(restored?.data?.dsn ?? '', 'base64').toString(), dsn);
    // The value reached the API server and nothing else the tool wrote.
    const journals = readdirSync(stateDir, { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    assert.ok(journals.length > 0);
    const written = [
      result.stdout,
      result.stderr,
      ...journals.map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')),
    ];
    for (const text of written) {
      assert.ok(!text.includes(dsn), 'the DSN was printed or journaled');
      assert.ok(!text.includes('5f0e1c2b9a8d4e7f'), 'the DSN key was printed or journaled');
    }
  });
});

describe('scenario 2021-01-12-site-cpu-ram-exhaustion', () => {
  const name = '2021-01-12-site-cpu-ram-exhaustion';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('shows site without requests or limits and Postgres OOM-killed', async () => {
    assert.equal(recovered(s, name).ok, false);
    const site = await s.read.kube.getDeployment('default', 'site');
    const resources = site?.spec?.template.spec?.containers[0]?.resources;
    assert.equal(resources?.requests, undefined);
    assert.equal(resources?.limits, undefined);
    const [postgres] = await s.read.kube.listPods('default', 'app=postgres');
    assert.equal(postgres?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason, 'OOMKilled');
    assert.equal(waiting(postgres ?? {}), 'CrashLoopBackOff');
  });
});

describe('scenario 2021-01-30-nodebalancer-fails-memory', () => {
  const name = '2021-01-30-nodebalancer-fails-memory';
  let s: ScenarioHarness;
  before(async () => {
    s = await startScenario(name);
  });
  after(() => s.stop());

  it('shows every NodeBalancer backend DOWN through the Linode API, and a node under memory pressure', async () => {
    assert.equal(recovered(s, name).ok, false);
    // Straight through the configured @linode/api-v4, as the real API shapes them (nodebalancer-check reads the same).
    const { data: balancers } = await s.linode.call((lib) => lib.getNodeBalancers());
    assert.equal(balancers.length, 1);
    const nb = balancers[0];
    assert.ok(nb !== undefined);
    const { data: configs } = await s.linode.call((lib) => lib.getNodeBalancerConfigs(nb.id));
    assert.deepEqual(configs.map((c) => c.port).sort(), [443, 80]);
    for (const config of configs) {
      assert.deepEqual(config.nodes_status, { up: 0, down: 2 });
      const page: ResourcePage<NodeBalancerConfigNode> = await s.linode.call((lib) =>
        lib.getNodeBalancerConfigNodes(nb.id, config.id),
      );
      const backends = page.data;
      assert.deepEqual(
        backends.map((b) => b.status),
        ['DOWN', 'DOWN'],
      );
    }
    const nodes = await s.read.kube.listNodes();
    assert.ok(
      nodes.some((n) =>
        n.status?.conditions?.some((c) => c.type === 'MemoryPressure' && c.status === 'True'),
      ),
    );
  });

  it('nodebalancer-check reports the DOWN backends and the pressured node; the drain that ends it is in recovery.test.ts', async () => {
    const during = await runCli(['nodebalancer-check'], { env: s.h.env() });
    assert.equal(during.exitCode, 1, during.stderr + during.stdout);
    assert.match(during.stderr, /4 NodeBalancer backend\(s\) DOWN/);
    assert.match(during.stdout, /MemoryPressure/);
  });
});
