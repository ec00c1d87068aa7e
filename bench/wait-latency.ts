// Wait latency: from the moment the simulator makes a condition true (a pod is gone) to the
// moment the engine's wait sees it, measured in one process against the simulator over HTTP.
import { connectTarget } from '../src/cli/target.js';
import { runWait } from '../src/engine/wait-runner.js';
import { findScenario } from '../src/sim/scenarios/index.js';
import { scenarioLoader, startSimulator } from '../src/sim/server.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { median } from './measure.js';

export async function benchWaitLatency(samples = 30): Promise<BenchResult> {
  const scenario = findScenario('healthy');
  if (scenario === undefined) throw new Error('no healthy scenario');
  const sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'runbook-bench-')), 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  const token = /token: (\S+)/.exec(sim.kubeconfig())?.[1] ?? '';
  const target = await connectTarget({
    kubeconfig,
    env: { LINODE_API_URL: sim.linodeApiUrl, LINODE_TOKEN: sim.linodeToken },
  });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const name = `bench-${i}`;
      sim.world.kube.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { bench: String(i) } },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      });
      const controller = new AbortController();
      let watching!: () => void;
      const active = new Promise<void>((resolve) => (watching = resolve));
      const waited = runWait(
        {
          kind: 'k8s.pods-gone',
          namespace: 'default',
          labelSelector: `bench=${i}`,
          timeoutMs: 10_000,
          whenStuck: 'fail',
        },
        target.read,
        { signal: controller.signal, onProgress: () => watching() },
      );
      await active;
      // Let every watch of the wait connect before the condition becomes true.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const response = await fetch(`${sim.url}/api/v1/namespaces/default/pods/${name}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ gracePeriodSeconds: 0 }),
      });
      const madeTrue = performance.now();
      if (!response.ok) throw new Error(`delete answered ${response.status}`);
      await waited;
      latencies.push(performance.now() - madeTrue);
    }
  } finally {
    await sim.stop();
  }
  const ms = median(latencies);
  return {
    name: `wait latency (pod gone → wait over), median of ${samples}`,
    value: `${ms.toFixed(1)} ms (max ${Math.max(...latencies).toFixed(1)} ms)`,
    ratio: ms / 50,
    goal: 'median ≤ 50 ms',
    met: ms <= 50,
  };
}
