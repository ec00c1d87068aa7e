// The Kubernetes provider: readers for steps and waits, writers for the executor.
export { connectKube, type KubeClients, type KubeConnectOptions, resolveKubeconfigPaths } from './connect.js';
export { createKubeReader } from './reader.js';
export { createKubeWriter } from './writer.js';
export { createAccessReviewer } from './access-review.js';
