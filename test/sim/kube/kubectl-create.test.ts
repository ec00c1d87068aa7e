// kubectl 1.32's `create` and `run` against the simulator: their bodies come as protobuf, are
// stored as the JSON kubectl would have sent, and a kind or field the simulator cannot read is a
// 415 that names it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';
import { createKubectl, kubectlMissing, type Kubectl } from './kubectl.js';

/** A protobuf field: key varint then a length-delimited value (wire type 2). */
function field(n: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const varint = (v: number): Buffer => {
    const out: number[] = [];
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    return Buffer.from(out);
  };
  return Buffer.concat([varint(n * 8 + 2), varint(bytes.length), bytes]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, typeMeta), field(2, raw)]);
}

function postProtobuf(h: Harness, path: string, body: Buffer): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${h.url}${path}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/vnd.kubernetes.protobuf',
          'Content-Length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('kubectl 1.32 create sends protobuf and the simulator reads it', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('create namespace makes a Namespace, and objects can be created in it', async () => {
    const out = await k.run('create', 'namespace', 'payments');
    assert.deepEqual(out, { code: 0, stdout: 'namespace/payments created\n', stderr: '' });
    const ns = h.sim.get('v1', 'Namespace', undefined, 'payments');
    assert.equal(ns?.metadata.name, 'payments');
    assert.equal((ns?.status as { phase?: string }).phase, 'Active');
    const cm = await k.run('create', 'configmap', 'flags', '-n', 'payments', '--from-literal=mode=on');
    assert.equal(cm.code, 0, cm.stderr);
    assert.deepEqual(h.sim.get('v1', 'ConfigMap', 'payments', 'flags')?.data, { mode: 'on' });
  });

  it('create secret generic stores data base64-encoded with its type and prints no value', async () => {
    const out = await k.run(
      'create',
      'secret',
      'generic',
      'db-credentials',
      '--from-literal=password=s3cr3t-value',
      '--from-literal=empty=',
      '--type=Opaque',
    );
    assert.deepEqual(out, { code: 0, stdout: 'secret/db-credentials created\n', stderr: '' });
    const secret = h.sim.get('v1', 'Secret', 'default', 'db-credentials');
    assert.equal(secret?.type, 'Opaque');
    assert.deepEqual(secret?.data, { password: Buffer.from('s3cr3t-value').toString('base64'), empty: '' });
    const described = await k.run('describe', 'secret', 'db-credentials');
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /password:\s+12 bytes/);
    assert.doesNotMatch(described.stdout, /s3cr3t/);
    const dry = await k.run(
      'create',
      'secret',
      'generic',
      'rehearsed',
      '--from-literal=a=b',
      '--dry-run=server',
      '-o',
      'name',
    );
    assert.deepEqual(dry, { code: 0, stdout: 'secret/rehearsed\n', stderr: '' });
    assert.equal(h.sim.get('v1', 'Secret', 'default', 'rehearsed'), undefined);
  });

  it('create secret docker-registry keeps the type and its one key', async () => {
    const out = await k.run(
      'create',
      'secret',
      'docker-registry',
      'registry',
      '--docker-server=registry.example.com',
      '--docker-username=ci',
      '--docker-password=pull-only-token',
    );
    assert.deepEqual(out, { code: 0, stdout: 'secret/registry created\n', stderr: '' });
    const secret = h.sim.get('v1', 'Secret', 'default', 'registry');
    assert.equal(secret?.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual(Object.keys(secret?.data ?? {}), ['.dockerconfigjson']);
  });

  it('create configmap stores data and binaryData as kubectl get shows them', async () => {
    // Not UTF-8, so kubectl sends it as binaryData.
    const binary = join(k.dir, 'blob.bin');
    writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x9f]));
    const out = await k.run(
      'create',
      'configmap',
      'app-config',
      '--from-literal=LOG_LEVEL=debug',
      '--from-literal=EMPTY=',
      `--from-file=blob=${binary}`,
    );
    assert.deepEqual(out, { code: 0, stdout: 'configmap/app-config created\n', stderr: '' });
    const got = await k.run('get', 'configmap', 'app-config', '-o', 'json');
    const cm = JSON.parse(got.stdout) as { data: unknown; binaryData: Record<string, string> };
    assert.deepEqual(cm.data, { LOG_LEVEL: 'debug', EMPTY: '' });
    assert.deepEqual(Object.keys(cm.binaryData), ['blob']);
    assert.deepEqual([...Buffer.from(cm.binaryData.blob ?? '', 'base64')], [0xff, 0xfe, 0x00, 0x9f]);
  });

  it('create serviceaccount, role, rolebinding, clusterrole and clusterrolebinding', async () => {
    for (const args of [
      ['serviceaccount', 'backup'],
      ['role', 'pod-reader', '--verb=get,list', '--resource=pods'],
      ['rolebinding', 'backup-reads', '--role=pod-reader', '--user=alice', '--serviceaccount=default:backup'],
      ['clusterrole', 'node-viewer', '--verb=get', '--resource=nodes'],
      ['clusterrolebinding', 'ops-nodes', '--clusterrole=node-viewer', '--group=ops'],
    ]) {
      const out = await k.run('create', ...args);
      assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
    }
    assert.ok(h.sim.get('v1', 'ServiceAccount', 'default', 'backup'));
    const rbac = 'rbac.authorization.k8s.io/v1';
    assert.deepEqual(h.sim.get(rbac, 'Role', 'default', 'pod-reader')?.rules, [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
    ]);
    const binding = h.sim.get(rbac, 'RoleBinding', 'default', 'backup-reads');
    assert.deepEqual(binding?.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'pod-reader',
    });
    assert.deepEqual(binding?.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'ServiceAccount', name: 'backup', namespace: 'default' },
    ]);
    assert.deepEqual(h.sim.get(rbac, 'ClusterRoleBinding', undefined, 'ops-nodes')?.subjects, [
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' },
    ]);
  });

  it('create deployment and job, and run, store the spec kubectl shows with --dry-run=client', async () => {
    const args = ['deployment', 'api', '--image=api:2.1', '--replicas=0', '--port=8080'];
    const sent = await k.run('create', ...args, '--dry-run=client', '-o', 'json');
    const out = await k.run('create', ...args);
    assert.deepEqual(out, { code: 0, stdout: 'deployment.apps/api created\n', stderr: '' });
    const stored = h.sim.get('apps/v1', 'Deployment', 'default', 'api');
    const expected = (JSON.parse(sent.stdout) as { spec: Record<string, unknown> }).spec;
    const spec = stored?.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 0);
    assert.deepEqual(spec.selector, expected.selector);
    const container = (spec.template as { spec: { containers: Array<Record<string, unknown>> } }).spec
      .containers[0];
    assert.equal(container?.image, 'api:2.1');
    assert.deepEqual(container?.ports, [{ containerPort: 8080, protocol: 'TCP' }]);

    const job = await k.run(
      'create',
      'job',
      'migrate',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'echo migrated',
    );
    assert.equal(job.code, 0, job.stderr);
    const jobSpec = h.sim.get('batch/v1', 'Job', 'default', 'migrate')?.spec as {
      template: { spec: { restartPolicy: string; containers: Array<{ command: string[] }> } };
    };
    assert.equal(jobSpec.template.spec.restartPolicy, 'Never');
    assert.deepEqual(jobSpec.template.spec.containers[0]?.command, ['sh', '-c', 'echo migrated']);

    const run = await k.run(
      'run',
      'debug',
      '--image=busybox:1.36',
      '--labels=purpose=debug',
      '--env=MODE=probe',
    );
    assert.deepEqual(run, { code: 0, stdout: 'pod/debug created\n', stderr: '' });
    const pod = h.sim.get('v1', 'Pod', 'default', 'debug');
    assert.deepEqual(pod?.metadata.labels, { purpose: 'debug' });
    const env = (pod?.spec as { containers: Array<{ env?: unknown }> }).containers[0]?.env;
    assert.deepEqual(env, [{ name: 'MODE', value: 'probe' }]);
  });

  it('create service, pdb and cronjob, and create job --from the cronjob', async () => {
    const lb = await k.run('create', 'service', 'loadbalancer', 'shop', '--tcp=443:8443');
    assert.deepEqual(lb, { code: 0, stdout: 'service/shop created\n', stderr: '' });
    const spec = h.sim.get('v1', 'Service', 'default', 'shop')?.spec as Record<string, unknown>;
    assert.equal(spec.type, 'LoadBalancer');
    assert.deepEqual(spec.selector, { app: 'shop' });
    assert.deepEqual(
      (spec.ports as Array<Record<string, unknown>>).map(({ name, protocol, port, targetPort }) => ({
        name,
        protocol,
        port,
        targetPort,
      })),
      [{ name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443 }],
    );
    const external = await k.run('create', 'service', 'externalname', 'db', '--external-name=db.example.com');
    assert.equal(external.code, 0, external.stderr);
    assert.equal(
      (h.sim.get('v1', 'Service', 'default', 'db')?.spec as { externalName: string }).externalName,
      'db.example.com',
    );

    const exposed = await k.run(
      'expose',
      'deployment',
      'api',
      '--port=80',
      '--target-port=http',
      '--name=api-public',
    );
    assert.deepEqual(exposed, { code: 0, stdout: 'service/api-public exposed\n', stderr: '' });
    const ports = (h.sim.get('v1', 'Service', 'default', 'api-public')?.spec as { ports: unknown[] }).ports;
    assert.deepEqual(ports, [{ port: 80, protocol: 'TCP', targetPort: 'http' }]);

    const pdb = await k.run('create', 'pdb', 'web', '--selector=app=web', '--min-available=50%');
    assert.deepEqual(pdb, { code: 0, stdout: 'poddisruptionbudget.policy/web created\n', stderr: '' });
    assert.deepEqual(h.sim.get('policy/v1', 'PodDisruptionBudget', 'default', 'web')?.spec, {
      minAvailable: '50%',
      selector: { matchLabels: { app: 'web' } },
    });

    const cron = await k.run(
      'create',
      'cronjob',
      'report',
      '--image=busybox:1.36',
      '--schedule=*/5 * * * *',
      '--',
      'echo',
      'done',
    );
    assert.deepEqual(cron, { code: 0, stdout: 'cronjob.batch/report created\n', stderr: '' });
    const cronSpec = h.sim.get('batch/v1', 'CronJob', 'default', 'report')?.spec as {
      schedule: string;
      jobTemplate: { spec: { template: { spec: { containers: Array<{ command: string[] }> } } } };
    };
    assert.equal(cronSpec.schedule, '*/5 * * * *');
    assert.deepEqual(cronSpec.jobTemplate.spec.template.spec.containers[0]?.command, ['echo', 'done']);
    const now = await k.run('create', 'job', 'report-now', '--from=cronjob/report');
    assert.deepEqual(now, { code: 0, stdout: 'job.batch/report-now created\n', stderr: '' });
    const job = h.sim.get('batch/v1', 'Job', 'default', 'report-now');
    assert.equal(job?.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(
      job?.metadata.ownerReferences?.map(({ kind, name, controller }) => ({ kind, name, controller })),
      [{ kind: 'CronJob', name: 'report', controller: true }],
    );
  });

  it('create in a namespace that does not exist answers as the API server does, and stores nothing', async () => {
    const out = await k.run('create', 'secret', 'generic', 'x', '-n', 'nowhere', '--from-literal=a=b');
    assert.equal(out.code, 1);
    assert.equal(out.stdout, '');
    assert.equal(out.stderr, 'error: failed to create secret namespaces "nowhere" not found\n');
    assert.equal(h.sim.get('v1', 'Secret', 'nowhere', 'x'), undefined);
  });

  it('create of an existing name is AlreadyExists', async () => {
    assert.equal((await k.run('create', 'namespace', 'twice')).code, 0);
    const out = await k.run('create', 'namespace', 'twice');
    assert.equal(out.code, 1);
    assert.equal(out.stderr, 'Error from server (AlreadyExists): namespaces "twice" already exists\n');
  });

  it('a kind it has no protobuf table for is a 415 naming the kind and the media type', async () => {
    const out = await k.run('create', 'ingress', 'web', '--rule=shop.example.com/=web:80');
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /the simulator cannot decode an Ingress \(networking\.k8s\.io\/v1\) sent as application\/vnd\.kubernetes\.protobuf \(it reads Namespace, Secret, ConfigMap/,
    );
    assert.equal(h.sim.get('networking.k8s.io/v1', 'Ingress', 'default', 'web'), undefined);
  });

  it('a field it has no table for is a 415 naming the field, never a silent loss', async () => {
    const metadata = field(1, 'odd');
    const reply = await postProtobuf(
      h,
      '/api/v1/namespaces',
      envelope('v1', 'Namespace', Buffer.concat([field(1, metadata), field(99, 'surprise')])),
    );
    assert.equal(reply.status, 415);
    const status = reply.json as { reason: string; message: string };
    assert.equal(status.reason, 'UnsupportedMediaType');
    assert.match(
      status.message,
      /cannot decode field 99 of Namespace sent as application\/vnd\.kubernetes\.protobuf/,
    );
    assert.equal(h.sim.get('v1', 'Namespace', undefined, 'odd'), undefined);
  });
});
