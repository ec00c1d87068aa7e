// `runbook manifests serve`: what an operator pipes to kubectl apply, read back as YAML and as JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RUNBOOKS } from '../../runbooks/index.js';
import { parseListen } from '../../src/cli/commands/serve.js';
import { kindsOf } from '../../src/engine/permissions/derive.js';
import { TOKEN_VARIABLE } from '../../src/serve/server.js';
import { type InProcessResult, runInProcess } from '../helpers/in-process-cli.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const SECRETS = {
  RUNBOOK_SERVE_TOKEN: 'serve-secret-5d1c9e',
  LINODE_TOKEN: 'linode-secret-a8b7c6',
  DISCORD_WEBHOOK_URL: 'https://discord.example/api/webhooks/1/discord-secret-33aa',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/slack-secret-44bb',
};

// The tokens are in the environment, as on an operator's machine: none may reach the output.
const cli = (args: readonly string[], env: Record<string, string> = {}): Promise<InProcessResult> =>
  runInProcess(args, { ...SECRETS, ...env });

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: unknown[];
  roleRef?: { kind: string; name: string };
  subjects?: unknown[];
  spec?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
}

interface Container {
  image: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: { mountPath: string }[];
}

const docsOf = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const byKind = (docs: readonly Obj[], kind: string): Obj[] => docs.filter((d) => d.kind === kind);

describe('runbook manifests serve', () => {
  it('prints a ServiceAccount, the read-only RBAC, a locked-down Deployment and a ClusterIP Service', async () => {
    // The lock in ops too (else its Lease read is a Role of its own where the lock is: see below).
    const { code, stdout, stderr } = await cli(['manifests', 'serve', '--namespace', 'ops'], {
      RUNBOOK_LOCK_NAMESPACE: 'ops',
    });
    assert.equal(code, 0, stderr);
    const docs = docsOf(stdout);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service'],
    );
    for (const d of docs) {
      assert.equal(d.metadata.name, 'runbook-serve');
      if (!d.kind.startsWith('Cluster')) assert.equal(d.metadata.namespace, 'ops');
    }
    for (const binding of docs.filter((d) => d.kind.endsWith('Binding')))
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'runbook-serve', namespace: 'ops' },
      ]);

    const deployment = byKind(docs, 'Deployment')[0]?.spec as {
      replicas: number;
      template: { spec: Record<string, unknown> & { containers: Container[] } };
    };
    assert.equal(deployment.replicas, 1);
    const pod = deployment.template.spec;
    assert.equal(pod.serviceAccountName, 'runbook-serve');
    assert.equal(pod.automountServiceAccountToken, true);
    assert.ok((pod.terminationGracePeriodSeconds as number) > 120, "longer than serve's dry-run bound");
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers;
    assert.ok(container !== undefined);
    assert.equal(container.image, `runbook:${VERSION}`);
    const port = parseListen(undefined).port;
    assert.deepEqual(container.args, ['serve', '--listen', `0.0.0.0:${port}`]);
    assert.deepEqual(container.ports, [{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    for (const side of ['requests', 'limits'] as const)
      assert.ok(
        container.resources[side].cpu !== undefined && container.resources[side].memory !== undefined,
      );
    for (const probe of [container.readinessProbe, container.livenessProbe])
      assert.deepEqual(probe.httpGet, { path: '/healthz', port: 'http' });

    // Every token by reference to the Secret, the variable names serve and the chat read.
    const fromSecret = container.env.filter((e) => e.valueFrom?.secretKeyRef !== undefined);
    assert.deepEqual(
      fromSecret.map((e) => e.name),
      [TOKEN_VARIABLE, 'LINODE_TOKEN', 'DISCORD_WEBHOOK_URL', 'SLACK_WEBHOOK_URL'],
    );
    for (const e of fromSecret) assert.equal(e.valueFrom?.secretKeyRef?.name, 'runbook-serve');
    for (const e of container.env.filter((v) => v.value !== undefined)) assert.equal(e.name, 'NODE_OPTIONS');

    const service = byKind(docs, 'Service')[0]?.spec as { type: string; selector: object; ports: object[] };
    assert.equal(service.type, 'ClusterIP');
    assert.deepEqual(service.selector, { 'app.kubernetes.io/name': 'runbook-serve' });
    assert.deepEqual(service.ports, [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
    assert.ok(
      Object.entries(service.selector).every(
        ([k, v]) => byKind(docs, 'Deployment')[0]?.metadata.labels?.[k] === v,
      ),
    );

    // The header: the placeholder image, the Secret to create, where Alertmanager posts.
    assert.ok(stdout.includes(`# Image: runbook:${VERSION} is a placeholder`));
    assert.match(stdout, /^# +kubectl create secret generic runbook-serve --namespace ops \\$/m);
    assert.match(stdout, /--from-literal=linode-token="\$LINODE_TOKEN"/);
    assert.match(stdout, /http:\/\/runbook-serve\.ops\.svc:9095\/alertmanager/);
    for (const value of Object.values(SECRETS)) assert.ok(!stdout.includes(value), 'a secret value');
  });

  it('its rules are the ones `runbook rbac --read-only` derives for every runbook a route may name', async () => {
    const served = RUNBOOKS.filter((r) => kindsOf(r) !== undefined).map((r) => r.id);
    assert.ok(served.length >= 10);
    // Both put the lock's Lease where runs take the lock: RUNBOOK_LOCK_NAMESPACE, a `<name>-lock` Role.
    const lock = { RUNBOOK_LOCK_NAMESPACE: 'locks' };
    const manifests = docsOf((await cli(['manifests', 'serve', '--namespace', 'ops'], lock)).stdout);
    const rbac = docsOf(
      (
        await cli(
          ['rbac', ...served, '--read-only', '--namespace', 'ops', '--service-account', 'runbook-serve'],
          lock,
        )
      ).stdout,
    );
    const roles = (docs: Obj[]): unknown[] =>
      [...byKind(docs, 'Role'), ...byKind(docs, 'ClusterRole')].map((d) => [
        d.kind,
        d.metadata.namespace,
        d.metadata.name.replace(/^runbook-(serve|read-only)/, '<name>'),
        d.rules,
      ]);
    assert.deepEqual(roles(manifests), roles(rbac));
    assert.deepEqual(
      byKind(manifests, 'Role').map((r) => `${r.metadata.namespace}/${r.metadata.name}`),
      ['ops/runbook-serve', 'locks/runbook-serve-lock'],
    );
    const verbs = manifests.flatMap((d) => (d.rules ?? []) as { verbs: string[] }[]).flatMap((r) => r.verbs);
    assert.ok(
      verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
      verbs.join(' '),
    );
  });

  it('--role-namespace puts the Role where the runbooks act; --image and --name are taken; -o json is a List', async () => {
    const args = ['manifests', 'serve', '--namespace', 'monitoring', '--name', 'receiver'];
    const more = [
      '--role-namespace',
      'db',
      '--role-namespace',
      'default',
      '--image',
      'ghcr.io/team/runbook:0.1.0',
    ];
    const yaml = await cli([...args, ...more]);
    assert.equal(yaml.code, 0, yaml.stderr);
    const docs = docsOf(yaml.stdout);
    assert.deepEqual(
      byKind(docs, 'Role').map((r) => r.metadata.namespace),
      ['db', 'default'],
    );
    assert.deepEqual(
      byKind(docs, 'RoleBinding').map((r) => r.subjects),
      [
        [{ kind: 'ServiceAccount', name: 'receiver', namespace: 'monitoring' }],
        [{ kind: 'ServiceAccount', name: 'receiver', namespace: 'monitoring' }],
      ],
    );
    assert.doesNotMatch(yaml.stdout, /placeholder/);
    assert.match(yaml.stdout, /image: ghcr\.io\/team\/runbook:0\.1\.0/);
    const json = await cli([...args, ...more, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout) as { kind: string; items: Obj[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items, docs);
  });

  it("the Dockerfile builds the image the Deployment expects: the packed tarball, node's uid, runbook as entry point", async () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    assert.match(dockerfile, /^FROM node:20-slim$/m);
    assert.match(dockerfile, /^RUN npm install --global .*\/tmp\/runbook-\*\.tgz/m);
    // node:20-slim's `node` user is uid 1000, the number the pod's runAsUser gives.
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["runbook"\]$/m);
    assert.match(readFileSync('.dockerignore', 'utf8'), /^\*\n!runbook-\*\.tgz$/m);
    const docs = docsOf((await cli(['manifests', 'serve'])).stdout);
    const pod = (
      byKind(docs, 'Deployment')[0]?.spec as {
        template: { spec: { securityContext: object; containers: Container[] } };
      }
    ).template.spec;
    assert.equal((pod.securityContext as { runAsUser: number }).runAsUser, 1000);
    assert.equal(pod.containers[0]?.args[0], 'serve');
  });

  it('refuses a name Kubernetes would refuse, an image that is not a reference and an unknown format', async () => {
    const name = await cli(['manifests', 'serve', '--namespace', 'Ops!']);
    assert.equal(name.code, 2);
    assert.match(name.stderr, /--namespace "Ops!"/);
    const image = await cli(['manifests', 'serve', '--image', 'runbook latest']);
    assert.equal(image.code, 3);
    assert.match(image.stderr, /--image "runbook latest" is not an image reference/);
    const format = await cli(['manifests', 'serve', '-o', 'text']);
    assert.equal(format.code, 3);
    for (const r of [name, image, format]) assert.equal(r.stdout, '');
  });
});
