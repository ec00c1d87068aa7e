// `runbook rbac`: what an operator pipes to kubectl apply, parsed as YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type InProcessResult, runInProcess } from '../helpers/in-process-cli.js';

const rbac = (args: readonly string[], env: Record<string, string> = {}): Promise<InProcessResult> =>
  runInProcess(['rbac', ...args], env);

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace: string }>;
}

describe('runbook rbac', () => {
  it('prints a ServiceAccount, a Role and a ClusterRole with their bindings, and the Linode scopes', async () => {
    const { code, stdout } = await rbac(['node-recycle', '--namespace', 'ops'], {
      RUNBOOK_LOCK_NAMESPACE: 'ops',
    });
    assert.equal(code, 0);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Doc);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    );
    const role = docs.find((d) => d.kind === 'Role');
    assert.equal(role?.metadata.namespace, 'ops');
    assert.equal(role?.metadata.name, 'runbook-node-recycle');
    const clusterRole = docs.find((d) => d.kind === 'ClusterRole');
    assert.deepEqual(clusterRole?.rules?.find((r) => r.resources[0] === 'nodes')?.verbs, [
      'get',
      'list',
      'watch',
      'patch',
    ]);
    for (const binding of docs.filter((d) => d.kind.endsWith('Binding')))
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'runbook', namespace: 'ops' }]);
    const scopes = /^# Linode token scopes: (.*)$/m.exec(stdout)?.[1]?.split(' ');
    assert.ok(scopes?.includes('lke:read_write') && scopes.includes('linodes:read_write'), stdout);
  });

  it('--read-only grants no verb that changes anything', async () => {
    const { code, stdout } = await rbac(['postgres-remount', 'node-drain', '--read-only']);
    assert.equal(code, 0);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Doc);
    const verbs = docs.flatMap((d) => d.rules ?? []).flatMap((r) => r.verbs);
    assert.ok(verbs.length > 0);
    for (const verb of verbs) assert.ok(['get', 'list', 'watch'].includes(verb), verb);
    assert.doesNotMatch(stdout, /read_write/);
    assert.equal(docs.find((d) => d.kind === 'Role')?.metadata.name, 'runbook-read-only');
  });

  it('refuses an unknown runbook and a name Kubernetes would refuse', async () => {
    const unknown = await rbac(['node-drian']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no runbook called "node-drian"/);
    const bad = await rbac(['node-drain', '--namespace', 'Ops!']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--namespace "Ops!"/);
    assert.equal(bad.stdout, '');
  });

  it("puts the lock's Lease in a Role of its own where runs take the lock, when that is elsewhere", async () => {
    const { code, stdout } = await rbac(['postgres-remount', '--namespace', 'db'], {
      RUNBOOK_LOCK_NAMESPACE: 'ops',
    });
    assert.equal(code, 0);
    const roles = parseAllDocuments(stdout)
      .map((d) => d.toJS() as Doc)
      .filter((d) => d.kind === 'Role');
    const lock = roles.find((r) => r.metadata.namespace === 'ops');
    assert.equal(lock?.metadata.name, 'runbook-postgres-remount-lock');
    assert.deepEqual(
      lock.rules?.map((r) => r.resources[0]),
      ['leases'],
    );
    const own = roles.find((r) => r.metadata.namespace === 'db');
    assert.ok(own?.rules?.some((r) => r.resources[0] === 'pods'));
    assert.ok(!(own?.rules ?? []).some((r) => r.resources[0] === 'leases'));
  });
});
