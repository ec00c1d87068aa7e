// Flags beat the environment, which beats the team's file, which beats the built-in defaults: seen in
// `runbook config --output json` and in what a real run does. The file is found from a subfolder, or
// wherever RUNBOOK_CONFIG points, and its paths are relative to its own folder.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { journalPath } from '../../src/engine/journal.js';
import { TEST_STATE_DIR, cleanEnv } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';
import { type EffectiveJson, runIn, teamRepository } from './run-in.js';

const TEAM_FILE = [
  '# our team',
  'runbooks:',
  '  postgres-remount:',
  '    namespace: nowhere',
  '    deployment: postgres',
  '  core-services-restart:',
  '    waves: ops/waves.yaml',
  '    timeout: 240',
  'defaults:',
  '  timeout: 120',
  'lock:',
  '  namespace: kube-system',
  '',
].join('\n');

async function effective(
  cwd: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<EffectiveJson> {
  const result = await runIn(cwd, ['config', '--output', 'json', ...args], env);
  assert.equal(result.exitCode, 0, result.stderr);
  return JSON.parse(result.stdout) as EffectiveJson;
}

function repositoryWithWaves(): string {
  const repo = teamRepository(TEAM_FILE);
  mkdirSync(join(repo, 'ops'));
  writeFileSync(join(repo, 'ops', 'waves.yaml'), 'network: []\n');
  mkdirSync(join(repo, 'services', 'db'), { recursive: true });
  return repo;
}

describe('runbook config: each value and where it came from', () => {
  it('file beats built-in; the environment beats the file; found from a subfolder', async () => {
    const repo = repositoryWithWaves();
    const sub = join(repo, 'services', 'db');
    const fromFile = await effective(sub, cleanEnv());
    assert.equal(fromFile.file?.path, join(repo, 'runbook.config.yaml'));
    const remount = fromFile.runbooks['postgres-remount'];
    assert.deepEqual(remount?.namespace, {
      value: 'nowhere',
      source: {
        from: 'file',
        file: join(repo, 'runbook.config.yaml'),
        line: 4,
        key: 'runbooks.postgres-remount.namespace',
      },
    });
    assert.deepEqual(remount?.strategy, { value: 'scale', source: { from: 'built-in' } });
    assert.equal(
      fromFile.runbooks['core-services-restart']?.waves?.value,
      join(repo, 'ops', 'waves.yaml'),
      "a path is relative to the file's folder, not the working directory",
    );
    assert.equal(
      fromFile.runbooks['node-drain']?.timeout?.value,
      '120',
      'defaults: reach every runbook with it',
    );
    assert.equal(fromFile.settings['lock.namespace']?.value, 'kube-system');
    assert.equal(
      fromFile.runbooks['core-services-restart']?.timeout?.value,
      '240',
      "a runbook's own section wins",
    );
    assert.equal(fromFile.settings['lock.namespace']?.source.line, 12);

    const fromEnv = await effective(
      sub,
      cleanEnv({ RUNBOOK_PARAM_NAMESPACE: 'db', RUNBOOK_LOCK_NAMESPACE: 'ops', RUNBOOK_PARAM_TIMEOUT: '60' }),
    );
    assert.deepEqual(fromEnv.runbooks['postgres-remount']?.namespace, {
      value: 'db',
      source: { from: 'environment', variable: 'RUNBOOK_PARAM_NAMESPACE' },
    });
    assert.equal(
      fromEnv.runbooks['volume-reattach']?.namespace?.value,
      'db',
      'every runbook with a namespace',
    );
    assert.equal(fromEnv.runbooks['node-drain']?.timeout?.value, '60');
    assert.deepEqual(fromEnv.settings['lock.namespace'], {
      value: 'ops',
      source: { from: 'environment', variable: 'RUNBOOK_LOCK_NAMESPACE' },
    });
  });

  it('without a file: built-in values, and the text output says so', async () => {
    const bare = teamRepository('');
    const json = await effective(bare, cleanEnv(), '--runbook', 'postgres-remount');
    assert.deepEqual(Object.keys(json.runbooks), ['postgres-remount'], '--runbook narrows it');
    assert.deepEqual(json.runbooks['postgres-remount']?.namespace, {
      value: 'default',
      source: { from: 'built-in' },
    });
    assert.deepEqual(json.settings['lock.namespace'], { value: 'default', source: { from: 'built-in' } });
  });

  it('RUNBOOK_CONFIG wins over the file found upwards, and is named as the source', async () => {
    const repo = repositoryWithWaves();
    const other = teamRepository('runbooks:\n  postgres-remount:\n    deployment: pg-main\n');
    const json = await effective(
      repo,
      cleanEnv({ RUNBOOK_CONFIG: join(other, 'runbook.config.yaml') }),
      'postgres-remount',
    );
    assert.deepEqual(json.file, { path: join(other, 'runbook.config.yaml'), how: 'RUNBOOK_CONFIG' });
    assert.equal(json.runbooks['postgres-remount']?.deployment?.value, 'pg-main');
    assert.deepEqual(json.runbooks['postgres-remount']?.namespace?.source, { from: 'built-in' });
  });

  it('masks every secret: the Linode token, webhook URLs, the database password', async () => {
    const repo = teamRepository('chat:\n  discord: TEAM_DISCORD_HOOK\n');
    const secrets = {
      LINODE_TOKEN: 'linode-token-0123456789abcdef',
      TEAM_DISCORD_HOOK: 'https://discord.com/api/webhooks/42/team-hook-secret',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/slack-hook-secret',
      DATABASE_URL: 'postgres://app:db-password-secret@db.internal:5432/app',
      PGPASSWORD: 'pg-password-secret',
    };
    for (const output of ['text', 'json']) {
      const result = await runIn(repo, ['config', '--output', output], cleanEnv(secrets));
      assert.equal(result.exitCode, 0, result.stderr);
      for (const [name, value] of Object.entries(secrets)) {
        const secret = name === 'DATABASE_URL' ? 'db-password-secret' : value;
        assert.ok(!result.stdout.includes(secret), `${output} output shows ${name}`);
      }
      assert.match(result.stdout, /set \(LINODE_TOKEN\)/);
      assert.match(result.stdout, /set \(TEAM_DISCORD_HOOK\)/);
      assert.match(result.stdout, /set \(SLACK_WEBHOOK_URL\)/);
      assert.match(result.stdout, /postgres:\/\/app:\*\*\*@db\.internal:5432\/app/);
    }
  });
});

describe('a real run takes its parameters and settings in the same order', () => {
  let h: SimHarness;
  let receiver: Receiver;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await h.stop();
  });

  it('postgres-remount --sim --dry-run: file, then environment, then flag', async () => {
    const repo = repositoryWithWaves();
    const sub = join(repo, 'services', 'db');
    const args = ['postgres-remount', '--sim', '--dry-run', '--speed', 'instant'];

    const file = await runIn(sub, args);
    assert.equal(file.exitCode, EXIT_CODES.precondition, file.stdout + file.stderr);
    assert.match(
      file.stderr,
      /Deployment nowhere\/postgres does not exist\./,
      'the namespace came from the file',
    );

    const env = await runIn(sub, args, cleanEnv({ RUNBOOK_PARAM_NAMESPACE: 'elsewhere' }));
    assert.equal(env.exitCode, EXIT_CODES.precondition);
    assert.match(
      env.stderr,
      /Deployment elsewhere\/postgres does not exist\./,
      'the environment beat the file',
    );

    const flag = await runIn(
      sub,
      [...args, '--namespace', 'default'],
      cleanEnv({ RUNBOOK_PARAM_NAMESPACE: 'elsewhere' }),
    );
    assert.equal(flag.exitCode, 0, flag.stdout + flag.stderr);
    assert.match(flag.stdout, /scale deployment default\/postgres from 1 to 0/, 'the flag beat both');
  });

  it("takes the lock in the file's namespace and posts to the webhook the file names, keeping its URL secret", async () => {
    const repo = teamRepository(
      'runbooks:\n  postgres-remount:\n    backup: skip\nlock:\n  namespace: kube-system\nchat:\n  discord: TEAM_HOOK\n',
    );
    const result = await runIn(repo, ['postgres-remount', '--yes'], h.env({ TEAM_HOOK: receiver.url }));
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /lock {5}kube-system\/runbook-lock, held by this run/);
    assert.ok(
      h.locks().length > 0 && h.locks().every((r) => r.path.includes('/namespaces/kube-system/leases')),
    );
    const messages = receiver.bodies.map((b) => b.content ?? '');
    assert.match(messages[0] ?? '', /started `postgres-remount`/);
    assert.match(messages.at(-1) ?? '', /finished/);
    assert.ok(
      !result.stdout.includes('token-in-the-url') && !messages.join('\n').includes('token-in-the-url'),
    );
    const runId = /run {6}(\S+)/.exec(result.stdout)?.[1] ?? 'no run id';
    const journal = readFileSync(journalPath(TEST_STATE_DIR, runId), 'utf8');
    assert.match(journal, /"type":"end"/);
    assert.ok(!journal.includes('token-in-the-url'), 'a renamed webhook is redacted like the standard one');
  });
});
