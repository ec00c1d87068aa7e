// Runs a runbook on the simulator under exactly what `runbook rbac <id>` prints: its Role,
// ClusterRole and bindings put in the world and enforced (the simulator's `rbac: true` policy, the
// real 403), and a Linode token with exactly the scopes printed (every other one taken away).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import { accessControlOf } from '../../src/sim/kube/authorization.js';
import { scopeFaults } from '../../src/sim/linode/scopes.js';
import { settle } from '../../src/sim/scenario.js';
import type { KubeObject } from '../../src/sim/world.js';
import { type CliResult, runCli } from './cli.js';
import { type SimHarness, startSimHarness } from './sim.js';

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

/** The same RBAC without the Role's rules for each of `resources`. */
export function withoutRoleRules(rbac: PrintedRbac, resources: readonly string[]): PrintedRbac {
  return resources.reduce(
    (left, resource) => withoutRule(left, 'Role', ruleFor(left, 'Role', resource)[0]),
    rbac,
  );
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
export async function runExpecting(
  h: SimHarness,
  args: readonly string[],
  code: number,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const result = await runCli(args, { env: h.env(env) });
  const shown = args.map((a) => a.replace(/:\/\/([^:@/]+):[^@/]+@/, '://$1:***@')).join(' ');
  assert.equal(result.exitCode, code, `runbook ${shown}\n${result.stderr}\n${result.stdout}`);
  return result;
}

export interface ExactRoleCase {
  readonly runbook: string;
  readonly scenario: string;
  /** The runbook's arguments after its id, without --dry-run or --yes. */
  readonly args?: readonly string[] | ((h: SimHarness) => readonly string[]);
  /** Sets the scene before either run (what the operator fixed by hand first). */
  readonly prepare?: (h: SimHarness) => void | Promise<void>;
  /** The rule taken out for the refusal: in the Role or the ClusterRole, by resource. */
  readonly without: { readonly kind: 'Role' | 'ClusterRole'; readonly resource: string };
  /** What the run leaves, checked after it. */
  readonly check?: (h: SimHarness) => void;
}

/** Requests the simulator refused (403, or Linode's 401 for a missing scope) since `from`. */
export const refusedSince = (h: SimHarness, from: number): string[] =>
  h.sim.requests
    .slice(from)
    .filter((r) => r.status === 403 || r.status === 401)
    .map((r) => `${r.status} ${r.method} ${r.path}`);

/**
 * Defines the suite: with one rule taken out, the run stops at the preflight naming it and nothing is
 * sent; with exactly the printed Role and scopes, the dry run and the run both succeed.
 */
export function describeUnderExactRole(c: ExactRoleCase, exitMissing: number): void {
  describe(`${c.runbook} under exactly what \`runbook rbac ${c.runbook}\` prints`, () => {
    let h: SimHarness;
    let args: string[] = [];
    before(async () => {
      h = await startSimHarness(c.scenario);
      await c.prepare?.(h);
      await settle(h.sim.world);
      args = [c.runbook, ...(typeof c.args === 'function' ? c.args(h) : (c.args ?? []))];
    });
    after(() => h.stop());

    it(`without its ${c.without.kind} rule for ${c.without.resource}: refused at the preflight, naming it; nothing sent`, async () => {
      const name = `${c.runbook}-without`;
      const rbac = await printedRbac([c.runbook], name);
      const [index, rule] = ruleFor(rbac, c.without.kind, c.without.resource);
      actUnder(h, withoutRule(rbac, c.without.kind, index), name);
      const result = await runExpecting(h, [...args, '--yes'], exitMissing);
      const where = c.without.kind === 'Role' ? 'Role in namespace default' : 'ClusterRole';
      assert.ok(
        result.stderr.includes(
          `(${where}: apiGroups ["${rule.apiGroups[0] ?? ''}"], resources ["${c.without.resource}"]`,
        ),
        result.stderr,
      );
      assert.match(result.stderr, new RegExp(`runbook rbac ${c.runbook}`));
      assert.deepEqual(h.mutations(), []);
      assert.deepEqual(h.locks(), []);
    });

    it('with exactly its Role and scopes: the dry run, then the run, succeed', async () => {
      const name = `${c.runbook}-exact`;
      actUnder(h, await printedRbac([c.runbook], name), name);
      const dry = await runExpecting(h, [...args, '--dry-run'], 0);
      assert.doesNotMatch(dry.stderr, /would be refused/);
      assert.deepEqual(h.mutations(), []);
      const from = h.sim.requests.length;
      await runExpecting(h, [...args, '--yes'], 0);
      assert.ok(h.mutations().length > 0, 'the run changed something');
      // The dry run's twin leaves out what it may not list (Secrets, CRDs, RBAC), by design; the run is refused nothing.
      assert.deepEqual(refusedSince(h, from), []);
      await settle(h.sim.world);
      c.check?.(h);
    });
  });
}
