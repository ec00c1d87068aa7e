// Each runbook's generated Role, put in the simulator's world and enforced there (RBAC on): the
// preflight finds nothing missing; with any one rule taken out, it names exactly that rule.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RUNBOOKS } from '../../runbooks/index.js';
import { permissionsOf } from '../../src/engine/permissions/derive.js';
import {
  type AccessReviewer,
  type PreflightWhere,
  findMissing,
  preflight,
} from '../../src/engine/permissions/preflight.js';
import { rbacYaml } from '../../src/engine/permissions/rbac-yaml.js';
import { isRunbookError } from '../../src/engine/errors.js';
import { connectKube, createAccessReviewer } from '../../src/providers/kubernetes/index.js';
import { accessControlOf } from '../../src/sim/kube/authorization.js';
import type { KubeObject } from '../../src/sim/world.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const IN_DEFAULT: PreflightWhere = { namespaces: ['default'], lockNamespace: 'default' };

interface RoleDoc extends KubeObject {
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}

describe('the preflight under exactly the generated Role', () => {
  let h: SimHarness;
  let reviewer: AccessReviewer;
  before(async () => {
    h = await startSimHarness('healthy');
    reviewer = createAccessReviewer(await connectKube({ kubeconfig: h.kubeconfig, env: {} }));
  });
  after(async () => {
    await h.stop();
  });

  /** Puts the objects in the world under `name`, for ServiceAccount `name`, and acts as it. */
  function grant(docs: readonly RoleDoc[], name: string): void {
    for (const doc of docs) {
      const renamed = structuredClone(doc) as RoleDoc & {
        roleRef?: { name: string };
        subjects?: Array<{ name: string }>;
      };
      renamed.metadata.name = name;
      if (renamed.roleRef) renamed.roleRef.name = name;
      for (const s of renamed.subjects ?? []) s.name = name;
      h.sim.world.kube.create(renamed);
    }
    const access = accessControlOf(h.sim.world.kube);
    assert.ok(access);
    access.setPolicy({ user: `system:serviceaccount:default:${name}`, deny: [], rbac: true });
  }

  for (const runbook of RUNBOOKS)
    it(`${runbook.id}: passes with its Role, and names any one rule taken out`, async () => {
      const permissions = permissionsOf(runbook);
      const docs = parseAllDocuments(
        rbacYaml(permissions, { namespace: 'default', serviceAccount: 'x', name: 'x' }, runbook.id),
      ).map((d) => d.toJS() as RoleDoc);
      grant(docs, `rb-${runbook.id}`);
      await preflight(runbook.id, permissions, IN_DEFAULT, reviewer);

      let variant = 0;
      for (const [index, doc] of docs.entries()) {
        for (const [ruleIndex, rule] of (doc.rules ?? []).entries()) {
          const fewer = docs.map((d, i) =>
            i === index ? { ...d, rules: (d.rules ?? []).filter((_, r) => r !== ruleIndex) } : d,
          );
          grant(fewer, `rb-${runbook.id}-${variant++}`);
          // The rest of the Role is as above, where all passed: only this rule's permissions can fail.
          const ofRule = permissions.filter(
            (p) =>
              p.provider === 'kubernetes' &&
              (p.scope === 'cluster') === (doc.kind === 'ClusterRole') &&
              rule.apiGroups.includes(p.group) &&
              rule.resources.includes(p.resource) &&
              rule.verbs.includes(p.verb),
          );
          assert.ok(ofRule.length > 0, `${doc.kind} rule ${JSON.stringify(rule)} is needed`);
          const missing = await findMissing(ofRule, IN_DEFAULT, reviewer, undefined);
          assert.equal(missing.length, ofRule.length, `${doc.kind} without ${JSON.stringify(rule)} passes`);
          const refused = await preflight(runbook.id, ofRule, IN_DEFAULT, reviewer).then(
            () => undefined,
            (error: unknown) => error,
          );
          assert.ok(isRunbookError(refused) && refused.code === 'missing-permission');
          assert.ok(refused.message.includes(`resources ["${rule.resources[0] ?? ''}"]`), refused.message);
        }
      }
      assert.ok(variant > 0, 'a Role with rules');
    });
});
