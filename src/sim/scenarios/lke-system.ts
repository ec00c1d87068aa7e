// The kube-system workloads every LKE cluster runs, in one declaration: what a `--load` world starts
// with besides a team's own manifests, so runbooks that restart core services find them there.
import type { KubeObject } from '../world.js';
import { daemonSet, lkeSystemWorkloads } from './manifests.js';

/** Calico, CoreDNS and the Linode CSI driver (as the scenarios have them), kube-proxy and konnectivity. */
export const LKE_SYSTEM_WORKLOADS: readonly KubeObject[] = [
  ...lkeSystemWorkloads(),
  daemonSet('kube-proxy', 'kube-system', {
    image: 'registry.k8s.io/kube-proxy:v1.32.1',
    hostNetwork: true,
    labels: { 'k8s-app': 'kube-proxy' },
    resources: { requests: { cpu: '10m', memory: '20Mi' } },
  }),
  // LKE reaches nodes from its hosted control plane through konnectivity: an agent on every node
  // (the upstream layout; whether LKE runs it as a DaemonSet or a Deployment is not verified).
  daemonSet('konnectivity-agent', 'kube-system', {
    image: 'registry.k8s.io/kas-network-proxy/proxy-agent:v0.30.3',
    labels: { 'k8s-app': 'konnectivity-agent' },
    resources: { requests: { cpu: '10m', memory: '20Mi' } },
  }),
];
