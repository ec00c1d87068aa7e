// Values a team keeps in env, in a ConfigMap and in a Secret are planted in the cluster; a run that
// reads and re-applies the very Deployment that uses them (postgres-remount --strategy recreate)
// must leave none of them in anything it writes: stdout, stderr, the journal, `log` in every format (HTML too),
// `history`, and the chat posts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const PLANTED = {
  env: 'planted-inline-env-7731',
  configMap: 'planted-configmap-5521',
  secret: 'planted-secret-9034',
};

interface Deployment {
  metadata: { generation?: number };
  status?: { readyReplicas?: number; observedGeneration?: number; updatedReplicas?: number };
}

describe('planted values never leave the cluster', () => {
  let h: SimHarness;
  let chat: Receiver;
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-planted-'));
  let written = '';

  before(async () => {
    h = await startSimHarness('healthy');
    chat = await startReceiver();
    const token = /token: (\S+)/.exec(h.sim.kubeconfig())?.[1] ?? '';
    const send = async (
      method: string,
      path: string,
      body: unknown,
      type = 'application/json',
    ): Promise<void> => {
      const response = await fetch(`${h.sim.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
        body: JSON.stringify(body),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.text()}`);
    };
    await send('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pg-tuning' },
      data: { PG_TUNING: PLANTED.configMap },
    });
    await send('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pg-extra' },
      stringData: { EXTRA_PASSWORD: PLANTED.secret },
    });
    await send(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/postgres',
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'postgres',
                  env: [{ name: 'INLINE_PW', value: PLANTED.env }],
                  envFrom: [{ configMapRef: { name: 'pg-tuning' } }, { secretRef: { name: 'pg-extra' } }],
                },
              ],
            },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    await waitFor('the planted rollout', () => {
      const d = h.get<Deployment>('apps/v1', 'Deployment', 'default', 'postgres');
      const done =
        d?.status?.observedGeneration === d?.metadata.generation &&
        d?.status?.updatedReplicas === 1 &&
        d?.status?.readyReplicas === 1;
      return Promise.resolve(done ? true : undefined);
    });

    const env = h.env({ RUNBOOK_STATE_DIR: stateDir, DISCORD_WEBHOOK_URL: chat.url });
    const run = await runCli(['postgres-remount', '--yes', '--strategy', 'recreate', '--backup', 'skip'], {
      env,
    });
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const runId = /run {6}(\S+)/.exec(run.stdout)?.[1] ?? '';
    const outputs = [run.stdout, run.stderr];
    for (const format of ['text', 'json', 'rst', 'html']) {
      const log = await runCli(['log', runId, '--format', format], { env });
      assert.equal(log.exitCode, 0, log.stderr);
      outputs.push(log.stdout, log.stderr);
    }
    const history = await runCli(['history', '--output', 'json'], { env });
    outputs.push(history.stdout);
    const files = readdirSync(join(stateDir, 'runs')).map((f) =>
      readFileSync(join(stateDir, 'runs', f), 'utf8'),
    );
    written = [...outputs, ...files, ...chat.bodies.map((b) => JSON.stringify(b))].join('\n');
    assert.ok(files.length === 1 && files[0]?.includes('"type":"end","status":"finished"'));
    assert.ok(chat.bodies.length > 0, 'chat was told');
  });
  after(async () => {
    await chat.close();
    await h.stop();
  });

  it('the re-applied Deployment still carries them in the cluster (the run did its job)', () => {
    const d = h.get<{
      spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
    }>('apps/v1', 'Deployment', 'default', 'postgres');
    const inline = d?.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'INLINE_PW');
    assert.equal(inline?.value, PLANTED.env);
  });

  for (const [where, value] of Object.entries(PLANTED)) {
    it(`the value planted in ${where} is in nothing the tool wrote`, () => {
      assert.ok(!written.includes(value), `${value} leaked`);
    });
  }

  it('the journal names the manifest it kept in memory instead of holding it', () => {
    assert.match(written, /"manifest":\{"omitted":"Deployment default\/postgres"\}/);
  });
});
