// Drain at scale: `runbook node-drain` against the real `kubectl drain` on the same 300-pod node, each
// on a fresh, identical simulated world at real-time speed with a fixed API latency, in one run.
import type { BenchResult } from './result.js';
import { drainWorld } from './fixtures/drain-world.js';
import { type BenchSim, startBenchSim } from './sim-world.js';
import { runCommand } from './spawn.js';
import { join } from 'node:path';

/** Real time: grace periods, container start and readiness take what they take in a cluster. */
const SPEED = 1;
/** Every Kubernetes request answered this much later: a cloud API server over the internet. */
const LATENCY_MS = 25;
/** Replicas behind each of the two budgets (maxUnavailable 1): their evictions go one at a time. */
const BUDGETED = 10;
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

interface DrainRun {
  readonly ms: number;
  readonly requests: number;
  readonly evictions: number;
  readonly refused: number;
  readonly polls: number;
}

/** After the run: the node cordoned, and nothing but its DaemonSet pods left on it. */
function checkDrained(bench: BenchSim, node: string, tool: string): void {
  const left = bench.sim.world.kube
    .list('v1', 'Pod')
    .filter((p) => (p.spec as { nodeName?: string }).nodeName === node)
    .filter((p) => p.metadata.ownerReferences?.[0]?.kind !== 'DaemonSet');
  const cordoned =
    (bench.sim.world.kube.get('v1', 'Node', undefined, node)?.spec as { unschedulable?: boolean })
      ?.unschedulable === true;
  if (left.length > 0 || !cordoned)
    throw new Error(`${tool} left ${node} ${cordoned ? 'cordoned' : 'schedulable'} with ${left.length} pods`);
}

async function drainWith(tool: 'runbook' | 'kubectl', root: string): Promise<DrainRun> {
  const world = drainWorld(BUDGETED);
  const bench = await startBenchSim(world.loader, SPEED, [
    { kind: 'latency', api: 'kubernetes', ms: LATENCY_MS },
  ]);
  try {
    const [command, args] =
      tool === 'runbook'
        ? [
            process.execPath,
            [
              join(root, 'dist', 'bin', 'runbook.js'),
              'node-drain',
              '--node',
              world.node,
              '--empty-dir-data',
              'delete',
              '--yes',
              '--kubeconfig',
              bench.kubeconfig,
            ],
          ]
        : [
            KUBECTL,
            [
              '--kubeconfig',
              bench.kubeconfig,
              '--cache-dir',
              join(bench.dir, 'kubectl-cache'),
              'drain',
              world.node,
              '--ignore-daemonsets',
              '--delete-emptydir-data',
            ],
          ];
    const from = bench.sim.requests.length;
    const done = await runCommand(command, args, { env: bench.env });
    if (done.code !== 0) throw new Error(`${tool} drain exited ${String(done.code)}:\n${done.output}`);
    checkDrained(bench, world.node, tool);
    const requests = bench.sim.requests.slice(from).filter((r) => r.api === 'kubernetes');
    const evictions = requests.filter((r) => r.path.endsWith('/eviction'));
    return {
      ms: done.ms,
      requests: requests.length,
      evictions: evictions.filter((r) => r.status === 201).length,
      refused: evictions.filter((r) => r.status === 429).length,
      polls: requests.filter((r) => r.method === 'GET' && /\/pods\/[^/]+$/.test(r.path)).length,
    };
  } finally {
    await bench.stop();
  }
}

const describe = (run: DrainRun): string =>
  `${(run.ms / 1000).toFixed(1)} s, ${run.requests} requests (${run.evictions} evictions, ${run.refused} refused by a budget, ${run.polls} single-pod polls)`;

export async function benchDrain(root: string): Promise<BenchResult> {
  const runbook = await drainWith('runbook', root);
  const kubectl = await drainWith('kubectl', root);
  const ratio = runbook.ms / kubectl.ms;
  return {
    name: `drain a node of 300 pods (3 DaemonSet, 45 emptyDir, 2 budgets × ${BUDGETED} one at a time): runbook node-drain vs kubectl drain`,
    value: `runbook ${describe(runbook)}; kubectl drain ${describe(kubectl)}`,
    ratio,
    goal: '≤ 0.5× kubectl drain',
    met: ratio <= 0.5,
    notes: [
      `Drain: a fresh simulated world for each tool (same seed, same pods), clock ×${SPEED} (real time: 30 s grace periods, containers start in 1 s and are Ready 2 s later, so a budget allows its next eviction about 3 s after the last), ${LATENCY_MS} ms added to every Kubernetes request (fault \`latency\`).`,
      'kubectl drain retries a refused eviction every 5 s and polls each evicted pod every second, all through client-go\'s client-side rate limiter (at -v=4 it logs "Waited … due to client-side throttling" for most of its requests: about 10 a second here); runbook node-drain keeps one watch on the budgets and retries a refused pod when its budget allows, runs at most 5 evictions at once, and waits for the node to empty with one watch. Both cordon first and evict through the eviction API (budgets respected); both skip DaemonSet pods and delete emptyDir data only by flag.',
    ],
  };
}
