// A kubeconfig for the simulator, shaped like the one LKE hands out (context lke<id>-ctx).

export function simulatorKubeconfig(options: {
  server: string;
  clusterId: number;
  token: string;
  /** The CA (PEM) that signed an https simulator's certificate: trusted instead of skipping checks. */
  ca?: string;
}): string {
  const cluster = `lke${options.clusterId}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${options.server}`,
    options.ca === undefined
      ? // client-node 2.x refuses plain http:// unless TLS verification is switched off; kubectl does not mind.
        '    insecure-skip-tls-verify: true'
      : `    certificate-authority-data: ${Buffer.from(options.ca).toString('base64')}`,
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
