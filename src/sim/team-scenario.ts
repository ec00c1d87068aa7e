// A scenario written by a team (`runbook test <id> --load <dir> --faults <file>`): its own manifest
// folder loaded as `sim start --load` loads it (or a built-in scenario), then the faults its file
// names, aimed at that world.
import type { FaultsFile } from './faults-file.js';
import { missingTarget } from './fault-targets.js';
import { type LoadReport, manifestsLoader } from './load.js';
import { settle } from './scenario.js';
import { repositoryWorkloads } from './scenarios/on-repository.js';
import { type Check, all, noCrashLoops, nodesReady, workloadsReady } from './scenarios/recovery.js';
import type { WorldLoader } from './server.js';

export interface WorldWithFaults {
  readonly loader: WorldLoader;
  /** What must hold after the run: the file's `recovered:`, else the world's own condition. */
  readonly recovered: Check;
  /** Whether the file stated the condition. */
  readonly ownCondition: boolean;
  /** Once loaded: one line per fault that matched nothing (then no fault was switched on). */
  missing(): readonly string[];
}

/** `base`'s world, then the file's faults once it has settled, each checked to aim at something. */
export function withFaults(base: WorldLoader, file: FaultsFile, otherwise: Check): WorldWithFaults {
  const missing: string[] = [];
  return {
    loader: {
      ...base,
      async load(world) {
        await base.load(world);
        for (const [index, fault] of file.faults.entries()) {
          const why = missingTarget(world, fault);
          if (why !== undefined) missing.push(`faults[${index}] ${fault.kind}: ${why}`);
        }
        if (missing.length > 0) return;
        for (const fault of file.faults) world.faults.add(fault);
        await settle(world);
      },
    },
    recovered: file.recovered ?? otherwise,
    ownCondition: file.recovered !== undefined,
    missing: () => missing,
  };
}

/**
 * The world of `dir` with the file's faults. Without a `recovered:`, recovered means every node Ready,
 * every workload's replicas Ready and no crash loop in the folder's namespaces. Throws as
 * scanRepository does when `dir` cannot be read.
 */
export function teamScenario(
  dir: string,
  file: FaultsFile,
): WorldWithFaults & { readonly report: LoadReport } {
  const loaded = manifestsLoader(dir);
  const namespaces = [...new Set(repositoryWorkloads(loaded.objects).map((w) => w.namespace))].sort();
  const otherwise = all(
    nodesReady,
    workloadsReady(),
    ...(namespaces.length === 0 ? [] : [noCrashLoops(namespaces)]),
  );
  return { ...withFaults(loaded, file, otherwise), report: loaded.report };
}
