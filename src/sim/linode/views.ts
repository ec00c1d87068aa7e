// Records as the Linode API serves them (field names, formats and the extra fields the real API
// returns beyond the OpenAPI description: io_ready, locks, cluster status/tier, vpc_config_id, the
// NodeBalancer UDP fields, ...). Every field @linode/api-v4 0.158 declares is here or is named, with
// why it is absent, in test/sim/linode/shapes.test.ts. Values marked "guess" are defaults the real
// API is believed to return that no saved response or fixture here confirms.
import { faultedBackendStatus } from './nodebalancers.js';
import { ipv6For, linodeTime, uuidFor } from './format.js';
import type {
  ClusterRecord,
  EventRecord,
  InstanceRecord,
  LkeNodeRecord,
  NbConfigRecord,
  NbNodeRecord,
  NodeBalancerRecord,
  PoolRecord,
  Store,
  VolumeRecord,
} from './store.js';
import { specsOf } from './types.js';

export function instanceView(linode: InstanceRecord): Record<string, unknown> {
  return {
    id: linode.id,
    label: linode.label,
    group: linode.group,
    status: linode.status,
    created: linodeTime(linode.created),
    updated: linodeTime(linode.updated),
    type: linode.type,
    ipv4: [...linode.ipv4],
    ipv6: ipv6For(linode.id),
    image: linode.image,
    region: linode.region,
    specs: { ...specsOf(linode.type), accelerated_devices: 0 },
    alerts: { cpu: 180, network_in: 10, network_out: 10, transfer_quota: 80, io: 10_000 },
    backups: {
      enabled: false,
      available: false,
      schedule: { day: null, window: null },
      last_successful: null,
    },
    hypervisor: 'kvm',
    watchdog_enabled: true,
    tags: [...linode.tags],
    host_uuid: uuidFor(linode.id),
    has_user_data: false,
    placement_group: null,
    disk_encryption: 'disabled',
    lke_cluster_id: linode.lkeClusterId,
    capabilities: [],
    locks: [],
    // Guess: the account default maintenance policy, which Linodes inherit.
    maintenance_policy: 'linode/migrate',
    site_type: 'core',
    // Guess: LKE node pools boot with configuration-profile interfaces, not Linode interfaces.
    interface_generation: 'legacy_config',
  };
}

export function volumeView(store: Store, volume: VolumeRecord): Record<string, unknown> {
  const linode = volume.linodeId === null ? undefined : store.instances.get(volume.linodeId);
  return {
    id: volume.id,
    label: volume.label,
    status: volume.status,
    size: volume.size,
    region: volume.region,
    linode_id: volume.linodeId,
    linode_label: linode?.label ?? null,
    filesystem_path: `/dev/disk/by-id/scsi-0Linode_Volume_${volume.label}`,
    hardware_type: volume.hardwareType,
    encryption: volume.encryption,
    tags: [...volume.tags],
    created: linodeTime(volume.created),
    updated: linodeTime(volume.updated),
    io_ready: volume.ioReady,
    locks: [],
  };
}

export function clusterView(cluster: ClusterRecord): Record<string, unknown> {
  return {
    id: cluster.id,
    label: cluster.label,
    region: cluster.region,
    k8s_version: cluster.k8sVersion,
    control_plane: { high_availability: cluster.highAvailability },
    tags: [...cluster.tags],
    created: linodeTime(cluster.created),
    updated: linodeTime(cluster.updated),
    status: 'ready',
    tier: 'standard',
    apl_enabled: false,
    // Guess: a standard-tier cluster is IPv4-only and in no VPC of the account's.
    stack_type: 'ipv4',
    vpc_id: null,
    subnet_id: null,
  };
}

export function lkeNodeView(node: LkeNodeRecord): Record<string, unknown> {
  return { id: node.id, instance_id: node.instanceId, status: node.status };
}

export function poolView(pool: PoolRecord): Record<string, unknown> {
  return {
    id: pool.id,
    type: pool.type,
    count: pool.nodes.length,
    // api-v4: "@default \"\"" for a pool given no label.
    label: '',
    nodes: pool.nodes.map(lkeNodeView),
    autoscaler: { enabled: false, min: pool.nodes.length, max: pool.nodes.length },
    disks: [],
    labels: {},
    taints: [],
    tags: [...pool.tags],
    disk_encryption: 'disabled',
  };
}

export function nodeBalancerView(store: Store, nb: NodeBalancerRecord): Record<string, unknown> {
  const cluster = nb.lkeClusterId === null ? undefined : store.clusters.get(nb.lkeClusterId);
  return {
    id: nb.id,
    label: nb.label,
    region: nb.region,
    hostname: `nb-${nb.ipv4.replaceAll('.', '-')}.${nb.region}.nodebalancer.linode.com`,
    ipv4: nb.ipv4,
    ipv6: nb.ipv6,
    client_conn_throttle: nb.clientConnThrottle ?? 0,
    client_udp_sess_throttle: nb.clientUdpSessThrottle ?? 0,
    frontend_address_type: 'public',
    frontend_vpc_subnet_id: null,
    transfer: { in: 0, out: 0, total: 0 },
    tags: [...nb.tags],
    created: linodeTime(nb.created),
    updated: linodeTime(nb.updated),
    type: 'common',
    lke_cluster:
      cluster === undefined
        ? null
        : { id: cluster.id, label: cluster.label, type: 'lkecluster', url: `/v4/lke/clusters/${cluster.id}` },
  };
}

export function nbConfigView(
  store: Store,
  nb: NodeBalancerRecord,
  config: NbConfigRecord,
): Record<string, unknown> {
  const forced = faultedBackendStatus(store, nb, config);
  const udp = config.protocol === 'udp';
  const set = config.settings ?? {};
  return {
    id: config.id,
    port: config.port,
    protocol: config.protocol,
    algorithm: set.algorithm ?? 'roundrobin',
    // The API's defaults: no stickiness over TCP/HTTP, per-session over UDP.
    stickiness: set.stickiness ?? (udp ? 'session' : 'none'),
    check: set.check ?? (udp ? 'none' : 'connection'),
    check_interval: set.checkInterval ?? 5,
    check_timeout: set.checkTimeout ?? 3,
    check_attempts: set.checkAttempts ?? 2,
    check_path: set.checkPath ?? '',
    check_body: '',
    check_passive: set.checkPassive ?? !udp,
    proxy_protocol: set.proxyProtocol ?? 'none',
    // api-v4: "Is `none` when protocol is UDP".
    cipher_suite: udp ? 'none' : 'recommended',
    ssl_commonname: '',
    ssl_fingerprint: '',
    ssl_cert: null,
    ssl_key: null,
    // The API reports 80 (CCM's udpCheckPortDefault too) on every config, UDP or not (a guess for TCP ones).
    udp_check_port: set.udpCheckPort ?? 80,
    // Read-only: api-v4 "@default 16".
    udp_session_timeout: 16,
    nodebalancer_id: nb.id,
    nodes_status: forced === undefined ? { ...config.nodesStatus } : { up: 0, down: config.nodes.length },
  };
}

export function nbNodeView(
  store: Store,
  nb: NodeBalancerRecord,
  config: NbConfigRecord,
  node: NbNodeRecord,
): Record<string, unknown> {
  return {
    id: node.id,
    address: node.address,
    label: node.label,
    status: faultedBackendStatus(store, nb, config) ?? node.status,
    weight: node.weight,
    mode: node.mode,
    config_id: config.id,
    nodebalancer_id: nb.id,
    vpc_config_id: null,
  };
}

export function eventView(store: Store, event: EventRecord): Record<string, unknown> {
  const end = event.finished ?? store.clock.nowMs();
  return {
    id: event.id,
    action: event.action,
    created: linodeTime(event.created),
    // Guess: start_time is when the action started (its creation here), complete_time when it ended.
    start_time: linodeTime(event.created),
    complete_time: event.finished === undefined ? null : linodeTime(event.finished),
    // Guess: these describe maintenance events (description, source, not_before, the policy set): null otherwise.
    description: null,
    source: null,
    not_before: null,
    maintenance_policy_set: null,
    duration: Math.round((end - event.created) / 100) / 10,
    entity: { ...event.entity },
    secondary_entity: event.secondaryEntity === null ? null : { ...event.secondaryEntity },
    message: null,
    percent_complete: event.percentComplete,
    rate: null,
    read: event.read,
    seen: event.seen,
    status: event.status,
    time_remaining: null,
    username: event.username,
  };
}
