// k8s.exec runs an argument array in a pod's container through the exec API (client-node's Exec over
// WebSocket to the simulator), here pg_isready and psql on the real PostgreSQL behind the simulated
// Postgres pod: exit 0 is done; a non-zero exit is a failed action naming the code and the last lines
// of stderr, never a password; output is kept to its bound; a dry run only checks pod and container.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunbookError } from '../../src/engine/errors.js';
import { executeAction } from '../../src/engine/executor.js';
import type { Writers } from '../../src/engine/ports.js';
import { execInPod } from '../../src/engine/vocabulary/index.js';
import { connectKube, createKubeWriter } from '../../src/providers/kubernetes/index.js';
import { connectLinode, createLinodeWriter } from '../../src/providers/linode/index.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { registerPostgres } from '../sim/kube/sim-kubectl.js';

describe('exec in a pod', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let write: Writers;
  let pod: string;

  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres();
    await registerPostgres(h.sim.url, db);
    const env = h.env();
    write = {
      kube: createKubeWriter(await connectKube({ kubeconfig: h.kubeconfig, env })),
      linode: createLinodeWriter(await connectLinode({ env })),
    };
    const found = h.sim.world.kube
      .list('v1', 'Pod', 'default')
      .find(
        (p) => p.metadata.labels?.app === 'postgres' && (p.status as { phase?: string }).phase === 'Running',
      );
    assert.ok(found !== undefined, 'a Running Postgres pod');
    pod = found.metadata.name;
  });
  after(async () => {
    await h.stop();
    await db.stop();
  });

  const inPostgres = (command: string[], bounds: { maxOutputBytes?: number } = {}) =>
    execInPod({
      namespace: 'default',
      pod,
      container: 'postgres',
      command,
      purpose: 'ask Postgres',
      ...bounds,
    });

  it('runs pg_isready and psql -c "select 1" on the real PostgreSQL, exit 0 done', async () => {
    await executeAction(inPostgres(['pg_isready']), write);
    await executeAction(inPostgres(['psql', '-U', 'app', '-d', 'appdb', '-c', 'select 1']), write);
    const result = await write.kube.exec(
      inPostgres(['psql', '-U', 'app', '-d', 'appdb', '-tAc', 'select 40 + 2']),
    );
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, '42\n');
  });

  it('fails on a non-zero exit, naming the code and the last lines of stderr, and no password', async () => {
    await assert.rejects(
      executeAction(inPostgres(['psql', '-U', 'app', '-d', 'appdb', '-c', 'select nope']), write),
      (error: unknown) => {
        assert.ok(error instanceof RunbookError);
        assert.equal(error.code, 'step-failed');
        assert.match(
          error.message,
          /`psql -U app -d appdb -c 'select nope'` in pod default\/\S+ \(container postgres\) exited with code 1/,
        );
        assert.match(error.message, /column "nope" does not exist/);
        for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD]) assert.ok(!error.message.includes(secret));
        return true;
      },
    );
  });

  it('keeps only the last bytes of a long output, up to its bound', async () => {
    const result = await write.kube.exec(
      inPostgres(['psql', '-U', 'app', '-d', 'appdb', '-tAc', "select repeat('x', 100000) || 'END'"], {
        maxOutputBytes: 1000,
      }),
    );
    assert.equal(result.exitCode, 0);
    assert.equal(result.truncated, true);
    assert.ok(result.stdout.length <= 1000);
    assert.ok(result.stdout.endsWith('END\n'));
  });

  it('in a dry run checks the pod and its container, and runs nothing', async () => {
    await executeAction(inPostgres(['psql', '-c', 'select nope']), write, { dryRun: true });
    await assert.rejects(
      executeAction(
        execInPod({
          namespace: 'default',
          pod: 'gone-0',
          container: 'postgres',
          command: ['pg_isready'],
          purpose: 'x',
        }),
        write,
        { dryRun: true },
      ),
      /No pod default\/gone-0: the command was not run/,
    );
    await assert.rejects(
      executeAction(
        execInPod({ namespace: 'default', pod, container: 'sidecar', command: ['pg_isready'], purpose: 'x' }),
        write,
        { dryRun: true },
      ),
      /has no container sidecar \(it has postgres\)/,
    );
  });
});
