// The parameters every drain takes (node-drain, and node-recycle's drain of the failed node).
import { type ParamsOf, choice, integer, k8sName } from '../../src/engine/params.js';

export const drainParams = {
  node: k8sName({ description: 'the node to drain (kubectl get nodes)', required: true }),
  emptyDirData: choice({
    description: 'pods with emptyDir volumes: refuse to drain, or delete that data with them',
    choices: ['refuse', 'delete'] as const,
    default: 'refuse',
  }),
  unreplicated: choice({
    description: 'pods no controller recreates: refuse to drain, or delete them for good',
    choices: ['refuse', 'delete'] as const,
    default: 'refuse',
  }),
  timeout: integer({
    description: 'seconds: how long budgets may refuse evictions and pods may take to go, in all',
    default: 300,
    min: 1,
    max: 3600,
  }),
  concurrency: integer({ description: 'evictions in flight at once', default: 5, min: 1, max: 20 }),
};

export type DrainParams = ParamsOf<typeof drainParams>;
