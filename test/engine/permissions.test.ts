// A runbook's permissions are derived from the kinds it declares: the declaration covers every
// builder and Reader call its source makes, and what it derives is what an operator would grant.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNBOOKS } from '../../runbooks/index.js';
import { kindsOf, permissionsOf } from '../../src/engine/permissions/derive.js';
import { type KubePermission, permissionKey } from '../../src/engine/permissions/permission.js';
import { linodeScopesOf, rbacObjects } from '../../src/engine/permissions/rbac-yaml.js';
import { ACTIONS, WAITS } from '../../src/engine/vocabulary/index.js';

/** The builder a runbook calls for each kind (the vocabulary's exported names). */
const BUILDERS: Record<string, string> = {
  scale: 'k8s.scale',
  deleteDeployment: 'k8s.delete-deployment',
  forceDeletePod: 'k8s.force-delete-pod',
  deletePod: 'k8s.delete-pod',
  apply: 'k8s.apply',
  deletePvc: 'k8s.delete-pvc',
  rolloutRestart: 'k8s.rollout-restart',
  setResources: 'k8s.set-resources',
  evict: 'k8s.evict',
  cordon: 'k8s.cordon',
  uncordon: 'k8s.uncordon',
  createPvc: 'k8s.create-pvc',
  createPv: 'k8s.create-pv',
  linodeStaticPv: 'k8s.create-pv',
  deletePv: 'k8s.delete-pv',
  execInPod: 'k8s.exec',
  detachVolume: 'linode.volume.detach',
  attachVolume: 'linode.volume.attach',
  recycleLkeNode: 'linode.lke.recycle-node',
  rebootLinode: 'linode.reboot',
  cloneVolume: 'linode.volume.clone',
  resizeVolume: 'linode.volume.resize',
  createVolume: 'linode.volume.create',
  terminateBackends: 'postgres.terminate',
  backupDatabases: 'postgres.backup',
  restoreBackup: 'postgres.restore',
  manualStep: 'operator.manual',
  deploymentReady: 'k8s.deployment-ready',
  nodeDrained: 'k8s.node-drained',
  nodeReady: 'k8s.node-ready',
  podReplaced: 'k8s.pod-replaced',
  podsGone: 'k8s.pods-gone',
  serverVersion: 'postgres.server-version',
  volumeActive: 'linode.volume-active',
  volumeDetached: 'linode.volume-detached',
  volumeReleased: 'k8s.volume-released',
  workloadReady: 'k8s.workload-ready',
};

function sourceOf(id: string): string {
  const files = [join('runbooks', `${id}.ts`)];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(path);
    }
  };
  const folders = [id];
  // Steps borrowed from another runbook's folder (node-recycle drains with node-drain's) are its own too.
  for (const [, folder] of readFileSync(files[0] ?? '', 'utf8').matchAll(/from '\.\/([a-z0-9-]+)\//g))
    if (folder !== undefined && !folders.includes(folder)) folders.push(folder);
  for (const folder of folders)
    try {
      walk(join('runbooks', folder));
    } catch {
      // A runbook in one file has no folder.
    }
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('the kinds each runbook declares', () => {
  it('every built-in runbook declares them', () => {
    for (const runbook of RUNBOOKS) assert.ok(kindsOf(runbook), `${runbook.id} declares its kinds`);
  });

  it('cover every builder and Reader call in its source', () => {
    for (const runbook of RUNBOOKS) {
      const kinds = kindsOf(runbook);
      assert.ok(kinds);
      const source = sourceOf(runbook.id);
      const declared = new Set<string>([...kinds.actions, ...kinds.waits]);
      for (const [builder, kind] of Object.entries(BUILDERS))
        if (new RegExp(`\\b${builder}\\(`).test(source))
          assert.ok(declared.has(kind), `${runbook.id} calls ${builder}() but does not declare ${kind}`);
      for (const [, method] of source.matchAll(/\.kube\.([a-zA-Z]+)\(/g))
        if (method !== 'identity')
          assert.ok(
            (kinds.reads.kube as readonly string[]).includes(method ?? ''),
            `${runbook.id} reads kube.${method}() undeclared`,
          );
      for (const [, method] of source.matchAll(/\.linode\.([a-zA-Z]+)\(/g))
        if (method !== 'identity')
          assert.ok(
            (kinds.reads.linode as readonly string[]).includes(method ?? ''),
            `${runbook.id} reads linode.${method}() undeclared`,
          );
    }
  });

  it('name only kinds that exist', () => {
    for (const runbook of RUNBOOKS) {
      const kinds = kindsOf(runbook);
      for (const kind of kinds?.actions ?? []) assert.ok(kind in ACTIONS, kind);
      for (const kind of kinds?.waits ?? []) assert.ok(kind in WAITS, kind);
    }
  });
});

const byId = (id: string) => {
  const runbook = RUNBOOKS.find((r) => r.id === id);
  assert.ok(runbook, id);
  return runbook;
};
const has = (ps: readonly KubePermission[], verb: string, group: string, resource: string): boolean =>
  ps.some((p) => p.verb === verb && p.group === group && p.resource === resource);

describe('the permissions derived', () => {
  it('node-drain: evictions and the cordon, node reads at the cluster scope, the lock in the namespace', () => {
    const ps = permissionsOf(byId('node-drain')).filter(
      (p): p is KubePermission => p.provider === 'kubernetes',
    );
    assert.ok(has(ps, 'create', '', 'pods/eviction'));
    assert.ok(ps.some((p) => p.verb === 'patch' && p.resource === 'nodes' && p.scope === 'cluster'));
    assert.ok(ps.some((p) => p.verb === 'update' && p.resource === 'leases' && p.scope === 'namespace'));
    // It never deletes a pod itself nor touches a Linode.
    assert.ok(!has(ps, 'delete', '', 'pods'));
    assert.ok(!linodeScopesOf(permissionsOf(byId('node-drain'))).some((s) => s.endsWith(':read_write')));
  });

  it('postgres-remount: the Linode volume detach asks volumes and linodes read_write', () => {
    const scopes = linodeScopesOf(permissionsOf(byId('postgres-remount')));
    assert.ok(scopes.includes('volumes:read_write'), scopes.join(' '));
    assert.ok(scopes.includes('linodes:read_write'), scopes.join(' '));
    assert.ok(!scopes.includes('lke:read_write'));
  });

  it('--read-only holds no verb that changes anything, and no read_write scope', () => {
    for (const runbook of RUNBOOKS) {
      const ps = permissionsOf(runbook, 'read-only');
      for (const p of ps)
        assert.ok(
          p.provider === 'kubernetes' ? ['get', 'list', 'watch'].includes(p.verb) : p.access === 'read_only',
          `${runbook.id}: ${permissionKey(p)}`,
        );
    }
  });

  it('one rule per resource, each permission in exactly one of the Role and the ClusterRole', () => {
    const ps = permissionsOf(byId('volume-reattach'));
    const { role, clusterRole } = rbacObjects(ps, 'default');
    const resources = [...role.rules, ...clusterRole.rules].map((r) => `${r.apiGroups[0]}/${r.resources[0]}`);
    assert.equal(new Set(role.rules.map((r) => r.resources[0])).size, role.rules.length);
    assert.ok(resources.length > 0);
    assert.ok(clusterRole.rules.some((r) => r.resources[0] === 'persistentvolumes'));
    assert.ok(!role.rules.some((r) => r.resources[0] === 'nodes'));
  });
});

describe('k8s.apply, per manifest kind', () => {
  it('every runbook that can apply declares which kinds, and each kind gets its own rule', () => {
    for (const runbook of RUNBOOKS) {
      const kinds = kindsOf(runbook);
      if (kinds?.actions.includes('k8s.apply') === true)
        assert.ok((kinds.applies ?? []).length > 0, `${runbook.id} applies manifests but declares no kinds`);
    }
    const core = permissionsOf(byId('core-services-restart')).filter(
      (p): p is KubePermission => p.provider === 'kubernetes',
    );
    assert.ok(has(core, 'create', 'apps', 'statefulsets') && has(core, 'patch', 'apps', 'statefulsets'));
    const remount = permissionsOf(byId('postgres-remount')).filter(
      (p): p is KubePermission => p.provider === 'kubernetes',
    );
    assert.ok(has(remount, 'create', 'apps', 'deployments'));
    assert.ok(!has(remount, 'create', 'apps', 'statefulsets'));
  });
});
