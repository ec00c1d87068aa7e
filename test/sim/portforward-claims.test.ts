// The simulator's port-forward picks the service behind a pod by the claim it mounts (a database lives
// on its volume) before its labels, and a forwarded connection ends with its pod; the tool's
// port-forward then carries the next connection to the pod that replaced it. Two loopback services
// that answer with their own name stand for the servers.
import assert from 'node:assert/strict';
import { type Server, connect, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { executeAction } from '../../src/engine/executor.js';
import { apply } from '../../src/engine/vocabulary/index.js';
import { connectKube } from '../../src/providers/kubernetes/connect.js';
import { type OpenForward, openPortForward } from '../../src/providers/postgres/port-forward.js';
import { settle } from '../../src/sim/scenario.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

/** A service that answers every connection with its name and a newline. */
async function named(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end(`${name}\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

/** What the service behind the forward answers to one connection. */
function ask(forward: OpenForward): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(forward.localPort, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('close', () => resolve(text.trim()));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10s')));
  });
}

async function register(h: SimHarness, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${h.sim.url}/_sim/portforward`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201);
}

describe('port-forward by claim, across a replaced pod', () => {
  let h: SimHarness;
  let forward: OpenForward;
  const services: Server[] = [];
  before(async () => {
    h = await startSimHarness('healthy');
    const old = await named('old-volume');
    const fresh = await named('new-volume');
    services.push(old.server, fresh.server);
    const common = { namespace: 'default', port: 5432, host: '127.0.0.1' };
    await register(h, { ...common, labels: { app: 'postgres' }, targetPort: old.port });
    await register(h, { ...common, labels: {}, claim: 'postgres-storage-new', targetPort: fresh.port });
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env: h.env() });
    forward = await openPortForward(kube, { namespace: 'default', deployment: 'postgres' });
  });
  after(async () => {
    await forward.close();
    for (const s of services) s.close();
    await h.stop();
  });

  it('reaches the service of the pod’s labels while it mounts the old claim', async () => {
    assert.equal(await ask(forward), 'old-volume');
  });

  it('reaches the new claim’s service once the deployment’s new pod mounts it', async () => {
    const before = forward.pod;
    h.sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'postgres-storage-new', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    });
    const volume = (
      h.get<{
        spec: { template: { spec: { volumes: Array<{ name: string; persistentVolumeClaim?: unknown }> } } };
      }>('apps/v1', 'Deployment', 'default', 'postgres')?.spec.template.spec.volumes ?? []
    ).find((v) => v.persistentVolumeClaim !== undefined)?.name;
    assert.ok(volume !== undefined);
    const { write } = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() });
    await executeAction(
      apply(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'postgres', namespace: 'default' },
          spec: {
            template: {
              spec: {
                volumes: [{ name: volume, persistentVolumeClaim: { claimName: 'postgres-storage-new' } }],
              },
            },
          },
        },
        'postgres-on-postgres-storage-new.yaml',
      ),
      write,
    );
    await settle(h.sim.world);
    assert.equal(await ask(forward), 'new-volume');
    assert.notEqual(forward.pod, before, 'the forward follows the new pod');
  });
});
