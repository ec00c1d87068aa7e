// A local chat webhook that records what it got; it can answer 429 first, as Discord does.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  readonly url: string;
  readonly bodies: Array<{ content?: string; text?: string }>;
  /** How many requests were answered 429. */
  readonly limited: number;
  close(): Promise<void>;
}

export async function startReceiver(options: { rateLimitFirst?: number } = {}): Promise<Receiver> {
  const bodies: Array<{ content?: string; text?: string }> = [];
  let limitLeft = options.rateLimitFirst ?? 0;
  let limited = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (limitLeft > 0) {
        limitLeft--;
        limited++;
        res.writeHead(429, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.05, global: false }));
        return;
      }
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content?: string });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/1/token-in-the-url`,
    bodies,
    get limited() {
      return limited;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
