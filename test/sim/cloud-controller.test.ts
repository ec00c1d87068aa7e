// A `--load` world is an LKE cluster: kube-system runs what LKE runs, and a Service of type
// LoadBalancer gets a NodeBalancer from the simulated cloud controller, read back through the real
// @linode/api-v4 client, the real kubectl and the spawned CLI (nodebalancer-check, core-services-restart).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  baseRequest,
  getNodeBalancerConfigNodes,
  getNodeBalancerConfigs,
  getNodeBalancers,
  setToken,
} from '@linode/api-v4';
import { manifestsLoader } from '../../src/sim/load.js';
import { settle } from '../../src/sim/scenario.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import type { KubeObject } from '../../src/sim/world.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

const SHOP = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    service.beta.kubernetes.io/linode-loadbalancer-tags: shop,prod
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: 8080}
    - {name: https, port: 443, targetPort: 8080}
`;

const ready = (o: KubeObject): boolean =>
  ((o.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

describe('a --load world is an LKE cluster', () => {
  let dir: string;
  let sim: RunningSimulator;
  let kubeconfig: string;
  let env: Record<string, string>;
  const interceptors: number[] = [];

  const svc = (): KubeObject | undefined => sim.world.kube.get('v1', 'Service', 'shop', 'web');
  const kubectl = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }),
      );
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-lke-'));
    writeFileSync(join(dir, 'shop.yaml'), SHOP);
    sim = await startSimulator({ world: manifestsLoader(dir), speed: 'instant' });
    await settle(sim.world);
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig());
    env = cleanEnv({
      KUBECONFIG: kubeconfig,
      LINODE_API_URL: sim.linodeApiUrl,
      LINODE_TOKEN: sim.linodeToken,
    });
    interceptors.push(
      baseRequest.interceptors.request.use((config) => ({
        ...config,
        url: config.url?.replace('https://api.linode.com/v4', sim.linodeApiUrl),
      })),
      setToken(sim.linodeToken),
    );
  });
  after(async () => {
    for (const i of interceptors) baseRequest.interceptors.request.eject(i);
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the kube-system workloads of LKE, every pod Ready', () => {
    const pods = sim.world.kube.list('v1', 'Pod', 'kube-system');
    const owners = (name: string): KubeObject[] =>
      pods.filter((p) => p.metadata.name.startsWith(`${name}-`) && ready(p));
    const nodes = sim.world.kube.list('v1', 'Node').length;
    for (const ds of ['calico-node', 'csi-linode-node', 'kube-proxy', 'konnectivity-agent']) {
      assert.ok(sim.world.kube.get('apps/v1', 'DaemonSet', 'kube-system', ds), ds);
      assert.equal(owners(ds).length, nodes, `${ds}: one Ready pod per node`);
    }
    assert.ok(sim.world.kube.get('apps/v1', 'Deployment', 'kube-system', 'calico-kube-controllers'));
    assert.equal(owners('coredns').length, 2);
    assert.ok(sim.world.kube.get('apps/v1', 'StatefulSet', 'kube-system', 'csi-linode-controller'));
    assert.equal(owners('csi-linode-controller').length, 1);
  });

  it('gives the LoadBalancer Service a NodeBalancer: a config per port, a backend per node at its node port', async () => {
    const page = await getNodeBalancers();
    assert.equal(page.results, 1);
    const nb = page.data[0];
    assert.ok(nb);
    assert.match(nb.label, /^ccm-[0-9a-f]{12}$/);
    assert.deepEqual([...nb.tags].sort(), ['prod', 'shop']);
    assert.notEqual(nb.lke_cluster, null);
    const ports = (svc()?.spec as { ports: Array<{ port: number; nodePort: number }> }).ports;
    assert.ok(ports.every((p) => p.nodePort >= 30000 && p.nodePort <= 32767));
    const configs = (await getNodeBalancerConfigs(nb.id)).data;
    assert.deepEqual(
      configs.map((c) => c.port),
      [80, 443],
    );
    const internal = sim.world.kube
      .list('v1', 'Node')
      .map(
        (n) =>
          (n.status as { addresses: Array<{ type: string; address: string }> }).addresses.find(
            (a) => a.type === 'InternalIP',
          )?.address,
      );
    for (const config of configs) {
      const nodePort = ports.find((p) => p.port === config.port)?.nodePort;
      const backends: Array<{ address: string; status: string }> = (
        await getNodeBalancerConfigNodes(nb.id, config.id)
      ).data;
      assert.deepEqual(
        backends.map((b) => b.address).sort(),
        internal.map((ip) => `${ip}:${nodePort}`).sort(),
      );
      assert.ok(backends.every((b) => b.status === 'UP'));
    }
  });

  it("asks for what LKE's cloud controller asks: throttle 20, a UDP config for a UDP port, the annotated protocol per port", async () => {
    sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'dns',
        namespace: 'shop',
        annotations: { 'service.beta.kubernetes.io/linode-loadbalancer-port-8080': '{"protocol": "http"}' },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [
          { name: 'dns', port: 53, targetPort: 8080, protocol: 'UDP' },
          { name: 'web', port: 8080, targetPort: 8080, protocol: 'TCP' },
        ],
      },
    });
    await settle(sim.world);
    const nb = (await getNodeBalancers()).data.find((n) => n.tags.length === 0);
    assert.ok(nb, 'a NodeBalancer for the second Service');
    assert.equal(nb.client_conn_throttle, 20);
    const configs = (await getNodeBalancerConfigs(nb.id)).data;
    assert.deepEqual(
      configs.map((c) => [c.port, c.protocol, c.check, c.check_passive, c.stickiness, c.udp_check_port]),
      [
        [53, 'udp', 'none', false, 'session', 80],
        [8080, 'http', 'connection', true, 'table', 80],
      ],
    );
    const udpBackends = (await getNodeBalancerConfigNodes(nb.id, configs[0]?.id ?? 0)).data;
    assert.ok(udpBackends.length > 0 && udpBackends.every((b) => b.mode === 'none'));
    const gone = await kubectl('delete', 'svc', '-n', 'shop', 'dns');
    assert.equal(gone.code, 0, gone.stderr);
    await settle(sim.world);
    assert.equal((await getNodeBalancers()).results, 1);
  });

  it(
    'writes the NodeBalancer back to the Service: kubectl get svc shows its IP',
    {
      skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`,
    },
    async () => {
      const nb = (await getNodeBalancers()).data[0];
      assert.ok(nb);
      const ingress = (
        svc()?.status as { loadBalancer: { ingress: Array<{ ip: string; hostname: string }> } }
      ).loadBalancer.ingress;
      assert.deepEqual(ingress, [{ ip: nb.ipv4, hostname: nb.hostname }]);
      const out = await kubectl('get', 'svc', '-n', 'shop', 'web');
      assert.equal(out.code, 0, out.stderr);
      assert.match(
        out.stdout,
        new RegExp(
          `web\\s+LoadBalancer\\s+\\S+\\s+${nb.ipv4.replaceAll('.', '\\.')}\\s+80:3\\d{4}/TCP,443:3\\d{4}/TCP`,
        ),
      );
      assert.doesNotMatch(out.stdout, /<pending>/);
    },
  );

  it('nodebalancer-check finds the NodeBalancer of the loaded Service and its backends', async () => {
    const nb = (await getNodeBalancers()).data[0];
    assert.ok(nb);
    const result = await runCli(['nodebalancer-check'], { env });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      new RegExp(`NodeBalancer ${nb.label} \\(${nb.id}, ${nb.ipv4.replaceAll('.', '\\.')}`),
    );
    assert.match(result.stdout, /port 80\/tcp: 3 up, 0 down; NodePort 3\d{4} is shop\/web port 80/);
    assert.match(result.stdout, /port 443\/tcp: 3 up, 0 down; NodePort 3\d{4} is shop\/web port 443/);
    assert.match(result.stdout, new RegExp(`every backend is UP \\(6 of ${nb.label}\\)`));
  });

  it('core-services-restart --dry-run no longer refuses: Calico, CoreDNS and the CSI driver are there', async () => {
    const waves = join(dir, 'waves.yaml');
    writeFileSync(
      waves,
      [
        'network: [kube-system/daemonset/calico-node]',
        'dns: [kube-system/deployment/coredns]',
        'storage: [kube-system/daemonset/csi-linode-node, kube-system/statefulset/csi-linode-controller]',
        'apps: [shop/deployment/web]',
        '',
      ].join('\n'),
    );
    const dry = await runCli(['core-services-restart', '--dry-run', '--waves', waves], { env });
    assert.equal(dry.exitCode, 0, dry.stderr + dry.stdout);
    const out = dry.stdout;
    assert.match(out, /daemonset kube-system\/calico-node is healthy \(3\/3 ready\)/i);
    assert.match(out, /deployment kube-system\/coredns is healthy \(2\/2 ready\)/i);
    assert.match(out, /statefulset kube-system\/csi-linode-controller is healthy \(1\/1 ready\)/i);
    assert.doesNotMatch(out + dry.stderr, /does not exist/);
  });

  it('moves a backend DOWN when its node is NotReady, and drops it when the node goes', async () => {
    const nb = (await getNodeBalancers()).data[0];
    assert.ok(nb);
    const node = sim.world.kube.list('v1', 'Node')[0]?.metadata.name ?? '';
    sim.world.faults.add({ kind: 'node-not-ready', node });
    await settle(sim.world);
    const config = (await getNodeBalancerConfigs(nb.id)).data[0];
    assert.ok(config);
    let backends = (await getNodeBalancerConfigNodes(nb.id, config.id)).data;
    assert.deepEqual(
      backends.filter((b) => b.status === 'DOWN').map((b) => b.label),
      [node],
    );
    const gone = await kubectl('delete', 'node', node, '--wait=false');
    assert.equal(gone.code, 0, gone.stderr);
    await settle(sim.world);
    backends = (await getNodeBalancerConfigNodes(nb.id, config.id)).data;
    assert.equal(backends.length, 2);
    assert.ok(backends.every((b) => b.label !== node && b.status === 'UP'));
  });

  it('deletes the NodeBalancer with its Service', async () => {
    const gone = await kubectl('delete', 'svc', '-n', 'shop', 'web');
    assert.equal(gone.code, 0, gone.stderr);
    await settle(sim.world);
    assert.equal((await getNodeBalancers()).results, 0);
  });
});
