// Records as the Linode API serves them (field names, formats and the extra fields the real API
// returns beyond the OpenAPI description: io_ready, locks, cluster status/tier, vpc_config_id, ...).
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
    specs: { ...specsOf(linode.type) },
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
    label: null,
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
    client_conn_throttle: 0,
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
  return {
    id: config.id,
    port: config.port,
    protocol: config.protocol,
    algorithm: 'roundrobin',
    stickiness: 'none',
    check: 'connection',
    check_interval: 5,
    check_timeout: 3,
    check_attempts: 2,
    check_path: '',
    check_body: '',
    check_passive: true,
    proxy_protocol: 'none',
    cipher_suite: 'recommended',
    ssl_commonname: '',
    ssl_fingerprint: '',
    ssl_cert: null,
    ssl_key: null,
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
