// Loads the kubeconfig and the API clients; client-node costs ~0.6 s to import, so only runs that
// talk to a cluster pay for it.
import { existsSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as ClientNode from '@kubernetes/client-node';
import type { AppsV1Api, CoreV1Api, KubeConfig, PolicyV1Api, StorageV1Api } from '@kubernetes/client-node';
import { RunbookError, usageError } from '../../engine/errors.js';
import { loadClientNode } from './client-lib.js';
import { rememberTrust } from './trust.js';
import type { ClusterIdentity } from '../../engine/ports.js';

export interface KubeClients {
  readonly lib: typeof ClientNode;
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly storage: StorageV1Api;
  readonly policy: PolicyV1Api;
  readonly identity: ClusterIdentity;
}

export interface KubeConnectOptions {
  /** A kubeconfig path; else KUBECONFIG (from `env`), else ~/.kube/config. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where a pod's ServiceAccount token and CA are mounted (tests point it elsewhere). */
  readonly serviceAccountDir?: string;
}

/** Where the kubelet mounts a pod's ServiceAccount token, CA and namespace (client-go's in-cluster config). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Inside a pod, with no kubeconfig: the API server's address and the mounted token (else undefined). */
function inClusterOf(options: KubeConnectOptions): { server: string; dir: string } | undefined {
  const host = options.env.KUBERNETES_SERVICE_HOST;
  const port = options.env.KUBERNETES_SERVICE_PORT;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (host === undefined || host === '' || port === undefined || port === '') return undefined;
  if (!existsSync(join(dir, 'token'))) return undefined;
  return { server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`, dir };
}

export function resolveKubeconfigPaths(options: KubeConnectOptions): string[] {
  if (options.kubeconfig !== undefined) return [options.kubeconfig];
  const fromEnv = options.env.KUBECONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv.split(':').filter((p) => p !== '');
  return [join(homedir(), '.kube', 'config')];
}

export async function connectKube(options: KubeConnectOptions): Promise<KubeClients> {
  const paths = resolveKubeconfigPaths(options);
  const present = paths.filter((p) => existsSync(p));
  const fromEnv = options.kubeconfig !== undefined || (options.env.KUBECONFIG ?? '') !== '';
  const inCluster = present.length === 0 && !fromEnv ? inClusterOf(options) : undefined;
  if (inCluster !== undefined && options.context === undefined) return connectInCluster(inCluster);
  if (present.length === 0) {
    throw usageError(
      `No kubeconfig found at ${paths.join(', ')}.`,
      'Pass --kubeconfig <file>, set KUBECONFIG, or rehearse on the simulator with --sim.',
    );
  }
  const lib = await loadClientNode();
  const config = new lib.KubeConfig();
  try {
    config.loadFromFile(present[0] ?? '');
  } catch (error) {
    throw new RunbookError(
      'usage',
      `The kubeconfig ${present[0] ?? ''} could not be read: ${String(error)}.`,
      {
        cause: error,
      },
    );
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) == null) {
      const known = config.getContexts().map((c) => c.name);
      throw new RunbookError(
        'invalid-parameter',
        `--context ${options.context} is not in ${present[0] ?? ''}; it has: ${known.join(', ') || 'no contexts'}.`,
      );
    }
    config.setCurrentContext(options.context);
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null) {
    throw usageError(`The kubeconfig ${present[0] ?? ''} has no current context.`, 'Pass --context <name>.');
  }
  rememberTrust(cluster.server, {
    kubeconfig: present[0] ?? '',
    cluster: cluster.name,
    ca:
      cluster.caData !== undefined && cluster.caData !== ''
        ? { from: 'data' }
        : cluster.caFile !== undefined && cluster.caFile !== ''
          ? { from: 'file', path: cluster.caFile }
          : { from: 'system' },
  });
  return clientsOf(lib, config, cluster.server);
}

/** In a pod (`runbook serve`): the API server from the environment, the mounted token, re-read as it rotates. */
async function connectInCluster(inCluster: { server: string; dir: string }): Promise<KubeClients> {
  const lib = await loadClientNode();
  const config = new lib.KubeConfig();
  const ca = join(inCluster.dir, 'ca.crt');
  config.loadFromClusterAndUser(
    { name: 'in-cluster', server: inCluster.server, caFile: ca, skipTLSVerify: false },
    {
      name: 'service-account',
      authProvider: { name: 'tokenFile', config: { tokenFile: join(inCluster.dir, 'token') } },
    },
  );
  rememberTrust(inCluster.server, {
    kubeconfig: `(in-cluster: ${inCluster.dir})`,
    cluster: 'in-cluster',
    ca: { from: 'file', path: ca },
  });
  return clientsOf(lib, config, inCluster.server);
}

function clientsOf(lib: typeof ClientNode, config: KubeConfig, server: string): KubeClients {
  return {
    lib,
    config,
    core: config.makeApiClient(lib.CoreV1Api),
    apps: config.makeApiClient(lib.AppsV1Api),
    storage: config.makeApiClient(lib.StorageV1Api),
    policy: config.makeApiClient(lib.PolicyV1Api),
    identity: { context: config.getCurrentContext(), server },
  };
}
