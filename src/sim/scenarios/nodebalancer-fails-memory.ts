// 2021-01-30: memory pressure on a node, and the NodeBalancer in front of the cluster reporting
// all four backends (two nodes, ports 80 and 443) DOWN: ingress broken from Cloudflare.
import type { Scenario } from '../scenario.js';
import { deployment, namespace, service } from './manifests.js';
import { all, noMemoryPressure, nodeBalancersUp, workloadsReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID } from './workloads.js';

const NB = 'ccm-6b1c38f1a1c4e0d2b7f0d3f6e5a4c3b2';
const small = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } };

export const nodeBalancerFailsMemory: Scenario = {
  name: '2021-01-30-nodebalancer-fails-memory',
  summary:
    'The NodeBalancer reports every backend DOWN on ports 80 and 443; one node is under memory pressure.',
  postmortems: ['2021-01-30-nodebalancer-fails-memory'],
  runbook: 'nodebalancer-check',
  // The check names the pressured node; moving its pods off ends the pressure ("we should be careful
  // over-scheduling onto nodes"), and the cluster's next update sets the NodeBalancer right.
  recovery: [['node-drain', '--node', NODES[0]?.name ?? ''], ['nodebalancer-check']],
  alert: '14:30 UTC: statping: site, grafana and bitwarden unreachable; momentary DNS errors.',
  startsAt: '2021-01-30T14:30:00Z',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES.slice(0, 2),
  nodeBalancers: [
    {
      label: NB,
      ipv4: '45.79.250.10',
      configs: [
        { port: 80, protocol: 'tcp', nodePort: 30080 },
        { port: 443, protocol: 'tcp', nodePort: 30443 },
      ],
    },
  ],
  manifests: [
    namespace('ingress-nginx'),
    deployment('ingress-nginx-controller', 'ingress-nginx', 2, {
      image: 'registry.k8s.io/ingress-nginx/controller:v0.43.0',
      port: 80,
      resources: { requests: { cpu: '100m', memory: '90Mi' }, limits: { memory: '512Mi' } },
      labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
    }),
    service('ingress-nginx-controller', 'ingress-nginx', 80, {
      type: 'LoadBalancer',
      nodePort: 30080,
      selector: { 'app.kubernetes.io/name': 'ingress-nginx' },
    }),
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      resources: small,
    }),
    deployment('grafana', 'default', 1, { image: 'grafana/grafana:7.3.6', port: 3000, resources: small }),
    deployment('bitwarden', 'default', 1, { image: 'bitwardenrs/server:1.18.0', port: 80, resources: small }),
  ],
  faults: [],
  timeline: [
    {
      at: 0,
      note: `Memory pressure on ${NODES[0]?.name ?? ''}`,
      fault: { kind: 'node-memory-pressure', node: NODES[0]?.name ?? '', untilDrained: true },
    },
    {
      at: 2,
      note: 'The NodeBalancer reports all four backends DOWN',
      fault: { kind: 'nodebalancer-backends-down', nodebalancer: NB, whileMemoryPressure: true },
    },
  ],
  recovered: all(nodeBalancersUp, noMemoryPressure, workloadsReady()),
};
