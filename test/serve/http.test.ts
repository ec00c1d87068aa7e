// What `runbook serve` answers before any alert is looked at: no token, no start (exit 18); a wrong or
// missing bearer token 401; over 1 MiB 413; not JSON (or not a payload) 400 with nothing done; healthz.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { routesInForce } from '../../src/cli/alerts/routes.js';
import { main } from '../../src/cli/main.js';
import { type RunningServe, startServe } from '../../src/serve/server.js';
import { alertmanagerPayload, postTo } from '../helpers/alertmanager.js';
import { cleanEnv } from '../helpers/cli.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-4b8e2a61';

function streams() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  err.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return { out, err, text: () => ({ stdout, stderr }) };
}

/** Serve with no cluster at all: nothing here may get as far as a dry run. */
function serveWithoutCluster(
  env: Record<string, string>,
  stdout: NodeJS.WritableStream = new PassThrough(),
): Promise<RunningServe> {
  return startServe({
    host: '127.0.0.1',
    port: 0,
    env: cleanEnv(env),
    kubeconfig: undefined,
    context: undefined,
    routes: routesInForce([]),
    stdout,
  });
}

describe('runbook serve without RUNBOOK_SERVE_TOKEN', () => {
  it('refuses to start, exit 18, and says which variable to set', async () => {
    const s = streams();
    const stdin = new PassThrough();
    const code = await main(['serve', '--listen', '127.0.0.1:0'], {
      stdout: s.out,
      stderr: s.err,
      stdin,
      env: cleanEnv({ RUNBOOK_SERVE_TOKEN: '' }),
      cwd: process.cwd(),
    });
    assert.equal(code, 18, s.text().stderr);
    assert.match(
      s.text().stderr,
      /RUNBOOK_SERVE_TOKEN is not set: runbook serve answers authenticated requests only/,
    );
    assert.equal(s.text().stdout, '');
  });
});

describe('runbook serve at the door', () => {
  let serve: RunningServe;
  let chat: Receiver;
  const logs = streams();
  const firing = JSON.stringify(
    alertmanagerPayload([{ status: 'firing', labels: { alertname: 'SomethingNoRunbookAnswers' } }]),
  );

  before(async () => {
    chat = await startReceiver();
    serve = await serveWithoutCluster(
      { RUNBOOK_SERVE_TOKEN: TOKEN, DISCORD_WEBHOOK_URL: chat.url },
      logs.out,
    );
  });
  after(async () => {
    await chat.close();
  });

  it('GET /healthz answers 200 without a token', async () => {
    const response = await fetch(`${serve.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
  });

  it('no token, a wrong one, or Basic: 401, nothing done', async () => {
    assert.equal((await postTo(serve.url, firing, undefined)).status, 401);
    assert.equal((await postTo(serve.url, firing, 'serve-token-planted-4b8e2a62')).status, 401);
    assert.equal((await postTo(serve.url, firing, `${TOKEN}x`)).status, 401);
    assert.equal((await postTo(serve.url, firing, '')).status, 401);
    const basic = await fetch(`${serve.url}/alertmanager`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`runbook:${TOKEN}`).toString('base64')}` },
      body: firing,
    });
    assert.equal(basic.status, 401);
    assert.equal(serve.intake.counts.posts, 0);
  });

  it('a body over 1 MiB: 413, nothing done', async () => {
    const big = JSON.stringify({ ...JSON.parse(firing), padding: 'x'.repeat(1024 * 1024) });
    const answer = await postTo(serve.url, big, TOKEN);
    assert.equal(answer.status, 413);
    assert.equal(serve.intake.counts.posts, 0);
  });

  it('bad JSON, or JSON that is no payload: 400 with the reason, nothing done', async () => {
    const bad = await postTo(serve.url, '{"version": "4", "alerts": [', TOKEN);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /The body is not JSON/);
    const other = await postTo(serve.url, JSON.stringify({ ...JSON.parse(firing), version: '3' }), TOKEN);
    assert.equal(other.status, 400);
    assert.match(other.text, /its version is \\"3\\"/);
    assert.deepEqual(serve.intake.counts, { dryRuns: 0, folded: 0, posts: 0 });
  });

  it('other paths 404, GET /alertmanager 405', async () => {
    assert.equal((await fetch(`${serve.url}/metrics`)).status, 404);
    assert.equal((await fetch(`${serve.url}/alertmanager`)).status, 405);
  });

  it('an unrouted alert, sent three times: one "no runbook answers" post; after stop, healthz is gone', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await postTo(serve.url, firing, TOKEN)).status, 202);
    await serve.stop();
    assert.deepEqual(
      chat.bodies.map((b) => b.content),
      ['❔ No runbook answers SomethingNoRunbookAnswers: see `runbook for-alert --list` for the routes.'],
    );
    await assert.rejects(fetch(`${serve.url}/healthz`));
    const { stdout } = logs.text();
    assert.ok(!stdout.includes(TOKEN));
    for (const line of stdout.trim().split('\n')) JSON.parse(line);
  });
});

describe('runbook serve with basic auth (RUNBOOK_SERVE_BASIC_AUTH=user:password)', () => {
  // The password holds a colon: only the first one splits (RFC 7617: the user name holds none).
  const USER = 'alertmanager';
  const PASSWORD = 'basic-pass:planted-5c1e0f93';
  let serve: RunningServe;
  let chat: Receiver;
  const logs = streams();
  const firing = JSON.stringify(
    alertmanagerPayload([{ status: 'firing', labels: { alertname: 'SomethingNoRunbookAnswers' } }]),
  );
  const send = async (authorization: string | undefined) => {
    const response = await fetch(`${serve.url}/alertmanager`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(authorization === undefined ? {} : { Authorization: authorization }),
      },
      body: firing,
    });
    await response.text();
    return response;
  };
  const basic = (userPassword: string): string => `Basic ${Buffer.from(userPassword).toString('base64')}`;

  before(async () => {
    chat = await startReceiver();
    serve = await serveWithoutCluster(
      { RUNBOOK_SERVE_BASIC_AUTH: `${USER}:${PASSWORD}`, DISCORD_WEBHOOK_URL: chat.url },
      logs.out,
    );
  });
  after(async () => {
    await chat.close();
  });

  it('a wrong user, a wrong password, a malformed header or a bearer token: 401, nothing done', async () => {
    const refused = [
      undefined,
      basic(`${USER}x:${PASSWORD}`),
      basic(`${USER}:${PASSWORD}x`),
      basic(`${USER}:`),
      basic(`:${PASSWORD}`),
      basic(`${USER}${PASSWORD}`),
      `Basic ${USER}:${PASSWORD}`,
      `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}!`,
      'Basic',
      `Bearer ${PASSWORD}`,
      `Bearer ${USER}:${PASSWORD}`,
    ];
    for (const header of refused) {
      const response = await send(header);
      assert.equal(response.status, 401, header);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="runbook serve"/);
    }
    assert.deepEqual(serve.intake.counts, { dryRuns: 0, folded: 0, posts: 0 });
  });

  it('the right user and password: accepted; neither is in any log', async () => {
    assert.equal((await send(basic(`${USER}:${PASSWORD}`))).status, 202);
    assert.equal(
      (await send(`basic   ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`)).status,
      202,
    );
    await serve.stop();
    assert.deepEqual(
      chat.bodies.map((b) => b.content),
      ['❔ No runbook answers SomethingNoRunbookAnswers: see `runbook for-alert --list` for the routes.'],
    );
    const { stdout } = logs.text();
    assert.ok(!stdout.includes(PASSWORD) && !stdout.includes('planted-5c1e0f93'));
    assert.match(stdout, /"event":"refused","reason":"no or wrong credentials"/);
  });
});

describe('runbook serve with both a token and basic auth', () => {
  it('takes either; a malformed RUNBOOK_SERVE_BASIC_AUTH refuses to start (exit 18)', async () => {
    const serve = await serveWithoutCluster({
      RUNBOOK_SERVE_TOKEN: TOKEN,
      RUNBOOK_SERVE_BASIC_AUTH: 'am:another-planted-pass',
    });
    const firing = JSON.stringify(alertmanagerPayload([{ status: 'firing', labels: { alertname: 'X' } }]));
    assert.equal((await postTo(serve.url, firing, TOKEN)).status, 202);
    const viaBasic = await fetch(`${serve.url}/alertmanager`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('am:another-planted-pass').toString('base64')}` },
      body: firing,
    });
    assert.equal(viaBasic.status, 202);
    assert.equal((await postTo(serve.url, firing, 'am:another-planted-pass')).status, 401);
    await serve.stop();

    for (const malformed of ['no-colon-here', ':password-only', 'user-only:']) {
      const s = streams();
      const code = await main(['serve', '--listen', '127.0.0.1:0'], {
        stdout: s.out,
        stderr: s.err,
        stdin: new PassThrough(),
        env: cleanEnv({ RUNBOOK_SERVE_BASIC_AUTH: malformed }),
        cwd: process.cwd(),
      });
      assert.equal(code, 18, s.text().stderr);
      assert.match(s.text().stderr, /RUNBOOK_SERVE_BASIC_AUTH must be user:password/);
      assert.ok(!s.text().stderr.includes(malformed), s.text().stderr);
    }
  });
});
