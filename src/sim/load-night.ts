// The world of `runbook train <scenario> --load <dir>`: the team's repository loaded as `sim start
// --load` loads it, then the scenario's night played on it (its faults aimed at the team's workloads).
import { manifestsLoader } from './load.js';
import { playTimeline } from './scenario.js';
import { type NightOnRepository, mapOntoRepository } from './scenarios/on-repository.js';
import type { Scenario } from './scenario.js';
import type { WorldLoader } from './server.js';

export interface NightLoader {
  readonly loader: WorldLoader & { readonly report: ReturnType<typeof manifestsLoader>['report'] };
  /** Once the world is loaded: the night it plays, or why the loaded world could not take it. */
  night(): NightOnRepository | string;
}

/**
 * The loader of `dir` with `scenario`'s night on it, or why the repository cannot take that night
 * (decided from its manifests alone, before anything starts). Throws as scanRepository does when
 * `dir` cannot be read.
 */
export function nightLoader(
  scenario: Scenario,
  dir: string,
): { readonly ok: true; readonly value: NightLoader } | { readonly ok: false; readonly why: string } {
  const loaded = manifestsLoader(dir);
  const mapping = mapOntoRepository(scenario, loaded.objects);
  if (!mapping.ok) return mapping;
  let outcome: NightOnRepository | string = 'the world was not loaded';
  const loader = {
    name: loaded.name,
    clusterId: loaded.clusterId,
    report: loaded.report,
    ...(scenario.startsAt === undefined ? {} : { startMs: Date.parse(scenario.startsAt) }),
    async load(world: Parameters<WorldLoader['load']>[0]): Promise<void> {
      await loaded.load(world);
      outcome = mapping.onWorld(world);
      if (typeof outcome === 'string') return;
      for (const fault of outcome.scenario.faults) world.faults.add(fault);
      await playTimeline(world, outcome.scenario.timeline ?? []);
    },
  };
  return { ok: true, value: { loader, night: () => outcome } };
}
