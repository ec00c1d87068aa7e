// Runs a runbook on the simulator under exactly what `runbook rbac <id>` prints: its Role,
// ClusterRole and bindings put in the world and enforced (the simulator's `rbac: true` policy, the
// real 403), and a Linode token with exactly the scopes printed (every other one taken away).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import { accessControlOf } from '../../src/sim/kube/authorization.js';
import { scopeFaults } from '../../src/sim/linode/scopes.js';
import type { KubeObject } from '../../src/sim/world.js';
import { type CliResult, runCli } from './cli.js';
import type { SimHarness } from './sim.js';

export interface RbacRuleDoc {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface RbacDoc extends KubeObject {
  rules?: RbacRuleDoc[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}

export interface PrintedRbac {
  readonly docs: RbacDoc[];
  readonly scopes: string[];
}

/** What `runbook rbac <ids…>` prints, parsed. */
export async function printedRbac(ids: readonly string[], name: string): Promise<PrintedRbac> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await main(['rbac', ...ids, '--service-account', name, '--name', name], {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH ?? '' },
    cwd: process.cwd(),
  });
  assert.equal(code, 0, out);
  const scopesLine = /^# Linode token scopes: (.*)$/m.exec(out)?.[1] ?? '';
  const scopes = scopesLine.startsWith('none') ? [] : scopesLine.split(' ').filter((s) => s !== '');
  return { docs: parseAllDocuments(out).map((d) => d.toJS() as RbacDoc), scopes };
}

/**
 * From now on the simulator's callers act as ServiceAccount `name` (in `default`), granted exactly
 * `rbac`: objects named `name` (a name not used before) are put in the world, the RBAC
 * policy switched on, and the Linode token left exactly `rbac.scopes`.
 */
export function actUnder(h: SimHarness, rbac: PrintedRbac, name: string): void {
  for (const doc of rbac.docs) {
    const own = structuredClone(doc);
    own.metadata.name = name;
    if (own.roleRef !== undefined) own.roleRef.name = name;
    for (const s of own.subjects ?? []) s.name = name;
    h.sim.world.kube.create(own);
  }
  const access = accessControlOf(h.sim.world.kube);
  assert.ok(access);
  access.setPolicy({ user: `system:serviceaccount:default:${name}`, deny: [], rbac: true });
  for (const fault of h.sim.world.faults.list())
    if (fault.kind === 'linode-missing-scope') h.sim.world.faults.remove(fault);
  for (const fault of scopeFaults(rbac.scopes)) h.sim.world.faults.add(fault);
}

/** The same RBAC without the `index`th rule of the `kind` document. */
export function withoutRule(rbac: PrintedRbac, kind: 'Role' | 'ClusterRole', index: number): PrintedRbac {
  return {
    ...rbac,
    docs: rbac.docs.map((d) =>
      d.kind === kind ? { ...d, rules: (d.rules ?? []).filter((_, i) => i !== index) } : d,
    ),
  };
}

/** The rule in `kind` whose resource is `resource` (its index and the rule). */
export function ruleFor(
  rbac: PrintedRbac,
  kind: 'Role' | 'ClusterRole',
  resource: string,
): [number, RbacRuleDoc] {
  const rules = rbac.docs.find((d) => d.kind === kind)?.rules ?? [];
  const index = rules.findIndex((r) => r.resources.includes(resource));
  const rule = rules[index];
  assert.ok(rule, `${kind} has a rule for ${resource}`);
  return [index, rule];
}

/** Runs the CLI; asserts it exited `code`, showing its output when not. */
export async function runExpecting(h: SimHarness, args: readonly string[], code: number): Promise<CliResult> {
  const result = await runCli(args, { env: h.env() });
  assert.equal(result.exitCode, code, `runbook ${args.join(' ')}\n${result.stderr}\n${result.stdout}`);
  return result;
}
