// Test harness for scenarios: the simulator of one scenario on loopback, and the project's own
// providers (what a runbook and an operator read through) connected to it as to a real cluster.
import type { KubeReader, KubeWriter, LinodeReader, LinodeWriter } from '../../../src/engine/ports.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../../src/providers/kubernetes/index.js';
import type { KubeClients } from '../../../src/providers/kubernetes/connect.js';
import {
  connectLinode,
  createLinodeReader,
  createLinodeWriter,
} from '../../../src/providers/linode/index.js';
import type { LinodeClient } from '../../../src/providers/linode/connect.js';
import { settle } from '../../../src/sim/scenario.js';
import { type SimHarness, startSimHarness } from '../../helpers/sim.js';

export interface ScenarioHarness {
  readonly h: SimHarness;
  readonly kube: KubeClients;
  readonly linode: LinodeClient;
  readonly read: { kube: KubeReader; linode: LinodeReader };
  readonly write: { kube: KubeWriter; linode: LinodeWriter };
  /** Lets the simulated world run until nothing is pending (the clock is instant). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startScenario(name: string): Promise<ScenarioHarness> {
  const h = await startSimHarness(name);
  const env = h.env();
  const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
  const linode = await connectLinode({ env });
  return {
    h,
    kube,
    linode,
    read: { kube: createKubeReader(kube), linode: createLinodeReader(linode) },
    write: { kube: createKubeWriter(kube), linode: createLinodeWriter(linode) },
    settle: () => settle(h.sim.world),
    stop: () => h.stop(),
  };
}
