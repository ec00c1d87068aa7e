// The README's Alertmanager configuration is one a team can paste: it parses, uses only the keys
// Alertmanager reads, routes to a receiver that exists, and posts where `runbook serve` listens (the
// manifests' Service, serve's path) with a bearer token serve accepts, tried against serve itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseListen } from '../../src/cli/commands/serve.js';
import { type RunningServe, TOKEN_VARIABLE, startServe } from '../../src/serve/server.js';
import { ROOT } from '../helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The keys Alertmanager's config reads (prometheus/alertmanager config.go, prometheus/common http_config.go). */
const KEYS = {
  root: [
    'global',
    'route',
    'receivers',
    'inhibit_rules',
    'templates',
    'time_intervals',
    'mute_time_intervals',
  ],
  route: [
    'receiver',
    'group_by',
    'continue',
    'matchers',
    'match',
    'match_re',
    'group_wait',
    'group_interval',
    'repeat_interval',
    'mute_time_intervals',
    'active_time_intervals',
    'routes',
  ],
  receiver: [
    'name',
    'webhook_configs',
    'email_configs',
    'slack_configs',
    'pagerduty_configs',
    'discord_configs',
  ],
  webhook: ['url', 'url_file', 'send_resolved', 'http_config', 'max_alerts', 'timeout'],
  http: [
    'authorization',
    'basic_auth',
    'oauth2',
    'tls_config',
    'proxy_url',
    'follow_redirects',
    'enable_http2',
  ],
  authorization: ['type', 'credentials', 'credentials_file'],
};

interface Route {
  receiver?: string;
  group_by?: string[];
  matchers?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: Route[];
}
interface Webhook {
  url: string;
  send_resolved?: boolean;
  http_config?: { authorization?: { type?: string; credentials?: string; credentials_file?: string } };
}
interface Config {
  route: Route;
  receivers: { name: string; webhook_configs?: Webhook[] }[];
}

function onlyKeys(what: string, object: object, known: readonly string[]): void {
  for (const key of Object.keys(object))
    assert.ok(known.includes(key), `${what}: Alertmanager reads no "${key}"`);
}

function routesOf(route: Route): Route[] {
  return [route, ...(route.routes ?? []).flatMap(routesOf)];
}

const example = /```yaml\n(# alertmanager\.yml[\s\S]*?)```/.exec(README)?.[1];
const config = parse(example ?? '') as Config;
const webhook = (): Webhook => {
  const receiver = config.receivers.find((r) => r.webhook_configs !== undefined);
  assert.ok(receiver?.webhook_configs?.[0] !== undefined);
  return receiver.webhook_configs[0];
};

describe("README's Alertmanager configuration", () => {
  it('parses, with only the keys Alertmanager reads', () => {
    assert.ok(example !== undefined, 'the README has an alertmanager.yml block');
    onlyKeys('top level', config, KEYS.root);
    for (const route of routesOf(config.route)) onlyKeys('route', route, KEYS.route);
    for (const receiver of config.receivers) {
      onlyKeys(`receiver ${receiver.name}`, receiver, KEYS.receiver);
      for (const w of receiver.webhook_configs ?? []) {
        onlyKeys('webhook_config', w, KEYS.webhook);
        onlyKeys('http_config', w.http_config ?? {}, KEYS.http);
        onlyKeys('authorization', w.http_config?.authorization ?? {}, KEYS.authorization);
      }
    }
    const names = config.receivers.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, 'receiver names are unique');
    for (const route of routesOf(config.route))
      if (route.receiver !== undefined)
        assert.ok(names.includes(route.receiver), `no receiver ${route.receiver}`);
  });

  it("routes the team's alerts to the webhook receiver, grouped by alert name, resolved ones too", () => {
    const receiver = config.receivers.find((r) => r.webhook_configs !== undefined);
    assert.ok(receiver !== undefined);
    const route = routesOf(config.route).find((r) => r.receiver === receiver.name);
    assert.ok(route !== undefined, `a route sends to ${receiver.name}`);
    assert.ok(route.group_by?.includes('alertname'));
    for (const interval of [route.group_wait, route.repeat_interval])
      assert.match(interval ?? '', /^\d+(ms|s|m|h|d|w|y)$/, 'a duration Alertmanager reads');
    assert.ok((route.matchers ?? []).length > 0, "only the team's alerts");
    assert.equal(webhook().send_resolved, true);
  });

  it('posts to the Service `runbook manifests serve` makes, with a Bearer token from the Secret the README creates', () => {
    const url = new URL(webhook().url);
    const namespace = /runbook manifests serve --namespace (\S+)/.exec(README)?.[1];
    assert.equal(url.protocol, 'http:');
    assert.equal(url.host, `runbook-serve.${namespace ?? ''}.svc:${parseListen(undefined).port}`);
    const auth = webhook().http_config?.authorization;
    assert.equal(auth?.type, 'Bearer');
    assert.ok((auth?.credentials === undefined) !== (auth?.credentials_file === undefined), 'one of the two');
    const [, secret, key] =
      /^\/etc\/alertmanager\/secrets\/([^/]+)\/([^/]+)$/.exec(auth?.credentials_file ?? '') ?? [];
    assert.ok(secret !== undefined && key !== undefined, 'mounted as the Prometheus Operator mounts secrets');
    assert.match(
      README,
      new RegExp(
        `kubectl create secret generic ${secret} --namespace ${namespace ?? ''} \\\\\\n +--from-literal=${key}=`,
      ),
    );
  });

  describe('against runbook serve itself', () => {
    const token = 'readme-serve-token-0e1f';
    let serve: RunningServe;
    before(async () => {
      serve = await startServe({
        host: '127.0.0.1',
        port: 0,
        env: { [TOKEN_VARIABLE]: token },
        kubeconfig: undefined,
        context: undefined,
        routes: [],
        stdout: new PassThrough(),
      });
    });
    after(async () => {
      await serve.stop(1000);
    });

    it("serve answers the README's path and authorization (bad body: 400, wrong token: 401)", async () => {
      const path = new URL(webhook().url).pathname;
      const type = webhook().http_config?.authorization?.type ?? '';
      const post = (authorization: string): Promise<Response> =>
        fetch(`${serve.url}${path}`, { method: 'POST', headers: { authorization }, body: 'not json' });
      assert.equal((await post(`${type} ${token}`)).status, 400);
      assert.equal((await post(`${type} wrong-token`)).status, 401);
    });
  });
});
