// undici's "fetch failed" never reaches the screen alone: what failed under it does.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunbookError } from '../../src/engine/errors.js';
import { simulatorKubeconfig } from '../../src/sim/kubeconfig.js';
import { connectKube, createKubeReader } from '../../src/providers/kubernetes/index.js';

describe('a Kubernetes API that hangs up', () => {
  let server: Server;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    // Accepts every connection and closes it before answering, as a crashing proxy does.
    server = createServer((socket: Socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    dir = mkdtempSync(join(tmpdir(), 'runbook-hangup-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      simulatorKubeconfig({ server: `http://127.0.0.1:${address.port}`, clusterId: 1, token: 't' }),
    );
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what failed under "fetch failed", never an empty reason', async () => {
    const kube = await connectKube({ kubeconfig, env: {} });
    await assert.rejects(createKubeReader(kube).listNodes(), (error: unknown) => {
      assert.ok(error instanceof RunbookError);
      assert.match(error.message, /^The Kubernetes API failed to list nodes: \S.*\(UND_ERR_SOCKET\)$/);
      assert.doesNotMatch(error.message, /fetch failed|: $|\(\)/);
      return true;
    });
  });
});
