// The simulator's own API under /_sim: the request log, the world as JSON, the clock's speed, faults
// and the Kubernetes access policy at run time.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseClockSpeed } from './clock.js';
import { parseFault } from './fault-schema.js';
import { accessControlOf, openPolicy, parsePolicy } from './kube/authorization.js';
import type { RequestRecord, SimWorld } from './world.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown;
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  world: SimWorld,
  requests: readonly RequestRecord[],
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /_sim/requests': {
      const since = Number(url.searchParams.get('since') ?? '0');
      return send(
        res,
        200,
        requests.filter((r) => r.seq > since && r.api !== 'control'),
      );
    }
    case 'GET /_sim/state':
      return send(res, 200, {
        clock: { now: world.clock.now().toISOString(), speed: world.clock.speed },
        faults: world.faults.list(),
        kubernetes: world.kube.snapshot(),
        linode: world.linode.snapshot(),
      });
    case 'GET /_sim/clock':
      return send(res, 200, { now: world.clock.now().toISOString(), speed: world.clock.speed });
    case 'POST /_sim/clock': {
      // Every pending timer (a CronJob's next minute among them) is re-timed to the new speed.
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        return send(res, 400, { error: 'the body must be {"speed": <number or "instant">} as JSON' });
      }
      const asked = (body as { speed?: unknown } | null)?.speed;
      const speed =
        typeof asked === 'number' || typeof asked === 'string' ? parseClockSpeed(String(asked)) : undefined;
      if (speed === undefined)
        return send(res, 400, { error: 'speed must be a positive number or "instant"' });
      world.clock.setSpeed(speed);
      return send(res, 200, { now: world.clock.now().toISOString(), speed: world.clock.speed });
    }
    case 'GET /_sim/faults':
      return send(res, 200, world.faults.list());
    case 'POST /_sim/faults': {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        return send(res, 400, { error: 'the body must be one fault as JSON' });
      }
      const parsed = parseFault(body);
      if (!parsed.ok) return send(res, 400, { error: parsed.error });
      world.faults.add(parsed.fault);
      return send(res, 201, world.faults.list());
    }
    case 'DELETE /_sim/faults':
      world.faults.clear();
      return send(res, 200, []);
    case 'GET /_sim/policy':
    case 'POST /_sim/policy':
    case 'DELETE /_sim/policy': {
      const access = accessControlOf(world.kube);
      if (access === undefined) return send(res, 404, { error: 'this world has no access policy' });
      if (req.method === 'DELETE') access.setPolicy(openPolicy());
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch {
          return send(res, 400, { error: 'the body must be a policy as JSON' });
        }
        const parsed = parsePolicy(body);
        if (!parsed.ok) return send(res, 400, { error: parsed.error });
        access.setPolicy(parsed.policy);
      }
      return send(res, 200, access.policy());
    }
    default:
      return send(res, 404, { error: `no control route ${route}` });
  }
}
