// `runbook sim start` as a team would use it: a simulator in the foreground, its exports pasted into
// the shell, and the runbook run against it exactly as against a real cluster.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { BIN, ROOT, cleanEnv, runCli, simStartPrinted } from '../helpers/cli.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

describe('runbook sim start', () => {
  let server: ResultPromise<{ env: Record<string, string>; extendEnv: false; cwd: string; reject: false }>;
  let exports: Record<string, string> = {};
  let firstLines = '';
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sim-start-'));
  const kubeconfig = join(dir, 'sim.kubeconfig');

  before(async () => {
    server = execa(
      process.execPath,
      [
        BIN,
        'sim',
        'start',
        '--scenario',
        '2020-12-11-postgres-conn-surge',
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--speed',
        '50',
      ],
      { env: cleanEnv(), extendEnv: false, cwd: ROOT, reject: false },
    );
    firstLines = await simStartPrinted(server.stdout);
    exports = Object.fromEntries(
      [...firstLines.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
  });
  after(async () => {
    server.kill('SIGINT');
    await server;
  });

  it('prints the exports a shell needs and writes the kubeconfig', () => {
    assert.equal(exports.KUBECONFIG, kubeconfig);
    assert.match(exports.LINODE_API_URL ?? '', /^http:\/\/127\.0\.0\.1:\d+\/v4$/);
    assert.match(exports.LINODE_TOKEN ?? '', /^[0-9a-f]{32,}$/);
    assert.match(readFileSync(kubeconfig, 'utf8'), /current-context: lke13311-ctx/);
  });

  it('runs postgres-remount against it through the same path as a real cluster', async () => {
    const result = await runCli(['postgres-remount', '--yes', '--kubeconfig', kubeconfig], {
      env: cleanEnv({
        LINODE_API_URL: exports.LINODE_API_URL ?? '',
        LINODE_TOKEN: exports.LINODE_TOKEN ?? '',
      }),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /cluster {2}lke13311-ctx at http:\/\/127\.0\.0\.1:\d+ \(3 nodes\)/);
    assert.doesNotMatch(result.stdout, /target {3}embedded simulator/);

    const base = (exports.LINODE_API_URL ?? '').replace(/\/v4$/, '');
    const requests = (await (await fetch(`${base}/_sim/requests`)).json()) as Array<{
      method: string;
      path: string;
    }>;
    assert.ok(
      requests.some(
        (r) =>
          r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/default/deployments/postgres/scale',
      ),
    );
    assert.ok(requests.some((r) => r.method === 'POST' && /^\/v4\/volumes\/\d+\/detach$/.test(r.path)));
    const state = (await (await fetch(`${base}/_sim/state`)).json()) as { linode: unknown };
    assert.ok(
      !JSON.stringify(state).includes(exports.LINODE_TOKEN ?? 'no-token'),
      'the state never shows the token',
    );
  });

  it(
    'kubectl 1.32 works against it too',
    {
      skip: spawnSync(KUBECTL, ['version', '--client']).status === 0 ? false : `${KUBECTL} is not installed`,
    },
    () => {
      const result = spawnSync(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-l', 'app=postgres'],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^NAME\s+READY\s+STATUS/m);
      assert.match(result.stdout, /postgres-\S+\s+1\/1\s+Running/);
    },
  );
});

describe('runbook sim start with a kubeconfig path it cannot write', () => {
  it('exits 2 at once with one sentence, and leaves no server running', async () => {
    const result = await runCli(['sim', 'start', '--port', '0', '--kubeconfig', '/nonexistent-dir/x.kc'], {
      timeoutMs: 20_000,
    });
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(
      result.stderr,
      /^✖ --kubeconfig \/nonexistent-dir\/x\.kc: cannot write there \(ENOENT\)\.$/m,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stdout, '', 'no exports for a simulator that is not there');
  });
});

describe('runbook sim start without --kubeconfig', () => {
  it('keeps the kubeconfig in the state directory, owner-only, and removes it when it stops', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'runbook-sim-cwd-'));
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-sim-state-'));
    const server = execa(process.execPath, [BIN, 'sim', 'start', '--port', '0', '--speed', 'instant'], {
      env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }),
      extendEnv: false,
      cwd,
      reject: false,
    });
    const printed = await simStartPrinted(server.stdout);
    const kubeconfig = /^export KUBECONFIG=(.*)$/m.exec(printed)?.[1] ?? '';
    assert.equal(dirname(kubeconfig), join(stateDir, 'sim'));
    assert.match(readFileSync(kubeconfig, 'utf8'), /current-context: /);
    assert.equal((statSync(kubeconfig).mode & 0o777).toString(8), '600');
    server.kill('SIGINT');
    const done = await server;
    assert.match(done.stdout, /Simulator stopped\./);
    assert.ok(!existsSync(kubeconfig), 'a kubeconfig for a server that is gone is removed');
    assert.deepEqual(readdirSync(cwd), [], 'nothing was written in the current directory');
  });
});
