// The objects that run `runbook serve` in the cluster: its ServiceAccount, the read-only RBAC derived
// for the dry runs (the same rules `runbook rbac --read-only` prints), a locked-down Deployment that
// reads its tokens from a Secret by reference, and a ClusterIP Service for Alertmanager to post to.
import type { Permission } from '../engine/permissions/permission.js';
import { type RbacRule, linodeScopesOf, rbacObjects } from '../engine/permissions/rbac-yaml.js';

export interface ServeManifestOptions {
  /** The name of every object (Deployment, Service, ServiceAccount, Roles, Secret). */
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** runbook's own version, for the labels. */
  readonly version: string;
  /** Where serve listens in the pod, and the Service's port. */
  readonly port: number;
  /** The read-only permissions of the runbooks serve may dry-run. */
  readonly permissions: readonly Permission[];
  /** The namespaces the runbooks act in: a Role and RoleBinding in each (default: `namespace`). */
  readonly roleNamespaces?: readonly string[];
  /**
   * Where the cluster lock's Lease lives: its read goes to the Role there when it is one of the role
   * namespaces, else to a `<name>-lock` Role of its own there (as `runbook rbac` does).
   */
  readonly lockNamespace?: string;
  /** Longer than serve's dry-run bound, so SIGTERM lets the dry runs in flight finish and post. */
  readonly terminationGracePeriodSeconds: number;
}

/** The environment variables serve and the chat read, and the Secret keys they come from. */
export const SERVE_SECRET_KEYS = [
  { env: 'RUNBOOK_SERVE_TOKEN', key: 'serve-token', optional: false },
  { env: 'LINODE_TOKEN', key: 'linode-token', optional: false },
  { env: 'DISCORD_WEBHOOK_URL', key: 'discord-webhook-url', optional: true },
  { env: 'SLACK_WEBHOOK_URL', key: 'slack-webhook-url', optional: true },
] as const;

export type KubeObject = Record<string, unknown> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: object };
};

const RBAC_API = 'rbac.authorization.k8s.io/v1';

const rulesOf = (rules: readonly RbacRule[]): object[] =>
  rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));

/** The ServiceAccount, then Role and RoleBinding per namespace, ClusterRole and its binding. */
function rbacOf(o: ServeManifestOptions, labels: object): KubeObject[] {
  const subjects = [{ kind: 'ServiceAccount', name: o.name, namespace: o.namespace }];
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: o.name, namespace: o.namespace, labels },
      // The pod mounts its token itself (the Deployment says so); no other pod borrows it.
      automountServiceAccountToken: false,
    },
  ];
  const roleDocs = (name: string, namespace: string, rules: readonly RbacRule[]): KubeObject[] =>
    rules.length === 0
      ? []
      : [
          {
            apiVersion: RBAC_API,
            kind: 'Role',
            metadata: { name, namespace, labels },
            rules: rulesOf(rules),
          },
          {
            apiVersion: RBAC_API,
            kind: 'RoleBinding',
            metadata: { name, namespace, labels },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
            subjects,
          },
        ];
  const namespaces = [...new Set(o.roleNamespaces ?? [o.namespace])];
  const first = namespaces[0] ?? o.namespace;
  const lockNamespace = o.lockNamespace ?? first;
  for (const namespace of namespaces)
    objects.push(
      ...roleDocs(o.name, namespace, rbacObjects(o.permissions, namespace, lockNamespace).role.rules),
    );
  if (!namespaces.includes(lockNamespace))
    objects.push(
      ...roleDocs(
        `${o.name}-lock`,
        lockNamespace,
        rbacObjects(o.permissions, first, lockNamespace).lockRole?.rules ?? [],
      ),
    );
  const { clusterRole } = rbacObjects(o.permissions, o.namespace);
  if (clusterRole.rules.length > 0)
    objects.push(
      {
        apiVersion: RBAC_API,
        kind: 'ClusterRole',
        metadata: { name: o.name, labels },
        rules: rulesOf(clusterRole.rules),
      },
      {
        apiVersion: RBAC_API,
        kind: 'ClusterRoleBinding',
        metadata: { name: o.name, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: o.name },
        subjects,
      },
    );
  return objects;
}

function deploymentOf(o: ServeManifestOptions, labels: object, selector: object): KubeObject {
  const probe = (periodSeconds: number, failureThreshold: number): object => ({
    httpGet: { path: '/healthz', port: 'http' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: o.namespace, labels },
    spec: {
      // One receiver: repeats are folded, and unrouted names posted once an hour, in its memory.
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: o.name,
          // serve reads the cluster with this ServiceAccount's token (in-cluster configuration).
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: o.terminationGracePeriodSeconds,
          securityContext: {
            // The image's `node` user, by number: the kubelet cannot check a user name is not root.
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'serve',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', '--listen', `0.0.0.0:${o.port}`],
              ports: [{ name: 'http', containerPort: o.port, protocol: 'TCP' }],
              env: [
                ...SERVE_SECRET_KEYS.map(({ env, key, optional }) => ({
                  name: env,
                  valueFrom: { secretKeyRef: { name: o.name, key, ...(optional ? { optional } : {}) } },
                })),
                // Node's heap inside the memory limit, so the garbage collector works before the OOM killer.
                { name: 'NODE_OPTIONS', value: '--max-old-space-size=384' },
              ],
              resources: {
                requests: { cpu: '50m', memory: '192Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              readinessProbe: probe(10, 1),
              livenessProbe: probe(20, 6),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              // A dry run's twin writes its kubeconfig under the temporary directory.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

/** Every object, in the order `kubectl apply` needs them. */
export function serveObjects(o: ServeManifestOptions): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': o.name };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': 'alert-receiver',
    'app.kubernetes.io/part-of': 'runbook',
    'app.kubernetes.io/version': o.version,
  };
  return [
    ...rbacOf(o, labels),
    deploymentOf(o, labels, selector),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: o.name, namespace: o.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: o.port, targetPort: 'http', protocol: 'TCP' }],
      },
    },
  ];
}

/** The URL Alertmanager posts to, inside the cluster. */
export const serveUrl = (o: Pick<ServeManifestOptions, 'name' | 'namespace' | 'port'>): string =>
  `http://${o.name}.${o.namespace}.svc:${o.port}/alertmanager`;

/** What the header says before the objects: the image, the Secret to create, Alertmanager's side. */
export function serveHeader(o: ServeManifestOptions, placeholderImage: boolean): string[] {
  const scopes = linodeScopesOf(o.permissions);
  const literals = SERVE_SECRET_KEYS.filter((k) => k.env !== 'SLACK_WEBHOOK_URL').map((k) =>
    k.env === 'RUNBOOK_SERVE_TOKEN'
      ? `--from-literal=${k.key}="$(openssl rand -hex 32)"`
      : `--from-literal=${k.key}="$${k.env}"`,
  );
  return [
    `runbook serve in the cluster: printed by \`runbook manifests serve\` (runbook ${o.version}).`,
    `Apply with: runbook manifests serve --namespace ${o.namespace} | kubectl apply -f -`,
    '',
    placeholderImage
      ? `Image: ${o.image} is a placeholder (no image is published). Build it from runbook's clone and`
      : `Image: ${o.image}.`,
    ...(placeholderImage
      ? [
          'push it where the cluster pulls from, then print these again with --image <that reference>:',
          `  npm ci && npm pack && docker build -t <registry>/runbook:${o.version} . && docker push <registry>/runbook:${o.version}`,
        ]
      : []),
    '',
    `First create the Secret it reads (no value is written here; the chat URL may be slack-webhook-url instead):`,
    `  kubectl create secret generic ${o.name} --namespace ${o.namespace} \\`,
    ...literals.map((l, i) => `    ${l}${i < literals.length - 1 ? ' \\' : ''}`),
    `Linode token scopes it needs (read-only): ${scopes.length === 0 ? 'none' : scopes.join(' ')}`,
    '',
    `Alertmanager posts to ${serveUrl(o)} with the serve-token as`,
    'http_config.authorization (type Bearer): see "Run the receiver in the cluster" in the README.',
  ];
}
