// A kubeconfig for the simulator, shaped like the one LKE hands out (context lke<id>-ctx).

export function simulatorKubeconfig(options: { server: string; clusterId: number; token: string }): string {
  const cluster = `lke${options.clusterId}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${options.server}`,
    'users:',
    `- name: ${cluster}-admin`,
    '  user:',
    `    token: ${options.token}`,
    'contexts:',
    `- name: ${cluster}-ctx`,
    '  context:',
    `    cluster: ${cluster}`,
    `    user: ${cluster}-admin`,
    '    namespace: default',
    `current-context: ${cluster}-ctx`,
    '',
  ].join('\n');
}
