// kubectl 1.32's `logs` against the simulator: each container's log tells its story on the
// simulated clock (a normal start, Postgres refusing clients, the crash loop's error, the OOM kill),
// served as the API server serves pods/log, with its refusals in its own words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/world.js';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { startSimHarness } from '../../helpers/sim.js';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';
import { createKubectl, KUBECTL, kubectlMissing, type Kubectl, type KubectlResult } from './kubectl.js';

const REFUSAL = /FATAL: {2}sorry, too many clients already/;

function withImage(object: KubeObject, image: string, extra: Record<string, unknown> = {}): KubeObject {
  const spec = object.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
  const first = spec.template.spec.containers[0];
  if (first !== undefined) Object.assign(first, { image }, extra);
  return object;
}

const crashing = (pod: KubeObject): boolean =>
  JSON.stringify(pod.status ?? {}).includes('"reason":"CrashLoopBackOff"');

describe('kubectl 1.32 logs', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;
  let postgres: string;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
    addNode(h, 'lke1-node-a', '172.105.1.1');
    h.sim.create(withImage(deployment('postgres', 1), 'postgres:13-alpine'));
    h.sim.create(
      withImage(deployment('site', 1), 'ghcr.io/python-discord/site:latest', {
        ports: [{ containerPort: 8000 }],
      }),
    );
    await h.until('Ready', () =>
      ['postgres', 'site'].every((app) => podsOf(h, app).filter(isReady).length === 1),
    );
    postgres = podsOf(h, 'postgres')[0]?.metadata.name ?? '';
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('shows a normal start, as plain text, with --timestamps and --tail', async () => {
    const out = await k.run('logs', postgres);
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stdout,
      /PostgreSQL Database directory appears to contain a database; Skipping initialization/,
    );
    assert.match(out.stdout, /\[1\] LOG: {2}starting PostgreSQL 13\.1 on x86_64-pc-linux-musl/);
    assert.match(out.stdout, /\[1\] LOG: {2}database system is ready to accept connections\n$/);
    assert.doesNotMatch(out.stdout, REFUSAL);

    const tail = await k.run('logs', postgres, '--tail=1', '--timestamps');
    assert.match(
      tail.stdout,
      /^2020-12-11T13:24:0\d(\.\d+)?Z 2020-12-11 13:24:0\d\.\d{3} UTC \[1\] LOG: {2}database system is ready to accept connections\n$/,
    );

    const raw = await h.request('GET', `/api/v1/namespaces/default/pods/${postgres}/log?limitBytes=12`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'text/plain');
    assert.equal(raw.text, '\nPostgreSQL ');
  });

  it("a Postgres saturated by postgres-too-many-clients refuses clients in its log and in its clients'", async () => {
    h.faults.add({
      kind: 'postgres-too-many-clients',
      namespace: 'default',
      labelSelector: 'app=postgres',
      clientSelector: 'app=site',
    });
    h.clock.after(10_000, () => undefined);
    h.clock.settle(10_000);
    const server = await k.run('logs', postgres, '--tail=3');
    assert.equal(server.code, 0, server.stderr);
    const lines = server.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines)
      assert.match(
        line,
        /^2020-12-11 13:24:\d\d\.000 UTC \[\d+\] FATAL: {2}sorry, too many clients already$/,
      );

    const client = await k.run('logs', 'deploy/site', '--tail=1');
    assert.equal(client.code, 0, client.stderr);
    assert.equal(
      client.stdout,
      'django.db.utils.OperationalError: FATAL:  sorry, too many clients already\n',
    );
    const whole = await k.run('logs', 'deploy/site');
    assert.match(whole.stdout, /\[INFO\] Listening at: http:\/\/0\.0\.0\.0:8000 \(1\)/);
    assert.match(whole.stdout, /\[ERROR\] Internal Server Error: \/api\/bot\/infractions/);
  });

  it("--previous of a container that never restarted is the kubelet's BadRequest", async () => {
    const out = await k.run('logs', postgres, '--previous');
    assert.deepEqual(out, {
      code: 1,
      stdout: '',
      stderr: `Error from server (BadRequest): previous terminated container "postgres" in pod "${postgres}" not found\n`,
    });
  });

  it('a container name the pod does not have is refused by kubectl and by the API server alike', async () => {
    const out = await k.run('logs', postgres, '-c', 'sidecar');
    assert.equal(out.code, 1);
    assert.equal(out.stderr, `error: container sidecar is not valid for pod ${postgres}\n`);
    const raw = await h.request('GET', `/api/v1/namespaces/default/pods/${postgres}/log?container=sidecar`);
    assert.equal(raw.status, 400);
    assert.deepEqual(
      { reason: (raw.json as { reason: string }).reason, message: (raw.json as { message: string }).message },
      { reason: 'BadRequest', message: `container sidecar is not valid for pod ${postgres}` },
    );
    const missing = await k.run('logs', 'postgres-0');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pods "postgres-0" not found/);
  });

  it('a pod of two containers needs one named, as the API server says; kubectl picks the first', async () => {
    h.sim.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pair', namespace: 'default' },
      spec: {
        nodeName: 'lke1-node-a',
        containers: [
          { name: 'cache', image: 'redis:6-alpine' },
          { name: 'proxy', image: 'nginx:1.25' },
        ],
      },
    });
    await h.until('pair Ready', () => isReady(h.sim.get('v1', 'Pod', 'default', 'pair') as KubeObject));
    const raw = await h.request('GET', '/api/v1/namespaces/default/pods/pair/log');
    assert.equal(raw.status, 400);
    assert.equal(
      (raw.json as { message: string }).message,
      'a container name must be specified for pod pair, choose one of: [cache proxy]',
    );
    const out = await k.run('logs', 'pair');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /Defaulted container "cache" out of: cache, proxy/);
    assert.match(out.stdout, /\* Ready to accept connections\n$/);
    const proxy = await k.run('logs', 'pair', '-c', 'proxy');
    assert.match(proxy.stdout, /Configuration complete; ready for start up/);
  });

  it('a Job\'s pod that ran `sh -c "echo …"` shows what it printed once Completed', async () => {
    h.sim.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backup', namespace: 'default' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'backup', image: 'busybox:1.36', command: ['sh', '-c', 'echo "backup done"'] },
            ],
          },
        },
      },
    });
    h.clock.after(20_000, () => undefined);
    await h.until('backup Completed', () =>
      h.sim
        .list('v1', 'Pod', 'default')
        .some(
          (p) =>
            p.metadata.labels?.['job-name'] === 'backup' &&
            (p.status as { phase?: string }).phase === 'Succeeded',
        ),
    );
    const out = await k.run('logs', 'job/backup');
    assert.deepEqual(out, { code: 0, stdout: 'backup done\n', stderr: '' });
  });

  it('-f streams new lines as the simulated clock runs, and ends when the pod goes', async () => {
    const follow = k.start('logs', '-f', postgres);
    await follow.output(/database system is ready to accept connections/);
    const before = (await k.run('logs', postgres)).stdout.split('\n').length;
    h.clock.after(5_000, () => undefined);
    h.clock.settle(5_000);
    // The next refusal, stamped after the clock moved, arrives on the open stream.
    const last = (await k.run('logs', postgres, '--tail=1')).stdout.trim();
    assert.ok((await k.run('logs', postgres)).stdout.split('\n').length > before);
    await follow.output(new RegExp(last.replace(/[[\].*+?^${}()|\\]/g, '\\$&')), 10_000);
    await h.core.deleteNamespacedPod({ name: postgres, namespace: 'default', gracePeriodSeconds: 0 });
    const done = await follow.done;
    assert.equal(done.code, 0, done.stderr);
  });

  it("the crash loop's error and the OOM kill are what --previous shows; a waiting container shows its last run", async () => {
    h.faults.add({ kind: 'pod-crash-loop', namespace: 'default', labelSelector: 'app=site' });
    h.faults.add({
      kind: 'pod-crash-loop',
      namespace: 'default',
      labelSelector: 'app=postgres',
      reason: 'OOMKilled',
    });
    await h.until('crash loops', () => ['site', 'postgres'].every((app) => podsOf(h, app).some(crashing)));
    const site = podsOf(h, 'site').find(crashing)?.metadata.name ?? '';
    const error = await k.run('logs', site, '--previous', '--tail=3');
    assert.equal(error.code, 0, error.stderr);
    assert.match(error.stdout, /\[1\] \[INFO\] Reason: Worker failed to boot\.\n$/);
    const full = await k.run('logs', site, '--previous');
    assert.match(full.stdout, /django\.db\.utils\.OperationalError: could not translate host name/);
    assert.equal((await k.run('logs', site)).stdout, full.stdout);

    const db = podsOf(h, 'postgres').find(crashing)?.metadata.name ?? '';
    const oom = await k.run('logs', db, '--previous', '--tail=3');
    assert.equal(oom.code, 0, oom.stderr);
    assert.match(oom.stdout, /LOG: {2}server process \(PID \d+\) was terminated by signal 9: Killed\n/);
    assert.match(oom.stdout, /LOG: {2}terminating any other active server processes\n$/);
    // Each restart of the loop followed a kill: Postgres recovers at start, as the pager says.
    const whole = await k.run('logs', db, '--previous');
    assert.match(
      whole.stdout,
      /LOG: {2}database system was not properly shut down; automatic recovery in progress\n/,
    );
    const described = await k.run('describe', 'pod', db);
    assert.match(described.stdout, /Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
  });

  it('a pod on a node whose kubelet went silent: the API server cannot reach it, and says so', async () => {
    h.faults.add({ kind: 'node-not-ready', node: 'lke1-node-a' });
    await h.until('node Unknown', () =>
      JSON.stringify(h.sim.get('v1', 'Node', undefined, 'lke1-node-a')?.status ?? {}).includes(
        '"status":"Unknown"',
      ),
    );
    const out = await k.run('logs', 'pair', '-c', 'cache');
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /^Error from server: Get "https:\/\/192\.168\.128\.\d+:10250\/containerLogs\/default\/pair\/cache": dial tcp 192\.168\.128\.\d+:10250: i\/o timeout\n$/,
    );
  });
});

describe('kubectl 1.32 logs in the postgres-conn-surge scenario', { skip: kubectlMissing }, () => {
  it('the site logs what the pager quotes, and Postgres refuses clients', async () => {
    const scenario = findScenario('2020-12-11-postgres-conn-surge');
    const quoted = /site logs "([^"]+)"/.exec(scenario?.alert ?? '')?.[1];
    assert.equal(quoted, 'FATAL: sorry, too many clients already');
    const sim = await startSimHarness('2020-12-11-postgres-conn-surge');
    const run = (...args: string[]): Promise<KubectlResult> =>
      new Promise((resolve) => {
        execFile(
          KUBECTL,
          ['--kubeconfig', sim.kubeconfig, ...args],
          { timeout: 60_000 },
          (e, stdout, stderr) =>
            resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, stdout, stderr }),
        );
      });
    try {
      const site = await run('logs', 'deploy/site', '--tail=1');
      assert.equal(site.code, 0, site.stderr);
      // Postgres writes two spaces after FATAL:; the pager's one is how people quote it.
      assert.equal(site.stdout.replace(/ +/g, ' '), `django.db.utils.OperationalError: ${quoted ?? ''}\n`);
      const db = await run('logs', 'deploy/postgres', '--tail=1');
      assert.match(db.stdout, REFUSAL);
    } finally {
      await sim.stop();
    }
  });
});
