// The pods/exec WebSocket as client-go speaks it, byte for byte: the subprotocol chosen (v5, or v4
// for an older client), one channel byte before each frame, the kubelet's Status on channel 3.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';

interface Session {
  protocol: string;
  frames: Array<[number, string]>;
}

function exec(
  sim: RunningSimulator,
  pod: string,
  command: string[],
  protocols: string[],
  stdin?: string,
): Promise<Session> {
  const query = new URLSearchParams();
  for (const part of command) query.append('command', part);
  query.set('stdout', 'true');
  query.set('stderr', 'true');
  if (stdin !== undefined) query.set('stdin', 'true');

  const url = `${sim.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/${pod}/exec?${query.toString()}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    const frames: Array<[number, string]> = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('exec did not end'));
    }, 10_000);
    ws.on('open', () => {
      if (stdin === undefined) return;
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
      ws.send(Buffer.from([255, 0]));
    });
    ws.on('message', (data: Buffer) => frames.push([data[0] ?? -1, data.subarray(1).toString('utf8')]));
    ws.on('close', () => {
      clearTimeout(timer);
      resolve({ protocol: ws.protocol, frames });
    });
    ws.on('error', reject);
  });
}

describe('pods/exec over WebSocket', () => {
  let sim: RunningSimulator;
  let pod: string;
  before(async () => {
    const scenario = findScenario('healthy');
    if (scenario === undefined) throw new Error('no healthy scenario');
    sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
    pod =
      sim.world.kube.list('v1', 'Pod', 'default').find((p) => p.metadata.labels?.app === 'site')?.metadata
        .name ?? '';
  });
  after(() => sim.stop());

  it('v5 preferred: stdout on channel 1, then Success on channel 3, then close', async () => {
    const s = await exec(sim, pod, ['echo', 'hello'], ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    assert.equal(s.protocol, 'v5.channel.k8s.io');
    assert.deepEqual(s.frames, [
      [1, 'hello\n'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });

  it('v4 for an older client; a non-zero exit is NonZeroExitCode with the code as its cause', async () => {
    const s = await exec(sim, pod, ['test', '-d', '/nowhere'], ['v4.channel.k8s.io']);
    assert.equal(s.protocol, 'v4.channel.k8s.io');
    assert.deepEqual(
      s.frames.map(([channel, text]) => [channel, JSON.parse(text) as unknown]),
      [
        [
          3,
          {
            metadata: {},
            status: 'Failure',
            message:
              'command terminated with non-zero exit code: error executing command [test -d /nowhere], exit code 1',
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: '1' }] },
          },
        ],
      ],
    );
  });

  it('v5 stdin ends with the close signal (255, 0): cat echoes it back', async () => {
    const s = await exec(sim, pod, ['cat'], ['v5.channel.k8s.io'], 'line one\n');
    assert.deepEqual(s.frames, [
      [1, 'line one\n'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });
});
