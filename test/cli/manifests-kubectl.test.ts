// `runbook manifests serve | kubectl apply -f -` with the real kubectl 1.32 against the simulator: the
// server-side dry run, then for real, then again (unchanged); the Secret made as its header says; and
// what the applied RBAC lets the ServiceAccount do (read, never change).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { BIN } from '../helpers/cli.js';
import { KUBECTL, kubectlMissing } from '../sim/kube/kubectl.js';
import { type SimKubectl, startSimKubectl } from '../sim/kube/sim-kubectl.js';

const OBJECTS = [
  'serviceaccount/runbook-serve',
  'role.rbac.authorization.k8s.io/runbook-serve',
  'rolebinding.rbac.authorization.k8s.io/runbook-serve',
  'clusterrole.rbac.authorization.k8s.io/runbook-serve',
  'clusterrolebinding.rbac.authorization.k8s.io/runbook-serve',
  'deployment.apps/runbook-serve',
  'service/runbook-serve',
];

async function manifests(args: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await main(['manifests', 'serve', ...args], {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH ?? '' },
    cwd: process.cwd(),
  });
  assert.equal(code, 0);
  return out;
}

/** Runs shell lines (the header's `kubectl create secret`, the README's pipe) in bash, `kubectl` being the test's. */
function runInBash(
  lines: string,
  kubeconfig: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `set -o pipefail\nkubectl() { "${KUBECTL}" --kubeconfig "${kubeconfig}" --cache-dir "${join(dirname(kubeconfig), 'cache')}" "$@"; }\n${lines}\n`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      {
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          LINODE_TOKEN: 'linode-token-for-the-test',
          DISCORD_WEBHOOK_URL: 'http://127.0.0.1:1/webhook',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

describe(
  'runbook manifests serve | kubectl apply -f - (kubectl 1.32, simulator)',
  { skip: kubectlMissing },
  () => {
    let s: SimKubectl;
    before(async () => {
      s = await startSimKubectl();
      assert.equal((await s.k.run('create', 'namespace', 'ops')).code, 0);
    });
    after(async () => {
      await s.stop();
    });

    it('applies with a server-side dry run, then for real, then again unchanged; kubectl get shows each object', async () => {
      const text = await manifests([
        '--namespace',
        'ops',
        '--role-namespace',
        'ops',
        '--role-namespace',
        'default',
      ]);
      const file = s.k.file('serve.yaml', text);

      const dry = await s.k.run('apply', '--dry-run=server', '-f', file);
      assert.equal(dry.code, 0, dry.stderr);
      for (const o of OBJECTS)
        assert.match(dry.stdout, new RegExp(`^${o} created \\(server dry run\\)$`, 'm'));
      const none = await s.k.run('get', 'deployment,service,serviceaccount', '-n', 'ops', '-o', 'name');
      assert.doesNotMatch(none.stdout, /runbook-serve/, 'a server-side dry run stores nothing');

      const applied = await s.k.run('apply', '-f', file);
      assert.equal(applied.code, 0, applied.stderr);
      for (const o of OBJECTS) assert.match(applied.stdout, new RegExp(`^${o} created$`, 'm'));

      const got = await s.k.run(
        'get',
        'serviceaccount,role,rolebinding,deployment,service',
        '-n',
        'ops',
        '-l',
        'app.kubernetes.io/name=runbook-serve',
        '-o',
        'name',
      );
      assert.equal(got.code, 0, got.stderr);
      const cluster = await s.k.run('get', 'clusterrole,clusterrolebinding', 'runbook-serve', '-o', 'name');
      assert.equal(cluster.code, 0, cluster.stderr);
      assert.deepEqual(
        [...got.stdout.trim().split('\n'), ...cluster.stdout.trim().split('\n')].sort(),
        [...OBJECTS].sort(),
      );
      const inDefault = await s.k.run(
        'get',
        'role,rolebinding',
        'runbook-serve',
        '-n',
        'default',
        '-o',
        'name',
      );
      assert.equal(inDefault.code, 0, inDefault.stderr);

      const service = await s.k.run(
        'get',
        'service',
        'runbook-serve',
        '-n',
        'ops',
        '-o',
        'jsonpath={.spec.type} {.spec.ports[0].port}',
      );
      assert.equal(service.stdout, 'ClusterIP 9095');

      const again = await s.k.run('apply', '-f', file);
      assert.equal(again.code, 0, again.stderr);
      for (const o of OBJECTS) assert.match(again.stdout, new RegExp(`^${o} unchanged$`, 'm'));

      // -o json is the same objects, as one List kubectl takes. kubectl validates a List against
      // /openapi/v2, which a real API server serves and the simulator does not: hence --validate=false.
      const json = await manifests([
        '--namespace',
        'ops',
        '--role-namespace',
        'ops',
        '--role-namespace',
        'default',
        '-o',
        'json',
      ]);
      const asJson = await s.k.run('apply', '--validate=false', '-f', s.k.file('serve.json', json));
      assert.equal(asJson.code, 0, asJson.stderr);
      for (const o of OBJECTS) assert.match(asJson.stdout, new RegExp(`^${o} unchanged$`, 'm'));
    });

    it("the header's kubectl create secret makes the Secret the Deployment reads", async () => {
      const text = await manifests(['--namespace', 'ops']);
      const lines = text.split('\n');
      const start = lines.findIndex((l) => /^# +kubectl create secret generic/.test(l));
      assert.ok(start >= 0, text);
      const hint: string[] = [];
      for (let i = start; i < lines.length; i++) {
        const line = (lines[i] ?? '').replace(/^# +/, '');
        hint.push(line);
        if (!line.endsWith('\\')) break;
      }
      const made = await runInBash(hint.join('\n'), join(s.k.dir, 'kubeconfig'));
      assert.equal(made.code, 0, made.stderr);
      const keys = await s.k.run(
        'get',
        'secret',
        'runbook-serve',
        '-n',
        'ops',
        '-o',
        'go-template={{range $k, $v := .data}}{{$k}} {{end}}',
      );
      assert.equal(keys.code, 0, keys.stderr);
      assert.deepEqual(keys.stdout.trim().split(' '), ['discord-webhook-url', 'linode-token', 'serve-token']);
    });

    it("the README's pipe, through the built CLI: runbook manifests serve | kubectl apply -f -", async () => {
      assert.equal((await s.k.run('create', 'namespace', 'piped')).code, 0);
      const piped = await runInBash(
        `"${process.execPath}" "${BIN}" manifests serve --namespace piped --name receiver | kubectl apply -f -`,
        join(s.k.dir, 'kubeconfig'),
      );
      assert.equal(piped.code, 0, piped.stderr);
      for (const o of OBJECTS)
        assert.match(piped.stdout, new RegExp(`^${o.replace('runbook-serve', 'receiver')} created$`, 'm'));
    });

    it('under the applied RBAC the ServiceAccount may read across the cluster and change nothing', async () => {
      const policy = await fetch(`${s.sim.url}/_sim/policy`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'system:serviceaccount:ops:runbook-serve', deny: [], rbac: true }),
      });
      assert.equal(policy.status, 200, await policy.text());
      const can = async (...args: string[]): Promise<string> =>
        (await s.k.run('auth', 'can-i', ...args)).stdout.trim();
      assert.equal(await can('list', 'pods', '--all-namespaces'), 'yes');
      assert.equal(await can('list', 'nodes'), 'yes');
      assert.equal(await can('get', 'deployments', '-n', 'default'), 'yes');
      for (const change of [
        ['delete', 'pods', '-n', 'default'],
        ['patch', 'nodes'],
        ['update', 'deployments', '-n', 'default'],
        ['create', 'pods/eviction', '-n', 'default'],
      ])
        assert.match(await can(...change), /^no\b/, change.join(' '));
      const pods = await s.k.run('get', 'pods', '-A', '-o', 'name');
      assert.equal(pods.code, 0, pods.stderr);
      const refused = await s.k.run('delete', 'pod', '--all', '-n', 'default', '--dry-run=server');
      assert.notEqual(refused.code, 0);
      assert.match(
        refused.stderr,
        /forbidden: User "system:serviceaccount:ops:runbook-serve" cannot (list|delete)/,
      );
    });
  },
);
