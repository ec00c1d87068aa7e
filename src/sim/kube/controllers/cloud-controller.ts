// LKE's cloud controller (linode-cloud-controller-manager), service side: a Service of type
// LoadBalancer gets a NodeBalancer with one config per port and one backend per node (its private
// IP and the port's nodePort), UP or DOWN with the node's readiness; its address is written back to
// the Service's status; the NodeBalancer goes when the Service (or its LoadBalancer type) goes.
import type { KubeObject } from '../../world.js';
import { internalIp } from './nodes.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

/** The CCM's annotations: tags for the NodeBalancer, and an existing NodeBalancer to use. */
export const TAGS_ANNOTATION = 'service.beta.kubernetes.io/linode-loadbalancer-tags';
export const NODEBALANCER_ID_ANNOTATION = 'service.beta.kubernetes.io/linode-loadbalancer-nodebalancer-id';
/** The CCM's protocol choices: one for every port, or JSON per port ({"protocol": "http"}). */
export const DEFAULT_PROTOCOL_ANNOTATION = 'service.beta.kubernetes.io/linode-loadbalancer-default-protocol';
export const PORT_CONFIG_ANNOTATION_PREFIX = 'service.beta.kubernetes.io/linode-loadbalancer-port-';
/** New connections per second per client, 0 to 20; the CCM's default is 20. */
export const THROTTLE_ANNOTATION = 'service.beta.kubernetes.io/linode-loadbalancer-throttle';

type ConfigProtocol = 'http' | 'https' | 'tcp' | 'udp';
const PROTOCOLS = new Set<string>(['http', 'https', 'tcp', 'udp']);

interface ServicePort {
  port: number;
  nodePort?: number;
  protocol?: string;
}
interface ServiceShape {
  type?: string;
  ports?: ServicePort[];
}
interface Ingress {
  ip?: string;
  hostname?: string;
}

const isReady = (node: KubeObject): boolean =>
  (
    (node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
  ).some((c) => c.type === 'Ready' && c.status === 'True');

/** The NodeBalancer protocol the CCM picks for a port: per-port annotation, default annotation, the port's own; undefined when invalid. */
function configProtocol(annotations: Record<string, string>, port: ServicePort): ConfigProtocol | undefined {
  let perPort: unknown;
  try {
    perPort = (
      JSON.parse(annotations[`${PORT_CONFIG_ANNOTATION_PREFIX}${String(port.port)}`] ?? '{}') as {
        protocol?: unknown;
      }
    ).protocol;
  } catch {
    return undefined;
  }
  const chosen =
    typeof perPort === 'string' && perPort !== ''
      ? perPort
      : (annotations[DEFAULT_PROTOCOL_ANNOTATION] ?? port.protocol ?? 'TCP');
  const protocol = chosen.toLowerCase();
  return PROTOCOLS.has(protocol) ? (protocol as ConfigProtocol) : undefined;
}

function connectionThrottle(annotations: Record<string, string>): number {
  const value = Number.parseInt(annotations[THROTTLE_ANNOTATION] ?? '', 10);
  return Number.isNaN(value) ? 20 : Math.min(20, Math.max(0, value));
}

export function createCloudController(ctx: ControllerContext): Controller {
  const { api, linode } = ctx;
  /** Service key to the label of the NodeBalancer this controller made for it. */
  const owned = new Map<string, string>();
  /** Service keys whose NodeBalancer was there before (set up by hand or by a scenario): only status. */
  const adopted = new Set<string>();
  let made = 0;

  // The real CCM names a NodeBalancer ccm- and the last 12 hex digits of the time it creates it.
  const newLabel = (): string => {
    made += 1;
    const nanos = BigInt(ctx.clock.nowMs()) * 1_000_000n + BigInt(made);
    return `ccm-${nanos.toString(16).padStart(12, '0').slice(-12)}`;
  };

  const clusterId = (nodes: KubeObject[]): number | undefined => {
    for (const node of nodes) {
      const id = /^linode:\/\/(\d+)$/.exec((node.spec as { providerID?: string }).providerID ?? '')?.[1];
      const cluster = id === undefined ? null : (linode.instance(Number(id))?.lke_cluster_id ?? null);
      if (cluster !== null) return cluster;
    }
    return undefined;
  };

  const forget = (key: string): void => {
    const label = owned.get(key);
    if (label !== undefined) linode.deleteNodeBalancer(label);
    owned.delete(key);
    adopted.delete(key);
  };

  const writeStatus = (svc: KubeObject, ingress: Ingress[]): void => {
    const { namespace, name } = svc.metadata;
    api.mutate(
      defs.service,
      namespace,
      name,
      (o) => {
        o.status = { ...(o.status ?? {}), loadBalancer: ingress.length === 0 ? {} : { ingress } };
      },
      { subresource: 'status' },
    );
  };

  /** A NodeBalancer already in front of this Service: named by annotation, or whose backends are its node ports. */
  const existing = (
    svc: KubeObject,
    ports: ServicePort[],
  ): { ipv4: string; hostname: string } | undefined => {
    const all = linode.nodeBalancers();
    const id = Number(svc.metadata.annotations?.[NODEBALANCER_ID_ANNOTATION]);
    if (Number.isInteger(id) && id > 0) return all.find((nb) => nb.id === id);
    const nodePorts = new Set(ports.map((p) => p.nodePort).filter((p) => p !== undefined));
    const mine = new Set(owned.values());
    return all.find(
      (nb) =>
        !mine.has(nb.label) &&
        nb.configs.some((c) => c.addresses.some((a) => nodePorts.has(Number(a.split(':')[1])))),
    );
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const svc = api.store.get(defs.service, namespace, name);
    const spec = (svc?.spec ?? {}) as ServiceShape;
    if (svc === undefined || svc.metadata.deletionTimestamp !== undefined || spec.type !== 'LoadBalancer') {
      const had = owned.has(key) || adopted.has(key);
      forget(key);
      if (had && svc !== undefined) writeStatus(svc, []);
      return;
    }
    const ports = (spec.ports ?? []).filter((p) => p.nodePort !== undefined);
    if (adopted.has(key)) return;
    if (!owned.has(key)) {
      // Already fronted by a NodeBalancer this controller did not make (e.g. a dry-run twin copies the
      // Service with its status, not the NodeBalancer): leave it as it is, as the real CCM finds it by status.
      const shown = (svc.status as { loadBalancer?: { ingress?: Ingress[] } } | undefined)?.loadBalancer
        ?.ingress;
      if (shown !== undefined && shown.length > 0) {
        adopted.add(key);
        return;
      }
      const before = existing(svc, ports);
      if (before !== undefined) {
        adopted.add(key);
        writeStatus(svc, [{ ip: before.ipv4, hostname: before.hostname }]);
        return;
      }
    }
    const annotations = svc.metadata.annotations ?? {};
    const protocols = ports.map((p) => configProtocol(annotations, p));
    // The CCM refuses a Service whose protocol annotations it cannot read: no NodeBalancer.
    if (protocols.some((p) => p === undefined)) return;
    const nodes = api.store.list(defs.node);
    const lke = clusterId(nodes);
    if (lke === undefined) return;
    const label = owned.get(key) ?? newLabel();
    owned.set(key, label);
    const tags = (annotations[TAGS_ANNOTATION] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const nb = linode.putNodeBalancer({
      label,
      tags,
      lkeClusterId: lke,
      clientConnThrottle: connectionThrottle(annotations),
      configs: ports.map((p, i) => ({
        port: p.port,
        protocol: protocols[i] ?? 'tcp',
        nodes: nodes.flatMap((node) => {
          const ip = internalIp(node);
          return ip === undefined
            ? []
            : [
                {
                  label: node.metadata.name,
                  address: `${ip}:${String(p.nodePort)}`,
                  status: isReady(node) ? 'UP' : 'DOWN',
                },
              ];
        }),
      })),
    });
    writeStatus(svc, [{ ip: nb.ipv4, hostname: nb.hostname }]);
  };

  const queue = createWorkQueue(ctx, 'cloud-controller', reconcile);
  const everyService = (): void => {
    for (const key of new Set([...owned.keys(), ...api.store.list(defs.service).map(keyOf)])) queue.add(key);
  };
  return {
    name: 'cloud-controller',
    onStoreEvent(event) {
      if (isDef(event, defs.service)) queue.add(keyOf(event.object));
      // A node added, removed or changing readiness changes every NodeBalancer's backends.
      else if (isDef(event, defs.node)) everyService();
    },
  };
}
