// Scale: `runbook node-drain --dry-run` for one node of a 100-node, 5,000-pod cluster at simulator
// full speed: every list paged (from the simulator's request log), peak memory and wall time of the
// runbook process; the same dry run on the 3-node healthy cluster alongside, as its floor.
import { join } from 'node:path';
import { findScenario } from '../src/sim/scenarios/index.js';
import { type WorldLoader, scenarioLoader } from '../src/sim/server.js';
import type { RequestRecord } from '../src/sim/world.js';
import { bigWorld } from './fixtures/big-world.js';
import { median } from './measure.js';
import type { BenchResult } from './result.js';
import { startBenchSim } from './sim-world.js';
import { runCommand } from './spawn.js';

interface DryRuns {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly requests: readonly RequestRecord[];
}

/** A collection read (not one object, not a watch): /api/v1[/namespaces/<ns>]/<plural>, or under /apis/<g>/<v>. */
export function isList(r: RequestRecord): boolean {
  if (r.method !== 'GET' || r.api !== 'kubernetes' || r.query.watch === 'true') return false;
  const rest = /^\/api\/v1\/(.+)$/.exec(r.path)?.[1] ?? /^\/apis\/[^/]+\/[^/]+\/(.+)$/.exec(r.path)?.[1];
  if (rest === undefined) return false;
  const parts = rest.split('/');
  return parts.length === 1 || (parts.length === 3 && parts[0] === 'namespaces');
}

async function dryRuns(root: string, world: WorldLoader, node: string, rounds: number): Promise<DryRuns> {
  const bench = await startBenchSim(world, 'instant');
  try {
    const from = bench.sim.requests.length;
    const times: number[] = [];
    let maxRssKb = 0;
    for (let i = 0; i < rounds; i++) {
      const done = await runCommand(
        process.execPath,
        [
          join(root, 'dist', 'bin', 'runbook.js'),
          'node-drain',
          '--dry-run',
          '--node',
          node,
          '--unreplicated',
          'delete',
          '--kubeconfig',
          bench.kubeconfig,
        ],
        { env: bench.env, measureRss: true },
      );
      if (done.code !== 0)
        throw new Error(`node-drain --dry-run exited ${String(done.code)}:\n${done.output}`);
      times.push(done.ms);
      maxRssKb = Math.max(maxRssKb, done.maxRssKb ?? 0);
    }
    const cordoned = (
      bench.sim.world.kube.get('v1', 'Node', undefined, node)?.spec as { unschedulable?: boolean }
    )?.unschedulable;
    if (cordoned === true) throw new Error(`the dry run cordoned ${node}`);
    return { ms: median(times), maxRssMb: maxRssKb / 1024, requests: bench.sim.requests.slice(from) };
  } finally {
    await bench.stop();
  }
}

export async function benchScale(root: string, rounds = 3): Promise<BenchResult[]> {
  const big = bigWorld();
  const healthy = findScenario('healthy');
  if (healthy === undefined) throw new Error('no healthy scenario');
  const floor = await dryRuns(root, scenarioLoader(healthy), 'lke13311-16405-5fafd1b46dcf', rounds);
  const scale = await dryRuns(root, big.loader, big.nodes[7] ?? '', rounds);

  const lists = scale.requests.filter(isList);
  const paged = lists.filter((r) => r.query.limit !== undefined && r.query.limit !== '');
  const followed = lists.filter((r) => (r.query.continue ?? '') !== '');
  const limit = Number(paged[0]?.query.limit ?? 0);
  // The twin's copy reads every pod: once per run, in pages of `limit`, each after the first by continue.
  const podPages = lists.filter((r) => r.path === '/api/v1/pods' && r.query.fieldSelector === undefined);
  const expectedPages = rounds * Math.ceil(big.pods / Math.max(1, limit));
  const pagingOk = lists.length > 0 && paged.length === lists.length && podPages.length === expectedPages;
  const where = `${big.nodes.length} nodes, ${big.pods.toLocaleString('en')} pods`;
  const floorText = `(3-node healthy cluster: ${(floor.ms / 1000).toFixed(2)} s, ${floor.maxRssMb.toFixed(0)} MB)`;
  return [
    {
      name: `${where}: lists paged (simulator request log of ${rounds} dry runs)`,
      value: `${paged.length} of ${lists.length} list requests carry limit=${limit}; ${followed.length} continue tokens followed; all pods read in ${podPages.length / rounds} pages per run`,
      ratio: lists.length === 0 ? undefined : paged.length / lists.length,
      goal: 'every list paged, continue followed',
      met: pagingOk,
    },
    {
      name: `${where}: peak memory of the runbook process (node-drain --dry-run)`,
      value: `${scale.maxRssMb.toFixed(0)} MB ${floorText}`,
      ratio: scale.maxRssMb / 200,
      goal: '≤ 200 MB',
      met: scale.maxRssMb <= 200,
    },
    {
      name: `${where}: runbook node-drain --dry-run for one node, simulator at full speed (median of ${rounds})`,
      value: `${(scale.ms / 1000).toFixed(2)} s ${floorText}`,
      ratio: scale.ms / 2000,
      goal: '< 2 s',
      met: scale.ms < 2000,
      notes: [
        `Scale: the cluster is generated (bench/fixtures/big-world.ts): ${where} in 10 namespaces, 80 Deployments of 60 replicas (2 per namespace under a budget) and 2 DaemonSets, every pod Running and Ready. Whole process, measured with GNU time: start-up, the copy of the live cluster into the dry-run twin (every object, paged), and the drain planned and run against the twin.`,
      ],
    },
  ];
}
