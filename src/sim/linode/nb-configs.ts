// POST /nodebalancers/{id}/configs: a config on a new port, TCP, HTTP or UDP, with the rules the
// API enforces per protocol (api-v4's TCPAlgorithm/UDPAlgorithm and stickiness types; UDP takes no
// proxy protocol and answers cipher_suite "none"). Error wording is unverified against the real API.
import { entity, recordNotification } from './events.js';
import { REASON } from './reasons.js';
import type { NbConfigRecord, NbConfigSettings, NbNodeRecord, NbProtocol, Store } from './store.js';

type Failure = { ok: false; status: number; reason: string; field?: string };
export type ConfigResult = { ok: true; config: NbConfigRecord } | Failure;

const PROTOCOLS: readonly NbProtocol[] = ['tcp', 'http', 'https', 'udp'];
const ALGORITHMS = {
  tcp: ['roundrobin', 'leastconn', 'source'],
  udp: ['roundrobin', 'leastconn', 'ring_hash'],
} as const;
const STICKINESS = {
  tcp: ['none', 'table'],
  http: ['none', 'table', 'http_cookie'],
  udp: ['none', 'session', 'source_ip'],
} as const;
const CHECKS = ['none', 'connection', 'http', 'http_body'] as const;
const PROXY_PROTOCOLS = ['none', 'v1', 'v2'] as const;

function fail(reason: string, field: string): Failure {
  return { ok: false, status: 400, reason, field };
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65_535;
}

function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
): T | undefined | Failure {
  const value = body[field];
  if (value === undefined) return undefined;
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fail(`${field} must be one of ${allowed.join(', ')}`, field);
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

function integerField(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined | Failure {
  const value = body[field];
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : fail(`${field} must be an integer from ${min} to ${max}`, field);
}

/** Reads and checks the body's settings; the first problem fails the request, as the API reports one. */
function settingsFrom(body: Record<string, unknown>, protocol: NbProtocol): NbConfigSettings | Failure {
  const udp = protocol === 'udp';
  const algorithm = oneOf(body, 'algorithm', udp ? ALGORITHMS.udp : ALGORITHMS.tcp);
  const stickiness = oneOf(
    body,
    'stickiness',
    udp ? STICKINESS.udp : protocol === 'tcp' ? STICKINESS.tcp : STICKINESS.http,
  );
  const check = oneOf(body, 'check', CHECKS);
  const proxyProtocol = oneOf(body, 'proxy_protocol', PROXY_PROTOCOLS);
  const checkInterval = integerField(body, 'check_interval', 2, 3600);
  const checkTimeout = integerField(body, 'check_timeout', 1, 30);
  const checkAttempts = integerField(body, 'check_attempts', 1, 30);
  const udpCheckPort = integerField(body, 'udp_check_port', 1, 65_535);
  for (const value of [
    algorithm,
    stickiness,
    check,
    proxyProtocol,
    checkInterval,
    checkTimeout,
    checkAttempts,
    udpCheckPort,
  ])
    if (isFailure(value)) return value;
  const checkPassive = body['check_passive'];
  if (checkPassive !== undefined && typeof checkPassive !== 'boolean')
    return fail('check_passive must be a boolean', 'check_passive');
  const checkPath = body['check_path'];
  if (checkPath !== undefined && typeof checkPath !== 'string')
    return fail('check_path must be a string', 'check_path');
  if (udp && proxyProtocol !== undefined && proxyProtocol !== 'none')
    return fail('proxy_protocol is not supported for UDP', 'proxy_protocol');
  if (!udp && udpCheckPort !== undefined)
    return fail('udp_check_port is only for UDP configs', 'udp_check_port');
  const settings: NbConfigSettings = {};
  if (algorithm !== undefined && !isFailure(algorithm)) settings.algorithm = algorithm;
  if (stickiness !== undefined && !isFailure(stickiness)) settings.stickiness = stickiness;
  if (check !== undefined && !isFailure(check)) settings.check = check;
  if (proxyProtocol !== undefined && !isFailure(proxyProtocol)) settings.proxyProtocol = proxyProtocol;
  if (typeof checkInterval === 'number') settings.checkInterval = checkInterval;
  if (typeof checkTimeout === 'number') settings.checkTimeout = checkTimeout;
  if (typeof checkAttempts === 'number') settings.checkAttempts = checkAttempts;
  if (typeof udpCheckPort === 'number') settings.udpCheckPort = udpCheckPort;
  if (typeof checkPassive === 'boolean') settings.checkPassive = checkPassive;
  if (typeof checkPath === 'string') settings.checkPath = checkPath;
  return settings;
}

const MODES = ['accept', 'reject', 'drain', 'backup', 'none'] as const;

/** The backends a create may carry (api-v4 always sends `nodes`): address ip:port and a label each. */
function nodesFrom(store: Store, body: Record<string, unknown>, udp: boolean): NbNodeRecord[] | Failure {
  const raw = body['nodes'] ?? [];
  if (!Array.isArray(raw)) return fail('nodes must be a list', 'nodes');
  const nodes: NbNodeRecord[] = [];
  for (const [i, item] of (raw as unknown[]).entries()) {
    const node = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const address = node['address'];
    const label = node['label'];
    if (typeof address !== 'string' || !/^[\d.]+:\d{1,5}$/.test(address))
      return fail('Must be a valid IPv4 address and port', `nodes[${i}].address`);
    if (typeof label !== 'string' || label.length < 3 || label.length > 32)
      return fail('Label must be 3-32 characters', `nodes[${i}].label`);
    const weight = node['weight'] ?? 100;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 255)
      return fail('weight must be an integer from 1 to 255', `nodes[${i}].weight`);
    const mode = node['mode'] ?? (udp ? 'none' : 'accept');
    if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode))
      return fail(`mode must be one of ${MODES.join(', ')}`, `nodes[${i}].mode`);
    nodes.push({
      id: store.nextId('nbnode'),
      label,
      address,
      status: 'Unknown',
      weight,
      mode: mode as NbNodeRecord['mode'],
    });
  }
  return nodes;
}

/** Adds a config on a free port of NodeBalancer `nbId`, with the backends the body names. */
export function createNbConfig(
  store: Store,
  nbId: number,
  body: Record<string, unknown>,
): ConfigResult | { ok: false; status: 404; reason: string } {
  const nb = store.nodeBalancers.get(nbId);
  if (nb === undefined) return { ok: false, status: 404, reason: REASON.notFound };
  const port = body['port'];
  if (port === undefined) return fail('port is required', 'port');
  if (!isPort(port)) return fail('port must be an integer from 1 to 65535', 'port');
  const protocol = body['protocol'] ?? 'http';
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol))
    return fail(`protocol must be one of ${PROTOCOLS.join(', ')}`, 'protocol');
  const chosen = protocol as NbProtocol;
  if (nb.configs.some((c) => c.port === port && (c.protocol === 'udp') === (chosen === 'udp')))
    return fail(`Port ${port} is already in use`, 'port');
  if (chosen === 'https' && (typeof body['ssl_cert'] !== 'string' || typeof body['ssl_key'] !== 'string'))
    return fail('ssl_cert and ssl_key are required for https', 'ssl_cert');
  const settings = settingsFrom(body, chosen);
  if (isFailure(settings)) return settings;
  const nodes = nodesFrom(store, body, chosen === 'udp');
  if (isFailure(nodes)) return nodes;
  const config: NbConfigRecord = {
    id: store.nextId('nbconfig'),
    port,
    protocol: chosen,
    settings,
    nodes,
    // No check has run yet: every backend counts down until one does.
    nodesStatus: { up: 0, down: nodes.length },
  };
  nb.configs.push(config);
  nb.updated = store.clock.nowMs();
  recordNotification(store, {
    action: 'nodebalancer_config_create',
    entity: entity('nodebalancer', nb.id, nb.label),
  });
  store.changed();
  return { ok: true, config };
}
