// Checks simulator responses against Linode's own OpenAPI description (4.189, saved in
// ../shared/linode-openapi), for the contract tests. Types, enums, nullability, nesting and required
// fields are checked; `additionalProperties: false` is relaxed, as the real API returns fields the
// spec omits, but every such field must be on EXTRA_FIELDS. Where the real API and the description
// disagree (linode.md §5) the simulator follows the real API and DIVERGENCES says why, by path.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Schema = Record<string, unknown>;

export const SPEC =
  process.env['LINODE_OPENAPI'] ??
  fileURLToPath(new URL('../../../../shared/linode-openapi/openapi-v4.189.0.yaml', import.meta.url));

/** Spec-vs-real differences the simulator reproduces on purpose (path → why). */
const DIVERGENCES: Record<string, string> = {
  // linode.md §5.1: the spec (and api-v4) say `unknown`; the real API sends `Unknown` (34 linodego fixtures).
  'nbnode.status':
    'NodeBalancer node status: the real API says "Unknown", the spec "unknown" (linode.md §5.1, linodego fixtures)',
  // linode.md §5.4.
  'pool.nodes[].instance_id':
    'pool node instance_id: spec 4.189 types it string; the real API sends an integer, null while provisioning (linode.md §5.4)',
  'node.instance_id':
    'LKE node instance_id is null while no Linode is provisioned: the spec says so in words, but its schema is not nullable (linode.md §5.4)',
  'event.secondary_entity':
    'event secondary_entity is null for most events in the real API; the spec says object (linode.md §2.2)',
  'event.secondary_entity.id':
    'secondary_entity.id is an integer in the real API and api-v4 (Entity.id: number)',
  'event.rate': 'event rate is null in real responses; the spec says string',
  'linode.backups.last_successful':
    'backups.last_successful is null until a backup exists (real responses, api-v4 types it string | null)',
  'account.credit_card.expiry':
    'credit_card.expiry is null with no card on file (api-v4 CreditCardData: null | string); the spec says string',
  'account.credit_card.last_four':
    'credit_card.last_four is null with no card on file (api-v4 CreditCardData: null | string); the spec says string',
  'event.entity.type':
    'LKE events have entity type "lkecluster" (api-v4 EntityType), missing from the 4.189 enum',
};

/** Fields the real API returns beyond the 4.189 schemas (linode.md §0, §2). */
const EXTRA_FIELDS = new Set([
  'volume.io_ready',
  'volume.locks',
  'cluster.status',
  'cluster.tier',
  'cluster.apl_enabled',
  'pool.label',
  'pool.disk_encryption',
  'nbnode.vpc_config_id',
  'nodebalancer.type',
  'nodebalancer.lke_cluster',
  'linode.disk_encryption',
  // Parent/child accounts: api-v4 Profile.user_type ('child' | 'default' | 'parent' | 'proxy').
  'profile.user_type',
  // Declared by @linode/api-v4 0.158's types, past spec 4.189 (shapes.test.ts lists them all).
  'linode.locks',
  'linode.maintenance_policy',
  'linode.site_type',
  'linode.interface_generation',
  'linode.specs.accelerated_devices',
  'cluster.stack_type',
  'cluster.vpc_id',
  'cluster.subnet_id',
  'nodebalancer.client_udp_sess_throttle',
  'nodebalancer.frontend_address_type',
  'nodebalancer.frontend_vpc_subnet_id',
  'config.udp_check_port',
  'config.udp_session_timeout',
  'event.start_time',
  'event.complete_time',
  'event.description',
  'event.source',
  'event.not_before',
  'event.maintenance_policy_set',
]);

interface Finding {
  path: string;
  problem: string;
}

type Validate = (schema: unknown, value: unknown, path: string) => { problems: Finding[]; extras: string[] };

function createValidator(doc: Schema): Validate {
  const deref = (schema: unknown): Schema => {
    let current = schema as Schema;
    for (let i = 0; i < 20 && typeof current['$ref'] === 'string'; i++) {
      const ref = current['$ref'];
      let node: unknown = doc;
      for (const part of ref.slice(2).split('/')) node = (node as Schema)[part];
      current = node as Schema;
    }
    return current;
  };
  /** Folds allOf into one schema (properties merged), so extra-field detection sees all of them. */
  const flatten = (schema: unknown): Schema => {
    const s = deref(schema);
    if (!Array.isArray(s['allOf'])) return s;
    const merged: Schema = {
      ...s,
      allOf: undefined,
      properties: { ...(s['properties'] as Schema | undefined) },
    };
    for (const part of s['allOf'] as unknown[]) {
      const flat = flatten(part);
      Object.assign(merged, { ...flat, properties: merged['properties'] });
      Object.assign(merged['properties'] as Schema, flat['properties'] ?? {});
      if (flat['nullable'] === true) merged['nullable'] = true;
    }
    return merged;
  };
  const walk = (
    schema: unknown,
    value: unknown,
    path: string,
    problems: Finding[],
    extras: string[],
  ): void => {
    const s = flatten(schema);
    const alternatives = (s['oneOf'] ?? s['anyOf']) as unknown[] | undefined;
    if (alternatives !== undefined) {
      const tries = alternatives.map((alt) => {
        const p: Finding[] = [];
        const e: string[] = [];
        walk(alt, value, path, p, e);
        return { p, e };
      });
      const best = tries.find((t) => t.p.length === 0) ?? tries[0];
      if (best !== undefined) {
        problems.push(...best.p);
        extras.push(...best.e);
      }
      return;
    }
    if (value === null) {
      if (s['nullable'] !== true && s['type'] !== undefined)
        problems.push({ path, problem: 'null, not nullable' });
      return;
    }
    const type = s['type'];
    const ok =
      type === undefined ||
      (type === 'integer' && Number.isInteger(value)) ||
      (type === 'number' && typeof value === 'number') ||
      (type === 'string' && typeof value === 'string') ||
      (type === 'boolean' && typeof value === 'boolean') ||
      (type === 'array' && Array.isArray(value)) ||
      (type === 'object' && typeof value === 'object' && !Array.isArray(value));
    if (!ok) {
      problems.push({ path, problem: `${JSON.stringify(value)} is not ${JSON.stringify(type)}` });
      return;
    }
    if (Array.isArray(s['enum']) && !s['enum'].includes(value)) {
      problems.push({ path, problem: `${JSON.stringify(value)} not in ${JSON.stringify(s['enum'])}` });
    }
    if (Array.isArray(value) && s['items'] !== undefined) {
      for (const item of value) walk(s['items'], item, `${path}[]`, problems, extras);
    }
    if (
      typeof value === 'object' &&
      !Array.isArray(value) &&
      (type === 'object' || s['properties'] !== undefined)
    ) {
      const properties = (s['properties'] ?? {}) as Schema;
      const record = value as Schema;
      for (const required of (s['required'] as string[] | undefined) ?? []) {
        if (!(required in record)) problems.push({ path, problem: `missing required ${required}` });
      }
      if (s['maxProperties'] === 0 && Object.keys(record).length > 0)
        problems.push({ path, problem: 'must be {}' });
      for (const [key, child] of Object.entries(record)) {
        const sub = properties[key];
        if (sub === undefined) {
          if (s['properties'] !== undefined) extras.push(`${path}.${key}`);
          continue;
        }
        walk(sub, child, `${path}.${key}`, problems, extras);
      }
    }
  };
  return (schema, value, path) => {
    const problems: Finding[] = [];
    const extras: string[] = [];
    walk(schema, value, path, problems, extras);
    return { problems, extras };
  };
}

/** Names a path in the response by the entity it belongs to, to match DIVERGENCES and EXTRA_FIELDS. */
function entityPath(name: string, path: string): string {
  return path.replace(/^[a-z]+s\.data\[\]/, name).replace(/^[a-z]+(?=\.|$)/, name);
}

export type Method = 'get' | 'post' | 'delete';

export interface Contract {
  /**
   * Asserts `body` matches the spec's response for `status` ('200', or 'default': the error body
   * every operation declares). `name` names the entity (plural for a page, e.g. 'volumes').
   */
  check(specPath: string, method: Method, status: '200' | 'default', body: unknown, name: string): void;
  /** The OAuth scopes the spec's `security` asks of the operation, comma-separated as the API sends them. */
  scopes(specPath: string, method: Method): string;
}

/** The contract, or why it cannot be checked here (no ../shared, no js-yaml). */
export async function openContract(): Promise<Contract | string> {
  const yaml = await import('js-yaml').catch(() => undefined);
  if (!existsSync(SPEC)) return `no spec at ${SPEC} (../shared is absent)`;
  if (yaml === undefined) return 'js-yaml is not installed';
  const doc = yaml.load(readFileSync(SPEC, 'utf8')) as Schema;
  const validate = createValidator(doc);
  const operation = (specPath: string, method: Method): Schema => {
    const found = ((doc['paths'] as Schema)[specPath] as Schema | undefined)?.[method] as Schema | undefined;
    assert.ok(found, `the spec has ${method.toUpperCase()} ${specPath}`);
    return found;
  };
  return {
    check(specPath, method, status, body, name) {
      const response = (operation(specPath, method)['responses'] as Schema)[status] as Schema | undefined;
      assert.ok(response, `the spec declares ${status} for ${method.toUpperCase()} ${specPath}`);
      const schema = ((response['content'] as Schema)['application/json'] as Schema)['schema'];
      const { problems, extras } = validate(schema, body, name);
      const singular = name.replace(/s$/, '');
      const where = `${method.toUpperCase()} ${specPath} (${status})`;
      const unexpected = problems.filter((p) => DIVERGENCES[entityPath(singular, p.path)] === undefined);
      assert.deepEqual(unexpected, [], `${where} disagrees with the spec: ${JSON.stringify(body)}`);
      const unlisted = [...new Set(extras.map((e) => entityPath(singular, e)))].filter(
        (e) => !EXTRA_FIELDS.has(e),
      );
      assert.deepEqual(
        unlisted,
        [],
        `${where} returns fields neither in the spec nor in the documented extras`,
      );
    },
    scopes(specPath, method) {
      const security = (operation(specPath, method)['security'] ?? []) as Array<Record<string, string[]>>;
      return security.flatMap((s) => s['oauth'] ?? []).join(',');
    },
  };
}
