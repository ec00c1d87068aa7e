// `runbook serve` dry-runs a team's own runbook: its folder and routes come from runbook.config.yaml,
// loaded as `runbook serve` loads them (main's team loading, the config's routes), the alert posted to
// serve gets the team runbook's plan, and nothing is changed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { configRoutes, routesInForce } from '../../src/cli/alerts/routes.js';
import { teamRunbooksFor } from '../../src/cli/main.js';
import { runbookSource } from '../../src/cli/team/scaffold.js';
import { type RunningServe, startServe } from '../../src/serve/server.js';
import { alertmanagerPayload, postTo } from '../helpers/alertmanager.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-team-7e21b0';

/** A project whose runbook.config.yaml names its runbooks folder and routes SiteDown to restart-web. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-serve-team-'));
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'restart-web.ts'), runbookSource('restart-web'));
  writeFileSync(
    join(dir, 'runbook.config.yaml'),
    [
      'runbooksFolder: runbooks',
      'alerts:',
      '  - alert: SiteDown',
      '    runbook: restart-web',
      "    params: { namespace: '{{namespace}}', deployment: '{{deployment}}' }",
      '',
    ].join('\n'),
  );
  return dir;
}

describe("runbook serve and a team's runbook", () => {
  let h: SimHarness;
  let chat: Receiver;
  let serve: RunningServe;
  let stderr = '';
  let routes: ReturnType<typeof routesInForce>;

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    chat = await startReceiver();
    const err = new PassThrough();
    err.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const env = h.env({ RUNBOOK_SERVE_TOKEN: TOKEN, DISCORD_WEBHOOK_URL: chat.url });
    const io = { stdout: new PassThrough(), stderr: err, stdin: new PassThrough(), env, cwd: project() };
    // What `runbook serve` loads before it starts: the team's runbooks, then the config's routes.
    const team = await teamRunbooksFor(['serve'], undefined, io);
    assert.deepEqual(
      team.map((r) => r.id),
      ['restart-web'],
      stderr,
    );
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      env,
      kubeconfig: h.kubeconfig,
      context: undefined,
      routes: (routes = routesInForce([await configRoutes(io)])),
      runbooks: team,
      stdout: new PassThrough(),
    });
  });
  after(async () => {
    await chat.close();
    await h.stop();
  });

  it('a route in the team config names it: its dry run is posted; no change sent', async () => {
    const start = h.sim.requests.length;
    const firing = alertmanagerPayload([
      { status: 'firing', labels: { alertname: 'SiteDown', namespace: 'default', deployment: 'postgres' } },
    ]);
    assert.equal((await postTo(serve.url, JSON.stringify(firing), TOKEN)).status, 202);
    await serve.intake.idle();
    await serve.stop(1000); // flushes the chat
    assert.equal(serve.intake.counts.dryRuns, 1);
    assert.equal(chat.bodies.length, 1);
    const post = chat.bodies[0]?.content ?? '';
    assert.match(post, /^Runbook: restart-web$/m);
    assert.match(post, /^Command: `runbook restart-web --namespace default --deployment postgres`$/m);
    assert.match(post, /^• (verified|modelled|not previewable): .*postgres/m, post);
    assert.doesNotMatch(post, /did not load|by hand|Predicted failure/, post);
    assert.deepEqual(
      h.sim.requests.slice(start).filter((r) => r.method !== 'GET' && r.api !== 'control'),
      [],
      'no change sent',
    );
    assert.deepEqual(h.mutations(), []);
    assert.equal(stderr, '', 'the team folder loaded whole');
  });

  it('a routed runbook serve did not load is posted as one to run by hand, saying why', async () => {
    const none = await startServe({
      host: '127.0.0.1',
      port: 0,
      env: h.env({ RUNBOOK_SERVE_TOKEN: TOKEN, DISCORD_WEBHOOK_URL: chat.url }),
      kubeconfig: h.kubeconfig,
      context: undefined,
      routes,
      runbooks: [],
      stdout: new PassThrough(),
    });
    const before = chat.bodies.length;
    const firing = alertmanagerPayload([
      { status: 'firing', labels: { alertname: 'SiteDown', namespace: 'default', deployment: 'postgres' } },
    ]);
    assert.equal((await postTo(none.url, JSON.stringify(firing), TOKEN)).status, 202);
    await none.intake.idle();
    await none.stop(1000);
    assert.equal(none.intake.counts.dryRuns, 0);
    const post = chat.bodies.slice(before)[0]?.content ?? '';
    assert.match(post, /restart-web, which runbook serve did not load .*so it has nothing to dry-run/, post);
    assert.match(post, /runbook restart-web --namespace default --deployment postgres --dry-run/, post);
  });
});
