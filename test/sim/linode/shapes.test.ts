// The Linode API moved past its OpenAPI files: @linode/api-v4 0.158's types declare the fields it
// returns now (the NodeBalancer UDP fields, Linode locks and maintenance policy, event times, ...).
// Each listing below is Record<keyof T, ...>, so the compiler fails when api-v4 adds or drops a
// field; every field is either sent by the simulator or named with why the real API leaves it out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  AutoscaleSettings,
  BalancerTransfer,
  ControlPlaneOptions,
  Entity,
  Event,
  KubeNodePoolResponse,
  KubernetesCluster,
  LKEClusterInfo,
  Linode,
  LinodeAlerts,
  LinodeBackups,
  LinodeSpecs,
  NodeBalancer,
  NodeBalancerConfig,
  NodeBalancerConfigNode,
  NodesStatus,
  PoolNodeResponse,
  Volume,
} from '@linode/api-v4';
import { type Harness, raw, seed, startSim } from './harness.js';

/** true: the simulator sends the field; a string: why the real API leaves it out of this response. */
type Shape<T> = Record<keyof T, true | string>;

const LKE_ENTERPRISE_ONLY =
  'api-v4: "Only returned for LKE Enterprise clusters"; the simulator plays a standard-tier cluster';

const LINODE: Shape<Linode> = {
  alerts: true,
  backups: true,
  capabilities: true,
  created: true,
  disk_encryption: true,
  group: true,
  has_user_data: true,
  hypervisor: true,
  id: true,
  image: true,
  interface_generation: true,
  ipv4: true,
  ipv6: true,
  label: true,
  lke_cluster_id: true,
  locks: true,
  maintenance_policy: true,
  placement_group: true,
  region: true,
  site_type: true,
  specs: true,
  status: true,
  tags: true,
  type: true,
  updated: true,
  watchdog_enabled: true,
};
const LINODE_SPECS: Shape<LinodeSpecs> = {
  accelerated_devices: true,
  disk: true,
  gpus: true,
  memory: true,
  transfer: true,
  vcpus: true,
};
const LINODE_ALERTS: Shape<LinodeAlerts> = {
  cpu: true,
  io: true,
  network_in: true,
  network_out: true,
  transfer_quota: true,
  system_alerts: 'api-v4: "Only included in Beta mode" (CloudPulse alerts, ACLP beta)',
  user_alerts: 'api-v4: only in the ACLP (CloudPulse alerts) beta',
};
const LINODE_BACKUPS: Shape<LinodeBackups> = { enabled: true, last_successful: true, schedule: true };
const VOLUME: Shape<Volume> = {
  created: true,
  encryption: true,
  filesystem_path: true,
  hardware_type: true,
  id: true,
  io_ready: true,
  label: true,
  linode_id: true,
  linode_label: true,
  region: true,
  size: true,
  status: true,
  tags: true,
  updated: true,
};
const CLUSTER: Shape<KubernetesCluster> = {
  apl_enabled: true,
  control_plane: true,
  created: true,
  id: true,
  k8s_version: true,
  label: true,
  region: true,
  stack_type: true,
  status: true,
  subnet_id: true,
  tags: true,
  tier: true,
  updated: true,
  vpc_id: true,
};
const CONTROL_PLANE: Shape<ControlPlaneOptions> = {
  acl: 'the control plane ACL is its own endpoint (/lke/clusters/{id}/control_plane_acl), not part of the cluster',
  audit_logs_enabled: 'an LKE Enterprise setting; a standard-tier cluster does not report it',
  high_availability: true,
};
const POOL: Shape<KubeNodePoolResponse> = {
  autoscaler: true,
  count: true,
  disk_encryption: true,
  firewall_id: LKE_ENTERPRISE_ONLY,
  id: true,
  k8s_version: LKE_ENTERPRISE_ONLY,
  label: true,
  labels: true,
  nodes: true,
  tags: true,
  taints: true,
  type: true,
  update_strategy: LKE_ENTERPRISE_ONLY,
};
const AUTOSCALER: Shape<AutoscaleSettings> = { enabled: true, max: true, min: true };
const POOL_NODE: Shape<PoolNodeResponse> = { id: true, instance_id: true, status: true };
const NODEBALANCER: Shape<NodeBalancer> = {
  client_conn_throttle: true,
  client_udp_sess_throttle: true,
  created: true,
  frontend_address_type: true,
  frontend_vpc_subnet_id: true,
  hostname: true,
  id: true,
  ipv4: true,
  ipv6: true,
  label: true,
  lke_cluster: true,
  region: true,
  tags: true,
  transfer: true,
  type: true,
  updated: true,
};
const TRANSFER: Shape<BalancerTransfer> = { in: true, out: true, total: true };
const LKE_CLUSTER_INFO: Shape<LKEClusterInfo> = { id: true, label: true, type: true, url: true };
const NB_CONFIG: Shape<NodeBalancerConfig> = {
  algorithm: true,
  check: true,
  check_attempts: true,
  check_body: true,
  check_interval: true,
  check_passive: true,
  check_path: true,
  check_timeout: true,
  cipher_suite: true,
  id: true,
  nodebalancer_id: true,
  nodes:
    "the API lists a config's backends at .../configs/{id}/nodes; its config object has none (spec 4.189), api-v4 types the shape Cloud Manager assembles",
  nodes_status: true,
  port: true,
  protocol: true,
  proxy_protocol: true,
  ssl_cert: true,
  ssl_commonname: true,
  ssl_fingerprint: true,
  ssl_key: true,
  stickiness: true,
  udp_check_port: true,
  udp_session_timeout: true,
};
const NODES_STATUS: Shape<NodesStatus> = { down: true, up: true };
const NB_NODE: Shape<NodeBalancerConfigNode> = {
  address: true,
  config_id: true,
  id: true,
  label: true,
  mode: true,
  nodebalancer_id: true,
  status: true,
  vpc_config_id: true,
  weight: true,
};
const EVENT: Shape<Event> = {
  action: true,
  complete_time: true,
  created: true,
  description: true,
  duration: true,
  entity: true,
  id: true,
  maintenance_policy_set: true,
  message: true,
  not_before: true,
  percent_complete: true,
  rate: true,
  read: true,
  secondary_entity: true,
  seen: true,
  source: true,
  start_time: true,
  status: true,
  time_remaining: true,
  username: true,
};
const ENTITY: Shape<Entity> = { id: true, label: true, type: true, url: true };

/** "where.field: missing" for every field the shape says is sent and the object lacks, and "sent though …" for the others. */
function compare<T>(where: string, shape: Shape<T>, object: unknown): string[] {
  assert.ok(
    typeof object === 'object' && object !== null,
    `${where} is an object: ${JSON.stringify(object)}`,
  );
  const problems: string[] = [];
  for (const [field, expected] of Object.entries<true | string>(shape)) {
    const present = field in object;
    if (expected === true && !present) problems.push(`${where}.${field}: missing`);
    if (expected !== true && present)
      problems.push(`${where}.${field}: sent, though the shape says ${expected}`);
  }
  return problems;
}

function field(object: unknown, name: string): unknown {
  return (object as Record<string, unknown>)[name];
}

describe('linode sim: every field @linode/api-v4 declares', () => {
  let h: Harness;
  let ids: ReturnType<typeof seed>;
  let udp: { id: number };

  before(async () => {
    h = await startSim();
    ids = seed(h.sim);
    // What LKE's cloud controller makes for a Service with a TCP and a UDP port.
    udp = h.sim.putNodeBalancer({
      label: 'ccm-0123456789ab',
      tags: [],
      lkeClusterId: ids.clusterId,
      configs: [
        {
          port: 443,
          protocol: 'tcp',
          nodes: [{ label: 'node-0', address: '192.168.128.10:31443', status: 'UP' }],
        },
        {
          port: 53,
          protocol: 'udp',
          nodes: [{ label: 'node-0', address: '192.168.128.10:31053', status: 'UP' }],
        },
      ],
    });
  });
  after(() => h.close());

  const get = async (path: string): Promise<unknown> => {
    const response = await raw(h.root, path, { token: h.sim.token });
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const firstOf = async (path: string): Promise<unknown> => {
    const page = (await get(path)) as { data: unknown[] };
    assert.ok(page.data.length > 0, `${path} lists something`);
    return page.data[0];
  };

  it('Linode instances', async () => {
    const linode = await get(`/v4/linode/instances/${String(ids.linodeIds[0])}`);
    assert.deepEqual(
      [
        ...compare('linode', LINODE, linode),
        ...compare('linode.specs', LINODE_SPECS, field(linode, 'specs')),
        ...compare('linode.alerts', LINODE_ALERTS, field(linode, 'alerts')),
        ...compare('linode.backups', LINODE_BACKUPS, field(linode, 'backups')),
      ],
      [],
    );
  });

  it('Volumes', async () => {
    assert.deepEqual(compare('volume', VOLUME, await get(`/v4/volumes/${String(ids.volumeIds[0])}`)), []);
  });

  it('LKE clusters, pools and nodes', async () => {
    const cluster = await get(`/v4beta/lke/clusters/${String(ids.clusterId)}`);
    const pool = await get(`/v4beta/lke/clusters/${String(ids.clusterId)}/pools/${String(ids.poolId)}`);
    const node = await get(`/v4/lke/clusters/${String(ids.clusterId)}/nodes/${ids.nodeIds[0] ?? ''}`);
    assert.deepEqual(
      [
        ...compare('cluster', CLUSTER, cluster),
        ...compare('cluster.control_plane', CONTROL_PLANE, field(cluster, 'control_plane')),
        ...compare('pool', POOL, pool),
        ...compare('pool.autoscaler', AUTOSCALER, field(pool, 'autoscaler')),
        ...compare('pool.nodes[0]', POOL_NODE, (field(pool, 'nodes') as unknown[])[0]),
        ...compare('node', POOL_NODE, node),
      ],
      [],
    );
  });

  it('NodeBalancers, their configs and nodes, UDP included', async () => {
    const nb = await get(`/v4/nodebalancers/${String(udp.id)}`);
    const configs = ((await get(`/v4/nodebalancers/${String(udp.id)}/configs`)) as { data: unknown[] }).data;
    const problems = [
      ...compare('nodebalancer', NODEBALANCER, nb),
      ...compare('nodebalancer.transfer', TRANSFER, field(nb, 'transfer')),
      ...compare('nodebalancer.lke_cluster', LKE_CLUSTER_INFO, field(nb, 'lke_cluster')),
    ];
    for (const config of configs) {
      const where = `config(${String(field(config, 'protocol'))})`;
      problems.push(...compare(where, NB_CONFIG, config));
      problems.push(...compare(`${where}.nodes_status`, NODES_STATUS, field(config, 'nodes_status')));
      const node = await firstOf(
        `/v4/nodebalancers/${String(udp.id)}/configs/${String(field(config, 'id'))}/nodes`,
      );
      problems.push(...compare(`${where} node`, NB_NODE, node));
    }
    assert.deepEqual(problems, []);
  });

  it('account events', async () => {
    const event = await firstOf('/v4/account/events');
    assert.deepEqual(
      [...compare('event', EVENT, event), ...compare('event.entity', ENTITY, field(event, 'entity'))],
      [],
    );
  });

  it("a UDP config has the settings LKE's cloud controller asks for, and the API's UDP defaults", async () => {
    const nb = await get(`/v4/nodebalancers/${String(udp.id)}`);
    assert.equal(field(nb, 'client_conn_throttle'), 20, "the CCM's default throttle");
    assert.equal(field(nb, 'client_udp_sess_throttle'), 0);
    const configs = ((await get(`/v4/nodebalancers/${String(udp.id)}/configs`)) as { data: unknown[] }).data;
    const byProtocol = (p: string): Record<string, unknown> =>
      configs.find((c) => field(c, 'protocol') === p) as Record<string, unknown>;
    const udpConfig = byProtocol('udp');
    assert.deepEqual(
      {
        port: udpConfig['port'],
        check: udpConfig['check'],
        check_passive: udpConfig['check_passive'],
        stickiness: udpConfig['stickiness'],
        algorithm: udpConfig['algorithm'],
        cipher_suite: udpConfig['cipher_suite'],
        proxy_protocol: udpConfig['proxy_protocol'],
        udp_check_port: udpConfig['udp_check_port'],
        udp_session_timeout: udpConfig['udp_session_timeout'],
      },
      {
        port: 53,
        check: 'none',
        check_passive: false,
        stickiness: 'session',
        algorithm: 'roundrobin',
        cipher_suite: 'none',
        proxy_protocol: 'none',
        udp_check_port: 80,
        udp_session_timeout: 16,
      },
    );
    const tcpConfig = byProtocol('tcp');
    assert.deepEqual(
      [tcpConfig['check'], tcpConfig['check_passive'], tcpConfig['cipher_suite']],
      ['connection', true, 'recommended'],
    );
    const udpNode = await firstOf(
      `/v4/nodebalancers/${String(udp.id)}/configs/${String(udpConfig['id'])}/nodes`,
    );
    assert.equal(field(udpNode, 'mode'), 'none', 'the CCM sets no mode on UDP backends');
  });
});
