// kubectl 1.32 against the kinds a team's repository holds: apply, get (kubectl's real columns),
// get -w, delete; a CRD then its custom resources; a CronJob creating Jobs on the simulated clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness } from './harness.js';
import { kubectlMissing, startWebCluster, type Kubectl } from './kubectl.js';

const RBAC = `apiVersion: v1
kind: ServiceAccount
metadata: {name: backup, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: backup-reads-pods, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: backup, namespace: default}
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-viewer}
rules: [{apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-view-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-viewer}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
`;

const NETWORKING = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-ingress, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: edge}}}]}]
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: certificates.certs.example.com}
spec:
  group: certs.example.com
  scope: Namespaced
  names: {plural: certificates, singular: certificate, kind: Certificate, shortNames: [cert]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterissuers.certs.example.com}
spec:
  group: certs.example.com
  scope: Cluster
  names: {plural: clusterissuers, singular: clusterissuer, kind: ClusterIssuer}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

const CUSTOM = `apiVersion: certs.example.com/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec: {acme: {server: https://acme.example.com/directory}}
---
apiVersion: certs.example.com/v1
kind: Certificate
metadata: {name: shop-tls, namespace: default}
spec: {secretName: shop-tls, dnsNames: [shop.example.com], issuerRef: {kind: ClusterIssuer, name: letsencrypt}}
`;

const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: default}
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: report, image: "busybox:1.36", command: [sh, -c, "echo done"]}]
`;

/** The header and the row of `name` in kubectl's table output, split on its column gaps. */
function rowOf(table: string, name: string): { header: string[]; row: string[] } {
  const lines = table.trimEnd().split('\n');
  const split = (line: string): string[] => line.trim().split(/\s{2,}/);
  const row = lines.find((l) => l.startsWith(`${name} `));
  assert.ok(row !== undefined, `no row ${name} in:\n${table}`);
  return { header: split(lines[0] ?? ''), row: split(row) };
}

describe('kubectl 1.32 and the kinds of a team repository', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;

  before(async () => {
    ({ h, k } = await startWebCluster(1));
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('applies ServiceAccount, Role, RoleBinding, ClusterRole and ClusterRoleBinding and lists them as kubectl does', async () => {
    const applied = await k.run('apply', '-f', k.file('rbac.yaml', RBAC));
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(applied.stdout.trim().split('\n'), [
      'serviceaccount/backup created',
      'role.rbac.authorization.k8s.io/pod-reader created',
      'rolebinding.rbac.authorization.k8s.io/backup-reads-pods created',
      'clusterrole.rbac.authorization.k8s.io/node-viewer created',
      'clusterrolebinding.rbac.authorization.k8s.io/ops-view-nodes created',
    ]);

    const sa = rowOf((await k.run('get', 'sa', 'backup')).stdout, 'backup');
    assert.deepEqual(sa.header, ['NAME', 'SECRETS', 'AGE']);
    assert.deepEqual(sa.row.slice(0, 2), ['backup', '0']);

    const role = rowOf((await k.run('get', 'roles')).stdout, 'pod-reader');
    assert.deepEqual(role.header, ['NAME', 'CREATED AT']);
    assert.match(role.row[1] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const binding = rowOf((await k.run('get', 'rolebinding', '-o', 'wide')).stdout, 'backup-reads-pods');
    assert.deepEqual(binding.header, ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    assert.equal(binding.row[1], 'Role/pod-reader');
    assert.deepEqual(binding.row.slice(3), ['alice', 'default/backup']);

    const crb = rowOf((await k.run('get', 'clusterrolebindings', '-o', 'wide')).stdout, 'ops-view-nodes');
    assert.equal(crb.row[1], 'ClusterRole/node-viewer');
    assert.equal(crb.row[3], 'ops');

    const cr = rowOf((await k.run('get', 'clusterrole', 'node-viewer')).stdout, 'node-viewer');
    assert.deepEqual(cr.header, ['NAME', 'CREATED AT']);

    const rules = await k.run('get', 'role', 'pod-reader', '-o', 'jsonpath={.rules[0].verbs}');
    assert.equal(rules.stdout, '["get","list"]');
  });

  it('applies IngressClass, Ingress and NetworkPolicy; get shows their columns; delete removes one', async () => {
    const applied = await k.run('apply', '-f', k.file('net.yaml', NETWORKING));
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /ingressclass.networking.k8s.io\/nginx created/);
    assert.match(applied.stdout, /ingress.networking.k8s.io\/web created/);
    assert.match(applied.stdout, /networkpolicy.networking.k8s.io\/web-from-ingress created/);

    const ing = rowOf((await k.run('get', 'ing')).stdout, 'web');
    assert.deepEqual(ing.header, ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    // ADDRESS is empty (no ingress controller writes it), so the split sees one gap fewer.
    assert.deepEqual(ing.row.slice(0, 4), ['web', 'nginx', 'shop.example.com', '80, 443']);

    const ic = rowOf((await k.run('get', 'ingressclass')).stdout, 'nginx');
    assert.deepEqual(ic.header, ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    assert.deepEqual(ic.row.slice(0, 3), ['nginx', 'k8s.io/ingress-nginx', '<none>']);

    const np = rowOf((await k.run('get', 'netpol')).stdout, 'web-from-ingress');
    assert.deepEqual(np.header, ['NAME', 'POD-SELECTOR', 'AGE']);
    assert.equal(np.row[1], 'app=web');

    const deleted = await k.run('delete', 'networkpolicy', 'web-from-ingress');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), 'networkpolicy.networking.k8s.io "web-from-ingress" deleted');
    assert.equal(
      h.sim.get('networking.k8s.io/v1', 'NetworkPolicy', 'default', 'web-from-ingress'),
      undefined,
    );
    const gone = await k.run('get', 'netpol', 'web-from-ingress');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /networkpolicies.networking.k8s.io "web-from-ingress" not found/);
  });

  it('get -w of ingresses prints a new Ingress as it is created', async () => {
    const watch = k.start('get', 'ingress', '-w');
    await watch.output(/^web\s/m);
    const applied = await k.run(
      'apply',
      '-f',
      k.file(
        'ing2.yaml',
        `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: admin, namespace: default}
spec:
  rules:
  - host: admin.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`,
      ),
    );
    assert.equal(applied.code, 0, applied.stderr);
    const line = await watch.output(/^admin\s.*$/m);
    assert.match(line, /^admin\s+<none>\s+admin\.example\.com\s+80\s+\d+s$/);
    watch.process.kill();
  });

  it('a CRD makes its custom resources servable: apply, api-resources, get <plural>, delete', async () => {
    const crds = await k.run('apply', '-f', k.file('crd.yaml', CRD));
    assert.equal(crds.code, 0, crds.stderr);
    assert.match(
      crds.stdout,
      /customresourcedefinition.apiextensions.k8s.io\/certificates.certs.example.com created/,
    );
    const crdRow = rowOf((await k.run('get', 'crd')).stdout, 'certificates.certs.example.com');
    assert.deepEqual(crdRow.header, ['NAME', 'CREATED AT']);
    const established = await k.run(
      'wait',
      '--for=condition=Established',
      'crd/certificates.certs.example.com',
      '--timeout=20s',
    );
    assert.equal(established.code, 0, established.stderr);

    const applied = await k.run('apply', '-f', k.file('custom.yaml', CUSTOM));
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(applied.stdout.trim().split('\n'), [
      'clusterissuer.certs.example.com/letsencrypt created',
      'certificate.certs.example.com/shop-tls created',
    ]);

    const resources = await k.run('api-resources', '--api-group=certs.example.com');
    assert.equal(resources.code, 0, resources.stderr);
    const cert = rowOf(resources.stdout, 'certificates');
    assert.deepEqual(cert.header, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    assert.deepEqual(cert.row, ['certificates', 'cert', 'certs.example.com/v1', 'true', 'Certificate']);
    assert.deepEqual(rowOf(resources.stdout, 'clusterissuers').row, [
      'clusterissuers',
      'certs.example.com/v1',
      'false',
      'ClusterIssuer',
    ]);

    const certs = await k.run('get', 'certificates');
    assert.equal(certs.code, 0, certs.stderr);
    const row = rowOf(certs.stdout, 'shop-tls');
    assert.deepEqual(row.header, ['NAME', 'AGE']);
    const byShortName = await k.run('get', 'cert', 'shop-tls', '-o', 'jsonpath={.spec.issuerRef.name}');
    assert.equal(byShortName.stdout, 'letsencrypt');
    const issuers = await k.run('get', 'clusterissuers.certs.example.com', '-o', 'name');
    assert.equal(issuers.stdout.trim(), 'clusterissuer.certs.example.com/letsencrypt');

    const deleted = await k.run('delete', 'certificate', 'shop-tls');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), 'certificate.certs.example.com "shop-tls" deleted');
    const none = await k.run('get', 'certificates');
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stderr, /No resources found in default namespace\./);
  });

  it('under the instant clock a CronJob waits instead of racing simulated time forward', async () => {
    const start = h.clock.nowMs();
    h.sim.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'idle', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'busybox' }] } },
          },
        },
      },
    });
    // A kubectl round trip gives a racing clock (the bug this guards) hours of simulated time.
    const cj = rowOf((await k.run('get', 'cj', 'idle')).stdout, 'idle');
    assert.equal(cj.row[5], '<none>', 'never scheduled');
    assert.ok(h.clock.nowMs() - start < 60_000, 'simulated time did not reach the next minute');
    assert.equal(h.sim.list('batch/v1', 'Job', 'default').length, 0);
    const deleted = await k.run('delete', 'cj', 'idle');
    assert.equal(deleted.stdout.trim(), 'cronjob.batch "idle" deleted');
  });

  it('a CronJob */5 creates a Job on the simulated clock, whose pod runs to Completed', async () => {
    const applied = await k.run('apply', '-f', k.file('cron.yaml', CRONJOB));
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout.trim(), 'cronjob.batch/report created');
    // The test moves simulated time past the next fifth minute, once: one Job, which nothing prunes.
    h.clock.advance(5 * 60_000);

    const jobs = k.start('get', 'jobs', '-w');
    const jobLine = await jobs.output(/^report-\d+\s+Complete\s+1\/1\s.*$/m);
    jobs.process.kill();
    const jobName = jobLine.split(/\s+/)[0] ?? '';
    assert.equal(Number(jobName.slice('report-'.length)) % 5, 0, 'named after a minute divisible by 5');

    const cj = rowOf((await k.run('get', 'cronjob', 'report')).stdout, 'report');
    assert.deepEqual(cj.header, [
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST SCHEDULE',
      'AGE',
    ]);
    assert.deepEqual(cj.row.slice(0, 3), ['report', '*/5 * * * *', '<none>']);
    assert.equal(cj.row[3], 'False');
    assert.notEqual(cj.row[5], '<none>');

    const pods = await k.run('get', 'pods', '-l', `job-name=${jobName}`);
    assert.equal(pods.code, 0, pods.stderr);
    const pod = pods.stdout.trim().split('\n')[1] ?? '';
    assert.match(pod, new RegExp(`^${jobName}-\\w+\\s+0/1\\s+Completed\\s+0\\s`));

    const table = rowOf((await k.run('get', 'job', jobName, '-o', 'wide')).stdout, jobName);
    assert.deepEqual(table.header, [
      'NAME',
      'STATUS',
      'COMPLETIONS',
      'DURATION',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    assert.deepEqual(table.row.slice(5, 7), ['report', 'busybox:1.36']);
    assert.match(table.row[7] ?? '', /^batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/);

    const deleted = await k.run('delete', 'cronjob', 'report');
    assert.equal(deleted.code, 0, deleted.stderr);
    await h.until(
      'the CronJob, its Jobs and their pods are gone',
      () =>
        h.sim.list('batch/v1', 'Job', 'default').length === 0 &&
        h.sim.list('v1', 'Pod', 'default').every((p) => !p.metadata.name.startsWith('report-')),
    );
  });
});
