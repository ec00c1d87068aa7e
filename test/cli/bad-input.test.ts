// Bad input: one clear sentence, a distinct exit code, and nothing changed.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

const oneSentence = (stderr: string): string => stderr.split('\n')[0] ?? '';

describe('bad input', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('an unknown runbook: exit 2 and where to find the list', async () => {
    const result = await runCli(['postgres-remunt', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES.usage);
    assert.match(oneSentence(result.stderr), /^✖ There is no runbook or command called "postgres-remunt"\.$/);
    assert.match(result.stderr, /runbook list/);
  });

  it('an invalid parameter: exit 3, naming the flag, before any request', async () => {
    const before = h.sim.requests.length;
    const result = await runCli(['postgres-remount', '--yes', '--namespace', 'Prod_DB'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter']);
    assert.match(oneSentence(result.stderr), /--namespace "Prod_DB" is not a valid Kubernetes namespace/);
    assert.equal(h.sim.requests.length, before, 'no request reached the cluster');
  });

  it('an unreachable cluster: exit 7, naming the server', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'runbook-bad-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      h.sim.kubeconfig().replace(/http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${port}`),
    );
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env({ KUBECONFIG: kubeconfig }) });
    assert.equal(result.exitCode, EXIT_CODES['cluster-unreachable']);
    assert.match(
      oneSentence(result.stderr),
      new RegExp(`Cannot reach the Kubernetes API at http://127.0.0.1:${port}`),
    );
  });

  it('a wrong Linode token (401): exit 8, nothing mutated, and the token never printed', async () => {
    const token = 'wrong-token-0123456789abcdef';
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env({ LINODE_TOKEN: token }) });
    assert.equal(result.exitCode, EXIT_CODES['access-refused']);
    assert.match(oneSentence(result.stderr), /The Linode API refused the token .*401: Invalid Token/);
    assert.ok(!(result.stdout + result.stderr).includes(token));
    assert.deepEqual(h.mutations(), []);
  });

  it('no terminal and no --yes: a mutating runbook refuses to start, exit 10, no request sent', async () => {
    const before = h.sim.requests.length;
    const result = await runCli(['postgres-remount'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['needs-terminal']);
    assert.match(oneSentence(result.stderr), /no terminal to ask on/);
    assert.match(result.stderr, /--yes/);
    assert.equal(h.sim.requests.length, before);
  });

  it('no kubeconfig at all: exit 2 and the three ways to give one', async () => {
    const result = await runCli(['postgres-remount', '--dry-run'], { env: cleanEnv({ LINODE_TOKEN: 'x' }) });
    assert.equal(result.exitCode, EXIT_CODES.usage);
    assert.match(result.stderr, /No kubeconfig found/);
    assert.match(result.stderr, /--sim/);
  });
});
